import { describe, expect, it } from 'vitest';
import { formatPeriodRange, formatUsd, lastDays, parseAmount, parseThresholds } from './budget-format.js';

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [12.4, '$12.40'],
    [1, '$1.00'],
    [0.5, '$0.50'],
    [0.0123, '$0.0123'],
    [0.01, '$0.01'],
    [0.000042, '$0.000042'],
    [1234.5, '$1,234.50'],
  ])('words %f as %s', (usd, expected) => {
    expect(formatUsd(usd)).toBe(expected);
  });
});

describe('parseThresholds', () => {
  it('reads numbers separated by commas, spaces or percent signs', () => {
    expect(parseThresholds('50, 75 90%,100')).toEqual([50, 75, 90, 100]);
  });
  it('reads an empty field as no thresholds', () => {
    expect(parseThresholds('  ')).toEqual([]);
  });
  it('refuses a part that is not a number', () => {
    expect(parseThresholds('50, lots')).toBeNull();
  });
});

describe('parseAmount', () => {
  it('reads dollars with or without the sign, and nothing as undefined', () => {
    expect(parseAmount(' $0.25 ')).toBe(0.25);
    expect(parseAmount('')).toBeUndefined();
    expect(parseAmount('abc')).toBeNaN();
  });
});

describe('lastDays', () => {
  it('covers whole calendar days in the zone, today included', () => {
    const now = new Date('2026-03-10T23:30:00Z'); // already 11 March in Berlin
    expect(lastDays(7, 'Europe/Berlin', now)).toEqual({
      from: '2026-03-05T00:00:00.000+01:00',
      to: '2026-03-12T00:00:00.000+01:00',
    });
  });
});

describe('formatPeriodRange', () => {
  it('ends on the last day of the period, not the first day of the next', () => {
    const text = formatPeriodRange({
      periodStart: '2026-10-31T23:00:00.000Z',
      periodEnd: '2026-11-30T23:00:00.000Z',
      timezone: 'Europe/Paris',
    });
    expect(text).toMatch(/1/);
    expect(text).toMatch(/30/);
    expect(text).not.toMatch(/Dec/);
  });
});
