import { TZDate } from '@date-fns/tz';
import { addDays, differenceInCalendarDays, format, startOfDay, subDays } from 'date-fns';
import type { Kysely } from 'kysely';
import {
  type AdminUsageGroup,
  type AlertLevel,
  type BudgetAlertList,
  type BudgetInput,
  type BudgetResetList,
  type BudgetScope,
  type BudgetWarning,
  DEFAULT_THRESHOLDS,
  type GlobalBudgetResponse,
  MAX_USAGE_RANGE_DAYS,
  microsToUsd,
  type MyBudgetStatus,
  type ResetResponse,
  type UsageGroupRow,
  type UsageReport,
  type UsageTotals,
  type UserBudgetList,
  type UserBudgetResponse,
  usdToMicros,
} from '../../../shared/budget.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { DomainError, NotFoundError, ValidationError } from '../../http/errors.js';
import type { Clock } from '../../lib/clock.js';
import { Batcher } from '../../lib/batcher.js';
import type { IdGenerator } from '../../lib/ids.js';
import type { AiPurpose, FailureClass } from '../ai/ai.types.js';
import { describeInstant, localDate, periodAt } from './budget-period.js';
import {
  type BudgetSnapshot,
  presentAlert,
  presentBudget,
  presentBudgetUser,
  presentReset,
  presentStatus,
  scopeOf,
} from './budget.presenter.js';
import type {
  BudgetRepository,
  BudgetRow,
  BudgetUserRow,
  HoldRow,
  PeriodRow,
  ReservationRow,
  UsageAggregateRow,
  UsageRow,
} from './budget.repository.js';

export const GLOBAL_BUDGET_ID = 'global';
export const userBudgetId = (userId: string): string => `user:${userId}`;

/** A reservation not settled within this time stops holding budget (its process probably died). */
export const RESERVATION_TTL_MS = 10 * 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Reservations are deleted this long after they expire: settled or abandoned, no call lasts that long. */
export const RESERVATION_RETENTION_MS = DAY_MS;
/** How often old reservations are pruned. */
export const RESERVATION_PRUNE_INTERVAL_MS = HOUR_MS;
/** Reservations deleted per transaction while pruning, so that admissions never wait long for the write lock. */
const PRUNE_CHUNK = 2_000;
const DEFAULT_USAGE_DAYS = 30;
const ALERTS_IN_STATUS = 50;

/** One attempt at a model, as the gateway reports it for the ledger. Money in integer micro-dollars. */
export interface UsageAttempt {
  userId: string;
  purpose: AiPurpose;
  providerId: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** True when the tokens were estimated from the text because the vendor reported no usage. */
  tokensEstimated: boolean;
  costMicros: number;
  ttftMs: number | null;
  totalMs: number;
  outcome: 'ok' | FailureClass;
  /** True for an attempt after the first candidate failed. */
  fallback: boolean;
  /** True for an answer served from the response cache (cost 0). */
  cached: boolean;
  requestId: string;
}

export interface ReserveInput {
  userId: string;
  /** The most the call can cost (every candidate's price at the input estimate and max tokens), micro-dollars. */
  maxCostMicros: number;
  requestId: string;
}

export interface Reservation {
  reservationId: string;
  /** A `fallback` budget is spent: use only zero-cost providers (nothing was reserved). */
  zeroCostOnly: boolean;
  /** For the answer: budgets past an alert threshold, or spent in `warn`/`fallback` mode. */
  warnings: BudgetWarning[];
}

/** 402: a `block` budget is spent. `resetsAt` (also in `details`) is when its period ends. */
export class BudgetExhaustedError extends DomainError {
  constructor(
    readonly scope: BudgetScope,
    readonly resetsAt: string,
    message: string,
  ) {
    super('budget_exhausted', message, [
      { field: 'scope', message: scope },
      { field: 'resetsAt', message: resetsAt },
    ]);
  }
}

export interface BudgetServiceDeps {
  database: Database;
  repo: BudgetRepository;
  clock: Clock;
  ids: IdGenerator;
  /** Default RESERVATION_TTL_MS. */
  reservationTtlMs?: number;
}

/** A call's settlement, waiting for its batch. */
interface Settlement {
  reservationId: string;
  attempts: UsageAttempt[];
}

/** A budget's locked current period while a batch is admitted; `reserved` grows with each call admitted. */
interface Standing {
  budget: BudgetRow;
  period: PeriodRow;
  reserved: number;
  /** The snapshot when the batch began; only `reserved` (and so `exhausted`) changes while it runs. */
  base: BudgetSnapshot;
  /** The warning for a call, by whether the budget is exhausted: the same for every call of the batch. */
  warnings: Map<boolean, BudgetWarning | null>;
}

/** The standing's snapshot with what the batch has reserved so far. */
function currentSnapshot(s: Standing): BudgetSnapshot {
  return { ...s.base, reservedMicros: s.reserved, exhausted: s.base.spentMicros + s.reserved >= s.budget.limit_micros };
}

function cachedWarning(s: Standing, current: BudgetSnapshot): BudgetWarning | null {
  let warning = s.warnings.get(current.exhausted);
  if (warning === undefined) {
    warning = warningFor(current);
    s.warnings.set(current.exhausted, warning);
  }
  return warning;
}

/**
 * Calls admitted, or settled, in one transaction at most (well inside either database's limit on a statement's
 * parameters).
 */
const MAX_BATCH = 256;

type UsageQueryInput = { from?: string | undefined; to?: string | undefined; groupBy: AdminUsageGroup };

/**
 * The usage ledger and budgets. Admission (`reserve`) and settlement (`settle`) each run in one write transaction
 * that locks the budget-period rows involved — global budget first, then the user's — so concurrent calls against
 * a nearly spent budget overspend by at most one call's maximum, on SQLite and PostgreSQL alike.
 */
export class BudgetService {
  constructor(private readonly deps: BudgetServiceDeps) {}

  private get db(): Kysely<DB> {
    return this.deps.database.db;
  }

  private get ttlMs(): number {
    return this.deps.reservationTtlMs ?? RESERVATION_TTL_MS;
  }

  // ---- the gateway's side -------------------------------------------------------------------------------------

  /**
   * Admits a call. For every budget that applies (the global one, the user's), in its current period: when
   * spent + reserved has reached the limit, `block` throws BudgetExhaustedError, `fallback` makes the call
   * zero-cost-only (reserving nothing), `warn` reserves and warns. Otherwise `maxCostMicros` is held until
   * `settle` (or until the reservation expires).
   */
  async reserve(input: ReserveInput): Promise<Reservation> {
    assertMicros(input.maxCostMicros, 'maxCostMicros');
    return this.admissions.submit(input);
  }

  /**
   * Calls waiting for admission, admitted together: those that arrived in the same turn of the event loop, then
   * those that arrived while that transaction ran, and so on. Inside a batch each call is decided in arrival order
   * against the budgets as the calls before it left them, so the outcome is what one transaction per call would
   * give — for a burst of 64 calls one transaction instead of 64 (the write lock, the period-row locks and each
   * query once, not per call).
   */
  private readonly admissions = new Batcher((inputs: ReserveInput[]) => this.admitBatch(inputs), {
    maxBatch: MAX_BATCH,
  });

  /** One write transaction deciding `inputs` in order; answers each call's reservation or its error. */
  private admitBatch(inputs: ReserveInput[]): Promise<(Reservation | Error)[]> {
    const { repo, ids, clock } = this.deps;
    return this.deps.database.writeTransaction(async (trx) => {
      const now = clock.now();
      const users = new Map(
        (await repo.findUsers(trx, [...new Set(inputs.map((i) => i.userId))])).map((u) => [u.id, u]),
      );
      const budgetIds = [GLOBAL_BUDGET_ID, ...[...users.keys()].map(userBudgetId)];
      // Locked in id order — the global budget first, as every transaction locks budget periods.
      const standings = new Map<string, Standing>();
      for (const budget of await repo.findBudgets(trx, budgetIds)) {
        const owner = budget.user_id === null ? null : users.get(budget.user_id)!;
        standings.set(budget.id, await this.lockedStanding(trx, budget, owner, now));
      }
      const createdAt = now.toISOString();
      const expiresAt = new Date(now.getTime() + this.ttlMs).toISOString();
      const reservations: ReservationRow[] = [];
      const holds: HoldRow[] = [];
      const outcomes = inputs.map((input): Reservation | Error => {
        const user = users.get(input.userId);
        if (!user) return new NotFoundError('user');
        const applying = [standings.get(GLOBAL_BUDGET_ID), standings.get(userBudgetId(user.id))].filter(
          (s): s is Standing => s !== undefined,
        );
        const snapshots = applying.map(currentSnapshot);
        const blocking = snapshots.find((s) => s.exhausted && s.budget.mode === 'block');
        if (blocking) {
          return new BudgetExhaustedError(
            blocking.scope,
            blocking.periodEnd.toISOString(),
            `${budgetName(blocking)} is used up; it resets on ${describeInstant(blocking.periodEnd, blocking.timezone)}`,
          );
        }
        const zeroCostOnly = snapshots.some((s) => s.exhausted && s.budget.mode === 'fallback');
        const amount = zeroCostOnly ? 0 : input.maxCostMicros;
        const reservationId = ids.id();
        reservations.push({
          id: reservationId,
          user_id: user.id,
          request_id: input.requestId,
          created_at: createdAt,
          expires_at: expiresAt,
          settled_at: null,
        });
        for (const standing of applying) {
          standing.reserved += amount;
          holds.push({
            reservation_id: reservationId,
            budget_id: standing.budget.id,
            period_start: standing.period.period_start,
            amount_micros: amount,
            expires_at: expiresAt,
          });
        }
        const warnings = applying.flatMap((s, i) => cachedWarning(s, snapshots[i]!) ?? []);
        return { reservationId, zeroCostOnly, warnings };
      });
      await repo.insertReservations(trx, reservations);
      await repo.insertHolds(trx, holds);
      return outcomes;
    });
  }

  /**
   * Closes a reservation with what the call really did: writes one ledger row per attempt, releases the hold and
   * adds the attempts' cost to the spend of the budget periods it was reserved against, recording the alert
   * thresholds that crosses (once per threshold per period). A late settle (after expiry) still counts its cost;
   * settling twice is a no-op.
   */
  async settle(reservationId: string, attempts: UsageAttempt[]): Promise<void> {
    attempts.forEach(assertAttempt);
    return this.settlements.submit({ reservationId, attempts });
  }

  /**
   * Settlements waiting for their transaction, settled together like admissions (the streams of a burst end
   * together). Should a batch's transaction fail, each of its settlements is retried alone: one call's bad ledger
   * row must not cost the others theirs.
   */
  private readonly settlements = new Batcher((items: Settlement[]) => this.settleBatch(items), {
    maxBatch: MAX_BATCH,
    isolateFailures: true,
  });

  /**
   * One write transaction settling `items`: their ledger rows, each reservation's cost added to every budget
   * period it held against (summed per period, global budget first), the thresholds crossed, and the holds
   * released. A reservation settled already, or twice in the batch, is settled once; an unknown one is a
   * NotFoundError of that call alone.
   */
  private settleBatch(items: Settlement[]): Promise<(void | Error)[]> {
    const { repo, clock } = this.deps;
    return this.deps.database.writeTransaction(async (trx) => {
      const now = clock.now();
      const ids = [...new Set(items.map((i) => i.reservationId))];
      const found = new Map((await repo.findReservationsForUpdate(trx, ids)).map((r) => [r.id, r]));
      const settling = new Map<string, UsageAttempt[]>();
      const outcomes = items.map((item): void | Error => {
        const reservation = found.get(item.reservationId);
        if (!reservation) return new NotFoundError('budget reservation');
        if (reservation.settled_at === null && !settling.has(item.reservationId))
          settling.set(item.reservationId, item.attempts);
      });
      if (settling.size === 0) return outcomes;
      const live = [...settling.keys()];
      await repo.insertUsage(
        trx,
        [...settling].flatMap(([id, attempts]) => this.ledgerRows(attempts, id, now)),
      );
      const costOf = new Map(
        [...settling].map(([id, attempts]) => [id, attempts.reduce((s, a) => s + a.costMicros, 0)]),
      );
      const charges = new Map<string, { budgetId: string; periodStart: string; micros: number }>();
      for (const hold of await repo.holdsOfReservations(trx, live)) {
        const key = `${hold.budget_id}\u0000${hold.period_start}`;
        const charge = charges.get(key) ?? { budgetId: hold.budget_id, periodStart: hold.period_start, micros: 0 };
        charge.micros += costOf.get(hold.reservation_id)!;
        charges.set(key, charge);
      }
      await this.charge(trx, [...charges.values()], now);
      await repo.settleReservations(trx, live, now.toISOString());
      return outcomes;
    });
  }

  /**
   * Deletes the reservations that expired more than RESERVATION_RETENTION_MS ago, with their holds, a chunk per
   * transaction; answers how many. The ledger keeps every call: a reservation only admits and settles one.
   */
  async pruneReservations(): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - RESERVATION_RETENTION_MS).toISOString();
    let total = 0;
    for (;;) {
      const deleted = await this.deps.database.writeTransaction((trx) =>
        this.deps.repo.deleteExpiredReservations(trx, before, PRUNE_CHUNK),
      );
      total += deleted;
      if (deleted < PRUNE_CHUNK) return total;
    }
  }

  /**
   * Records attempts that needed no reservation (answers from the response cache, cost 0). Should one cost
   * something after all, it is charged to the current periods of the budgets that apply.
   */
  async recordUnreserved(attempts: UsageAttempt[]): Promise<void> {
    attempts.forEach(assertAttempt);
    if (attempts.length === 0) return;
    const { repo, clock } = this.deps;
    await this.deps.database.writeTransaction(async (trx) => {
      const now = clock.now();
      await repo.insertUsage(trx, this.ledgerRows(attempts, null, now));
      const perUser = new Map<string, number>();
      for (const a of attempts) perUser.set(a.userId, (perUser.get(a.userId) ?? 0) + a.costMicros);
      const charges = new Map<string, { budgetId: string; periodStart: string; micros: number }>();
      for (const [userId, micros] of perUser) {
        if (micros === 0) continue;
        const user = await this.requireUser(trx, userId);
        for (const budget of await repo.findBudgets(trx, [GLOBAL_BUDGET_ID, userBudgetId(userId)])) {
          const window = periodAt(definitionOf(budget), this.timezoneOf(budget, user), now);
          const periodStart = window.start.toISOString();
          await repo.ensurePeriod(trx, newPeriodRow(budget, window.start, window.end), now.toISOString());
          const previous = charges.get(budget.id);
          charges.set(budget.id, { budgetId: budget.id, periodStart, micros: (previous?.micros ?? 0) + micros });
        }
      }
      const ordered = [...charges.values()].sort((a, b) => a.budgetId.localeCompare(b.budgetId));
      await this.charge(trx, ordered, now);
    });
  }

  private ledgerRows(attempts: UsageAttempt[], reservationId: string | null, now: Date): UsageRow[] {
    const at = now.toISOString();
    return attempts.map((a) => ({
      id: this.deps.ids.id(),
      user_id: a.userId,
      purpose: a.purpose,
      provider_id: a.providerId,
      model: a.model,
      input_tokens: a.inputTokens,
      output_tokens: a.outputTokens,
      tokens_estimated: a.tokensEstimated ? 1 : 0,
      cost_micros: a.costMicros,
      ttft_ms: a.ttftMs === null ? null : Math.round(a.ttftMs),
      total_ms: Math.round(a.totalMs),
      outcome: a.outcome,
      fallback: a.fallback ? 1 : 0,
      cached: a.cached ? 1 : 0,
      request_id: a.requestId,
      reservation_id: reservationId,
      created_at: at,
    }));
  }

  /** Adds spend to budget periods (in the order given: global first) and records the thresholds crossed. */
  private async charge(
    trx: Kysely<DB>,
    charges: { budgetId: string; periodStart: string; micros: number }[],
    now: Date,
  ): Promise<void> {
    const { repo } = this.deps;
    const paid = charges.filter((c) => c.micros !== 0).map((c) => c.budgetId);
    const budgets = new Map(paid.length > 0 ? (await repo.findBudgets(trx, paid)).map((b) => [b.id, b]) : []);
    for (const c of charges) {
      // The update takes the row's lock even for 0, so a settle and a reserve of one period never interleave.
      const period = await repo.addSpent(trx, c.budgetId, c.periodStart, c.micros);
      if (c.micros === 0) continue;
      const budget = budgets.get(c.budgetId);
      if (!budget || !period) continue;
      await this.fireAlerts(trx, budget, period, now);
    }
  }

  /** Records an alert for each threshold the period's spend has reached (once each: repeats are ignored). */
  private async fireAlerts(trx: Kysely<DB>, budget: BudgetRow, period: PeriodRow, now: Date): Promise<void> {
    const limit = budget.limit_micros;
    const crossed = (JSON.parse(budget.thresholds) as number[]).filter((t) => period.spent_micros * 100 >= t * limit);
    await this.deps.repo.insertAlerts(
      trx,
      crossed.map((threshold) => ({
        id: this.deps.ids.id(),
        budget_id: budget.id,
        user_id: budget.user_id,
        period_start: period.period_start,
        period_end: period.period_end,
        counted_from: period.counted_from,
        threshold,
        spent_micros: period.spent_micros,
        limit_micros: limit,
        created_at: now.toISOString(),
      })),
    );
  }

  /**
   * Saves a budget and opens its current period at once: the period starts from what the ledger already holds,
   * and thresholds that spend has reached are alerted now, not at the next call.
   */
  private async saveBudget(row: BudgetRow, user: BudgetUserRow | null): Promise<void> {
    const { repo, clock } = this.deps;
    await this.deps.database.writeTransaction(async (trx) => {
      await repo.upsertBudget(trx, row);
      const budget = (await repo.findBudget(trx, row.id))!;
      const now = clock.now();
      const window = periodAt(definitionOf(budget), this.timezoneOf(budget, user), now);
      await repo.ensurePeriod(trx, newPeriodRow(budget, window.start, window.end), now.toISOString());
      const period = (await repo.findPeriod(trx, budget.id, window.start.toISOString()))!;
      if (period.spent_micros > 0) await this.fireAlerts(trx, budget, period, now);
    });
  }

  // ---- budget figures -----------------------------------------------------------------------------------------

  private timezoneOf(budget: BudgetRow, user: BudgetUserRow | null): string {
    return budget.id === GLOBAL_BUDGET_ID ? (budget.timezone ?? 'UTC') : user!.timezone;
  }

  /**
   * The budget's current period, locked for this transaction (created empty when it is the first call in it), and
   * what is reserved against it. `owner` is the user of a user budget (its time zone), null for the global one.
   */
  private async lockedStanding(
    trx: Kysely<DB>,
    budget: BudgetRow,
    owner: BudgetUserRow | null,
    now: Date,
  ): Promise<Standing> {
    const { repo } = this.deps;
    const timezone = this.timezoneOf(budget, owner);
    const window = periodAt(definitionOf(budget), timezone, now);
    const start = window.start.toISOString();
    // The row exists but for the first call of a period: lock it, and create it only when that found nothing.
    let period = await repo.lockPeriod(trx, budget.id, start);
    if (!period) {
      await repo.ensurePeriod(trx, newPeriodRow(budget, window.start, window.end), now.toISOString());
      period = (await repo.lockPeriod(trx, budget.id, start))!;
    }
    const reserved = await repo.reservedMicros(trx, budget.id, period.period_start, now.toISOString());
    const base = snapshot(budget, timezone, window, period, reserved, now);
    return { budget, period, reserved, base, warnings: new Map() };
  }

  private async lockedSnapshot(
    trx: Kysely<DB>,
    budget: BudgetRow,
    owner: BudgetUserRow | null,
    now: Date,
  ): Promise<BudgetSnapshot> {
    return (await this.lockedStanding(trx, budget, owner, now)).base;
  }

  /** The budget's current period as it stands, without locking or writing. */
  private async readSnapshot(
    db: Kysely<DB>,
    budget: BudgetRow,
    user: BudgetUserRow | null,
    now: Date,
  ): Promise<BudgetSnapshot> {
    const { repo } = this.deps;
    const timezone = this.timezoneOf(budget, user);
    const window = periodAt(definitionOf(budget), timezone, now);
    const start = window.start.toISOString();
    let period = await repo.findPeriod(db, budget.id, start);
    if (!period) {
      // Not charged yet this period: what the ledger already holds counts (as it will once the row exists).
      const fresh = newPeriodRow(budget, window.start, window.end);
      period = { ...fresh, spent_micros: await repo.ledgerSpent(db, fresh, now.toISOString()) };
    }
    const reserved = await repo.reservedMicros(db, budget.id, start, now.toISOString());
    return snapshot(budget, timezone, window, period, reserved, now);
  }

  private async requireUser(db: Kysely<DB>, userId: string): Promise<BudgetUserRow> {
    const user = await this.deps.repo.findUser(db, userId);
    if (!user) throw new NotFoundError('user');
    return user;
  }

  // ---- the learner's API --------------------------------------------------------------------------------------

  /**
   * The caller's budget and, when it binds them, the global one — when they have no budget of their own, or the
   * global one leaves them less (admins always see it) — with the alerts recorded in those current periods.
   */
  async status(userId: string): Promise<MyBudgetStatus> {
    const now = this.deps.clock.now();
    const user = await this.requireUser(this.db, userId);
    const budgets = await this.deps.repo.findBudgets(this.db, [GLOBAL_BUDGET_ID, userBudgetId(userId)]);
    let own: BudgetSnapshot | null = null;
    let global: BudgetSnapshot | null = null;
    for (const budget of budgets) {
      const s = await this.readSnapshot(this.db, budget, user, now);
      if (s.scope === 'global') global = s;
      else own = s;
    }
    const binds = global !== null && (user.role === 'admin' || own === null || remainingOf(global) <= remainingOf(own));
    const shown = [own, binds ? global : null].filter((s): s is BudgetSnapshot => s !== null);
    const alerts = await this.deps.repo.listAlerts(
      this.db,
      shown.map((s) => s.budget.id),
      {
        limit: ALERTS_IN_STATUS,
        period: shown.map((s) => ({
          budgetId: s.budget.id,
          periodStart: s.periodStart.toISOString(),
          countedFrom: s.countedFrom.toISOString(),
        })),
      },
    );
    return {
      user: own && presentStatus(own),
      global: binds ? presentStatus(global!) : null,
      alerts: alerts.map(presentAlert),
    };
  }

  /** The caller's alert events, newest first; admins also get the global budget's. */
  async alerts(userId: string, isAdmin: boolean, limit: number): Promise<BudgetAlertList> {
    const ids = [userBudgetId(userId), ...(isAdmin ? [GLOBAL_BUDGET_ID] : [])];
    const rows = await this.deps.repo.listAlerts(this.db, ids, { limit });
    return { items: rows.map(presentAlert) };
  }

  /** The caller's ledger in [from, to), grouped; days in the caller's time zone. */
  async usage(userId: string, query: UsageQueryInput): Promise<UsageReport> {
    const user = await this.requireUser(this.db, userId);
    return this.report(query, user.id, user.timezone);
  }

  /**
   * Everyone's ledger (or one user's) in [from, to), grouped. Days are counted in that user's zone, or else in
   * the global budget's zone (UTC when there is none).
   */
  async adminUsage(query: UsageQueryInput & { userId?: string | undefined }): Promise<UsageReport> {
    if (query.userId !== undefined) {
      const user = await this.requireUser(this.db, query.userId);
      return this.report(query, user.id, user.timezone);
    }
    const global = await this.deps.repo.findBudget(this.db, GLOBAL_BUDGET_ID);
    return this.report(query, undefined, global?.timezone ?? 'UTC');
  }

  private async report(query: UsageQueryInput, userId: string | undefined, timezone: string): Promise<UsageReport> {
    const now = this.deps.clock.now();
    const today = startOfDay(new TZDate(now, timezone));
    const to = new Date(query.to ? Date.parse(query.to) : addDays(today, 1).getTime());
    const from = new Date(
      query.from
        ? Date.parse(query.from)
        : subDays(startOfDay(new TZDate(to.getTime() - 1, timezone)), DEFAULT_USAGE_DAYS - 1).getTime(),
    );
    if (from.getTime() >= to.getTime()) {
      throw new ValidationError([{ field: 'from', message: 'must be before to' }]);
    }
    if (to.getTime() - from.getTime() > MAX_USAGE_RANGE_DAYS * DAY_MS) {
      throw new ValidationError([{ field: 'from', message: `the range must be at most ${MAX_USAGE_RANGE_DAYS} days` }]);
    }
    const filter = { userId, from: from.toISOString(), to: to.toISOString() };
    const { repo } = this.deps;
    let groups: UsageGroupRow[];
    if (query.groupBy === 'day') {
      groups = await this.byDay(filter, from, to, timezone);
    } else {
      const column = ({ provider: 'provider_id', model: 'model', purpose: 'purpose', user: 'user_id' } as const)[
        query.groupBy
      ];
      const rows = await repo.aggregateUsage(this.db, filter, { column });
      const emails =
        query.groupBy === 'user'
          ? await repo.emailsOf(
              this.db,
              rows.map((r) => r.key),
            )
          : null;
      groups = rows
        .sort((a, b) => b.costMicros - a.costMicros || b.calls - a.calls || a.key.localeCompare(b.key))
        .map((r) => groupRow(r.key, emails?.get(r.key) ?? null, r));
    }
    const totals = groups.reduce<UsageTotals>(
      (t, g) => ({
        calls: t.calls + g.calls,
        failedCalls: t.failedCalls + g.failedCalls,
        cachedCalls: t.cachedCalls + g.cachedCalls,
        inputTokens: t.inputTokens + g.inputTokens,
        outputTokens: t.outputTokens + g.outputTokens,
        costUsd: microsToUsd(usdToMicros(t.costUsd) + usdToMicros(g.costUsd)),
      }),
      { calls: 0, failedCalls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    );
    return {
      from: filter.from,
      to: filter.to,
      groupBy: query.groupBy,
      timezone,
      totals,
      groups,
    };
  }

  /**
   * Per calendar day in `timezone`, every day of the range. The database groups by UTC hour (by minute where the
   * zone's midnights are not on whole UTC hours, e.g. Asia/Kolkata), and each bucket lies within one local day.
   */
  private async byDay(
    filter: { userId: string | undefined; from: string; to: string },
    from: Date,
    to: Date,
    timezone: string,
  ): Promise<UsageGroupRow[]> {
    const firstDay = startOfDay(new TZDate(from, timezone));
    const lastDay = startOfDay(new TZDate(to.getTime() - 1, timezone));
    const dayCount = differenceInCalendarDays(lastDay, firstDay) + 1;
    const days = new Map<string, UsageAggregateRow>();
    let wholeHours = true;
    for (let d = 0; d <= dayCount; d++) {
      const day = addDays(firstDay, d);
      if (day.getTime() % HOUR_MS !== 0) wholeHours = false;
      if (d < dayCount) days.set(format(day, 'yyyy-MM-dd'), emptyAggregate(format(day, 'yyyy-MM-dd')));
    }
    const prefix = wholeHours ? 13 : 16;
    const rows = await this.deps.repo.aggregateUsage(this.db, filter, { timePrefix: prefix });
    for (const r of rows) {
      const bucketStart = new Date(`${r.key}${prefix === 13 ? ':00' : ''}:00.000Z`);
      const day = days.get(format(new TZDate(bucketStart, timezone), 'yyyy-MM-dd'));
      /* c8 ignore next -- every bucket of a row in [from, to) starts within the days listed */
      if (!day) continue;
      day.calls += r.calls;
      day.failedCalls += r.failedCalls;
      day.cachedCalls += r.cachedCalls;
      day.inputTokens += r.inputTokens;
      day.outputTokens += r.outputTokens;
      day.costMicros += r.costMicros;
    }
    return [...days.values()].map((d) => groupRow(d.key, null, d));
  }

  // ---- admin --------------------------------------------------------------------------------------------------

  async getGlobal(): Promise<GlobalBudgetResponse> {
    const budget = await this.deps.repo.findBudget(this.db, GLOBAL_BUDGET_ID);
    if (!budget) return { budget: null, status: null };
    const s = await this.readSnapshot(this.db, budget, null, this.deps.clock.now());
    return { budget: presentBudget(budget, s.timezone), status: presentStatus(s) };
  }

  /** Creates or replaces the global budget; its spend so far in the current period is kept. */
  async putGlobal(input: BudgetInput, adminId: string): Promise<GlobalBudgetResponse> {
    const timezone = input.timezone ?? 'UTC';
    await this.saveBudget(this.budgetRow(GLOBAL_BUDGET_ID, null, input, timezone, adminId), null);
    return this.getGlobal();
  }

  async deleteGlobal(): Promise<void> {
    if (!(await this.deps.repo.deleteBudget(this.db, GLOBAL_BUDGET_ID))) throw new NotFoundError('global budget');
  }

  async getUserBudget(userId: string): Promise<UserBudgetResponse> {
    const user = await this.requireUser(this.db, userId);
    const budget = await this.deps.repo.findBudget(this.db, userBudgetId(userId));
    return this.userBudgetView(user, budget ?? null);
  }

  /** Creates or replaces a user's budget (periods in the user's zone); their spend in the current period is kept. */
  async putUserBudget(userId: string, input: BudgetInput, adminId: string): Promise<UserBudgetResponse> {
    const user = await this.requireUser(this.db, userId);
    const row = this.budgetRow(userBudgetId(userId), userId, { ...input, timezone: undefined }, user.timezone, adminId);
    await this.saveBudget(row, user);
    return this.getUserBudget(userId);
  }

  async deleteUserBudget(userId: string): Promise<void> {
    await this.requireUser(this.db, userId);
    if (!(await this.deps.repo.deleteBudget(this.db, userBudgetId(userId)))) throw new NotFoundError('budget');
  }

  /** Every user with a budget, with its current status, by email. */
  async listUserBudgets(): Promise<UserBudgetList> {
    const rows = await this.deps.repo.listUserBudgets(this.db);
    const items: UserBudgetResponse[] = [];
    for (const { user, budget } of rows) items.push(await this.userBudgetView(user, budget));
    return { items };
  }

  private async userBudgetView(user: BudgetUserRow, budget: BudgetRow | null): Promise<UserBudgetResponse> {
    if (!budget) return { user: presentBudgetUser(user), budget: null, status: null };
    const s = await this.readSnapshot(this.db, budget, user, this.deps.clock.now());
    return { user: presentBudgetUser(user), budget: presentBudget(budget, s.timezone), status: presentStatus(s) };
  }

  /**
   * Restarts the count of a user's current period: spend counts from now (calls still in flight settle into the
   * new count). Logged with who, when, the spend and the limit before and after (an optional new limit applies).
   */
  async resetUser(
    userId: string,
    body: { reason: string; limitUsd?: number | undefined },
    adminId: string,
  ): Promise<ResetResponse> {
    const { repo, clock, ids } = this.deps;
    return this.deps.database.writeTransaction(async (trx) => {
      const now = clock.now();
      const user = await this.requireUser(trx, userId);
      const budget = await repo.findBudget(trx, userBudgetId(userId));
      if (!budget) throw new NotFoundError('budget');
      const before = await this.lockedSnapshot(trx, budget, user, now);
      const limitAfter = body.limitUsd === undefined ? budget.limit_micros : usdToMicros(body.limitUsd);
      if (limitAfter !== budget.limit_micros) {
        await repo.updateBudgetLimit(trx, budget.id, limitAfter, now.toISOString(), adminId);
      }
      const periodStart = before.periodStart.toISOString();
      await repo.restartCount(trx, budget.id, periodStart, now.toISOString());
      const reset = {
        id: ids.id(),
        budget_id: budget.id,
        user_id: userId,
        reset_by: adminId,
        reset_at: now.toISOString(),
        period_start: periodStart,
        period_end: before.periodEnd.toISOString(),
        spent_before_micros: before.spentMicros,
        limit_before_micros: budget.limit_micros,
        limit_after_micros: limitAfter,
        reason: body.reason,
      };
      await repo.insertReset(trx, reset);
      const after = await this.readSnapshot(trx, { ...budget, limit_micros: limitAfter }, user, now);
      return { reset: presentReset(reset), status: presentStatus(after) };
    });
  }

  /** The user's reset log, newest first. */
  async resets(userId: string): Promise<BudgetResetList> {
    await this.requireUser(this.db, userId);
    const rows = await this.deps.repo.listResets(this.db, userId);
    return { items: rows.map(presentReset) };
  }

  private budgetRow(
    id: string,
    userId: string | null,
    input: BudgetInput,
    timezone: string,
    adminId: string,
  ): BudgetRow {
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const custom = input.period === 'custom';
    return {
      id,
      user_id: userId,
      period: input.period,
      custom_days: custom ? (input.customDays ?? null) : null,
      anchor_date: custom ? (input.anchorDate ?? localDate(now, timezone)) : null,
      timezone: userId === null ? timezone : null,
      limit_micros: usdToMicros(input.limitUsd),
      thresholds: JSON.stringify(input.thresholds ?? DEFAULT_THRESHOLDS),
      mode: input.mode,
      created_at: at,
      updated_at: at,
      updated_by: adminId,
    };
  }
}

// ---- pure rules -------------------------------------------------------------------------------------------------

function definitionOf(budget: BudgetRow) {
  return { period: budget.period, customDays: budget.custom_days, anchorDate: budget.anchor_date };
}

function newPeriodRow(budget: BudgetRow, start: Date, end: Date): PeriodRow {
  return {
    budget_id: budget.id,
    period_start: start.toISOString(),
    period_end: end.toISOString(),
    user_id: budget.user_id,
    spent_micros: 0,
    counted_from: start.toISOString(),
  };
}

/** The band the spend has reached: ok below 50 %, then 50, 75, 90, 100 (a limit of 0 is always at 100). */
export function alertLevelOf(spentMicros: number, limitMicros: number): AlertLevel {
  if (limitMicros <= 0) return '100';
  for (const level of [100, 90, 75, 50] as const) {
    if (spentMicros * 100 >= limitMicros * level) return String(level) as AlertLevel;
  }
  return 'ok';
}

/**
 * Spend extrapolated linearly: spent ÷ elapsed × (period end − count start), with elapsed taken as at least one
 * hour so the first minutes of a period do not project absurd figures.
 */
export function projectMicros(spentMicros: number, countedFrom: Date, periodEnd: Date, now: Date): number {
  const elapsed = Math.max(HOUR_MS, now.getTime() - countedFrom.getTime());
  const span = Math.max(elapsed, periodEnd.getTime() - countedFrom.getTime());
  return Math.round((spentMicros * span) / elapsed);
}

function snapshot(
  budget: BudgetRow,
  timezone: string,
  window: { start: Date; end: Date },
  period: PeriodRow,
  reservedMicros: number,
  now: Date,
): BudgetSnapshot {
  const limit = budget.limit_micros;
  const spent = period.spent_micros;
  const countedFrom = new Date(period.counted_from);
  return {
    scope: scopeOf(budget.id),
    budget,
    timezone,
    periodStart: window.start,
    periodEnd: window.end,
    countedFrom,
    spentMicros: spent,
    reservedMicros,
    percentUsed: percentOf(spent, limit),
    alertLevel: alertLevelOf(spent, limit),
    projectedMicros: projectMicros(spent, countedFrom, window.end, now),
    exhausted: spent + reservedMicros >= limit,
  };
}

/** spent ÷ limit as a percentage with two decimals, rounded down (100 for a limit of 0). */
export function percentOf(spentMicros: number, limitMicros: number): number {
  return limitMicros > 0 ? Math.floor((spentMicros * 10_000) / limitMicros) / 100 : 100;
}

function remainingOf(s: BudgetSnapshot): number {
  return Math.max(0, s.budget.limit_micros - s.spentMicros - s.reservedMicros);
}

function budgetName(s: BudgetSnapshot): string {
  const limit = formatUsd(s.budget.limit_micros);
  return s.scope === 'global'
    ? `The shared ${s.budget.period} AI budget of ${limit}`
    : `Your ${s.budget.period} AI budget of ${limit}`;
}

function formatUsd(micros: number): string {
  const usd = microsToUsd(micros);
  return `$${usd.toFixed(usd !== 0 && Math.abs(usd) < 0.01 ? 6 : 2)}`;
}

/** What a call admitted under this budget should tell the user, if anything. */
function warningFor(s: BudgetSnapshot): BudgetWarning | null {
  // Formatting the reset time in the zone costs about as much as the rest of a reservation: only when it is shown.
  const resets = () => describeInstant(s.periodEnd, s.timezone);
  if (s.exhausted) {
    const consequence =
      s.budget.mode === 'fallback'
        ? `only free models answer until it resets on ${resets()}`
        : `calls continue over the limit until it resets on ${resets()}`;
    return { scope: s.scope, alertLevel: '100', message: `${budgetName(s)} is used up; ${consequence}` };
  }
  const thresholds = JSON.parse(s.budget.thresholds) as number[];
  const reached = thresholds.some((t) => s.spentMicros * 100 >= t * s.budget.limit_micros);
  if (!reached) return null;
  return {
    scope: s.scope,
    alertLevel: s.alertLevel,
    message: `${budgetName(s)} is ${Math.floor(s.percentUsed)}% used (${formatUsd(s.spentMicros)}); it resets on ${resets()}`,
  };
}

function emptyAggregate(key: string): UsageAggregateRow {
  return { key, calls: 0, failedCalls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 };
}

function groupRow(key: string, label: string | null, r: UsageAggregateRow): UsageGroupRow {
  return {
    key,
    label,
    calls: r.calls,
    failedCalls: r.failedCalls,
    cachedCalls: r.cachedCalls,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    costUsd: microsToUsd(r.costMicros),
  };
}

function assertMicros(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a whole number of micro-dollars, 0 or more`);
  }
}

function assertAttempt(a: UsageAttempt): void {
  assertMicros(a.costMicros, 'costMicros');
  assertMicros(a.inputTokens, 'inputTokens');
  assertMicros(a.outputTokens, 'outputTokens');
}
