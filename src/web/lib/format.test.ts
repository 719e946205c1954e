import { describe, expect, it } from 'vitest';
import { formatDueIn, formatInterval } from './format.js';

describe('formatInterval', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [60, '1 min'],
    [600, '10 min'],
    [3599, '1 h'],
    [86_399, '1 d'],
    [3600, '1 h'],
    [5400, '1.5 h'],
    [86_400, '1 d'],
    [2 * 86_400, '2 d'],
    [29 * 86_400, '29 d'],
    [105 * 86_400, '3.5 mo'],
    [365 * 86_400, '1 y'],
    [438 * 86_400, '1.2 y'],
  ])('words %i seconds as %s', (seconds, expected) => {
    expect(formatInterval(seconds)).toBe(expected);
  });
});

describe('formatDueIn', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('says "now" for a card already due', () => {
    expect(formatDueIn('2026-03-01T11:00:00Z', now)).toBe('now');
  });
  it('says how long until a card is due', () => {
    expect(formatDueIn('2026-03-03T12:00:00Z', now)).toBe('in 2 d');
  });
});
