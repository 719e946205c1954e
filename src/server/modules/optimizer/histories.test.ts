import { describe, expect, it } from 'vitest';
import { type LogEntry, timeSeriesSplit, trainingItems } from './histories.js';

const log = (card_id: string, rating: LogEntry['rating'], reviewed_at: string, state_before = 'review'): LogEntry => ({
  card_id,
  rating,
  state_before,
  reviewed_at,
});

describe('trainingItems', () => {
  it('turns each card into one item per review a day or more after the one before, with whole days between', () => {
    const { items, reviews } = trainingItems([
      log('a', 'good', '2026-01-01T09:00:00.000Z', 'new'),
      log('a', 'again', '2026-01-01T09:10:00.000Z', 'learning'),
      log('a', 'good', '2026-01-03T08:00:00.000Z', 'relearning'),
      log('a', 'easy', '2026-01-10T20:00:00.000Z'),
    ]);
    expect(reviews).toBe(4);
    // The same-day Again is in the histories but predicts nothing itself.
    expect(items.map((i) => i.reviews)).toEqual([
      [
        { rating: 3, deltaT: 0 },
        { rating: 1, deltaT: 0 },
        { rating: 3, deltaT: 1 },
      ],
      [
        { rating: 3, deltaT: 0 },
        { rating: 1, deltaT: 0 },
        { rating: 3, deltaT: 1 },
        { rating: 4, deltaT: 7 },
      ],
    ]);
    expect(items.map((i) => i.at)).toEqual(['2026-01-03T08:00:00.000Z', '2026-01-10T20:00:00.000Z']);
  });

  it('gives no item for a card reviewed only on its first day, which the FSRS binding could not take', () => {
    const { items, reviews } = trainingItems([
      log('a', 'again', '2026-01-01T09:00:00.000Z', 'new'),
      log('a', 'good', '2026-01-01T09:10:00.000Z', 'learning'),
      log('a', 'good', '2026-01-01T20:00:00.000Z', 'review'),
    ]);
    expect(reviews).toBe(3);
    expect(items).toEqual([]);
  });

  it('leaves out cards whose log does not start from new, and orders items of all cards by time', () => {
    const { items, reviews } = trainingItems([
      log('a', 'good', '2026-01-02T09:00:00.000Z', 'new'),
      log('a', 'hard', '2026-01-05T09:00:00.000Z'),
      log('b', 'good', '2026-01-01T09:00:00.000Z', 'review'),
      log('b', 'good', '2026-01-03T09:00:00.000Z'),
      log('c', 'again', '2026-01-01T09:00:00.000Z', 'new'),
      log('c', 'good', '2026-01-04T09:00:00.000Z'),
      log('d', 'good', '2026-01-01T09:00:00.000Z', 'new'),
    ]);
    expect(reviews).toBe(5);
    expect(items.map((i) => [i.at, i.reviews.map((r) => r.rating)])).toEqual([
      ['2026-01-04T09:00:00.000Z', [1, 3]],
      ['2026-01-05T09:00:00.000Z', [3, 2]],
    ]);
  });

  it('counts a clock set back as no days rather than negative ones', () => {
    const { items } = trainingItems([
      log('a', 'good', '2026-01-05T09:00:00.000Z', 'new'),
      log('a', 'good', '2026-01-04T09:00:00.000Z'),
      log('a', 'good', '2026-01-06T09:00:00.000Z'),
    ]);
    expect(items.map((i) => i.reviews.map((r) => r.deltaT))).toEqual([[0, 0, 2]]);
  });
});

describe('timeSeriesSplit', () => {
  it('keeps the earlier items to train on and the later ones to test', () => {
    expect(timeSeriesSplit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({
      train: [1, 2, 3, 4, 5, 6, 7, 8],
      test: [9, 10],
    });
  });
});
