import { type Kysely, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('learning_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('duration_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_studied', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_correct', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_incorrect', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accuracy', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('last_activity_at', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .execute();
  // The history list: one user's sessions, newest first, ties by id (keyset pagination walks this index).
  await db.schema
    .createIndex('learning_sessions_user_started_idx')
    .on('learning_sessions')
    .columns(['user_id', 'started_at', 'id'])
    .execute();
  // The idle sweep looks only at active sessions, oldest activity first.
  await db.schema
    .createIndex('learning_sessions_active_idx')
    .on('learning_sessions')
    .columns(['status', 'last_activity_at'])
    .execute();
  await db.schema
    .createIndex('learning_sessions_idempotency_idx')
    .on('learning_sessions')
    .columns(['user_id', 'idempotency_key'])
    .unique()
    .where(sql.ref('idempotency_key'), 'is not', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('learning_sessions').execute();
}
