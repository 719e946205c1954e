import { describe, expect, it } from 'vitest';
import { reviewDay } from './review-day.js';

describe('the review day', () => {
  it('starts at the boundary hour in the learner’s time zone', () => {
    // 10:00 in Madrid (UTC+1 in January) is after 4 am: the day began at 04:00 Madrid = 03:00 UTC.
    const day = reviewDay(new Date('2026-01-15T09:00:00Z'), 'Europe/Madrid', 4);
    expect(day.start.toISOString()).toBe('2026-01-15T03:00:00.000Z');
    expect(day.end.toISOString()).toBe('2026-01-16T03:00:00.000Z');
  });

  it('counts a review at 3 am for the previous day', () => {
    // 03:00 in Madrid on the 16th is before the 4 am boundary.
    const day = reviewDay(new Date('2026-01-16T02:00:00Z'), 'Europe/Madrid', 4);
    expect(day.start.toISOString()).toBe('2026-01-15T03:00:00.000Z');
  });

  it('is 23 hours long on the night clocks go forward', () => {
    // Europe/Madrid moves from UTC+1 to UTC+2 at 02:00 on 2026-03-29.
    const day = reviewDay(new Date('2026-03-28T12:00:00Z'), 'Europe/Madrid', 4);
    expect(day.start.toISOString()).toBe('2026-03-28T03:00:00.000Z');
    expect(day.end.toISOString()).toBe('2026-03-29T02:00:00.000Z');
  });

  it('works with a midnight boundary and west of UTC', () => {
    const day = reviewDay(new Date('2026-06-01T03:30:00Z'), 'America/Los_Angeles', 0);
    expect(day.start.toISOString()).toBe('2026-05-31T07:00:00.000Z');
    expect(day.end.toISOString()).toBe('2026-06-01T07:00:00.000Z');
  });
});
