import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RatingName } from '../../../shared/review.js';
import type { ReviewLogsTable } from '../../db/schema.js';
import { testDatabases } from '../../test/databases.js';
import { registerUser, startTestApp, type TestApp, type TestUser } from '../../test/harness.js';

const DAY = 24 * 3600_000;

/** A seeded pseudo-random number generator (LCG), so the synthetic histories are the same on every run. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Review histories of a simulated learner whose memory follows the FSRS power forgetting curve,
 * R = (1 + t / (9 S))^-1, with stability growing on recall and shrinking on a lapse, and who answers
 * according to a seeded draw against R. The reviews are spaced around the current stability, so a fit has
 * something to learn.
 */
function simulate(cards: number, reviewsPerCard: number, seed = 7) {
  const random = seeded(seed);
  const start = Date.parse('2025-06-01T09:00:00.000Z');
  return Array.from({ length: cards }, (_, c) => {
    let at = start + c * 0.5 * DAY;
    let stability = 1.5 + random() * 2;
    const reviews: { rating: RatingName; at: number }[] = [{ rating: random() < 0.25 ? 'again' : 'good', at }];
    for (let i = 1; i < reviewsPerCard; i += 1) {
      const days = Math.max(1, Math.round(stability * (0.5 + random())));
      at += days * DAY + Math.floor(random() * 3600_000);
      const recalled = random() < 1 / (1 + days / (9 * stability));
      const rating: RatingName = recalled ? (random() < 0.15 ? 'easy' : 'good') : 'again';
      reviews.push({ rating, at });
      stability = recalled ? stability * (2.2 + random()) : Math.max(0.5, stability * 0.3);
    }
    return reviews;
  });
}

describe.each(testDatabases())('the FSRS optimiser on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Writes cards and their review logs straight into the database, as if the learner had reviewed them. */
  async function seedReviews(user: { id: string }, cards: number, reviewsPerCard: number, app: TestApp = t) {
    const histories = simulate(cards, reviewsPerCard);
    let seq = 0;
    const logs: Insertable<ReviewLogsTable>[] = [];
    const cardRows = histories.map((history, c) => {
      const id = randomUUID();
      const created = new Date(history[0]!.at).toISOString();
      const last = new Date(history[history.length - 1]!.at).toISOString();
      history.forEach((review, i) => {
        seq += 1;
        logs.push({
          id: randomUUID(),
          user_id: user.id,
          card_id: id,
          answer_id: randomUUID(),
          seq,
          language: 'es',
          rating: review.rating,
          state_before: i === 0 ? 'new' : 'review',
          elapsed_days: i === 0 ? 0 : Math.floor((review.at - history[i - 1]!.at) / DAY),
          scheduled_days: 0,
          reviewed_at: new Date(review.at).toISOString(),
          duration_ms: 3000,
          card_before: '{}',
          card_after: '{}',
          learning_session_id: null,
        });
      });
      return {
        id,
        user_id: user.id,
        language: 'es',
        term: `palabra ${c}`,
        term_key: `palabra ${c}`,
        translation: `word ${c}`,
        part_of_speech: null,
        context_sentence: null,
        context_translation: null,
        notes: null,
        tags: '[]',
        source: 'manual',
        source_id: null,
        search_text: `palabra ${c} word ${c}`,
        suspended: 0,
        encounters: 1,
        state: 'review' as const,
        due: last,
        stability: 10,
        difficulty: 5,
        elapsed_days: 0,
        scheduled_days: 10,
        learning_steps: 0,
        reps: history.length,
        lapses: 0,
        last_reviewed_at: last,
        created_at: created,
        updated_at: last,
      };
    });
    const db = app.database.db;
    for (let i = 0; i < cardRows.length; i += 100)
      await db
        .insertInto('cards')
        .values(cardRows.slice(i, i + 100))
        .execute();
    for (let i = 0; i < logs.length; i += 100)
      await db
        .insertInto('review_logs')
        .values(logs.slice(i, i + 100))
        .execute();
    return logs.length;
  }

  const status = async (user: TestUser) => {
    const res = await user.request('GET', '/api/review/optimize/status');
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('answers 401 to a caller who is not signed in', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/review/optimize' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/review/optimize/status' })).statusCode).toBe(401);
  });

  it('has no job before the first optimisation', async () => {
    const user = await registerUser(t.app);
    expect(await status(user)).toEqual({ job: null });
  });

  it('keeps the defaults with fewer than 400 reviews and says why', async () => {
    const user = await registerUser(t.app);
    expect(await seedReviews(user, 50, 7)).toBe(350);
    const res = await user.request('POST', '/api/review/optimize');
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().job).toMatchObject({
      status: 'skipped',
      progress: 1,
      startedAt: t.clock.now().toISOString(),
      finishedAt: t.clock.now().toISOString(),
      result: null,
    });
    expect(res.json().job.message).toMatch(/350 reviews.*at least 400/);
    expect(await status(user)).toEqual(res.json());
    expect((await user.request('GET', '/api/review/settings')).json().personalisedParameters).toBe(false);
  });

  it('fits the parameters in the background, one job at a time, adopting them only if they predict better', async () => {
    const user = await registerUser(t.app);
    const other = await registerUser(t.app);
    // Enough reviews that the fit is still under way when the second request arrives, even on a fast machine.
    expect(await seedReviews(user, 1500, 7)).toBe(10_500);

    const began = performance.now();
    const first = await user.request('POST', '/api/review/optimize');
    expect(first.statusCode, first.body).toBe(202);
    expect(['queued', 'running']).toContain(first.json().job.status);
    const second = await user.request('POST', '/api/review/optimize');
    expect(second.statusCode).toBe(202);
    expect(['queued', 'running']).toContain(second.json().job.status);
    expect(second.json().job.startedAt).toBe(first.json().job.startedAt);
    expect(await status(other)).toEqual({ job: null });

    const done = await vi.waitFor(
      async () => {
        const { job } = await status(user);
        if (job.status === 'failed') throw new Error(`the job failed: ${job.message}`);
        expect(job.status).toBe('done');
        return job;
      },
      { timeout: 30_000, interval: 50 },
    );
    console.info(
      `[optimizer] ${kind.name}: 10,500 reviews fitted in ${Math.round(performance.now() - began)} ms, ` +
        `adopted ${String(done.result.adopted)}`,
    );

    expect(done.progress).toBe(1);
    const result = done.result;
    expect(result.reviews).toBe(10_500);
    for (const metrics of [result.defaultMetrics, result.fittedMetrics]) {
      expect(Number.isFinite(metrics.logLoss)).toBe(true);
      expect(Number.isFinite(metrics.rmseBins)).toBe(true);
      expect(metrics.logLoss).toBeGreaterThan(0);
    }
    expect(result.adopted).toBe(result.fittedMetrics.logLoss < result.defaultMetrics.logLoss);
    if (result.adopted) {
      expect(result.parameters).toHaveLength(21);
      expect(result.parameters.every(Number.isFinite)).toBe(true);
    } else {
      expect(result.parameters).toBeUndefined();
    }
    const settings = (await user.request('GET', '/api/review/settings')).json();
    expect(settings.personalisedParameters).toBe(result.adopted);
    expect(settings.desiredRetention).toBe(0.9);
    expect((await other.request('GET', '/api/review/settings')).json().personalisedParameters).toBe(false);
    expect(await status(other)).toEqual({ job: null });
  });

  it('stops a running fit cleanly when the app closes', async () => {
    const own = await startTestApp(kind);
    try {
      const user = await registerUser(own.app);
      // 10,500 reviews: the fit takes a few hundred ms, so it is still under way when the app closes (with 560 it
      // could finish before the POST had answered on a fast machine).
      await seedReviews(user, 1500, 7, own);
      const res = await user.request('POST', '/api/review/optimize');
      expect(['queued', 'running']).toContain(res.json().job.status);
      await own.app.close();
      const row = await own.database.db
        .selectFrom('optimizer_jobs')
        .selectAll()
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
      expect(row.message).toMatch(/server stopped/);
      const settings = await own.database.db
        .selectFrom('review_settings')
        .selectAll()
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      expect(settings?.parameters ?? null).toBeNull();
    } finally {
      await own.database.close();
    }
  });
});
