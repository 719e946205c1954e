import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BudgetInput } from '../../../shared/budget.js';
import { DomainError, NotFoundError, ValidationError } from '../../http/errors.js';
import { testDatabases } from '../../test/databases.js';
import { buildApp } from '../../app.js';
import { randomIds } from '../../lib/ids.js';
import { registerUser, sharedSpelling, startTestApp, testConfig, type TestApp } from '../../test/harness.js';
import { createBudgetRepository } from './budget.repository.js';
import {
  alertLevelOf,
  BudgetExhaustedError,
  BudgetService,
  projectMicros,
  RESERVATION_PRUNE_INTERVAL_MS,
  RESERVATION_RETENTION_MS,
  RESERVATION_TTL_MS,
  type UsageAttempt,
} from './budget.service.js';

const ADMIN = 'admin-under-test';
let requestCounter = 0;

/** One ledger attempt for `userId`, costing `costMicros`. */
function attempt(userId: string, costMicros: number, overrides: Partial<UsageAttempt> = {}): UsageAttempt {
  requestCounter += 1;
  return {
    userId,
    purpose: 'conversation',
    providerId: 'openai',
    model: 'gpt-test',
    inputTokens: 100,
    outputTokens: 50,
    tokensEstimated: false,
    costMicros,
    ttftMs: 120,
    totalMs: 900,
    outcome: 'ok',
    fallback: false,
    cached: false,
    requestId: `req-${requestCounter}`,
    ...overrides,
  };
}

function budget(overrides: Partial<BudgetInput> = {}): BudgetInput {
  return { period: 'monthly', limitUsd: 1, mode: 'block', ...overrides };
}

describe.each(testDatabases())('budget service on $name', (kind) => {
  let t: TestApp;
  let svc: BudgetService;

  /** A user registered in `timezone`, with a budget when given. */
  async function learner(input?: BudgetInput, timezone = 'UTC'): Promise<string> {
    const user = await registerUser(t.app, { timezone });
    if (input) await svc.putUserBudget(user.id, input, ADMIN);
    return user.id;
  }

  /** Reserve then settle one call costing `cost` (its maximum too, unless given). */
  async function spend(userId: string, cost: number, max = cost) {
    const r = await svc.reserve({ userId, maxCostMicros: max, requestId: 'spend' });
    await svc.settle(r.reservationId, [attempt(userId, cost)]);
    return r;
  }

  // One app per database; each test makes its own users. Tests with a global budget (shared by everyone) run in
  // a month of their own, since a period's spend outlives the budget's removal.
  beforeAll(async () => {
    t = await startTestApp(kind);
    svc = t.app.services.budget;
  });
  beforeEach(() => {
    t.clock.set('2026-01-15T12:00:00.000Z');
  });
  afterEach(async () => {
    await svc.deleteGlobal().catch(() => undefined);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('without a budget', () => {
    it('admits every call, holds nothing and records each attempt in the ledger', async () => {
      const userId = await learner();
      const r = await svc.reserve({ userId, maxCostMicros: 50_000, requestId: 'r1' });
      expect(r).toEqual({ reservationId: expect.any(String), zeroCostOnly: false, warnings: [] });
      await svc.settle(r.reservationId, [
        attempt(userId, 0, { providerId: 'anthropic', outcome: 'server_error', ttftMs: null, totalMs: 30.6 }),
        attempt(userId, 2_500, { fallback: true, tokensEstimated: true }),
      ]);
      const report = await svc.usage(userId, { groupBy: 'provider' });
      expect(report.totals).toEqual({
        calls: 2,
        failedCalls: 1,
        cachedCalls: 0,
        inputTokens: 200,
        outputTokens: 100,
        costUsd: 0.0025,
      });
      expect(report.groups.map((g) => [g.key, g.calls, g.costUsd])).toEqual([
        ['openai', 1, 0.0025],
        ['anthropic', 1, 0],
      ]);
      const rows = await t.database.db.selectFrom('ai_usage').selectAll().where('user_id', '=', userId).execute();
      expect(rows.find((row) => row.provider_id === 'anthropic')).toMatchObject({
        outcome: 'server_error',
        ttft_ms: null,
        total_ms: 31,
        reservation_id: r.reservationId,
        request_id: expect.stringMatching(/^req-/),
      });
      expect(rows.find((row) => row.provider_id === 'openai')).toMatchObject({ fallback: 1, tokens_estimated: 1 });
    });

    it('refuses a reservation for an unknown user and an unknown reservation', async () => {
      await expect(svc.reserve({ userId: 'nobody', maxCostMicros: 1, requestId: 'x' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(svc.settle('no-such-reservation', [])).rejects.toBeInstanceOf(NotFoundError);
    });

    it('refuses a maximum or a cost that is not whole micro-dollars', async () => {
      const userId = await learner();
      await expect(svc.reserve({ userId, maxCostMicros: 1.5, requestId: 'x' })).rejects.toThrow(RangeError);
      await expect(svc.reserve({ userId, maxCostMicros: -1, requestId: 'x' })).rejects.toThrow(RangeError);
      const r = await svc.reserve({ userId, maxCostMicros: 1, requestId: 'x' });
      await expect(svc.settle(r.reservationId, [attempt(userId, -5)])).rejects.toThrow(RangeError);
      await expect(svc.recordUnreserved([attempt(userId, 0, { inputTokens: 0.5 })])).rejects.toThrow(RangeError);
    });

    it('settles a reservation once: settling again writes nothing more', async () => {
      const userId = await learner(budget({ limitUsd: 10 }));
      const r = await svc.reserve({ userId, maxCostMicros: 1_000, requestId: 'r' });
      await svc.settle(r.reservationId, [attempt(userId, 700)]);
      await svc.settle(r.reservationId, [attempt(userId, 700)]);
      expect((await svc.usage(userId, { groupBy: 'model' })).totals.calls).toBe(1);
      expect((await svc.status(userId)).user).toMatchObject({ spentUsd: 0.0007, reservedUsd: 0 });
    });

    it('records cache hits without a reservation, as cached and free', async () => {
      const userId = await learner();
      await svc.recordUnreserved([attempt(userId, 0, { cached: true, inputTokens: 0, outputTokens: 0 })]);
      await svc.recordUnreserved([]);
      const report = await svc.usage(userId, { groupBy: 'purpose' });
      expect(report.groups).toEqual([
        {
          key: 'conversation',
          label: null,
          calls: 1,
          failedCalls: 0,
          cachedCalls: 1,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
        },
      ]);
      const row = await t.database.db
        .selectFrom('ai_usage')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirst();
      expect(row).toMatchObject({ cached: 1, reservation_id: null });
    });
  });

  describe('modes', () => {
    it('block: refuses with budget_exhausted, saying when the period resets', async () => {
      const userId = await learner(budget({ limitUsd: 0.01, mode: 'block' }), 'Europe/Berlin');
      await spend(userId, 10_000);
      const error = await svc.reserve({ userId, maxCostMicros: 1, requestId: 'late' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BudgetExhaustedError);
      const exhausted = error as BudgetExhaustedError;
      expect(exhausted).toBeInstanceOf(DomainError);
      expect(exhausted.code).toBe('budget_exhausted');
      expect(exhausted.scope).toBe('user');
      expect(exhausted.resetsAt).toBe('2026-01-31T23:00:00.000Z');
      expect(exhausted.message).toBe(
        'Your monthly AI budget of $0.01 is used up; it resets on 1 Feb 2026, 00:00 (Europe/Berlin)',
      );
      expect(exhausted.details).toEqual([
        { field: 'scope', message: 'user' },
        { field: 'resetsAt', message: '2026-01-31T23:00:00.000Z' },
      ]);
    });

    it('block: counts reservations in flight, not only settled spend', async () => {
      const userId = await learner(budget({ limitUsd: 0.1, mode: 'block' }));
      await svc.reserve({ userId, maxCostMicros: 100_000, requestId: 'big' });
      await expect(svc.reserve({ userId, maxCostMicros: 1, requestId: 'next' })).rejects.toBeInstanceOf(
        BudgetExhaustedError,
      );
      expect((await svc.status(userId)).user).toMatchObject({
        spentUsd: 0,
        reservedUsd: 0.1,
        remainingUsd: 0,
        exhausted: true,
        alertLevel: 'ok',
      });
    });

    it('block: a limit of 0 refuses even a free call', async () => {
      const userId = await learner(budget({ limitUsd: 0, mode: 'block' }));
      await expect(svc.reserve({ userId, maxCostMicros: 0, requestId: 'free' })).rejects.toBeInstanceOf(
        BudgetExhaustedError,
      );
      expect((await svc.status(userId)).user).toMatchObject({ percentUsed: 100, alertLevel: '100' });
    });

    it('fallback: once spent, calls are limited to zero-cost providers and hold nothing', async () => {
      const userId = await learner(budget({ limitUsd: 0.01, mode: 'fallback' }));
      const before = await spend(userId, 10_000);
      expect(before.zeroCostOnly).toBe(false);
      const r = await svc.reserve({ userId, maxCostMicros: 40_000, requestId: 'free-only' });
      expect(r.zeroCostOnly).toBe(true);
      expect(r.warnings).toEqual([
        {
          scope: 'user',
          alertLevel: '100',
          message:
            'Your monthly AI budget of $0.01 is used up; only free models answer until it resets on 1 Feb 2026, 00:00 (UTC)',
        },
      ]);
      expect((await svc.status(userId)).user!.reservedUsd).toBe(0);
      await svc.settle(r.reservationId, [attempt(userId, 0, { providerId: 'ollama' })]);
      expect((await svc.status(userId)).user!.spentUsd).toBe(0.01);
    });

    it('warn: once spent, calls still reserve and proceed with a warning', async () => {
      const userId = await learner(budget({ limitUsd: 0.01, mode: 'warn' }));
      await spend(userId, 12_000);
      const r = await svc.reserve({ userId, maxCostMicros: 5_000, requestId: 'over' });
      expect(r.zeroCostOnly).toBe(false);
      expect(r.warnings).toEqual([
        {
          scope: 'user',
          alertLevel: '100',
          message:
            'Your monthly AI budget of $0.01 is used up; calls continue over the limit until it resets on 1 Feb 2026, 00:00 (UTC)',
        },
      ]);
      expect((await svc.status(userId)).user).toMatchObject({
        spentUsd: 0.012,
        reservedUsd: 0.005,
        remainingUsd: 0,
        percentUsed: 120,
        alertLevel: '100',
      });
    });

    it('warn: a limit of 0 warns on every call and its first paid call fires every threshold', async () => {
      const userId = await learner(budget({ limitUsd: 0, mode: 'warn' }));
      const r = await svc.reserve({ userId, maxCostMicros: 10, requestId: 'zero' });
      expect(r.warnings.map((w) => w.alertLevel)).toEqual(['100']);
      await svc.settle(r.reservationId, [attempt(userId, 1)]);
      const alerts = (await svc.alerts(userId, false, 50)).items;
      expect(alerts.map((a) => [a.threshold, a.percentUsed])).toEqual([
        [100, 100],
        [90, 100],
        [75, 100],
        [50, 100],
      ]);
    });

    it('warns before the limit once an alert threshold is reached', async () => {
      const userId = await learner(budget({ limitUsd: 1, mode: 'block', thresholds: [80] }));
      await spend(userId, 790_000);
      expect((await svc.reserve({ userId, maxCostMicros: 1, requestId: 'a' })).warnings).toEqual([]);
      await spend(userId, 20_000);
      expect((await svc.reserve({ userId, maxCostMicros: 1, requestId: 'b' })).warnings).toEqual([
        {
          scope: 'user',
          alertLevel: '75',
          message: 'Your monthly AI budget of $1.00 is 81% used ($0.81); it resets on 1 Feb 2026, 00:00 (UTC)',
        },
      ]);
    });

    it('applies the global budget to everyone, in its own time zone', async () => {
      t.clock.set('2031-01-15T12:00:00.000Z');
      await svc.putGlobal(budget({ limitUsd: 0.02, mode: 'block', timezone: 'America/New_York' }), ADMIN);
      const a = await learner();
      const b = await learner(budget({ limitUsd: 100, mode: 'warn' }));
      await spend(a, 15_000);
      await spend(b, 5_000);
      const error = (await svc.reserve({ userId: b, maxCostMicros: 1, requestId: 'x' }).catch((e) => e)) as
        BudgetExhaustedError | undefined;
      expect(error).toBeInstanceOf(BudgetExhaustedError);
      expect(error!.scope).toBe('global');
      expect(error!.resetsAt).toBe('2031-02-01T05:00:00.000Z');
      expect(error!.message).toBe(
        'The shared monthly AI budget of $0.02 is used up; it resets on 1 Feb 2031, 00:00 (America/New_York)',
      );
      expect((await svc.status(b)).user!.spentUsd).toBe(0.005);
    });

    it('lets a spent fallback budget turn a warned call into a zero-cost one, reporting both', async () => {
      t.clock.set('2031-03-15T12:00:00.000Z');
      await svc.putGlobal(budget({ limitUsd: 0.01, mode: 'fallback' }), ADMIN);
      const userId = await learner(budget({ limitUsd: 0.005, mode: 'warn' }));
      await spend(userId, 10_000);
      const r = await svc.reserve({ userId, maxCostMicros: 9_000, requestId: 'both' });
      expect(r.zeroCostOnly).toBe(true);
      expect(r.warnings.map((w) => [w.scope, w.alertLevel])).toEqual([
        ['global', '100'],
        ['user', '100'],
      ]);
      const status = await svc.status(userId);
      expect(status.user!.reservedUsd).toBe(0);
      expect(status.global!.reservedUsd).toBe(0);
    });
  });

  describe('reservations', () => {
    it('stop holding budget when they expire, and a late settle still counts its cost', async () => {
      const userId = await learner(budget({ limitUsd: 0.1, mode: 'block' }));
      const stale = await svc.reserve({ userId, maxCostMicros: 100_000, requestId: 'crashed' });
      t.clock.advance(10 * 60_000);
      expect((await svc.status(userId)).user).toMatchObject({ reservedUsd: 0, exhausted: false });
      const fresh = await svc.reserve({ userId, maxCostMicros: 50_000, requestId: 'next' });
      expect(fresh.zeroCostOnly).toBe(false);
      await svc.settle(stale.reservationId, [attempt(userId, 30_000)]);
      expect((await svc.status(userId)).user).toMatchObject({ spentUsd: 0.03, reservedUsd: 0.05 });
    });
  });

  describe('pruning', () => {
    it('deletes reservations a day after they expire, settled or abandoned, with their holds; the ledger stays', async () => {
      const userId = await learner(budget({ limitUsd: 1 }));
      const settled = await spend(userId, 700, 1_000);
      const abandoned = await svc.reserve({ userId, maxCostMicros: 2_000, requestId: 'crashed' });
      t.clock.advance(RESERVATION_TTL_MS + RESERVATION_RETENTION_MS + 60_000);
      const fresh = await svc.reserve({ userId, maxCostMicros: 3_000, requestId: 'now' });
      const rows = (table: 'budget_reservations' | 'budget_holds', column: 'id' | 'reservation_id') =>
        t.database.db
          .selectFrom(table)
          .select(column)
          .where(column, 'in', [settled.reservationId, abandoned.reservationId, fresh.reservationId])
          .execute()
          .then((found) => found.map((r) => (r as Record<string, string>)[column]).sort());

      expect(await svc.pruneReservations()).toBeGreaterThanOrEqual(2);
      expect(await rows('budget_reservations', 'id')).toEqual([fresh.reservationId]);
      expect(await rows('budget_holds', 'reservation_id')).toEqual([fresh.reservationId]);
      expect(await svc.pruneReservations()).toBe(0);
      // The settled call is still in the ledger and the period's spend; the fresh reservation still holds.
      expect((await svc.usage(userId, { groupBy: 'model' })).totals.calls).toBe(1);
      expect((await svc.status(userId)).user).toMatchObject({ spentUsd: 0.0007, reservedUsd: 0.003 });
      await expect(svc.settle(abandoned.reservationId, [])).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('a budget removed during a call', () => {
    it('still gets the call charged to its period, kept should the budget come back', async () => {
      const userId = await learner(budget({ limitUsd: 1, mode: 'block' }));
      const r = await svc.reserve({ userId, maxCostMicros: 600_000, requestId: 'mid' });
      await svc.deleteUserBudget(userId);
      await expect(svc.deleteUserBudget(userId)).rejects.toBeInstanceOf(NotFoundError);
      await svc.settle(r.reservationId, [attempt(userId, 600_000)]);
      expect((await svc.status(userId)).user).toBeNull();
      expect((await svc.alerts(userId, false, 10)).items).toEqual([]);
      await svc.putUserBudget(userId, budget({ limitUsd: 1, mode: 'block' }), ADMIN);
      expect((await svc.status(userId)).user).toMatchObject({ spentUsd: 0.6, reservedUsd: 0 });
    });
  });

  describe('periods', () => {
    it('rolls a Europe/Berlin monthly budget over at Berlin midnight, not UTC midnight', async () => {
      const userId = await learner(budget({ limitUsd: 0.01, mode: 'block' }), 'Europe/Berlin');
      t.clock.set('2026-01-31T22:30:00.000Z');
      await spend(userId, 10_000);
      await expect(svc.reserve({ userId, maxCostMicros: 1, requestId: 'jan' })).rejects.toBeInstanceOf(
        BudgetExhaustedError,
      );

      t.clock.set('2026-01-31T23:30:00.000Z');
      const feb = await svc.status(userId);
      expect(feb.user).toMatchObject({
        spentUsd: 0,
        periodStart: '2026-01-31T23:00:00.000Z',
        periodEnd: '2026-02-28T23:00:00.000Z',
        timezone: 'Europe/Berlin',
        exhausted: false,
      });
      await spend(userId, 4_000);
      expect((await svc.status(userId)).user!.spentUsd).toBe(0.004);

      const days = await svc.usage(userId, {
        from: '2026-01-31T00:00:00.000Z',
        to: '2026-02-01T12:00:00.000Z',
        groupBy: 'day',
      });
      expect(days.groups.map((g) => [g.key, g.costUsd])).toEqual([
        ['2026-01-31', 0.01],
        ['2026-02-01', 0.004],
      ]);
    });

    it('keeps the spend of the period when the budget is edited, and starts afresh when its period changes', async () => {
      const userId = await learner(budget({ limitUsd: 1, mode: 'warn' }));
      await spend(userId, 300_000);
      await svc.putUserBudget(userId, budget({ limitUsd: 2, mode: 'block' }), ADMIN);
      expect((await svc.status(userId)).user).toMatchObject({ spentUsd: 0.3, limitUsd: 2, mode: 'block' });
      await svc.putUserBudget(userId, budget({ period: 'daily', limitUsd: 2, mode: 'block' }), ADMIN);
      expect((await svc.status(userId)).user).toMatchObject({
        spentUsd: 0,
        periodStart: '2026-01-15T00:00:00.000Z',
        periodEnd: '2026-01-16T00:00:00.000Z',
      });
    });

    it('runs custom periods of N days from the anchor date', async () => {
      const userId = await learner(budget({ period: 'custom', customDays: 10, anchorDate: '2026-01-01' }));
      expect((await svc.status(userId)).user).toMatchObject({
        period: 'custom',
        periodStart: '2026-01-11T00:00:00.000Z',
        periodEnd: '2026-01-21T00:00:00.000Z',
      });
      const defaulted = await learner(budget({ period: 'custom', customDays: 7 }));
      expect((await svc.getUserBudget(defaulted)).budget).toMatchObject({ anchorDate: '2026-01-15', customDays: 7 });
    });

    it('projects the spend linearly to the end of the period', async () => {
      const userId = await learner(budget({ period: 'daily', limitUsd: 10, mode: 'warn' }));
      t.clock.set('2026-01-15T06:00:00.000Z');
      await spend(userId, 250_000);
      // A quarter of the day gone: four times the spend.
      expect((await svc.status(userId)).user!.projectedUsd).toBe(1);
    });
  });

  describe('alert thresholds', () => {
    it('records each threshold once per period, including several crossed by one call', async () => {
      const userId = await learner(budget({ limitUsd: 1, mode: 'warn' }));
      await spend(userId, 500_000);
      await spend(userId, 100_000);
      let alerts = (await svc.alerts(userId, false, 50)).items;
      expect(alerts.map((a) => a.threshold)).toEqual([50]);
      await spend(userId, 350_000);
      alerts = (await svc.alerts(userId, false, 50)).items;
      expect(alerts.map((a) => a.threshold)).toEqual([90, 75, 50]);
      expect(alerts[0]).toMatchObject({
        scope: 'user',
        userId,
        percentUsed: 95,
        spentUsd: 0.95,
        limitUsd: 1,
        periodStart: '2026-01-01T00:00:00.000Z',
        periodEnd: '2026-02-01T00:00:00.000Z',
      });
      await spend(userId, 30_000);
      await spend(userId, 30_000);
      alerts = (await svc.alerts(userId, false, 50)).items;
      expect(alerts.map((a) => a.threshold)).toEqual([100, 90, 75, 50]);
      expect((await svc.status(userId)).alerts).toHaveLength(4);

      t.clock.set('2026-02-03T00:00:00.000Z');
      expect((await svc.status(userId)).alerts).toEqual([]);
      await spend(userId, 600_000);
      alerts = (await svc.alerts(userId, false, 50)).items;
      expect(alerts.map((a) => [a.threshold, a.periodStart])).toEqual([
        [50, '2026-02-01T00:00:00.000Z'],
        [100, '2026-01-01T00:00:00.000Z'],
        [90, '2026-01-01T00:00:00.000Z'],
        [75, '2026-01-01T00:00:00.000Z'],
        [50, '2026-01-01T00:00:00.000Z'],
      ]);
      expect((await svc.alerts(userId, false, 2)).items).toHaveLength(2);
    });

    it('records global alerts, shown to admins only', async () => {
      t.clock.set('2031-05-15T12:00:00.000Z');
      await svc.putGlobal(budget({ limitUsd: 0.01, mode: 'warn', thresholds: [50] }), ADMIN);
      const userId = await learner();
      await spend(userId, 6_000);
      expect((await svc.alerts(userId, false, 50)).items).toEqual([]);
      const adminView = (await svc.alerts(userId, true, 50)).items;
      expect(adminView[0]).toMatchObject({
        scope: 'global',
        userId: null,
        threshold: 50,
        periodStart: '2031-05-01T00:00:00.000Z',
      });
      expect(adminView.every((a) => a.scope === 'global')).toBe(true);
    });

    it('charges costs recorded without a reservation and fires their alerts', async () => {
      t.clock.set('2031-07-15T12:00:00.000Z');
      const userId = await learner(budget({ limitUsd: 0.01, mode: 'block' }));
      await svc.putGlobal(budget({ limitUsd: 0.5, mode: 'warn', thresholds: [1] }), ADMIN);
      await svc.recordUnreserved([attempt(userId, 3_000), attempt(userId, 3_000)]);
      expect((await svc.status(userId)).user!.spentUsd).toBe(0.006);
      expect((await svc.getGlobal()).status!.spentUsd).toBe(0.006);
      const alerts = (await svc.alerts(userId, true, 2)).items;
      expect(alerts.map((a) => [a.scope, a.threshold])).toEqual([
        ['user', 50],
        ['global', 1],
      ]);
    });
  });

  describe('admin reset', () => {
    it('restarts the count from now, logs it, and lets thresholds fire again', async () => {
      const userId = await learner(budget({ limitUsd: 0.01, mode: 'block' }));
      await spend(userId, 10_000);
      t.clock.set('2026-01-20T08:00:00.000Z');
      const first = await svc.resetUser(userId, { reason: 'exam week' }, ADMIN);
      expect(first.reset).toMatchObject({
        userId,
        resetBy: ADMIN,
        resetAt: '2026-01-20T08:00:00.000Z',
        periodStart: '2026-01-01T00:00:00.000Z',
        periodEnd: '2026-02-01T00:00:00.000Z',
        spentBeforeUsd: 0.01,
        limitBeforeUsd: 0.01,
        limitAfterUsd: 0.01,
        reason: 'exam week',
      });
      expect(first.status).toMatchObject({ spentUsd: 0, countedFrom: '2026-01-20T08:00:00.000Z', exhausted: false });

      await spend(userId, 6_000);
      expect((await svc.status(userId)).alerts.map((a) => a.threshold)).toEqual([50]);

      t.clock.set('2026-01-21T08:00:00.000Z');
      const second = await svc.resetUser(userId, { reason: 'raise', limitUsd: 0.05 }, ADMIN);
      expect(second.reset).toMatchObject({ spentBeforeUsd: 0.006, limitBeforeUsd: 0.01, limitAfterUsd: 0.05 });
      expect(second.status).toMatchObject({ limitUsd: 0.05, spentUsd: 0 });
      expect((await svc.getUserBudget(userId)).budget).toMatchObject({ limitUsd: 0.05, updatedBy: ADMIN });

      const history = await svc.resets(userId);
      expect(history.items.map((r) => r.reason)).toEqual(['raise', 'exam week']);
    });

    it('refuses to reset a user without a budget, or an unknown user', async () => {
      const userId = await learner();
      await expect(svc.resetUser(userId, { reason: 'x' }, ADMIN)).rejects.toBeInstanceOf(NotFoundError);
      await expect(svc.resetUser('nobody', { reason: 'x' }, ADMIN)).rejects.toBeInstanceOf(NotFoundError);
      await expect(svc.resets('nobody')).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('usage reports', () => {
    it('counts days in a zone whose midnight is not on a whole UTC hour', async () => {
      const userId = await learner(undefined, 'Asia/Kolkata');
      // 18:29Z is 23:59 in Kolkata on the 15th; 18:31Z is 00:01 on the 16th.
      t.clock.set('2026-01-15T18:29:00.000Z');
      await spend(userId, 1_000);
      t.clock.set('2026-01-15T18:31:00.000Z');
      await spend(userId, 2_000);
      const report = await svc.usage(userId, { groupBy: 'day' });
      expect(report.timezone).toBe('Asia/Kolkata');
      expect(report.groups).toHaveLength(30);
      expect(report.groups.slice(-2).map((g) => [g.key, g.costUsd])).toEqual([
        ['2026-01-15', 0.001],
        ['2026-01-16', 0.002],
      ]);
      expect(report.from).toBe('2025-12-17T18:30:00.000Z');
    });

    it('refuses a range that is empty, reversed or longer than 366 days', async () => {
      const userId = await learner();
      const iso = '2026-01-10T00:00:00.000Z';
      await expect(svc.usage(userId, { from: iso, to: iso, groupBy: 'day' })).rejects.toBeInstanceOf(ValidationError);
      await expect(
        svc.usage(userId, { from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', groupBy: 'model' }),
      ).rejects.toBeInstanceOf(ValidationError);
    });
  });
});

describe.each(testDatabases())('budget concurrency on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    t.clock.set('2026-03-10T12:00:00.000Z');
  });
  afterAll(async () => {
    await t.close();
  });

  const LIMIT = 1_000_000;
  const MAX = 30_000;

  async function nearlySpent(mode: 'block' | 'fallback', global: boolean) {
    const user = await registerUser(t.app);
    const svc = t.app.services.budget;
    const input = { period: 'monthly' as const, limitUsd: LIMIT / 1e6, mode };
    if (global) await svc.putGlobal(input, ADMIN);
    else await svc.putUserBudget(user.id, input, ADMIN);
    const r = await svc.reserve({ userId: user.id, maxCostMicros: 0, requestId: 'seed' });
    await svc.settle(r.reservationId, [attempt(user.id, LIMIT - 100_000)]);
    return { svc, userId: user.id };
  }

  it('50 simultaneous calls (each reserving and settling its maximum) never overspend by more than one call', async () => {
    const { svc, userId } = await nearlySpent('block', false);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async () => {
        try {
          const r = await svc.reserve({ userId, maxCostMicros: MAX, requestId: 'race' });
          await svc.settle(r.reservationId, [attempt(userId, MAX)]);
          return 'ok';
        } catch (err) {
          if (err instanceof BudgetExhaustedError) return 'blocked';
          throw err;
        }
      }),
    );
    const spent = (await svc.status(userId)).user!.spentUsd * 1e6;
    expect(spent).toBeGreaterThanOrEqual(LIMIT);
    expect(spent).toBeLessThan(LIMIT + MAX);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(4);
    expect(outcomes.filter((o) => o === 'blocked')).toHaveLength(46);
  });

  it('50 simultaneous reservations held at once against a global budget admit only what fits', async () => {
    const { svc, userId } = await nearlySpent('fallback', true);
    const reservations = await Promise.all(
      Array.from({ length: 50 }, () => svc.reserve({ userId, maxCostMicros: MAX, requestId: 'burst' })),
    );
    const paid = reservations.filter((r) => !r.zeroCostOnly);
    // 900k spent: admitted at 900k, 930k, 960k and 990k; every later one finds spent + reserved ≥ the limit.
    expect(paid).toHaveLength(4);
    await Promise.all(
      reservations.map((r) => svc.settle(r.reservationId, [attempt(userId, r.zeroCostOnly ? 0 : MAX)])),
    );
    const status = await svc.status(userId);
    expect(status.global!.spentUsd * 1e6).toBe(LIMIT - 100_000 + 4 * MAX);
    expect(status.global!.spentUsd * 1e6).toBeLessThan(LIMIT + MAX);
    expect(status.global!.reservedUsd).toBe(0);
    await svc.deleteGlobal();
  });
  it('admits a burst of calls from several users in arrival order, each seeing the calls before it', async () => {
    const svc = t.app.services.budget;
    const { userId: tight } = await nearlySpent('block', false); // room for 4 calls of MAX, then blocked
    const free = (await registerUser(t.app)).id;
    const transactions = vi.spyOn(t.database, 'writeTransaction');
    const calls = Array.from({ length: 24 }, (_, i) => {
      const userId = i % 3 === 0 ? free : i % 3 === 1 ? tight : 'nobody';
      return svc.reserve({ userId, maxCostMicros: MAX, requestId: `burst-${i}` }).then(
        (r) => ({ userId, outcome: 'admitted', id: r.reservationId }),
        (err: unknown) => ({
          userId,
          outcome: err instanceof BudgetExhaustedError ? 'blocked' : err instanceof NotFoundError ? 'no-user' : 'x',
          id: null,
        }),
      );
    });
    const results = await Promise.all(calls);
    // The 24 calls arrived in one turn of the event loop: they are decided together, in one transaction.
    expect(transactions).toHaveBeenCalledTimes(1);
    transactions.mockRestore();
    const of = (userId: string) => results.filter((r) => r.userId === userId).map((r) => r.outcome);
    expect(of(free)).toEqual(Array(8).fill('admitted'));
    expect(of(tight)).toEqual([...Array(4).fill('admitted'), ...Array(4).fill('blocked')]);
    expect(of('nobody')).toEqual(Array(8).fill('no-user'));
    expect(new Set(results.flatMap((r) => r.id ?? [])).size).toBe(12);
    const status = await svc.status(tight);
    expect(status.user!.reservedUsd * 1e6).toBe(4 * MAX);
  });

  it('settles the calls that end together in one transaction: each reservation once, an unknown one refused alone', async () => {
    const svc = t.app.services.budget;
    const users = [(await registerUser(t.app)).id, (await registerUser(t.app)).id];
    for (const userId of users)
      await svc.putUserBudget(userId, { period: 'monthly', limitUsd: 10, mode: 'block' }, ADMIN);
    const calls = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const userId = users[i % 2]!;
        const r = await svc.reserve({ userId, maxCostMicros: MAX, requestId: `end-${i}` });
        return { userId, reservationId: r.reservationId, cost: 1_000 * (i + 1) };
      }),
    );
    const transactions = vi.spyOn(t.database, 'writeTransaction');
    const settled = await Promise.allSettled([
      ...calls.map((c) => svc.settle(c.reservationId, [attempt(c.userId, c.cost)])),
      // The same reservation again in the same batch: settled once, with the first report.
      svc.settle(calls[0]!.reservationId, [attempt(users[0]!, 999_999)]),
      svc.settle('no-such-reservation', [attempt(users[0]!, 1)]),
    ]);
    expect(transactions).toHaveBeenCalledTimes(1);
    transactions.mockRestore();
    expect(settled.slice(0, 13).every((s) => s.status === 'fulfilled')).toBe(true);
    expect(settled[13]).toMatchObject({ status: 'rejected', reason: expect.any(NotFoundError) });
    for (const userId of users) {
      const mine = calls.filter((c) => c.userId === userId);
      const status = await svc.status(userId);
      expect(status.user!.spentUsd * 1e6).toBe(mine.reduce((sum, c) => sum + c.cost, 0));
      expect(status.user!.reservedUsd).toBe(0);
      expect((await svc.usage(userId, { groupBy: 'model' })).totals.calls).toBe(6);
    }
  });

  it('a settlement whose ledger row cannot be written fails alone; the others of its batch are recorded', async () => {
    const svc = t.app.services.budget;
    const userId = (await registerUser(t.app)).id;
    await svc.putUserBudget(userId, { period: 'monthly', limitUsd: 10, mode: 'block' }, ADMIN);
    const [a, b, c] = await Promise.all(
      ['a', 'b', 'c'].map((id) => svc.reserve({ userId, maxCostMicros: MAX, requestId: id })),
    );
    const settled = await Promise.allSettled([
      svc.settle(a!.reservationId, [attempt(userId, 1_000)]),
      // A ledger row for a user that does not exist breaks the batch's transaction (a foreign key).
      svc.settle(b!.reservationId, [attempt('no-such-user', 2_000)]),
      svc.settle(c!.reservationId, [attempt(userId, 4_000)]),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const status = await svc.status(userId);
    expect(status.user!.spentUsd * 1e6).toBe(5_000);
    // The failed call's reservation still holds its maximum (until it expires or is settled again).
    expect(status.user!.reservedUsd * 1e6).toBe(MAX);
    expect((await svc.usage(userId, { groupBy: 'model' })).totals.calls).toBe(2);
  });

  // PostgreSQL only: two SQLite connections in one thread deadlock (the second's BEGIN IMMEDIATE blocks the thread
  // the first needs to commit); across processes SQLite's write lock serialises them.
  it.runIf(kind.name === 'postgres')(
    'two processes admitting at once over one database still never overspend (the period row is locked)',
    async () => {
      const persistent = await kind.openPersistent();
      const shared = persistent.reopen();
      const a = await buildApp(testConfig(), { database: shared, clock: t.clock, spelling: sharedSpelling() });
      const secondDatabase = persistent.reopen();
      const b = new BudgetService({
        database: secondDatabase,
        repo: createBudgetRepository(secondDatabase.dialect),
        clock: t.clock,
        ids: randomIds,
      });
      try {
        // Whether two transactions overlap is up to timing, so several learners each get a burst from both.
        for (let round = 0; round < 8; round++) {
          const user = await registerUser(a);
          const input = { period: 'monthly' as const, limitUsd: LIMIT / 1e6, mode: 'block' as const };
          await a.services.budget.putUserBudget(user.id, input, ADMIN);
          const seed = await a.services.budget.reserve({ userId: user.id, maxCostMicros: 0, requestId: 'seed' });
          await a.services.budget.settle(seed.reservationId, [attempt(user.id, LIMIT - 100_000)]);
          const both = [a.services.budget, b];
          const outcomes = await Promise.all(
            Array.from({ length: 40 }, (_, i) =>
              both[i % 2]!.reserve({ userId: user.id, maxCostMicros: MAX, requestId: `two-${i}` }).then(
                () => 'admitted',
                (err: unknown) => (err instanceof BudgetExhaustedError ? 'blocked' : Promise.reject(err)),
              ),
            ),
          );
          expect(outcomes.filter((o) => o === 'admitted')).toHaveLength(4);
          expect((await b.status(user.id)).user!.reservedUsd * 1e6).toBe(4 * MAX);
        }
      } finally {
        await a.close();
        await shared.close();
        await secondDatabase.close();
        await persistent.drop();
      }
    },
  );
});

describe.each(testDatabases())('budget housekeeping on $name', (kind) => {
  it('the app prunes expired reservations every hour by itself', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const t = await startTestApp(kind);
    try {
      const user = await registerUser(t.app);
      const old = await t.app.services.budget.reserve({ userId: user.id, maxCostMicros: 0, requestId: 'old' });
      const stored = () =>
        t.database.db.selectFrom('budget_reservations').select('id').where('id', '=', old.reservationId).execute();
      expect(await stored()).toHaveLength(1);
      t.clock.advance(RESERVATION_TTL_MS + RESERVATION_RETENTION_MS + 60_000);
      vi.advanceTimersByTime(RESERVATION_PRUNE_INTERVAL_MS);
      await vi.waitFor(async () => expect(await stored()).toEqual([]));
    } finally {
      await t.close();
      vi.useRealTimers();
    }
  });
});

describe('budget rules', () => {
  it('bands the spend into alert levels', () => {
    expect(alertLevelOf(0, 100)).toBe('ok');
    expect(alertLevelOf(49, 100)).toBe('ok');
    expect(alertLevelOf(50, 100)).toBe('50');
    expect(alertLevelOf(75, 100)).toBe('75');
    expect(alertLevelOf(99, 100)).toBe('90');
    expect(alertLevelOf(100, 100)).toBe('100');
    expect(alertLevelOf(0, 0)).toBe('100');
  });

  it('projects with at least an hour elapsed', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const end = new Date('2026-01-02T00:00:00Z');
    expect(projectMicros(1_000, from, end, new Date('2026-01-01T00:01:00Z'))).toBe(24_000);
    expect(projectMicros(1_000, from, end, new Date('2026-01-01T12:00:00Z'))).toBe(2_000);
  });
});
