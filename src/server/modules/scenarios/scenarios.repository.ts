import type { Kysely, Selectable } from 'kysely';
import type { CustomScenariosTable, DB, ScenarioAttemptsTable } from '../../db/schema.js';

export type CustomScenarioRow = Selectable<CustomScenariosTable>;
export type ScenarioAttemptRow = Selectable<ScenarioAttemptsTable>;

/** All SQL of custom scenarios and scenario attempts. */
export function createScenariosRepository() {
  return {
    insertCustom(db: Kysely<DB>, row: CustomScenarioRow): Promise<unknown> {
      return db.insertInto('custom_scenarios').values(row).execute();
    },

    /** Changes the owner's scenario; answers whether there was one to change. */
    async updateCustom(
      db: Kysely<DB>,
      ownerId: string,
      id: string,
      changes: Pick<CustomScenarioRow, 'visibility' | 'title' | 'category' | 'difficulty' | 'body_json' | 'updated_at'>,
    ): Promise<boolean> {
      const result = await db
        .updateTable('custom_scenarios')
        .set(changes)
        .where('id', '=', id)
        .where('owner_id', '=', ownerId)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async deleteCustom(db: Kysely<DB>, ownerId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('custom_scenarios')
        .where('id', '=', id)
        .where('owner_id', '=', ownerId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /** The scenario if the user may see it: their own, or anybody's public one. */
    findVisible(db: Kysely<DB>, userId: string, id: string): Promise<CustomScenarioRow | undefined> {
      return db
        .selectFrom('custom_scenarios')
        .selectAll()
        .where('id', '=', id)
        .where((eb) => eb.or([eb('owner_id', '=', userId), eb('visibility', '=', 'public')]))
        .executeTakeFirst();
    },

    findVisibleMany(db: Kysely<DB>, userId: string, ids: string[]): Promise<CustomScenarioRow[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('custom_scenarios')
        .selectAll()
        .where('id', 'in', ids)
        .where((eb) => eb.or([eb('owner_id', '=', userId), eb('visibility', '=', 'public')]))
        .execute();
    },

    listOwn(db: Kysely<DB>, ownerId: string): Promise<CustomScenarioRow[]> {
      return db
        .selectFrom('custom_scenarios')
        .selectAll()
        .where('owner_id', '=', ownerId)
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
    },

    listPublicOfOthers(db: Kysely<DB>, userId: string, limit: number): Promise<CustomScenarioRow[]> {
      return db
        .selectFrom('custom_scenarios')
        .selectAll()
        .where('visibility', '=', 'public')
        .where('owner_id', '<>', userId)
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },

    insertAttempt(db: Kysely<DB>, row: ScenarioAttemptRow): Promise<unknown> {
      return db.insertInto('scenario_attempts').values(row).execute();
    },

    listAttempts(db: Kysely<DB>, userId: string, scenarioId: string): Promise<ScenarioAttemptRow[]> {
      return db
        .selectFrom('scenario_attempts')
        .selectAll()
        .where('user_id', '=', userId)
        .where('scenario_id', '=', scenarioId)
        .orderBy('completed_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
    },

    /** Per scenario the user finished: how many times, and when last. */
    attemptCounts(db: Kysely<DB>, userId: string) {
      return db
        .selectFrom('scenario_attempts')
        .select((eb) => [
          'scenario_id',
          eb.fn.countAll<string | number>().as('attempts'),
          eb.fn.max('completed_at').as('last'),
        ])
        .where('user_id', '=', userId)
        .groupBy('scenario_id')
        .execute();
    },
  };
}

export type ScenariosRepository = ReturnType<typeof createScenariosRepository>;
