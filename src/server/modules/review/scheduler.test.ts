import { describe, expect, it } from 'vitest';
import { createScheduler, type MemoryState } from './scheduler.js';

const settings = { desiredRetention: 0.9, learningSteps: '1m 10m', relearningSteps: '10m', parameters: null };
const now = new Date('2026-02-01T10:00:00Z');
const fresh: MemoryState = {
  state: 'new',
  due: now.toISOString(),
  stability: 0,
  difficulty: 0,
  elapsed_days: 0,
  scheduled_days: 0,
  learning_steps: 0,
  reps: 0,
  lapses: 0,
  last_reviewed_at: null,
};

describe('the FSRS scheduler', () => {
  it('walks a new card through the learning steps 1m and 10m, then into review', () => {
    const s = createScheduler(settings);
    const again = s.answer(fresh, 'again', now);
    expect(again).toMatchObject({ state: 'learning', reps: 1, last_reviewed_at: now.toISOString() });
    expect(new Date(again.due).getTime() - now.getTime()).toBe(60_000);
    const good = s.answer(fresh, 'good', now);
    expect(new Date(good.due).getTime() - now.getTime()).toBe(10 * 60_000);
    const later = new Date(good.due);
    const graduated = s.answer(good, 'good', later);
    expect(graduated.state).toBe('review');
    expect(graduated.scheduled_days).toBeGreaterThanOrEqual(1);
  });

  it('previews exactly what each answer does, with intervals in seconds', () => {
    const s = createScheduler(settings);
    const previews = s.preview(fresh, now);
    for (const rating of ['again', 'hard', 'good', 'easy'] as const) {
      const result = s.answer(fresh, rating, now);
      expect(previews[rating].due).toBe(result.due);
      expect(previews[rating].intervalSeconds).toBe((new Date(result.due).getTime() - now.getTime()) / 1000);
    }
    expect(previews.again.intervalSeconds).toBeLessThan(previews.easy.intervalSeconds);
  });

  it('schedules longer intervals for a lower desired retention', () => {
    const review = s2(0.9).answer(s2(0.9).answer(fresh, 'easy', now), 'good', new Date('2026-02-20T10:00:00Z'));
    const strict = createScheduler({ ...settings, desiredRetention: 0.97 }).answer(
      review,
      'good',
      new Date('2026-04-01T10:00:00Z'),
    );
    const relaxed = createScheduler({ ...settings, desiredRetention: 0.75 }).answer(
      review,
      'good',
      new Date('2026-04-01T10:00:00Z'),
    );
    expect(relaxed.scheduled_days).toBeGreaterThan(strict.scheduled_days);
  });

  it('sends a forgotten review card to relearning and counts the lapse', () => {
    const s = s2(0.9);
    const review = s.answer(s.answer(fresh, 'easy', now), 'good', new Date('2026-02-20T10:00:00Z'));
    expect(review.state).toBe('review');
    const lapsed = s.answer(review, 'again', new Date('2026-04-01T10:00:00Z'));
    expect(lapsed).toMatchObject({ state: 'relearning', lapses: 1 });
  });

  it('reports retrievability: none for new cards, falling as time passes', () => {
    const s = s2(0.9);
    const review = s.answer(fresh, 'easy', now);
    expect(s.retrievability(fresh, now)).toBe(0);
    const soon = s.retrievability(review, new Date('2026-02-02T10:00:00Z'));
    const late = s.retrievability(review, new Date('2026-06-01T10:00:00Z'));
    expect(soon).toBeGreaterThan(late);
    expect(late).toBeGreaterThan(0);
  });

  it('uses fitted parameters when it is given them', () => {
    const w = [
      0.3, 1.2, 3.1, 15.7, 7.2, 0.5, 1.5, 0.005, 1.5, 0.1, 1.0, 1.9, 0.11, 0.29, 2.3, 0.23, 2.99, 0.52, 0.66, 0.1, 0.15,
    ];
    const fitted = createScheduler({ ...settings, parameters: w }).answer(fresh, 'easy', now);
    const standard = s2(0.9).answer(fresh, 'easy', now);
    expect(fitted.stability).not.toBe(standard.stability);
  });
});

function s2(retention: number) {
  return createScheduler({ ...settings, desiredRetention: retention });
}
