import type { Kysely } from 'kysely';

// Money is integer micro-dollars in `bigint` columns (a global limit can pass the 2^31 of `integer` on
// PostgreSQL); flags are 0/1 integers, as SQLite has no boolean.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The usage ledger: one row per attempt at a model (a call that failed over writes one row per provider tried).
  await db.schema
    .createTable('ai_usage')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('input_tokens', 'integer', (c) => c.notNull())
    .addColumn('output_tokens', 'integer', (c) => c.notNull())
    .addColumn('tokens_estimated', 'integer', (c) => c.notNull())
    .addColumn('cost_micros', 'bigint', (c) => c.notNull())
    .addColumn('ttft_ms', 'integer')
    .addColumn('total_ms', 'integer', (c) => c.notNull())
    // ok | a failure class (ai.types.ts)
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('fallback', 'integer', (c) => c.notNull())
    .addColumn('cached', 'integer', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    // The budget reservation the attempt was settled against; null for unreserved calls (cache hits).
    .addColumn('reservation_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ai_usage_user_created_idx').on('ai_usage').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('ai_usage_created_idx').on('ai_usage').column('created_at').execute();

  // Budget definitions: id 'global' (so there is at most one) or 'user:<user id>'.
  await db.schema
    .createTable('budgets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.unique().references('users.id').onDelete('cascade'))
    // monthly | weekly | daily | custom
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('custom_days', 'integer')
    // yyyy-MM-dd, the first day of the first custom period
    .addColumn('anchor_date', 'text')
    // The global budget's zone; null for a user's budget, which follows the user's zone.
    .addColumn('timezone', 'text')
    .addColumn('limit_micros', 'bigint', (c) => c.notNull())
    // JSON array of whole percentages
    .addColumn('thresholds', 'text', (c) => c.notNull())
    // warn | fallback | block
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  // One row per budget and period: the settled spend. Reservations (locks) serialise on this row. Keyed by the
  // budget id rather than referencing the definition, so editing or re-creating a budget keeps the period's spend.
  await db.schema
    .createTable('budget_periods')
    .addColumn('budget_id', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('spent_micros', 'bigint', (c) => c.notNull())
    // The period start, or the time of the last admin reset within the period.
    .addColumn('counted_from', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('budget_periods_pk', ['budget_id', 'period_start'])
    .execute();

  // A call's admission: holds its maximum cost until settled or until it expires (a crashed process).
  await db.schema
    .createTable('budget_reservations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('settled_at', 'text')
    .execute();
  // What one reservation holds against each budget period that applied; deleted when settled.
  await db.schema
    .createTable('budget_holds')
    .addColumn('reservation_id', 'text', (c) => c.notNull().references('budget_reservations.id').onDelete('cascade'))
    .addColumn('budget_id', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('amount_micros', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('budget_holds_pk', ['reservation_id', 'budget_id'])
    .execute();
  await db.schema
    .createIndex('budget_holds_period_idx')
    .on('budget_holds')
    .columns(['budget_id', 'period_start', 'expires_at'])
    .execute();

  // Alert events: one per threshold per budget per period (a reset starts a fresh count, so they may fire again).
  await db.schema
    .createTable('budget_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('budget_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('counted_from', 'text', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('spent_micros', 'bigint', (c) => c.notNull())
    .addColumn('limit_micros', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('budget_alerts_once', ['budget_id', 'period_start', 'counted_from', 'threshold'])
    .execute();
  await db.schema
    .createIndex('budget_alerts_budget_created_idx')
    .on('budget_alerts')
    .columns(['budget_id', 'created_at'])
    .execute();

  // The log of admin resets of a user's period.
  await db.schema
    .createTable('budget_resets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('budget_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reset_by', 'text', (c) => c.notNull())
    .addColumn('reset_at', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('spent_before_micros', 'bigint', (c) => c.notNull())
    .addColumn('limit_before_micros', 'bigint', (c) => c.notNull())
    .addColumn('limit_after_micros', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('budget_resets_user_idx').on('budget_resets').columns(['user_id', 'reset_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'budget_resets',
    'budget_alerts',
    'budget_holds',
    'budget_reservations',
    'budget_periods',
    'budgets',
    'ai_usage',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
