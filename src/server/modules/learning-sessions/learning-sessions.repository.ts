import type { Kysely, Selectable } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB, LearningSessionsTable } from '../../db/schema.js';

export type LearningSessionRow = Selectable<LearningSessionsTable>;

export interface ListFilter {
  userId: string;
  type?: string | undefined;
  language?: string | undefined;
  status?: 'active' | 'completed' | undefined;
  /** Keyset position: only sessions strictly after this one in (started_at desc, id desc) order. */
  after?: { at: string; id: string } | undefined;
  limit: number;
}

export interface TypeTotalsRow {
  type: string;
  count: number;
  totalSeconds: number;
  itemsStudied: number;
  itemsCorrect: number;
  itemsIncorrect: number;
}

/** All SQL of the learning-session ledger. Every read is scoped to one user. */
export function createLearningSessionsRepository(dialect: Dialect) {
  return {
    insert(db: Kysely<DB>, row: LearningSessionRow): Promise<unknown> {
      return db.insertInto('learning_sessions').values(row).execute();
    },

    find(db: Kysely<DB>, userId: string, id: string): Promise<LearningSessionRow | undefined> {
      return db
        .selectFrom('learning_sessions')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
    },

    /** As `find`, locking the row until the transaction ends (PostgreSQL; SQLite's write transaction already holds the lock). */
    findForUpdate(db: Kysely<DB>, userId: string, id: string): Promise<LearningSessionRow | undefined> {
      const query = db.selectFrom('learning_sessions').selectAll().where('id', '=', id).where('user_id', '=', userId);
      return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
    },

    /** The user's active session of this type and language, the most recent if there were several. */
    findActive(
      db: Kysely<DB>,
      userId: string,
      type: string,
      language: string,
    ): Promise<LearningSessionRow | undefined> {
      return db
        .selectFrom('learning_sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('status', '=', 'active')
        .where('type', '=', type)
        .where('language', '=', language)
        .orderBy('started_at', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    findByIdempotencyKey(db: Kysely<DB>, userId: string, key: string): Promise<LearningSessionRow | undefined> {
      return db
        .selectFrom('learning_sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
    },

    update(db: Kysely<DB>, row: LearningSessionRow): Promise<unknown> {
      const { id, user_id: userId, ...changes } = row;
      return db
        .updateTable('learning_sessions')
        .set(changes)
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .execute();
    },

    list(db: Kysely<DB>, f: ListFilter): Promise<LearningSessionRow[]> {
      let query = db.selectFrom('learning_sessions').selectAll().where('user_id', '=', f.userId);
      if (f.type) query = query.where('type', '=', f.type);
      if (f.language) query = query.where('language', '=', f.language);
      if (f.status) query = query.where('status', '=', f.status);
      const after = f.after;
      if (after) {
        query = query.where((eb) =>
          eb.or([eb('started_at', '<', after.at), eb.and([eb('started_at', '=', after.at), eb('id', '<', after.id)])]),
        );
      }
      return query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
    },

    /** Totals per type of the user's completed sessions started in [from, to). */
    async totalsByType(
      db: Kysely<DB>,
      userId: string,
      from: string | null,
      to: string | null,
    ): Promise<TypeTotalsRow[]> {
      let query = db
        .selectFrom('learning_sessions')
        .select((eb) => [
          'type',
          eb.fn.countAll().as('count'),
          eb.fn.sum('duration_seconds').as('total_seconds'),
          eb.fn.sum('items_studied').as('items_studied'),
          eb.fn.sum('items_correct').as('items_correct'),
          eb.fn.sum('items_incorrect').as('items_incorrect'),
        ])
        .where('user_id', '=', userId)
        .where('status', '=', 'completed');
      if (from) query = query.where('started_at', '>=', from);
      if (to) query = query.where('started_at', '<', to);
      const rows = await query.groupBy('type').execute();
      // PostgreSQL answers sums and counts as strings (bigint/numeric); SQLite as numbers.
      return rows.map((r) => ({
        type: r.type,
        count: Number(r.count),
        totalSeconds: Number(r.total_seconds),
        itemsStudied: Number(r.items_studied),
        itemsCorrect: Number(r.items_correct),
        itemsIncorrect: Number(r.items_incorrect),
      }));
    },

    /** Start time and duration of the user's completed sessions started in [from, to). */
    completedBetween(
      db: Kysely<DB>,
      userId: string,
      from: string,
      to: string,
    ): Promise<{ started_at: string; duration_seconds: number }[]> {
      return db
        .selectFrom('learning_sessions')
        .select(['started_at', 'duration_seconds'])
        .where('user_id', '=', userId)
        .where('status', '=', 'completed')
        .where('started_at', '>=', from)
        .where('started_at', '<', to)
        .execute();
    },

    /** Active sessions whose last activity is before `before`, oldest first. */
    findIdle(db: Kysely<DB>, before: string, limit: number): Promise<LearningSessionRow[]> {
      return db
        .selectFrom('learning_sessions')
        .selectAll()
        .where('status', '=', 'active')
        .where('last_activity_at', '<', before)
        .orderBy('last_activity_at')
        .limit(limit)
        .execute();
    },

    /** Closes one idle session, unless something else completed or touched it meanwhile; answers whether it did. */
    async closeIdle(db: Kysely<DB>, row: LearningSessionRow, expectedActivity: string): Promise<boolean> {
      const result = await db
        .updateTable('learning_sessions')
        .set({
          status: 'completed',
          ended_at: row.ended_at,
          duration_seconds: row.duration_seconds,
          metadata: row.metadata,
        })
        .where('id', '=', row.id)
        .where('status', '=', 'active')
        .where('last_activity_at', '=', expectedActivity)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type LearningSessionsRepository = ReturnType<typeof createLearningSessionsRepository>;
