import { describe, expect, it } from 'vitest';
import { describeInstant, localDate, periodAt, type PeriodDefinition } from './budget-period.js';

const monthly: PeriodDefinition = { period: 'monthly', customDays: null, anchorDate: null };
const weekly: PeriodDefinition = { period: 'weekly', customDays: null, anchorDate: null };
const daily: PeriodDefinition = { period: 'daily', customDays: null, anchorDate: null };
const iso = (w: { start: Date; end: Date }) => ({ start: w.start.toISOString(), end: w.end.toISOString() });

describe('budget periods', () => {
  it('puts a call at 2026-01-31T23:30Z into February for a user in Europe/Berlin', () => {
    expect(iso(periodAt(monthly, 'Europe/Berlin', new Date('2026-01-31T23:30:00Z')))).toEqual({
      start: '2026-01-31T23:00:00.000Z',
      end: '2026-02-28T23:00:00.000Z',
    });
  });

  it('keeps a call half an hour before Berlin midnight in January', () => {
    expect(iso(periodAt(monthly, 'Europe/Berlin', new Date('2026-01-31T22:30:00Z')))).toEqual({
      start: '2025-12-31T23:00:00.000Z',
      end: '2026-01-31T23:00:00.000Z',
    });
  });

  it('runs calendar months in UTC for a UTC zone, across a year end', () => {
    expect(iso(periodAt(monthly, 'UTC', new Date('2026-12-31T23:59:59Z')))).toEqual({
      start: '2026-12-01T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
    });
  });

  it('starts weeks on Monday at local midnight', () => {
    // Sunday 23:30 in Berlin is still the week that began on Monday the 5th.
    expect(iso(periodAt(weekly, 'Europe/Berlin', new Date('2026-01-11T22:30:00Z')))).toEqual({
      start: '2026-01-04T23:00:00.000Z',
      end: '2026-01-11T23:00:00.000Z',
    });
    expect(iso(periodAt(weekly, 'Europe/Berlin', new Date('2026-01-11T23:30:00Z')))).toEqual({
      start: '2026-01-11T23:00:00.000Z',
      end: '2026-01-18T23:00:00.000Z',
    });
  });

  it('makes the day of a spring-forward change 23 hours long', () => {
    expect(iso(periodAt(daily, 'America/New_York', new Date('2026-03-08T12:00:00Z')))).toEqual({
      start: '2026-03-08T05:00:00.000Z',
      end: '2026-03-09T04:00:00.000Z',
    });
  });

  it('counts custom periods of N days from the anchor date, before and after it', () => {
    const custom: PeriodDefinition = { period: 'custom', customDays: 10, anchorDate: '2026-01-01' };
    expect(iso(periodAt(custom, 'UTC', new Date('2026-01-25T08:00:00Z')))).toEqual({
      start: '2026-01-21T00:00:00.000Z',
      end: '2026-01-31T00:00:00.000Z',
    });
    expect(iso(periodAt(custom, 'UTC', new Date('2025-12-25T08:00:00Z')))).toEqual({
      start: '2025-12-22T00:00:00.000Z',
      end: '2026-01-01T00:00:00.000Z',
    });
  });

  it('anchors a custom period in the zone given', () => {
    const custom: PeriodDefinition = { period: 'custom', customDays: 7, anchorDate: '2026-03-02' };
    expect(iso(periodAt(custom, 'Asia/Tokyo', new Date('2026-03-01T15:30:00Z')))).toEqual({
      start: '2026-03-01T15:00:00.000Z',
      end: '2026-03-08T15:00:00.000Z',
    });
  });

  it('starts a custom period without an anchor today', () => {
    const custom: PeriodDefinition = { period: 'custom', customDays: 3, anchorDate: null };
    expect(iso(periodAt(custom, 'UTC', new Date('2026-05-10T18:00:00Z')))).toEqual({
      start: '2026-05-10T00:00:00.000Z',
      end: '2026-05-13T00:00:00.000Z',
    });
  });

  it('answers again from the window it computed last, and moves on once the time leaves it', () => {
    const zone = 'America/Sao_Paulo';
    const first = periodAt(daily, zone, new Date('2026-06-10T12:00:00Z'));
    first.start.setTime(0); // the caller's copy: changing it must not change the next answer
    expect(iso(periodAt(daily, zone, new Date('2026-06-11T02:59:59Z')))).toEqual({
      start: '2026-06-10T03:00:00.000Z',
      end: '2026-06-11T03:00:00.000Z',
    });
    expect(iso(periodAt(daily, zone, new Date('2026-06-11T03:00:00Z')))).toEqual({
      start: '2026-06-11T03:00:00.000Z',
      end: '2026-06-12T03:00:00.000Z',
    });
    expect(iso(periodAt(daily, zone, new Date('2026-06-10T02:59:59Z')))).toEqual({
      start: '2026-06-09T03:00:00.000Z',
      end: '2026-06-10T03:00:00.000Z',
    });
    // Without an anchor a custom period starts on the day asked about, each time.
    const custom: PeriodDefinition = { period: 'custom', customDays: 3, anchorDate: null };
    periodAt(custom, 'UTC', new Date('2026-05-10T18:00:00Z'));
    expect(iso(periodAt(custom, 'UTC', new Date('2026-05-11T18:00:00Z'))).start).toBe('2026-05-11T00:00:00.000Z');
  });

  it('names dates and instants in the zone', () => {
    expect(localDate(new Date('2026-01-31T23:30:00Z'), 'Europe/Berlin')).toBe('2026-02-01');
    expect(describeInstant(new Date('2026-01-31T23:00:00Z'), 'Europe/Berlin')).toBe(
      '1 Feb 2026, 00:00 (Europe/Berlin)',
    );
  });
});
