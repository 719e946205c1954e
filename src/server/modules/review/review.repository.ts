import type { Kysely, Selectable } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { CardsTable, DB, ReviewLogsTable, ReviewSettingsTable } from '../../db/schema.js';
import type { MemoryState } from './scheduler.js';

export type CardRow = Selectable<CardsTable>;
export type ReviewLogRow = Selectable<ReviewLogsTable>;
export type ReviewSettingsRow = Selectable<ReviewSettingsTable>;

export interface QueueScope {
  userId: string;
  language?: string | undefined;
}

/** Review cap: at most this many due review cards are read to order by overdueness. */
export const REVIEW_SCAN_LIMIT = 5000;

/** All SQL of reviewing: settings, the due queue, memory-state updates and the review log. */
export function createReviewRepository(dialect: Dialect) {
  const cardsOf = (db: Kysely<DB>, scope: QueueScope) => {
    let query = db.selectFrom('cards').where('user_id', '=', scope.userId).where('suspended', '=', 0);
    if (scope.language) query = query.where('language', '=', scope.language);
    return query;
  };

  return {
    findSettings(db: Kysely<DB>, userId: string): Promise<ReviewSettingsRow | undefined> {
      return db.selectFrom('review_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
    },

    async saveSettings(db: Kysely<DB>, row: ReviewSettingsRow): Promise<void> {
      const { user_id: _userId, ...changes } = row;
      await db
        .insertInto('review_settings')
        .values(row)
        .onConflict((oc) => oc.column('user_id').doUpdateSet(changes))
        .execute();
    },

    /**
     * Serialises one user's answers and undos: on PostgreSQL by locking the user's row; on SQLite the write
     * transaction already holds the database's write lock.
     */
    async lockUser(db: Kysely<DB>, userId: string): Promise<void> {
      if (dialect === 'postgres')
        await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
    },

    findCard(db: Kysely<DB>, userId: string, cardId: string): Promise<CardRow | undefined> {
      return db
        .selectFrom('cards')
        .selectAll()
        .where('id', '=', cardId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
    },

    async saveMemory(db: Kysely<DB>, cardId: string, memory: MemoryState, updatedAt: string): Promise<void> {
      await db
        .updateTable('cards')
        .set({ ...memory, updated_at: updatedAt })
        .where('id', '=', cardId)
        .execute();
    },

    findLogByAnswerId(db: Kysely<DB>, userId: string, answerId: string): Promise<ReviewLogRow | undefined> {
      return db
        .selectFrom('review_logs')
        .selectAll()
        .where('user_id', '=', userId)
        .where('answer_id', '=', answerId)
        .executeTakeFirst();
    },

    /** The user's latest answer, or only the latest since `since`. */
    latestLog(db: Kysely<DB>, userId: string, since?: string): Promise<ReviewLogRow | undefined> {
      let query = db.selectFrom('review_logs').selectAll().where('user_id', '=', userId);
      if (since) query = query.where('reviewed_at', '>=', since);
      return query.orderBy('seq', 'desc').limit(1).executeTakeFirst();
    },

    insertLog(db: Kysely<DB>, row: ReviewLogRow): Promise<unknown> {
      return db.insertInto('review_logs').values(row).execute();
    },

    deleteLog(db: Kysely<DB>, id: string): Promise<unknown> {
      return db.deleteFrom('review_logs').where('id', '=', id).execute();
    },

    /** New cards introduced and other reviews done by the user in [since, until). */
    async answeredBetween(
      db: Kysely<DB>,
      scope: QueueScope,
      since: string,
      until: string,
    ): Promise<{ newIntroduced: number; reviews: number }> {
      let query = db
        .selectFrom('review_logs')
        .select((eb) => [
          eb.fn.countAll().as('total'),
          eb.fn.count(eb.case().when('state_before', '=', 'new').then(1).end()).as('introduced'),
        ])
        .where('user_id', '=', scope.userId)
        .where('reviewed_at', '>=', since)
        .where('reviewed_at', '<', until);
      if (scope.language) query = query.where('language', '=', scope.language);
      const row = await query.executeTakeFirstOrThrow();
      const introduced = Number(row.introduced);
      return { newIntroduced: introduced, reviews: Number(row.total) - introduced };
    },

    /** Learning and relearning cards due by `now`, soonest first. */
    dueLearning(db: Kysely<DB>, scope: QueueScope, now: string, limit: number): Promise<CardRow[]> {
      return cardsOf(db, scope)
        .selectAll()
        .where('state', 'in', ['learning', 'relearning'])
        .where('due', '<=', now)
        .orderBy('due')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** Review cards due before `dayEnd`, earliest due first. */
    dueReviews(db: Kysely<DB>, scope: QueueScope, dayEnd: string, limit: number): Promise<CardRow[]> {
      return cardsOf(db, scope)
        .selectAll()
        .where('state', '=', 'review')
        .where('due', '<', dayEnd)
        .orderBy('due')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** New cards, oldest first. */
    newCards(db: Kysely<DB>, scope: QueueScope, limit: number): Promise<CardRow[]> {
      return cardsOf(db, scope)
        .selectAll()
        .where('state', '=', 'new')
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** How many cards are due in each group (learning by `now`, review before `dayEnd`, and new). */
    async dueCounts(
      db: Kysely<DB>,
      scope: QueueScope,
      now: string,
      dayEnd: string,
    ): Promise<{ learning: number; review: number; new: number }> {
      const row = await cardsOf(db, scope)
        .select((eb) => [
          eb.fn
            .count(
              eb
                .case()
                .when(eb.and([eb('state', 'in', ['learning', 'relearning']), eb('due', '<=', now)]))
                .then(1)
                .end(),
            )
            .as('learning'),
          eb.fn
            .count(
              eb
                .case()
                .when(eb.and([eb('state', '=', 'review'), eb('due', '<', dayEnd)]))
                .then(1)
                .end(),
            )
            .as('review'),
          eb.fn.count(eb.case().when('state', '=', 'new').then(1).end()).as('new'),
        ])
        .executeTakeFirstOrThrow();
      return { learning: Number(row.learning), review: Number(row.review), new: Number(row.new) };
    },
  };
}

export type ReviewRepository = ReturnType<typeof createReviewRepository>;
