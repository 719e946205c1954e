import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('term', 'text', (c) => c.notNull())
    // The term folded (case, surrounding punctuation, Unicode normal form): one card per (user, language, key).
    .addColumn('term_key', 'text', (c) => c.notNull())
    .addColumn('translation', 'text', (c) => c.notNull())
    .addColumn('part_of_speech', 'text')
    .addColumn('context_sentence', 'text')
    .addColumn('context_translation', 'text')
    .addColumn('notes', 'text')
    // JSON array of strings.
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    // Term, translation and context folded for accent- and case-insensitive search.
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('suspended', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('encounters', 'integer', (c) => c.notNull().defaultTo(1))
    // FSRS memory state, as ts-fsrs names it.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('due', 'text', (c) => c.notNull())
    .addColumn('stability', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('difficulty', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('elapsed_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('scheduled_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('learning_steps', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reps', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lapses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_reviewed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cards_user_term_idx')
    .on('cards')
    .columns(['user_id', 'language', 'term_key'])
    .unique()
    .execute();
  await db.schema.createIndex('cards_user_created_idx').on('cards').columns(['user_id', 'created_at', 'id']).execute();
  // The review queue: one user's cards by state and due time.
  await db.schema.createIndex('cards_user_state_due_idx').on('cards').columns(['user_id', 'state', 'due']).execute();

  await db.schema
    .createTable('card_encounters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('context_sentence', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('card_encounters_card_idx')
    .on('card_encounters')
    .columns(['card_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('review_logs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id').onDelete('cascade'))
    // The client's answerId: a repeated answer is recognised by it.
    .addColumn('answer_id', 'text', (c) => c.notNull())
    // The order of one user's answers (answers are serialised per user), which undo walks back through.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('rating', 'text', (c) => c.notNull())
    .addColumn('state_before', 'text', (c) => c.notNull())
    .addColumn('elapsed_days', 'integer', (c) => c.notNull())
    .addColumn('scheduled_days', 'integer', (c) => c.notNull())
    .addColumn('reviewed_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    // The card's scheduling fields before this answer (JSON), so undo restores it exactly.
    .addColumn('card_before', 'text', (c) => c.notNull())
    // The card as this answer left it (JSON): what a repeated answerId is answered with.
    .addColumn('card_after', 'text', (c) => c.notNull())
    .addColumn('learning_session_id', 'text')
    .execute();
  await db.schema
    .createIndex('review_logs_answer_idx')
    .on('review_logs')
    .columns(['user_id', 'answer_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('review_logs_user_seq_idx')
    .on('review_logs')
    .columns(['user_id', 'seq'])
    .unique()
    .execute();
  await db.schema
    .createIndex('review_logs_user_time_idx')
    .on('review_logs')
    .columns(['user_id', 'reviewed_at'])
    .execute();
  await db.schema.createIndex('review_logs_card_idx').on('review_logs').columns(['card_id', 'reviewed_at']).execute();

  await db.schema
    .createTable('review_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('desired_retention', 'double precision', (c) => c.notNull())
    .addColumn('new_per_day', 'integer', (c) => c.notNull())
    .addColumn('max_reviews_per_day', 'integer', (c) => c.notNull())
    .addColumn('learning_steps', 'text', (c) => c.notNull())
    .addColumn('relearning_steps', 'text', (c) => c.notNull())
    .addColumn('day_boundary_hour', 'integer', (c) => c.notNull())
    // Fitted FSRS weights (JSON array), or null for the defaults.
    .addColumn('parameters', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['review_settings', 'review_logs', 'card_encounters', 'cards'])
    await db.schema.dropTable(table).execute();
}
