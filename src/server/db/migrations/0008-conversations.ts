import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // scenario | free
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('scenario_id', 'text')
    .addColumn('scenario_title', 'text')
    .addColumn('topic', 'text')
    .addColumn('persona', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    // active | ended
    .addColumn('status', 'text', (c) => c.notNull())
    // The tutor engine's state between turns (phase, what was met, lines said), as JSON.
    .addColumn('state_json', 'text', (c) => c.notNull())
    .addColumn('learning_session_id', 'text', (c) => c.notNull())
    // Bumped by every turn: a turn computed from an older count is refused (two tabs answering at once).
    .addColumn('message_count', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('last_activity_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('summary_json', 'text')
    .execute();
  await db.schema
    .createIndex('conversations_user_started')
    .on('conversations')
    .columns(['user_id', 'started_at', 'id'])
    .execute();

  await db.schema
    .createTable('conversation_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    // tutor | learner
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    // Tutor messages: offline | llm.
    .addColumn('engine', 'text')
    // Learner messages: the feedback JSON.
    .addColumn('feedback_json', 'text')
    // Learner messages: the Idempotency-Key of the request that sent it, so a retry answers the same turn.
    .addColumn('idempotency_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('conversation_messages_seq', ['conversation_id', 'seq'])
    .addUniqueConstraint('conversation_messages_key', ['conversation_id', 'idempotency_key'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('conversation_messages').execute();
  await db.schema.dropTable('conversations').execute();
}
