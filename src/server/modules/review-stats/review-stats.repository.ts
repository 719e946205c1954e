import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { MEMORY_COLUMNS, type MemoryState } from '../review/scheduler.js';

export interface StatsScope {
  userId: string;
  language?: string | undefined;
}

export interface StatsSettingsRow {
  day_boundary_hour: number;
  parameters: string | null;
}

/**
 * The minute an ISO time falls in ("YYYY-MM-DDTHH:MM"). Grouping by it bounds the rows read to one per minute
 * while keeping review-day bucketing exact, since every time zone's day boundary falls on a whole minute. The
 * constants are written into the SQL, not bound, so PostgreSQL sees the same expression in SELECT and GROUP BY.
 */
const minuteOf = (column: 'due' | 'reviewed_at'): RawBuilder<string> => sql<string>`substr(${sql.ref(column)}, 1, 16)`;

/** All SQL of review statistics; every read is scoped to one user and, optionally, one language. */
export function createReviewStatsRepository() {
  const cardsOf = (db: Kysely<DB>, scope: StatsScope) => {
    let query = db.selectFrom('cards').where('user_id', '=', scope.userId);
    if (scope.language) query = query.where('language', '=', scope.language);
    return query;
  };
  const dueCardsOf = (db: Kysely<DB>, scope: StatsScope) =>
    cardsOf(db, scope).where('suspended', '=', 0).where('state', '!=', 'new');
  const logsOf = (db: Kysely<DB>, scope: StatsScope, since: string, until: string) => {
    let query = db
      .selectFrom('review_logs')
      .where('user_id', '=', scope.userId)
      .where('reviewed_at', '>=', since)
      .where('reviewed_at', '<', until);
    if (scope.language) query = query.where('language', '=', scope.language);
    return query;
  };

  return {
    /** The settings statistics depend on (day boundary, FSRS weights), or undefined for the defaults. */
    findSettings(db: Kysely<DB>, userId: string): Promise<StatsSettingsRow | undefined> {
      return db
        .selectFrom('review_settings')
        .select(['day_boundary_hour', 'parameters'])
        .where('user_id', '=', userId)
        .executeTakeFirst();
    },

    /** How many cards there are per state and suspension. */
    async cardCounts(
      db: Kysely<DB>,
      scope: StatsScope,
    ): Promise<{ state: MemoryState['state']; suspended: boolean; cards: number }[]> {
      const rows = await cardsOf(db, scope)
        .select((eb) => ['state', 'suspended', eb.fn.countAll().as('cards')])
        .groupBy(['state', 'suspended'])
        .execute();
      return rows.map((r) => ({ state: r.state, suspended: r.suspended !== 0, cards: Number(r.cards) }));
    },

    /** How many studied, unsuspended cards were due before `before`. */
    async countDueBefore(db: Kysely<DB>, scope: StatsScope, before: string): Promise<number> {
      const row = await dueCardsOf(db, scope)
        .select((eb) => eb.fn.countAll().as('cards'))
        .where('due', '<', before)
        .executeTakeFirstOrThrow();
      return Number(row.cards);
    },

    /** Studied, unsuspended cards due in [from, until), per minute of their due time. */
    async dueByMinute(
      db: Kysely<DB>,
      scope: StatsScope,
      from: string,
      until: string,
    ): Promise<{ minute: string; cards: number }[]> {
      const rows = await dueCardsOf(db, scope)
        .select((eb) => [minuteOf('due').as('minute'), eb.fn.countAll().as('cards')])
        .where('due', '>=', from)
        .where('due', '<', until)
        .groupBy(minuteOf('due'))
        .execute();
      return rows.map((r) => ({ minute: r.minute, cards: Number(r.cards) }));
    },

    /** Answers in [since, until), per minute and rating. */
    async answersByMinute(
      db: Kysely<DB>,
      scope: StatsScope,
      since: string,
      until: string,
    ): Promise<{ minute: string; rating: 'again' | 'hard' | 'good' | 'easy'; answers: number }[]> {
      const rows = await logsOf(db, scope, since, until)
        .select((eb) => [minuteOf('reviewed_at').as('minute'), 'rating', eb.fn.countAll().as('answers')])
        .groupBy([minuteOf('reviewed_at'), 'rating'])
        .execute();
      return rows.map((r) => ({ minute: r.minute, rating: r.rating, answers: Number(r.answers) }));
    },

    /**
     * Answers in [since, until) to cards that were in the review state, and how many of them were not "again",
     * per whole days elapsed since the card's previous review.
     */
    async reviewOutcomesByElapsedDays(
      db: Kysely<DB>,
      scope: StatsScope,
      since: string,
      until: string,
    ): Promise<{ elapsedDays: number; reviews: number; passed: number }[]> {
      const rows = await logsOf(db, scope, since, until)
        .select((eb) => [
          'elapsed_days',
          eb.fn.countAll().as('reviews'),
          eb.fn.count(eb.case().when('rating', '!=', 'again').then(1).end()).as('passed'),
        ])
        .where('state_before', '=', 'review')
        .groupBy('elapsed_days')
        .execute();
      return rows.map((r) => ({
        elapsedDays: Number(r.elapsed_days),
        reviews: Number(r.reviews),
        passed: Number(r.passed),
      }));
    },

    /** The memory state (only) of every unsuspended card in the review state. */
    reviewMemories(db: Kysely<DB>, scope: StatsScope): Promise<MemoryState[]> {
      return cardsOf(db, scope)
        .select(MEMORY_COLUMNS)
        .where('suspended', '=', 0)
        .where('state', '=', 'review')
        .execute();
    },
  };
}

export type ReviewStatsRepository = ReturnType<typeof createReviewStatsRepository>;
