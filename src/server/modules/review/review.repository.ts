import { type Kysely, type Selectable, sql } from 'kysely';
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

    /**
     * The ids of the `take` review cards most overdue relative to their stability — (now − due) in days ÷
     * max(stability, 0.01), ties in due order — among the `scan` earliest due before `dayEnd`. The scan reads
     * cards_user_queue_idx alone and the ordering happens in the database: turning up to 5,000 scanned rows into
     * JavaScript objects only to keep 50 cost more than the rest of the queue together.
     */
    async mostOverdueReviewIds(
      db: Kysely<DB>,
      scope: QueueScope,
      now: string,
      dayEnd: string,
      scan: number,
      take: number,
    ): Promise<string[]> {
      const scanned = cardsOf(db, scope)
        .select(['id', 'due', 'stability'])
        .where('state', '=', 'review')
        .where('due', '<', dayEnd)
        .orderBy('due')
        .orderBy('id')
        .limit(scan)
        .as('scanned');
      const overdueDays =
        dialect === 'postgres'
          ? sql`extract(epoch from (${now}::timestamptz - scanned.due::timestamptz)) / 86400`
          : sql`julianday(${now}) - julianday(scanned.due)`;
      const floor = dialect === 'postgres' ? sql`greatest(scanned.stability, 0.01)` : sql`max(scanned.stability, 0.01)`;
      const rows = await db
        .selectFrom(scanned)
        .select('scanned.id')
        .orderBy(sql`(${overdueDays}) / ${floor}`, 'desc')
        .orderBy('scanned.due')
        .orderBy('scanned.id')
        .limit(take)
        .execute();
      return rows.map((row) => row.id);
    },

    /**
     * The user's cards with these ids, in no particular order. By id alone, then checked for the user: see
     * findByIds in cards.repository.ts for why `user_id = ?` stays out of the SQL.
     */
    async cardsByIds(db: Kysely<DB>, userId: string, ids: readonly string[]): Promise<CardRow[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('cards').selectAll().where('id', 'in', ids).execute();
      return rows.filter((row) => row.user_id === userId);
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

    /**
     * How many cards are due in each group — learning by `now`, review before `dayEnd`, and new — with the review
     * and new counts capped at what today's limits still allow (`caps`): counting stops there, so a learner with
     * 20,000 cards due and 200 reviews left has 200 index entries counted, not 20,000. Range counts over
     * cards_user_queue_idx, which answers them without reading a card.
     */
    async dueCounts(
      db: Kysely<DB>,
      scope: QueueScope,
      now: string,
      dayEnd: string,
      caps: { review: number; new: number },
    ): Promise<{ learning: number; review: number; new: number }> {
      const count = async (query: ReturnType<typeof cardsOf>, cap?: number) => {
        if (cap === 0) return 0;
        const rows = cap === undefined ? query.select('id') : query.select('id').limit(cap);
        const row = await db
          .selectFrom(rows.as('due'))
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        return Number(row.n);
      };
      const learning = await count(
        cardsOf(db, scope).where('state', 'in', ['learning', 'relearning']).where('due', '<=', now),
      );
      const review = await count(
        cardsOf(db, scope).where('state', '=', 'review').where('due', '<', dayEnd),
        caps.review,
      );
      const fresh = await count(cardsOf(db, scope).where('state', '=', 'new'), caps.new);
      return { learning, review, new: fresh };
    },

    /** Which groups have at least one card: learning due by `learnBy`, review due before `dayEnd`, new. */
    async anyDue(
      db: Kysely<DB>,
      scope: QueueScope,
      learnBy: string,
      dayEnd: string,
    ): Promise<{ learning: boolean; review: boolean; new: boolean }> {
      const exists = async (query: ReturnType<typeof cardsOf>) =>
        (await query.select('id').limit(1).executeTakeFirst()) !== undefined;
      const learning = await exists(
        cardsOf(db, scope).where('state', 'in', ['learning', 'relearning']).where('due', '<=', learnBy),
      );
      const review = await exists(cardsOf(db, scope).where('state', '=', 'review').where('due', '<', dayEnd));
      const fresh = await exists(cardsOf(db, scope).where('state', '=', 'new'));
      return { learning, review, new: fresh };
    },
  };
}

export type ReviewRepository = ReturnType<typeof createReviewRepository>;
