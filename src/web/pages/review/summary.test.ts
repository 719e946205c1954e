import { describe, expect, it } from 'vitest';
import { summarise } from './use-review-session.js';

describe('summarise', () => {
  it('counts hard, good and easy as correct and takes the earliest next due of each card’s last answer', () => {
    const summary = summarise([
      { cardId: 'a', rating: 'again', due: '2026-03-01T12:01:00Z', spentMs: 4000 },
      { cardId: 'b', rating: 'good', due: '2026-03-01T12:10:00Z', spentMs: 3000 },
      { cardId: 'a', rating: 'hard', due: '2026-03-02T12:00:00Z', spentMs: 2000 },
      { cardId: 'c', rating: 'easy', due: '2026-03-09T12:00:00Z', spentMs: 1000 },
    ]);
    expect(summary).toEqual({ reviewed: 4, accuracy: 0.75, spentMs: 10_000, nextDue: '2026-03-01T12:10:00Z' });
  });

  it('has no accuracy or next due without answers', () => {
    expect(summarise([])).toEqual({ reviewed: 0, accuracy: null, spentMs: 0, nextDue: null });
  });
});
