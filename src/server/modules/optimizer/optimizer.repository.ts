import type { Kysely, Selectable } from 'kysely';
import type { DB, OptimizerJobsTable } from '../../db/schema.js';
import type { LogEntry } from './histories.js';

export type OptimizerJobRow = Selectable<OptimizerJobsTable>;

const ACTIVE = ['queued', 'running'] as const;

/** All SQL of the optimiser: the review history it fits to and the one job row per learner. */
export function createOptimizerRepository() {
  return {
    /** The user's review log, only the columns a fit needs, ordered by card and then time. */
    reviewLogs(db: Kysely<DB>, userId: string): Promise<LogEntry[]> {
      return db
        .selectFrom('review_logs')
        .select(['card_id', 'rating', 'state_before', 'reviewed_at'])
        .where('user_id', '=', userId)
        .orderBy('card_id')
        .orderBy('reviewed_at')
        .orderBy('seq')
        .execute();
    },

    findJob(db: Kysely<DB>, userId: string): Promise<OptimizerJobRow | undefined> {
      return db.selectFrom('optimizer_jobs').selectAll().where('user_id', '=', userId).executeTakeFirst();
    },

    /**
     * Claims the user's job slot for a new queued job, unless one is queued or running and started after
     * `staleBefore` (a job older than that was abandoned by a process that stopped). Answers whether it claimed.
     */
    async claimJob(db: Kysely<DB>, userId: string, startedAt: string, staleBefore: string): Promise<boolean> {
      const fresh = {
        status: 'queued' as const,
        progress: 0,
        started_at: startedAt,
        finished_at: null,
        message: null,
        result_json: null,
      };
      const rows = await db
        .insertInto('optimizer_jobs')
        .values({ user_id: userId, ...fresh })
        .onConflict((oc) =>
          oc
            .column('user_id')
            .doUpdateSet(fresh)
            .where((eb) =>
              eb.or([eb('optimizer_jobs.status', 'not in', ACTIVE), eb('optimizer_jobs.started_at', '<', staleBefore)]),
            ),
        )
        .returning('user_id')
        .execute();
      return rows.length > 0;
    },

    /** Updates the job that started at `startedAt`; a job since reclaimed by a newer one is left alone. */
    async updateJob(
      db: Kysely<DB>,
      userId: string,
      startedAt: string,
      changes: Partial<Omit<OptimizerJobRow, 'user_id' | 'started_at'>>,
    ): Promise<void> {
      await db
        .updateTable('optimizer_jobs')
        .set(changes)
        .where('user_id', '=', userId)
        .where('started_at', '=', startedAt)
        .execute();
    },
  };
}

export type OptimizerRepository = ReturnType<typeof createOptimizerRepository>;
