import { type Kysely, type Selectable, sql } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { AiUsageTable, BudgetAlertsTable, BudgetResetsTable, BudgetsTable, DB } from '../../db/schema.js';

/** Rows with money as plain numbers (PostgreSQL answers `bigint` as strings; converted here). */
type Money<T, K extends keyof T> = Omit<T, K> & { [P in K]: number };

export type BudgetRow = Money<Selectable<BudgetsTable>, 'limit_micros'>;
export type UsageRow = Money<Selectable<AiUsageTable>, 'cost_micros'>;
export type AlertRow = Money<Selectable<BudgetAlertsTable>, 'spent_micros' | 'limit_micros'>;
export type ResetRow = Money<
  Selectable<BudgetResetsTable>,
  'spent_before_micros' | 'limit_before_micros' | 'limit_after_micros'
>;
export interface PeriodRow {
  budget_id: string;
  period_start: string;
  period_end: string;
  user_id: string | null;
  spent_micros: number;
  counted_from: string;
}
export interface ReservationRow {
  id: string;
  user_id: string;
  request_id: string;
  created_at: string;
  expires_at: string;
  settled_at: string | null;
}
export interface HoldRow {
  reservation_id: string;
  budget_id: string;
  period_start: string;
  amount_micros: number;
  expires_at: string;
}

export interface BudgetUserRow {
  id: string;
  email: string;
  display_name: string;
  timezone: string;
  role: 'learner' | 'admin';
}

export interface UsageFilter {
  /** One user's rows, or everyone's when absent. */
  userId?: string | undefined;
  /** Inclusive ISO instant. */
  from: string;
  /** Exclusive ISO instant. */
  to: string;
}

/** What a usage aggregate groups on: a column, or the first `length` characters of `created_at` (hour or minute). */
export type UsageGrouping = { column: 'provider_id' | 'model' | 'purpose' | 'user_id' } | { timePrefix: 13 | 16 };

export interface UsageAggregateRow {
  key: string;
  calls: number;
  failedCalls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
}

const num = (v: number | string | bigint | null | undefined): number => Number(v ?? 0);

function budgetRow(r: Selectable<BudgetsTable>): BudgetRow {
  return { ...r, limit_micros: num(r.limit_micros) };
}
function periodRow(r: Selectable<DB['budget_periods']>): PeriodRow {
  return { ...r, spent_micros: num(r.spent_micros) };
}
function alertRow(r: Selectable<BudgetAlertsTable>): AlertRow {
  return { ...r, spent_micros: num(r.spent_micros), limit_micros: num(r.limit_micros) };
}
function resetRow(r: Selectable<BudgetResetsTable>): ResetRow {
  return {
    ...r,
    spent_before_micros: num(r.spent_before_micros),
    limit_before_micros: num(r.limit_before_micros),
    limit_after_micros: num(r.limit_after_micros),
  };
}

/** What the budget module reads of a user: who they are and the time zone their periods follow. */
const BUDGET_USER_COLUMNS = ['id', 'email', 'display_name', 'timezone', 'role'] as const;

/**
 * All SQL of the usage ledger and budgets. Built per dialect because only PostgreSQL needs `FOR UPDATE` (SQLite's
 * write transaction already holds the database's write lock).
 */
export function createBudgetRepository(dialect: Dialect) {
  return {
    findUser(db: Kysely<DB>, id: string): Promise<BudgetUserRow | undefined> {
      return db.selectFrom('users').select(BUDGET_USER_COLUMNS).where('id', '=', id).executeTakeFirst();
    },

    findUsers(db: Kysely<DB>, ids: string[]): Promise<BudgetUserRow[]> {
      return db.selectFrom('users').select(BUDGET_USER_COLUMNS).where('id', 'in', ids).execute();
    },

    async findBudgets(db: Kysely<DB>, ids: string[]): Promise<BudgetRow[]> {
      const rows = await db.selectFrom('budgets').selectAll().where('id', 'in', ids).orderBy('id').execute();
      return rows.map(budgetRow);
    },

    async findBudget(db: Kysely<DB>, id: string): Promise<BudgetRow | undefined> {
      const row = await db.selectFrom('budgets').selectAll().where('id', '=', id).executeTakeFirst();
      return row && budgetRow(row);
    },

    /** Creates the budget, or replaces its definition (keeping its id and creation time). */
    upsertBudget(db: Kysely<DB>, row: BudgetRow): Promise<unknown> {
      const { id: _id, created_at: _created, user_id: _user, ...changes } = row;
      return db
        .insertInto('budgets')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(changes))
        .execute();
    },

    updateBudgetLimit(db: Kysely<DB>, id: string, limitMicros: number, at: string, by: string): Promise<unknown> {
      return db
        .updateTable('budgets')
        .set({ limit_micros: limitMicros, updated_at: at, updated_by: by })
        .where('id', '=', id)
        .execute();
    },

    async deleteBudget(db: Kysely<DB>, id: string): Promise<boolean> {
      const result = await db.deleteFrom('budgets').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Every user budget with its user, by email. */
    async listUserBudgets(db: Kysely<DB>): Promise<{ budget: BudgetRow; user: BudgetUserRow }[]> {
      const rows = await db
        .selectFrom('budgets as b')
        .innerJoin('users as u', 'u.id', 'b.user_id')
        .selectAll('b')
        .select(['u.email', 'u.display_name', 'u.timezone as user_timezone', 'u.role'])
        .orderBy('u.email')
        .execute();
      return rows.map(({ email, display_name, user_timezone, role, ...b }) => ({
        budget: budgetRow(b),
        user: { id: b.user_id!, email, display_name, timezone: user_timezone, role },
      }));
    },

    /**
     * Makes sure the period's row exists. A new row starts from what the ledger already holds for the period up
     * to now (the user's calls, or everybody's for the global budget): a budget set mid-month caps the month's
     * spend, not only what comes after it.
     */
    async ensurePeriod(db: Kysely<DB>, row: PeriodRow, now: string): Promise<void> {
      const existing = await db
        .selectFrom('budget_periods')
        .select('budget_id')
        .where('budget_id', '=', row.budget_id)
        .where('period_start', '=', row.period_start)
        .executeTakeFirst();
      if (existing) return;
      const sum = await this.ledgerSpent(db, row, now);
      await db
        .insertInto('budget_periods')
        .values({ ...row, spent_micros: sum })
        .onConflict((oc) => oc.columns(['budget_id', 'period_start']).doNothing())
        .execute();
    },

    /** What the ledger holds for the period's budget between its start and `now` (or its end). */
    async ledgerSpent(db: Kysely<DB>, row: PeriodRow, now: string): Promise<number> {
      let spent = db
        .selectFrom('ai_usage')
        .select((eb) => eb.fn.sum<string | number | null>('cost_micros').as('spent'))
        .where('created_at', '>=', row.period_start)
        .where('created_at', '<', now < row.period_end ? now : row.period_end);
      if (row.user_id !== null) spent = spent.where('user_id', '=', row.user_id);
      const found = await spent.executeTakeFirst();
      return Number(found?.spent ?? 0);
    },

    async findPeriod(db: Kysely<DB>, budgetId: string, periodStart: string): Promise<PeriodRow | undefined> {
      const row = await db
        .selectFrom('budget_periods')
        .selectAll()
        .where('budget_id', '=', budgetId)
        .where('period_start', '=', periodStart)
        .executeTakeFirst();
      return row && periodRow(row);
    },

    /**
     * As `findPeriod`, locking the row until the transaction ends: every reservation and settlement against this
     * budget period waits here, which is what keeps concurrent calls from overspending.
     */
    async lockPeriod(db: Kysely<DB>, budgetId: string, periodStart: string): Promise<PeriodRow | undefined> {
      const query = db
        .selectFrom('budget_periods')
        .selectAll()
        .where('budget_id', '=', budgetId)
        .where('period_start', '=', periodStart);
      const row = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
      return row && periodRow(row);
    },

    /** Adds to the period's spend; answers the period as it is after that (undefined when there is no such row). */
    async addSpent(
      db: Kysely<DB>,
      budgetId: string,
      periodStart: string,
      micros: number,
    ): Promise<PeriodRow | undefined> {
      const row = await db
        .updateTable('budget_periods')
        .set({ spent_micros: sql<number>`spent_micros + ${micros}` })
        .where('budget_id', '=', budgetId)
        .where('period_start', '=', periodStart)
        .returningAll()
        .executeTakeFirst();
      return row && periodRow(row);
    },

    restartCount(db: Kysely<DB>, budgetId: string, periodStart: string, countedFrom: string): Promise<unknown> {
      return db
        .updateTable('budget_periods')
        .set({ spent_micros: 0, counted_from: countedFrom })
        .where('budget_id', '=', budgetId)
        .where('period_start', '=', periodStart)
        .execute();
    },

    /** What unsettled, unexpired reservations hold against the period. */
    async reservedMicros(db: Kysely<DB>, budgetId: string, periodStart: string, now: string): Promise<number> {
      const row = await db
        .selectFrom('budget_holds')
        .select((eb) => eb.fn.sum('amount_micros').as('total'))
        .where('budget_id', '=', budgetId)
        .where('period_start', '=', periodStart)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return num(row?.total as number | string | null | undefined);
    },

    async insertReservations(db: Kysely<DB>, rows: ReservationRow[]): Promise<void> {
      if (rows.length > 0) await db.insertInto('budget_reservations').values(rows).execute();
    },

    async insertHolds(db: Kysely<DB>, rows: HoldRow[]): Promise<void> {
      if (rows.length > 0) await db.insertInto('budget_holds').values(rows).execute();
    },

    /** The reservations with these ids, locked until the transaction ends (in id order, as every settlement locks). */
    findReservationsForUpdate(db: Kysely<DB>, ids: string[]): Promise<ReservationRow[]> {
      const query = db.selectFrom('budget_reservations').selectAll().where('id', 'in', ids).orderBy('id');
      return (dialect === 'postgres' ? query.forUpdate() : query).execute();
    },

    /**
     * The holds of these reservations, by budget (the global one first: the order every transaction locks budget
     * periods in) and period.
     */
    async holdsOfReservations(db: Kysely<DB>, reservationIds: string[]): Promise<HoldRow[]> {
      const rows = await db
        .selectFrom('budget_holds')
        .selectAll()
        .where('reservation_id', 'in', reservationIds)
        .orderBy('budget_id')
        .orderBy('period_start')
        .execute();
      return rows.map((r) => ({ ...r, amount_micros: num(r.amount_micros) }));
    },

    /** Marks the reservations settled at `at` and releases what they held. */
    async settleReservations(db: Kysely<DB>, ids: string[], at: string): Promise<void> {
      await db.deleteFrom('budget_holds').where('reservation_id', 'in', ids).execute();
      await db.updateTable('budget_reservations').set({ settled_at: at }).where('id', 'in', ids).execute();
    },

    /** Deletes up to `limit` reservations that expired before `before`, their holds with them; answers how many. */
    async deleteExpiredReservations(db: Kysely<DB>, before: string, limit: number): Promise<number> {
      const result = await db
        .deleteFrom('budget_reservations')
        .where('id', 'in', (eb) =>
          eb.selectFrom('budget_reservations').select('id').where('expires_at', '<', before).limit(limit),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async insertUsage(db: Kysely<DB>, rows: UsageRow[]): Promise<void> {
      if (rows.length > 0) await db.insertInto('ai_usage').values(rows).execute();
    },

    /** Ledger totals in [from, to) grouped as asked, one row per group. */
    async aggregateUsage(db: Kysely<DB>, filter: UsageFilter, grouping: UsageGrouping): Promise<UsageAggregateRow[]> {
      // A literal (not a parameter) so PostgreSQL sees the selected and the grouped expression as the same one.
      const key =
        'column' in grouping
          ? sql<string>`${sql.ref(grouping.column)}`
          : sql<string>`substr(created_at, 1, ${sql.lit(grouping.timePrefix)})`;
      let query = db
        .selectFrom('ai_usage')
        .select((eb) => [
          key.as('group_key'),
          eb.fn.countAll().as('calls'),
          sql<number>`sum(case when outcome = 'ok' then 0 else 1 end)`.as('failed_calls'),
          eb.fn.sum('cached').as('cached_calls'),
          eb.fn.sum('input_tokens').as('input_tokens'),
          eb.fn.sum('output_tokens').as('output_tokens'),
          eb.fn.sum('cost_micros').as('cost_micros'),
        ])
        .where('created_at', '>=', filter.from)
        .where('created_at', '<', filter.to);
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      const rows = await query.groupBy(key).execute();
      return rows.map((r) => ({
        key: r.group_key,
        calls: num(r.calls),
        failedCalls: num(r.failed_calls),
        cachedCalls: num(r.cached_calls as number | string),
        inputTokens: num(r.input_tokens as number | string),
        outputTokens: num(r.output_tokens as number | string),
        costMicros: num(r.cost_micros as number | string),
      }));
    },

    async emailsOf(db: Kysely<DB>, ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('users').select(['id', 'email']).where('id', 'in', ids).execute();
      return new Map(rows.map((r) => [r.id, r.email]));
    },

    /** Records alert events; a threshold already recorded for the same count of the same period is skipped. */
    async insertAlerts(db: Kysely<DB>, rows: AlertRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db
        .insertInto('budget_alerts')
        .values(rows)
        .onConflict((oc) => oc.columns(['budget_id', 'period_start', 'counted_from', 'threshold']).doNothing())
        .execute();
    },

    /** Alerts of these budgets, newest first; only those recorded since `countedFrom` of one period when given. */
    async listAlerts(
      db: Kysely<DB>,
      budgetIds: string[],
      options: { limit: number; period?: { budgetId: string; periodStart: string; countedFrom: string }[] },
    ): Promise<AlertRow[]> {
      if (budgetIds.length === 0) return [];
      let query = db.selectFrom('budget_alerts').selectAll().where('budget_id', 'in', budgetIds);
      const periods = options.period;
      if (periods) {
        query = query.where((eb) =>
          eb.or(
            periods.map((p) =>
              eb.and([
                eb('budget_id', '=', p.budgetId),
                eb('period_start', '=', p.periodStart),
                eb('counted_from', '=', p.countedFrom),
              ]),
            ),
          ),
        );
      }
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('threshold', 'desc')
        .limit(options.limit)
        .execute();
      return rows.map(alertRow);
    },

    insertReset(db: Kysely<DB>, row: ResetRow): Promise<unknown> {
      return db.insertInto('budget_resets').values(row).execute();
    },

    async listResets(db: Kysely<DB>, userId: string): Promise<ResetRow[]> {
      const rows = await db
        .selectFrom('budget_resets')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('reset_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(resetRow);
    },
  };
}

export type BudgetRepository = ReturnType<typeof createBudgetRepository>;
