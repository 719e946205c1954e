import type { Kysely } from 'kysely';

// Budget reservations were kept forever: one row per AI call (and its holds until settled). They are pruned a day
// after they expire (BudgetService.pruneReservations); this index finds those rows without reading the table.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('budget_reservations_expires_idx')
    .on('budget_reservations')
    .columns(['expires_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('budget_reservations_expires_idx').execute();
}
