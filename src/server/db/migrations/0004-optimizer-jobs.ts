import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One row per learner: their latest FSRS optimisation. The primary key is what keeps it to one job at a time.
  await db.schema
    .createTable('optimizer_jobs')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    // queued | running | done | failed | skipped
    .addColumn('status', 'text', (c) => c.notNull())
    // 0 to 1.
    .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('message', 'text')
    // JSON of the result (metrics, whether adopted, the parameters) once done.
    .addColumn('result_json', 'text')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('optimizer_jobs').execute();
}
