import type { Kysely } from 'kysely';

// Indexes for the review queue of a learner with many cards (measured by `npm run bench`, scenario `queue`: with
// 100,000 cards the queue took about a second, nearly all of it reading every card row). The two new ones let the
// queue's queries be answered from the index alone, or stop after `limit` rows.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Every query of the queue filters on (user_id, suspended = 0, state) and a range of due. With language and
  // stability in the index too, the due counts and the scan that orders due review cards by overdueness read no
  // card row; id after due gives the (due, id) order without a sort.
  await db.schema
    .createIndex('cards_user_queue_idx')
    .on('cards')
    .columns(['user_id', 'suspended', 'state', 'due', 'id', 'language', 'stability'])
    .execute();
  // New cards are introduced oldest first: without this, the queue walked cards_user_created_idx from the
  // learner's oldest card, reading every reviewed card before the first new one. It also serves the card list
  // filtered by state.
  await db.schema
    .createIndex('cards_user_state_created_idx')
    .on('cards')
    .columns(['user_id', 'state', 'created_at', 'id'])
    .execute();
  // Every query it served is served by one of the two above, and every answer moves a card's due time, so
  // keeping it would cost each answer one more index update for nothing.
  await db.schema.dropIndex('cards_user_state_due_idx').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cards_user_state_due_idx').on('cards').columns(['user_id', 'state', 'due']).execute();
  await db.schema.dropIndex('cards_user_state_created_idx').execute();
  await db.schema.dropIndex('cards_user_queue_idx').execute();
}
