import { randomUUID } from 'node:crypto';
import { generatorParameters } from 'ts-fsrs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewStats } from '../../../shared/review-stats.js';
import { testDatabases } from '../../test/databases.js';
import { absorbCookies, registerUser, startTestApp, type TestApp, type TestUser } from '../../test/harness.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const SETTINGS = {
  desiredRetention: 0.9,
  newCardsPerDay: 20,
  maxReviewsPerDay: 200,
  learningSteps: '1m 10m',
  relearningSteps: '10m',
  dayBoundaryHour: 4,
};

describe.each(testDatabases())('review statistics on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  async function addCards(user: TestUser, count: number, language = 'es') {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const term = `palabra${i}-${randomUUID().slice(0, 8)}`;
      const res = await user.request('POST', '/api/cards', { language, term, translation: `word ${i}` });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    return ids;
  }

  async function answer(user: TestUser, cardId: string, rating: string) {
    const res = await user.request('POST', '/api/review/answers', {
      answerId: randomUUID(),
      cardId,
      rating,
      durationMs: 2000,
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  async function stats(user: TestUser, query = ''): Promise<ReviewStats> {
    const res = await user.request('GET', `/api/review/stats${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  /** Moves the clock far ahead and signs the learner in again, as their browser session has expired by then. */
  async function travel(user: TestUser, to: string) {
    t.clock.set(to);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expect(res.statusCode, res.body).toBe(200);
    user.cookies = {};
    absorbCookies(user.cookies, res);
  }

  /** Moves a card's due time to an exact instant, to pin it to a review-day boundary. */
  const setDue = (cardId: string, due: string) =>
    t.database.db.updateTable('cards').set({ due }).where('id', '=', cardId).execute();

  const suspend = async (user: TestUser, cardId: string) =>
    expect((await user.request('PATCH', `/api/cards/${cardId}`, { suspended: true })).statusCode).toBe(200);

  it('refuses callers who are not signed in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/review/stats' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });

  it('refuses an unknown language', async () => {
    const user = await registerUser(t.app);
    const res = await user.request('GET', '/api/review/stats?language=xx');
    expect(res.statusCode).toBe(400);
  });

  it('answers empty statistics for a new learner, never counting another learner’s cards', async () => {
    t.clock.set('2026-01-10T12:00:00.000Z');
    const other = await registerUser(t.app);
    const [a, b] = await addCards(other, 3);
    await answer(other, a!, 'easy');
    await answer(other, b!, 'again');

    const user = await registerUser(t.app);
    const s = await stats(user);
    expect(s.forecast).toHaveLength(30);
    expect(s.forecast.every((d) => d.due === 0)).toBe(true);
    expect(s.reviewsPerDay).toHaveLength(90);
    expect(s.reviewsPerDay.every((d) => d.total === 0)).toBe(true);
    expect(s.retention).toEqual([
      { band: 'lt1', label: '< 1 day', reviews: 0, passed: 0, retention: null },
      { band: '1to7', label: '1–7 days', reviews: 0, passed: 0, retention: null },
      { band: '7to30', label: '7–30 days', reviews: 0, passed: 0, retention: null },
      { band: 'gt30', label: '> 30 days', reviews: 0, passed: 0, retention: null },
    ]);
    expect(s.counts).toEqual({ new: 0, learning: 0, review: 0, relearning: 0, suspended: 0, total: 0 });
    expect(s.averageRetrievability).toBeNull();

    const theirs = await stats(other);
    expect(theirs.counts.total).toBe(3);
    expect(theirs.reviewsPerDay.at(-1)!.total).toBe(2);
  });

  describe('forecast', () => {
    it('counts due cards per review day from today, overdue ones today, by the day boundary', async () => {
      t.clock.set('2026-01-10T17:00:00.000Z'); // 12:00 on Jan 10 in New York (UTC-5)
      const user = await registerUser(t.app, { timezone: 'America/New_York' });
      const [overdue, before4am, at4am, learning, , suspended, lastDay, beyond] = await addCards(user, 8);
      for (const id of [overdue, before4am, at4am, suspended, lastDay, beyond]) await answer(user, id!, 'easy');
      await answer(user, learning!, 'again'); // learning, due in a minute: today
      await suspend(user, suspended!);
      await setDue(overdue!, '2026-01-02T12:00:00.000Z');
      await setDue(suspended!, '2026-01-10T18:00:00.000Z');
      await setDue(before4am!, '2026-01-12T08:59:00.000Z'); // 03:59 on Jan 12: still the review day of Jan 11
      await setDue(at4am!, '2026-01-12T09:00:00.000Z'); // 04:00 on Jan 12: the review day of Jan 12
      await setDue(lastDay!, '2026-02-09T08:59:59.999Z'); // the last minute of the 30th day (Feb 8)
      await setDue(beyond!, '2026-02-09T09:00:00.000Z'); // the 31st day: not in the forecast

      const { forecast } = await stats(user);
      expect(forecast).toHaveLength(30);
      expect(forecast[0]).toEqual({ date: '2026-01-10', due: 2 });
      expect(forecast[1]).toEqual({ date: '2026-01-11', due: 1 });
      expect(forecast[2]).toEqual({ date: '2026-01-12', due: 1 });
      expect(forecast[29]).toEqual({ date: '2026-02-08', due: 1 });
      expect(forecast.reduce((sum, d) => sum + d.due, 0)).toBe(5);
    });

    it('keeps one entry per local day across a daylight-saving change', async () => {
      t.clock.set('2026-03-01T17:00:00.000Z'); // New York moves to UTC-4 on Mar 8
      const user = await registerUser(t.app, { timezone: 'America/New_York' });
      const [card] = await addCards(user, 1);
      await answer(user, card!, 'easy');
      await setDue(card!, '2026-03-09T07:30:00.000Z'); // 03:30 EDT on Mar 9: the review day of Mar 8

      const { forecast } = await stats(user);
      expect(forecast.map((d) => d.date)).toEqual(
        Array.from({ length: 30 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`),
      );
      expect(forecast.find((d) => d.due > 0)).toEqual({ date: '2026-03-08', due: 1 });
    });
  });

  describe('reviews per day', () => {
    it('counts answers by rating per review day in the learner’s time zone, the last 90 days only', async () => {
      t.clock.set('2025-10-01T00:00:00.000Z');
      const user = await registerUser(t.app, { timezone: 'Asia/Tokyo' }); // UTC+9
      const cards = await addCards(user, 6);
      t.clock.set('2025-10-12T18:59:00.000Z'); // 03:59 on Oct 13 in Tokyo: review day Oct 12, 91 days back
      await answer(user, cards[0]!, 'good');
      t.clock.set('2025-10-12T19:00:00.000Z'); // 04:00 on Oct 13: the first day shown
      await answer(user, cards[1]!, 'hard');
      await travel(user, '2026-01-09T18:30:00.000Z'); // 03:30 on Jan 10: still Jan 9
      await answer(user, cards[2]!, 'again');
      await answer(user, cards[3]!, 'good');
      t.clock.set('2026-01-09T19:30:00.000Z'); // 04:30 on Jan 10
      await answer(user, cards[4]!, 'easy');
      await answer(user, cards[5]!, 'hard');
      await answer(user, cards[2]!, 'again');
      t.clock.set('2026-01-10T03:00:00.000Z'); // noon on Jan 10

      const { reviewsPerDay } = await stats(user);
      expect(reviewsPerDay).toHaveLength(90);
      expect(reviewsPerDay[0]).toEqual({ date: '2025-10-13', again: 0, hard: 1, good: 0, easy: 0, total: 1 });
      expect(reviewsPerDay[88]).toEqual({ date: '2026-01-09', again: 1, hard: 0, good: 1, easy: 0, total: 2 });
      expect(reviewsPerDay[89]).toEqual({ date: '2026-01-10', again: 1, hard: 1, good: 0, easy: 1, total: 3 });
      expect(reviewsPerDay.reduce((sum, d) => sum + d.total, 0)).toBe(6);

      // With days starting at midnight, the 03:30 answers belong to Jan 10.
      await user.request('PUT', '/api/review/settings', { ...SETTINGS, dayBoundaryHour: 0 });
      const midnight = (await stats(user)).reviewsPerDay;
      expect(midnight[88]).toEqual({ date: '2026-01-09', again: 0, hard: 0, good: 0, easy: 0, total: 0 });
      expect(midnight[89]).toEqual({ date: '2026-01-10', again: 2, hard: 1, good: 1, easy: 1, total: 5 });
    });
  });

  describe('retention', () => {
    it('gives true retention of review-state answers by the days since the previous review', async () => {
      t.clock.set('2026-01-05T09:00:00.000Z');
      const user = await registerUser(t.app, { timezone: 'UTC' });
      const [sameDay, lapsed, oneDay, sixA, sixB, seven, thirtyA, thirtyB] = await addCards(user, 8);
      for (const id of [sameDay, lapsed, oneDay, sixA, sixB, seven, thirtyA, thirtyB]) await answer(user, id!, 'easy');
      t.clock.advance(HOUR);
      await answer(user, sameDay!, 'good'); // < 1 day, passed
      await answer(user, lapsed!, 'again'); // < 1 day, failed: now relearning
      t.clock.advance(10 * 60_000);
      await answer(user, lapsed!, 'good'); // relearning before: not counted
      t.clock.set('2026-01-06T09:00:00.000Z');
      await answer(user, oneDay!, 'good'); // 1 day
      t.clock.set('2026-01-11T09:00:00.000Z');
      await answer(user, sixA!, 'hard'); // 6 days, passed
      await answer(user, sixB!, 'again'); // 6 days, failed
      t.clock.set('2026-01-12T09:00:00.000Z');
      await answer(user, seven!, 'easy'); // 7 days
      await travel(user, '2026-02-04T09:00:00.000Z');
      await answer(user, thirtyA!, 'again'); // 30 days, failed
      await answer(user, thirtyB!, 'good'); // 30 days, passed

      const { retention } = await stats(user);
      expect(retention).toEqual([
        { band: 'lt1', label: '< 1 day', reviews: 2, passed: 1, retention: 0.5 },
        { band: '1to7', label: '1–7 days', reviews: 3, passed: 2, retention: 2 / 3 },
        { band: '7to30', label: '7–30 days', reviews: 1, passed: 1, retention: 1 },
        { band: 'gt30', label: '> 30 days', reviews: 2, passed: 1, retention: 0.5 },
      ]);
    });
  });

  describe('counts and retrievability', () => {
    it('counts cards per state, suspended ones only as suspended', async () => {
      t.clock.set('2026-01-05T09:00:00.000Z');
      const user = await registerUser(t.app);
      const [, , learning, review, relearning, suspendedReview, suspendedNew] = await addCards(user, 7);
      await answer(user, learning!, 'again');
      await answer(user, review!, 'easy');
      await answer(user, relearning!, 'easy');
      await answer(user, suspendedReview!, 'easy');
      t.clock.advance(DAY);
      await answer(user, relearning!, 'again');
      await suspend(user, suspendedReview!);
      await suspend(user, suspendedNew!);

      expect((await stats(user)).counts).toEqual({
        new: 2,
        learning: 1,
        review: 1,
        relearning: 1,
        suspended: 2,
        total: 7,
      });
    });

    it('averages predicted recall over unsuspended review cards, falling as time passes', async () => {
      t.clock.set('2026-01-05T09:00:00.000Z');
      const user = await registerUser(t.app);
      const [learning, strong, weak, suspended] = await addCards(user, 4);
      await answer(user, learning!, 'good');
      expect((await stats(user)).averageRetrievability).toBeNull();

      await answer(user, strong!, 'easy');
      await answer(user, weak!, 'easy');
      expect((await stats(user)).averageRetrievability).toBe(1); // just reviewed
      t.clock.advance(3 * DAY);
      await answer(user, weak!, 'again');
      await answer(user, weak!, 'good'); // relearned: back in review with a lower stability
      await answer(user, suspended!, 'easy');
      await suspend(user, suspended!);
      t.clock.advance(2 * DAY);

      const first = (await stats(user)).averageRetrievability!;
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(1);
      t.clock.advance(20 * DAY);
      const later = (await stats(user)).averageRetrievability!;
      expect(later).toBeGreaterThan(0);
      expect(later).toBeLessThan(first);

      // Fitted weights with a steeper forgetting curve predict less recall.
      await user.request('PUT', '/api/review/settings', SETTINGS);
      const w = [...generatorParameters().w];
      w[20] = 0.8;
      await t.database.db
        .updateTable('review_settings')
        .set({ parameters: JSON.stringify(w) })
        .where('user_id', '=', user.id)
        .execute();
      expect((await stats(user)).averageRetrievability).not.toBeCloseTo(later, 3);
    });
  });

  it('limits every figure to one language when asked', async () => {
    t.clock.set('2026-01-05T09:00:00.000Z');
    const user = await registerUser(t.app, { timezone: 'UTC' });
    const [es1, es2] = await addCards(user, 2, 'es');
    const [fr1, fr2, fr3] = await addCards(user, 3, 'fr');
    for (const id of [es1, es2, fr1, fr2]) await answer(user, id!, 'easy');
    t.clock.advance(2 * DAY);
    await answer(user, fr1!, 'again');
    await answer(user, es1!, 'good');
    await suspend(user, fr3!);

    const fr = await stats(user, '?language=fr');
    expect(fr.counts).toEqual({ new: 0, learning: 0, review: 1, relearning: 1, suspended: 1, total: 3 });
    expect(fr.reviewsPerDay.reduce((sum, d) => sum + d.total, 0)).toBe(3);
    expect(fr.retention[1]).toMatchObject({ band: '1to7', reviews: 1, passed: 0 });
    expect(fr.forecast.reduce((sum, d) => sum + d.due, 0)).toBe(2);

    const es = await stats(user, '?language=es');
    expect(es.counts).toEqual({ new: 0, learning: 0, review: 2, relearning: 0, suspended: 0, total: 2 });
    expect(es.retention[1]).toMatchObject({ band: '1to7', reviews: 1, passed: 1 });
    expect(es.averageRetrievability).not.toBeNull();

    const all = await stats(user);
    expect(all.counts.total).toBe(5);
    expect(all.reviewsPerDay.reduce((sum, d) => sum + d.total, 0)).toBe(6);
    expect(all.retention[1]).toMatchObject({ reviews: 2, passed: 1 });
    expect(all.forecast.reduce((sum, d) => sum + d.due, 0)).toBe(4);

    expect((await stats(user, '?language=de')).counts.total).toBe(0);
  });
});
