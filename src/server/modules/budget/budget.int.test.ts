import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/databases.js';
import { registerAdmin, registerUser, startTestApp, type TestApp, type TestUser } from '../../test/harness.js';
import type { UsageAttempt } from './budget.service.js';

let requestCounter = 0;
function attempt(userId: string, costMicros: number, overrides: Partial<UsageAttempt> = {}): UsageAttempt {
  requestCounter += 1;
  return {
    userId,
    purpose: 'conversation',
    providerId: 'openai',
    model: 'gpt-test',
    inputTokens: 10,
    outputTokens: 5,
    tokensEstimated: false,
    costMicros,
    ttftMs: 100,
    totalMs: 400,
    outcome: 'ok',
    fallback: false,
    cached: false,
    requestId: `route-${requestCounter}`,
    ...overrides,
  };
}

const monthly = { period: 'monthly', limitUsd: 5, mode: 'block' } as const;

describe.each(testDatabases())('budget API on $name', (kind) => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp(kind);
    // A stand-in for the gateway's routes: shows how a refused reservation reaches an HTTP caller.
    t.app.post('/test/reserve', async (request) => {
      const body = request.body as { userId: string; maxCostMicros: number };
      return t.app.services.budget.reserve({ ...body, requestId: request.id });
    });
    admin = await registerAdmin(t.app);
  });
  afterEach(async () => {
    await t.app.services.budget.deleteGlobal().catch(() => undefined);
    t.clock.set('2026-01-05T09:00:00.000Z');
  });
  afterAll(async () => {
    await t.close();
  });

  /** Reserve and settle one call of `userId` costing `cost` micro-dollars. */
  async function spend(userId: string, cost: number, overrides: Partial<UsageAttempt> = {}) {
    const budget = t.app.services.budget;
    const r = await budget.reserve({ userId, maxCostMicros: cost, requestId: 'seed' });
    await budget.settle(r.reservationId, [attempt(userId, cost, overrides)]);
  }

  describe('access', () => {
    it.each(['/api/budget/status', '/api/budget/usage', '/api/budget/alerts'])(
      'answers 401 on %s without sign-in',
      async (url) => {
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('unauthenticated');
      },
    );

    const adminRoutes: [string, string, unknown][] = [
      ['GET', '/api/admin/budgets/global', undefined],
      ['PUT', '/api/admin/budgets/global', monthly],
      ['DELETE', '/api/admin/budgets/global', undefined],
      ['GET', '/api/admin/budgets/users', undefined],
      ['GET', '/api/admin/budgets/users/USER', undefined],
      ['PUT', '/api/admin/budgets/users/USER', monthly],
      ['DELETE', '/api/admin/budgets/users/USER', undefined],
      ['POST', '/api/admin/budgets/users/USER/reset', { reason: 'x' }],
      ['GET', '/api/admin/budgets/users/USER/resets', undefined],
      ['GET', '/api/admin/usage', undefined],
    ];
    it.each(adminRoutes)('answers 403 to a learner on %s %s', async (method, url, body) => {
      const learner = await registerUser(t.app);
      const res = await learner.request(method as 'GET', url.replace('USER', learner.id), body);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    });

    it('answers 401 on admin routes without sign-in', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/admin/budgets/users' });
      expect(res.statusCode).toBe(401);
    });
  });

  it('documents every budget route, with its request schema, in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/budget/status',
        '/api/budget/usage',
        '/api/budget/alerts',
        '/api/admin/budgets/global',
        '/api/admin/budgets/users',
        '/api/admin/budgets/users/{userId}',
        '/api/admin/budgets/users/{userId}/reset',
        '/api/admin/budgets/users/{userId}/resets',
        '/api/admin/usage',
      ]),
    );
    const put = doc.paths['/api/admin/budgets/users/{userId}'].put;
    expect(Object.keys(put.requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['period', 'customDays', 'anchorDate', 'limitUsd', 'thresholds', 'mode']),
    );
  });

  describe('user budgets', () => {
    it('lets an admin set, read and list a budget, which the learner then sees', async () => {
      const learner = await registerUser(t.app, { timezone: 'Europe/Berlin', displayName: 'Ana' });
      const put = await admin.request('PUT', `/api/admin/budgets/users/${learner.id}`, {
        period: 'monthly',
        limitUsd: 2.5,
        mode: 'fallback',
        thresholds: [90, 50],
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toEqual({
        user: { id: learner.id, email: learner.email, displayName: 'Ana', timezone: 'Europe/Berlin' },
        budget: {
          id: `user:${learner.id}`,
          scope: 'user',
          userId: learner.id,
          period: 'monthly',
          customDays: null,
          anchorDate: null,
          timezone: 'Europe/Berlin',
          limitUsd: 2.5,
          thresholds: [50, 90],
          mode: 'fallback',
          updatedAt: '2026-01-05T09:00:00.000Z',
          updatedBy: admin.id,
        },
        status: {
          scope: 'user',
          limitUsd: 2.5,
          spentUsd: 0,
          reservedUsd: 0,
          remainingUsd: 2.5,
          percentUsed: 0,
          alertLevel: 'ok',
          mode: 'fallback',
          period: 'monthly',
          periodStart: '2025-12-31T23:00:00.000Z',
          periodEnd: '2026-01-31T23:00:00.000Z',
          countedFrom: '2025-12-31T23:00:00.000Z',
          projectedUsd: 0,
          timezone: 'Europe/Berlin',
          exhausted: false,
        },
      });
      const get = await admin.request('GET', `/api/admin/budgets/users/${learner.id}`);
      expect(get.json()).toEqual(put.json());

      await spend(learner.id, 1_500_000);
      const mine = await learner.request('GET', '/api/budget/status');
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toMatchObject({
        user: { spentUsd: 1.5, remainingUsd: 1, percentUsed: 60, alertLevel: '50' },
        global: null,
        alerts: [{ scope: 'user', threshold: 50, userId: learner.id }],
      });

      const list = await admin.request('GET', '/api/admin/budgets/users');
      const row = list.json().items.find((i: { user: { id: string } }) => i.user.id === learner.id);
      expect(row).toMatchObject({ budget: { limitUsd: 2.5 }, status: { spentUsd: 1.5 } });
      const without = await registerUser(t.app);
      expect(list.json().items.some((i: { user: { id: string } }) => i.user.id === without.id)).toBe(false);
    });

    it('answers a user without a budget with nulls, and removes a budget', async () => {
      const learner = await registerUser(t.app);
      expect((await learner.request('GET', '/api/budget/status')).json()).toEqual({
        user: null,
        global: null,
        alerts: [],
      });
      const none = await admin.request('GET', `/api/admin/budgets/users/${learner.id}`);
      expect(none.json()).toMatchObject({ budget: null, status: null });
      await admin.request('PUT', `/api/admin/budgets/users/${learner.id}`, monthly);
      const del = await admin.request('DELETE', `/api/admin/budgets/users/${learner.id}`);
      expect(del.statusCode).toBe(204);
      expect((await admin.request('GET', `/api/admin/budgets/users/${learner.id}`)).json().budget).toBeNull();
      expect((await admin.request('DELETE', `/api/admin/budgets/users/${learner.id}`)).statusCode).toBe(404);
    });

    it.each([
      ['GET', ''],
      ['PUT', ''],
      ['DELETE', ''],
      ['POST', '/reset'],
      ['GET', '/resets'],
    ])('answers 404 for an unknown user on %s …/users/:userId%s', async (method, suffix) => {
      const body = method === 'PUT' ? monthly : method === 'POST' ? { reason: 'x' } : undefined;
      const res = await admin.request(method as 'GET', `/api/admin/budgets/users/no-such-user${suffix}`, body);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    });

    const invalid: [string, Record<string, unknown>, string][] = [
      ['a custom period without its length', { ...monthly, period: 'custom' }, 'customDays'],
      ['a length on a monthly period', { ...monthly, customDays: 5 }, 'customDays'],
      ['an anchor on a weekly period', { ...monthly, period: 'weekly', anchorDate: '2026-01-01' }, 'anchorDate'],
      ['a malformed anchor', { ...monthly, period: 'custom', customDays: 5, anchorDate: '1/2/2026' }, 'anchorDate'],
      ['a negative limit', { ...monthly, limitUsd: -1 }, 'limitUsd'],
      ['a limit finer than a micro-dollar', { ...monthly, limitUsd: 0.0000001 }, 'limitUsd'],
      ['a threshold of 0', { ...monthly, thresholds: [0, 50] }, 'thresholds.0'],
      ['a repeated threshold', { ...monthly, thresholds: [50, 50] }, 'thresholds'],
      ['an unknown mode', { ...monthly, mode: 'panic' }, 'mode'],
      ['a time zone (users follow their own)', { ...monthly, timezone: 'UTC' }, 'timezone'],
    ];
    it.each(invalid)('refuses a user budget with %s, naming the field', async (_what, body, field) => {
      const learner = await registerUser(t.app);
      const res = await admin.request('PUT', `/api/admin/budgets/users/${learner.id}`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });

  describe('the global budget', () => {
    it('is absent until set, then runs in its own zone, and can be removed', async () => {
      expect((await admin.request('GET', '/api/admin/budgets/global')).json()).toEqual({ budget: null, status: null });
      const put = await admin.request('PUT', '/api/admin/budgets/global', {
        period: 'weekly',
        limitUsd: 100,
        mode: 'warn',
        timezone: 'Asia/Tokyo',
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toMatchObject({
        budget: { id: 'global', scope: 'global', userId: null, timezone: 'Asia/Tokyo', thresholds: [50, 75, 90, 100] },
        status: { periodStart: '2026-01-04T15:00:00.000Z', periodEnd: '2026-01-11T15:00:00.000Z' },
      });
      expect((await admin.request('DELETE', '/api/admin/budgets/global')).statusCode).toBe(204);
      expect((await admin.request('DELETE', '/api/admin/budgets/global')).statusCode).toBe(404);
      expect((await admin.request('GET', '/api/admin/budgets/global')).json().budget).toBeNull();
    });

    it('defaults to UTC and refuses an unknown zone', async () => {
      t.clock.set('2027-03-01T00:00:00.000Z');
      admin = await registerAdmin(t.app); // sessions last 30 days: sign in again at this date
      const put = await admin.request('PUT', '/api/admin/budgets/global', monthly);
      expect(put.json().budget.timezone).toBe('UTC');
      const bad = await admin.request('PUT', '/api/admin/budgets/global', { ...monthly, timezone: 'Mars/Olympus' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toBe('timezone');
    });

    it('shows in a learner status when it binds them, and always to admins', async () => {
      t.clock.set('2027-04-10T00:00:00.000Z');
      admin = await registerAdmin(t.app); // sessions last 30 days: sign in again at this date
      await admin.request('PUT', '/api/admin/budgets/global', { ...monthly, limitUsd: 10 });
      const free = await registerUser(t.app);
      expect((await free.request('GET', '/api/budget/status')).json()).toMatchObject({
        user: null,
        global: { scope: 'global', limitUsd: 10 },
      });

      const modest = await registerUser(t.app);
      await admin.request('PUT', `/api/admin/budgets/users/${modest.id}`, { ...monthly, limitUsd: 1 });
      expect((await modest.request('GET', '/api/budget/status')).json()).toMatchObject({
        user: { limitUsd: 1 },
        global: null,
      });

      await spend(free.id, 9_500_000);
      // The global budget now leaves $0.50, less than the learner's own $1.
      expect((await modest.request('GET', '/api/budget/status')).json()).toMatchObject({
        user: { limitUsd: 1 },
        global: { remainingUsd: 0.5, alertLevel: '90' },
      });
      expect((await admin.request('GET', '/api/budget/status')).json().global).toMatchObject({ spentUsd: 9.5 });
    });
  });

  describe('refused calls', () => {
    it('reach the caller as 402 budget_exhausted with the reset time', async () => {
      const learner = await registerUser(t.app, { timezone: 'Europe/Berlin' });
      await admin.request('PUT', `/api/admin/budgets/users/${learner.id}`, { ...monthly, limitUsd: 0.01 });
      await spend(learner.id, 10_000);
      const res = await t.app.inject({
        method: 'POST',
        url: '/test/reserve',
        payload: { userId: learner.id, maxCostMicros: 1 },
      });
      expect(res.statusCode).toBe(402);
      expect(res.json()).toEqual({
        error: {
          code: 'budget_exhausted',
          message: 'Your monthly AI budget of $0.01 is used up; it resets on 1 Feb 2026, 00:00 (Europe/Berlin)',
          details: [
            { field: 'scope', message: 'user' },
            { field: 'resetsAt', message: '2026-01-31T23:00:00.000Z' },
          ],
        },
      });
      const status = (await learner.request('GET', '/api/budget/status')).json();
      expect(status.user).toMatchObject({ exhausted: true, remainingUsd: 0, percentUsed: 100, alertLevel: '100' });
    });
  });

  describe('resets', () => {
    it('restarts a learner’s count with a reason and keeps the history', async () => {
      const learner = await registerUser(t.app);
      await admin.request('PUT', `/api/admin/budgets/users/${learner.id}`, { ...monthly, limitUsd: 1 });
      await spend(learner.id, 800_000);
      t.clock.set('2026-01-06T10:00:00.000Z');
      const res = await admin.request('POST', `/api/admin/budgets/users/${learner.id}/reset`, {
        reason: '  extra practice before the exam ',
        limitUsd: 2,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        reset: {
          userId: learner.id,
          resetBy: admin.id,
          resetAt: '2026-01-06T10:00:00.000Z',
          spentBeforeUsd: 0.8,
          limitBeforeUsd: 1,
          limitAfterUsd: 2,
          reason: 'extra practice before the exam',
        },
        status: { spentUsd: 0, limitUsd: 2, countedFrom: '2026-01-06T10:00:00.000Z' },
      });
      const history = await admin.request('GET', `/api/admin/budgets/users/${learner.id}/resets`);
      expect(history.json().items).toEqual([res.json().reset]);
      expect((await learner.request('GET', '/api/budget/status')).json().user.spentUsd).toBe(0);
    });

    it('refuses a reset without a reason, or of a user without a budget', async () => {
      const learner = await registerUser(t.app);
      const noBudget = await admin.request('POST', `/api/admin/budgets/users/${learner.id}/reset`, { reason: 'x' });
      expect(noBudget.statusCode).toBe(404);
      await admin.request('PUT', `/api/admin/budgets/users/${learner.id}`, monthly);
      const blank = await admin.request('POST', `/api/admin/budgets/users/${learner.id}/reset`, { reason: '   ' });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().error.details[0].field).toBe('reason');
      expect((await admin.request('GET', `/api/admin/budgets/users/${learner.id}/resets`)).json().items).toEqual([]);
    });
  });

  describe('usage', () => {
    it('shows a learner their own rows only, grouped as asked', async () => {
      const ana = await registerUser(t.app);
      const ben = await registerUser(t.app);
      await spend(ana.id, 1_000, { providerId: 'openai', model: 'gpt-a', purpose: 'hint' });
      await spend(ana.id, 3_000, { providerId: 'anthropic', model: 'claude-b', purpose: 'correction' });
      await spend(ben.id, 50_000, { providerId: 'openai', model: 'gpt-a', purpose: 'hint' });
      t.clock.advance(60_000);

      const byProvider = await ana.request('GET', '/api/budget/usage?groupBy=provider');
      expect(byProvider.statusCode, byProvider.body).toBe(200);
      expect(byProvider.json().groups.map((g: { key: string; costUsd: number }) => [g.key, g.costUsd])).toEqual([
        ['anthropic', 0.003],
        ['openai', 0.001],
      ]);
      expect(byProvider.json().totals).toEqual({
        calls: 2,
        failedCalls: 0,
        cachedCalls: 0,
        inputTokens: 20,
        outputTokens: 10,
        costUsd: 0.004,
      });
      const byModel = await ana.request('GET', '/api/budget/usage?groupBy=model');
      expect(byModel.json().groups.map((g: { key: string }) => g.key)).toEqual(['claude-b', 'gpt-a']);
      const byPurpose = await ana.request('GET', '/api/budget/usage?groupBy=purpose');
      expect(byPurpose.json().groups.map((g: { key: string }) => g.key)).toEqual(['correction', 'hint']);
      const byDay = await ana.request('GET', '/api/budget/usage?from=2026-01-04T00:00:00Z&to=2026-01-06T00:00:00Z');
      expect(byDay.json()).toMatchObject({
        from: '2026-01-04T00:00:00.000Z',
        to: '2026-01-06T00:00:00.000Z',
        groupBy: 'day',
        timezone: 'UTC',
        groups: [
          { key: '2026-01-04', calls: 0, costUsd: 0 },
          { key: '2026-01-05', calls: 2, costUsd: 0.004 },
        ],
      });
    });

    it.each([
      ['groupBy=user', 'groupBy'],
      ['groupBy=colour', 'groupBy'],
      ['from=yesterday', 'from'],
      ['from=2026-01-05T00:00:00Z&to=2026-01-04T00:00:00Z', 'from'],
      ['userId=someone', 'userId'],
    ])('refuses a learner usage query %s, naming the field', async (query, field) => {
      const learner = await registerUser(t.app);
      const res = await learner.request('GET', `/api/budget/usage?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('shows admins every user, by user with their email, or one user in their zone', async () => {
      t.clock.set('2028-06-01T12:00:00.000Z');
      admin = await registerAdmin(t.app); // sessions last 30 days: sign in again at this date
      const ana = await registerUser(t.app, { timezone: 'America/Los_Angeles' });
      const ben = await registerUser(t.app);
      await spend(ana.id, 2_000, { outcome: 'rate_limited', fallback: false });
      await spend(ana.id, 4_000, { fallback: true, cached: false });
      await spend(ben.id, 1_000, { cached: true });
      t.clock.advance(60_000);
      const range = 'from=2028-06-01T00:00:00Z&to=2028-06-02T00:00:00Z';

      const byUser = await admin.request('GET', `/api/admin/usage?${range}&groupBy=user`);
      expect(byUser.statusCode, byUser.body).toBe(200);
      expect(byUser.json().groups).toEqual([
        {
          key: ana.id,
          label: ana.email,
          calls: 2,
          failedCalls: 1,
          cachedCalls: 0,
          inputTokens: 20,
          outputTokens: 10,
          costUsd: 0.006,
        },
        {
          key: ben.id,
          label: ben.email,
          calls: 1,
          failedCalls: 0,
          cachedCalls: 1,
          inputTokens: 10,
          outputTokens: 5,
          costUsd: 0.001,
        },
      ]);

      const oneUser = await admin.request('GET', `/api/admin/usage?${range}&groupBy=day&userId=${ana.id}`);
      expect(oneUser.json()).toMatchObject({
        timezone: 'America/Los_Angeles',
        totals: { calls: 2, costUsd: 0.006 },
        groups: [
          { key: '2028-05-31', calls: 0 },
          { key: '2028-06-01', calls: 2 },
        ],
      });
      const everyone = await admin.request('GET', `/api/admin/usage?${range}`);
      expect(everyone.json()).toMatchObject({ timezone: 'UTC', groups: [{ key: '2028-06-01', calls: 3 }] });

      await admin.request('PUT', '/api/admin/budgets/global', { ...monthly, timezone: 'Asia/Tokyo' });
      const inTokyo = await admin.request('GET', `/api/admin/usage?${range}`);
      expect(inTokyo.json()).toMatchObject({ timezone: 'Asia/Tokyo', totals: { calls: 3 } });

      const unknown = await admin.request('GET', '/api/admin/usage?userId=no-such-user');
      expect(unknown.statusCode).toBe(404);
    });
  });

  describe('alerts', () => {
    it("lists a learner's own alerts only, and the global ones to admins", async () => {
      t.clock.set('2029-02-10T00:00:00.000Z');
      admin = await registerAdmin(t.app); // sessions last 30 days: sign in again at this date
      await admin.request('PUT', '/api/admin/budgets/global', { ...monthly, limitUsd: 1, thresholds: [10] });
      const ana = await registerUser(t.app);
      const ben = await registerUser(t.app);
      await admin.request('PUT', `/api/admin/budgets/users/${ana.id}`, { ...monthly, limitUsd: 0.1 });
      await admin.request('PUT', `/api/admin/budgets/users/${ben.id}`, { ...monthly, limitUsd: 0.1 });
      await spend(ana.id, 80_000);
      await spend(ben.id, 60_000);

      const anaAlerts = (await ana.request('GET', '/api/budget/alerts')).json().items;
      expect(anaAlerts.map((a: { threshold: number; userId: string }) => [a.threshold, a.userId])).toEqual([
        [75, ana.id],
        [50, ana.id],
      ]);
      const benAlerts = (await ben.request('GET', '/api/budget/alerts?limit=1')).json().items;
      expect(benAlerts).toEqual([expect.objectContaining({ threshold: 50, userId: ben.id })]);
      const adminAlerts = (await admin.request('GET', '/api/budget/alerts')).json().items;
      // Newest first: this period's global alert, then older periods' global alerts — never a learner's.
      expect(adminAlerts[0]).toMatchObject({
        scope: 'global',
        threshold: 10,
        userId: null,
        periodStart: '2029-02-01T00:00:00.000Z',
      });
      expect(adminAlerts.every((a: { scope: string }) => a.scope === 'global')).toBe(true);
      expect((await ana.request('GET', '/api/budget/alerts?limit=0')).statusCode).toBe(400);
    });
  });
});
