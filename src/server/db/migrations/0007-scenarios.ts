import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // A learner's own scenario; the body is the scenario JSON in the catalogue's format (src/shared/scenarios.ts).
  await db.schema
    .createTable('custom_scenarios')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // private | public
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('difficulty', 'text', (c) => c.notNull())
    .addColumn('body_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('custom_scenarios_owner').on('custom_scenarios').columns(['owner_id', 'updated_at']).execute();
  await db.schema
    .createIndex('custom_scenarios_public')
    .on('custom_scenarios')
    .columns(['visibility', 'updated_at'])
    .execute();

  // One finished attempt at a scenario (built-in or custom), written by the conversation's completion.
  await db.schema
    .createTable('scenario_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('scenario_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().unique())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('phases_completed', 'integer', (c) => c.notNull())
    .addColumn('phases_total', 'integer', (c) => c.notNull())
    // JSON arrays of the terms used and of the objective ids met.
    .addColumn('vocabulary_used_json', 'text', (c) => c.notNull())
    .addColumn('objectives_met_json', 'text', (c) => c.notNull())
    .addColumn('objectives_total', 'integer', (c) => c.notNull())
    // 0 to 1: objectives met over objectives in the scenario.
    .addColumn('success_rate', 'double precision', (c) => c.notNull())
    .addColumn('duration_seconds', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('scenario_attempts_user_scenario')
    .on('scenario_attempts')
    .columns(['user_id', 'scenario_id', 'completed_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scenario_attempts').execute();
  await db.schema.dropTable('custom_scenarios').execute();
}
