import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.js';
import { ManualClock } from '../../lib/clock.js';
import { startIdleSweep } from './idle-sweep.js';
import { testDatabases } from '../../test/databases.js';
import { registerUser, startTestApp, testConfig, type TestApp, type TestUser } from '../../test/harness.js';

const BASE = '/api/learning-sessions';

describe.each(testDatabases())('learning sessions on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  async function start(user: TestUser, body: Record<string, unknown> = { type: 'scenario', language: 'es' }) {
    const res = await user.request('POST', BASE, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  describe('inside another module’s transaction (conversations)', () => {
    const service = () => t.app.services.learningSessions;
    const inTrx = <T>(fn: (trx: Parameters<Parameters<TestApp['database']['writeTransaction']>[0]>[0]) => Promise<T>) =>
      t.database.writeTransaction(fn);

    it('refuses to touch or complete a session that does not exist (or is another learner’s)', async () => {
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      const mine = await start(user);
      await expect(inTrx((trx) => service().touchIn(trx, user.id, 'nope', {}))).rejects.toThrow(/not found/);
      await expect(inTrx((trx) => service().touchIn(trx, other.id, mine.id, {}))).rejects.toThrow(/not found/);
      await expect(inTrx((trx) => service().completeIn(trx, other.id, mine.id, {}))).rejects.toThrow(/not found/);
    });

    it('follows a session closed for idleness into a fresh one of the same kind, without the closed mark', async () => {
      const user = await registerUser(t.app);
      const old = await start(user, {
        type: 'conversation',
        language: 'fr',
        sourceId: 'c1',
        metadata: { topic: 'food' },
      });
      t.clock.advance(3 * 3600_000);
      const id = await inTrx((trx) => service().touchIn(trx, user.id, old.id, { metadata: { turns: 1 } }));
      expect(id).not.toBe(old.id);
      const fresh = (await user.request('GET', `${BASE}/${id}`)).json();
      expect(fresh).toMatchObject({ type: 'conversation', language: 'fr', sourceId: 'c1', status: 'active' });
      expect(fresh.metadata).toEqual({ topic: 'food', turns: 1 });
      const closed = (await user.request('GET', `${BASE}/${old.id}`)).json();
      expect(closed).toMatchObject({ status: 'completed', endedAt: old.startedAt, metadata: { autoClosed: true } });
    });

    it('gives a session already closed by the sweep its final counts but keeps its end', async () => {
      const user = await registerUser(t.app);
      const old = await start(user);
      t.clock.advance(3 * 3600_000);
      await t.app.services.learningSessions.closeIdleSessions();
      const done = await inTrx((trx) =>
        service().completeIn(trx, user.id, old.id, { itemsStudied: 4, itemsCorrect: 3, itemsIncorrect: 1 }),
      );
      expect(done).toMatchObject({ status: 'completed', endedAt: old.startedAt, itemsStudied: 4, accuracy: 0.75 });
    });
  });

  describe('starting', () => {
    it('opens an active session with zero counts, empty metadata and the clock as start', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      expect(s).toMatchObject({
        userId: user.id,
        type: 'scenario',
        language: 'es',
        sourceId: null,
        status: 'active',
        startedAt: t.clock.now().toISOString(),
        endedAt: null,
        durationSeconds: 0,
        itemsStudied: 0,
        itemsCorrect: 0,
        itemsIncorrect: 0,
        accuracy: 0,
        metadata: {},
        lastActivityAt: t.clock.now().toISOString(),
      });
      expect(typeof s.id).toBe('string');
    });

    it('keeps the source id and metadata it was given', async () => {
      const user = await registerUser(t.app);
      const s = await start(user, {
        type: 'scenario',
        language: 'fr',
        sourceId: 'restaurant_ordering',
        metadata: { level: 'A2', phase: 1 },
      });
      expect(s.sourceId).toBe('restaurant_ordering');
      expect(s.metadata).toEqual({ level: 'A2', phase: 1 });
    });

    it.each(['scenario', 'content_study', 'vocabulary_review', 'conversation'])(
      'accepts and reads back type %s',
      async (type) => {
        const user = await registerUser(t.app);
        const s = await start(user, { type, language: 'de' });
        const read = await user.request('GET', `${BASE}/${s.id}`);
        expect(read.json()).toMatchObject({ id: s.id, type, language: 'de' });
      },
    );

    it('answers the first session again when a retried request repeats its Idempotency-Key', async () => {
      const user = await registerUser(t.app);
      const body = { type: 'conversation', language: 'it' };
      const first = await user.request('POST', BASE, body, { headers: { 'idempotency-key': 'retry-1' } });
      const again = await user.request('POST', BASE, body, { headers: { 'idempotency-key': 'retry-1' } });
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(first.json().id);
      const list = await user.request('GET', BASE);
      expect(list.json().items).toHaveLength(1);
    });

    it('creates one session when copies of one request race with the same Idempotency-Key', async () => {
      const user = await registerUser(t.app);
      const body = { type: 'conversation', language: 'pt' };
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          user.request('POST', BASE, body, { headers: { 'idempotency-key': 'race-key' } }),
        ),
      );
      expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
      expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
      expect((await user.request('GET', BASE)).json().items).toHaveLength(1);
    });

    it('treats the same Idempotency-Key from two users as two requests', async () => {
      const a = await registerUser(t.app);
      const b = await registerUser(t.app);
      const body = { type: 'scenario', language: 'es' };
      const sa = await a.request('POST', BASE, body, { headers: { 'idempotency-key': 'shared' } });
      const sb = await b.request('POST', BASE, body, { headers: { 'idempotency-key': 'shared' } });
      expect(sb.statusCode).toBe(201);
      expect(sb.json().id).not.toBe(sa.json().id);
    });
  });

  describe('validation', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['an unknown type', { type: 'dancing', language: 'es' }, 'type'],
      ['an unknown language', { type: 'scenario', language: 'xx' }, 'language'],
      ['metadata that is a list', { type: 'scenario', language: 'es', metadata: [1, 2] }, 'metadata'],
      ['metadata that is a string', { type: 'scenario', language: 'es', metadata: 'x' }, 'metadata'],
      ['metadata over 16 KB', { type: 'scenario', language: 'es', metadata: { blob: 'x'.repeat(17_000) } }, 'metadata'],
      ['an unknown body field', { type: 'scenario', language: 'es', colour: 'blue' }, 'colour'],
      ['a missing type', { language: 'es' }, 'type'],
    ];
    it.each(cases)('refuses to start with %s, naming the field', async (_what, body, field) => {
      const user = await registerUser(t.app);
      const res = await user.request('POST', BASE, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect((await user.request('GET', BASE)).json().items).toHaveLength(0);
    });

    const updates: [string, Record<string, unknown>, string][] = [
      ['a negative count', { itemsStudied: -1 }, 'itemsStudied'],
      ['a fractional count', { itemsCorrect: 1.5 }, 'itemsCorrect'],
      ['a count given as text', { itemsIncorrect: '3' }, 'itemsIncorrect'],
      ['metadata that is null', { metadata: null }, 'metadata'],
      ['an unknown field', { itemsSkipped: 2 }, 'itemsSkipped'],
    ];
    it.each(updates)('refuses an update with %s and changes nothing', async (_what, body, field) => {
      const user = await registerUser(t.app);
      const s = await start(user);
      await user.request('PATCH', `${BASE}/${s.id}`, { itemsStudied: 4 });
      const res = await user.request('PATCH', `${BASE}/${s.id}`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect((await user.request('GET', `${BASE}/${s.id}`)).json().itemsStudied).toBe(4);
    });

    it('refuses metadata that would pass 16 KB once merged, keeping what was stored', async () => {
      const user = await registerUser(t.app);
      const s = await start(user, { type: 'scenario', language: 'es', metadata: { a: 'x'.repeat(10_000) } });
      const res = await user.request('PATCH', `${BASE}/${s.id}`, { metadata: { b: 'y'.repeat(10_000) } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].field).toBe('metadata');
      expect(Object.keys((await user.request('GET', `${BASE}/${s.id}`)).json().metadata)).toEqual(['a']);
    });

    it('refuses a body that is not JSON', async () => {
      const user = await registerUser(t.app);
      const res = await t.app.inject({
        method: 'POST',
        url: BASE,
        headers: { cookie: user.cookieHeader(), 'x-csrf-token': user.csrf, 'content-type': 'application/json' },
        payload: '{"type": ',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_failed', details: [{ field: 'body' }] });
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['type=chess', 'type'],
      ['status=paused', 'status'],
      ['cursor=not-a-cursor', 'cursor'],
      ['page=2', 'page'],
    ])('refuses the list query %s naming %s', async (query, field) => {
      const user = await registerUser(t.app);
      const res = await user.request('GET', `${BASE}?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });

  describe('updating', () => {
    it('stores the counts it is given and computes accuracy from correct and incorrect', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      const res = await user.request('PATCH', `${BASE}/${s.id}`, {
        itemsStudied: 10,
        itemsCorrect: 8,
        itemsIncorrect: 2,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        itemsStudied: 10,
        itemsCorrect: 8,
        itemsIncorrect: 2,
        accuracy: 0.8,
        status: 'active',
      });
    });

    it('replaces counts rather than adding to them, and keeps the accuracy when nothing was answered', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      const patch = async (body: Record<string, number>) =>
        (await user.request('PATCH', `${BASE}/${s.id}`, body)).json();
      expect((await patch({ itemsCorrect: 10, itemsIncorrect: 0 })).accuracy).toBe(1);
      expect((await patch({ itemsCorrect: 0, itemsIncorrect: 10 })).accuracy).toBe(0);
      expect((await patch({ itemsCorrect: 7, itemsIncorrect: 3 })).accuracy).toBe(0.7);
      // The sum is 0: the previous accuracy stays.
      const zero = await patch({ itemsCorrect: 0, itemsIncorrect: 0 });
      expect(zero).toMatchObject({ itemsCorrect: 0, itemsIncorrect: 0, accuracy: 0.7 });
      // Only itemsStudied: counts it did not name stay as they are.
      expect(await patch({ itemsStudied: 5 })).toMatchObject({ itemsStudied: 5, itemsCorrect: 0, accuracy: 0.7 });
    });

    it('computes accuracy from the stored count when only one side changes', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      await user.request('PATCH', `${BASE}/${s.id}`, { itemsCorrect: 3, itemsIncorrect: 1 });
      const res = await user.request('PATCH', `${BASE}/${s.id}`, { itemsCorrect: 9 });
      expect(res.json().accuracy).toBe(0.9);
    });

    it('merges metadata shallowly: new keys added, same keys overwritten, others kept', async () => {
      const user = await registerUser(t.app);
      const s = await start(user, {
        type: 'scenario',
        language: 'es',
        metadata: { initial: 'value', phase: 1, nested: { a: 1 } },
      });
      const res = await user.request('PATCH', `${BASE}/${s.id}`, {
        metadata: { new_key: 'new', progress: 50, phase: 2, nested: { b: 2 } },
      });
      expect(res.json().metadata).toEqual({
        initial: 'value',
        phase: 2,
        new_key: 'new',
        progress: 50,
        nested: { b: 2 },
      });
    });

    it('records activity time on every update', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      t.clock.advance(90_000);
      const res = await user.request('PATCH', `${BASE}/${s.id}`, { itemsStudied: 1 });
      expect(res.json().lastActivityAt).toBe(t.clock.now().toISOString());
    });

    it('answers the same result when a PATCH is retried', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      const body = { itemsStudied: 6, itemsCorrect: 5, itemsIncorrect: 1, metadata: { step: 3 } };
      const first = (await user.request('PATCH', `${BASE}/${s.id}`, body)).json();
      const again = (await user.request('PATCH', `${BASE}/${s.id}`, body)).json();
      expect(again).toEqual(first);
    });

    it('keeps every key when many metadata merges arrive at once', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => user.request('PATCH', `${BASE}/${s.id}`, { metadata: { [`k${i}`]: i } })),
      );
      expect(results.every((r) => r.statusCode === 200)).toBe(true);
      const metadata = (await user.request('GET', `${BASE}/${s.id}`)).json().metadata;
      expect(Object.keys(metadata).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `k${i}`).sort());
    });
  });

  describe('completing', () => {
    it('closes the session with its end time and whole seconds of duration', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      t.clock.advance(125_900);
      const res = await user.request('POST', `${BASE}/${s.id}/complete`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'completed',
        endedAt: t.clock.now().toISOString(),
        durationSeconds: 125,
      });
    });

    it('applies the counts and metadata in its body first', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      await user.request('PATCH', `${BASE}/${s.id}`, { itemsStudied: 20, itemsCorrect: 18, itemsIncorrect: 2 });
      const res = await user.request('POST', `${BASE}/${s.id}/complete`, {
        itemsStudied: 21,
        metadata: { finished: true },
      });
      expect(res.json()).toMatchObject({
        itemsStudied: 21,
        itemsCorrect: 18,
        itemsIncorrect: 2,
        accuracy: 0.9,
        metadata: { finished: true },
      });
    });

    it('validates the body of complete like an update', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      const res = await user.request('POST', `${BASE}/${s.id}/complete`, { itemsCorrect: -2 });
      expect(res.statusCode).toBe(400);
      expect((await user.request('GET', `${BASE}/${s.id}`)).json().status).toBe('active');
    });

    it('refuses to update or complete a completed session with 409 session_completed', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      await user.request('POST', `${BASE}/${s.id}/complete`);
      for (const res of [
        await user.request('PATCH', `${BASE}/${s.id}`, { itemsStudied: 1 }),
        await user.request('POST', `${BASE}/${s.id}/complete`),
      ]) {
        expect(res.statusCode).toBe(409);
        expect(res.json().error.code).toBe('session_completed');
      }
    });

    it('is still readable after completion, with its end time', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      await user.request('POST', `${BASE}/${s.id}/complete`);
      const res = await user.request('GET', `${BASE}/${s.id}`);
      expect(res.json()).toMatchObject({ id: s.id, status: 'completed' });
      expect(res.json().endedAt).not.toBeNull();
    });
  });

  describe('not found and isolation', () => {
    it.each(['999999', 'not-a-uuid', "'; drop table learning_sessions; --", 'x'.repeat(200)])(
      'answers 404 not_found for GET, PATCH and complete of the unknown id %s',
      async (id) => {
        const user = await registerUser(t.app);
        const path = `${BASE}/${encodeURIComponent(id)}`;
        for (const res of [
          await user.request('GET', path),
          await user.request('PATCH', path, { itemsStudied: 1 }),
          await user.request('POST', `${path}/complete`),
        ]) {
          expect(res.statusCode).toBe(404);
          expect(res.json().error.code).toBe('not_found');
        }
      },
    );

    it("answers 404 for another user's session on every route and leaves it untouched", async () => {
      const owner = await registerUser(t.app);
      const other = await registerUser(t.app);
      const s = await start(owner);
      expect((await other.request('GET', `${BASE}/${s.id}`)).statusCode).toBe(404);
      expect((await other.request('PATCH', `${BASE}/${s.id}`, { itemsStudied: 99 })).statusCode).toBe(404);
      expect((await other.request('POST', `${BASE}/${s.id}/complete`)).statusCode).toBe(404);
      expect((await other.request('GET', BASE)).json().items).toEqual([]);
      expect((await owner.request('GET', `${BASE}/${s.id}`)).json()).toMatchObject({
        itemsStudied: 0,
        status: 'active',
      });
    });

    it('answers 401 unauthenticated without a session or token', async () => {
      const res = await t.app.inject({ method: 'GET', url: BASE });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    });
  });

  describe('listing', () => {
    it('lists only the caller’s sessions, newest first, ten by default', async () => {
      const user = await registerUser(t.app);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        t.clock.advance(1000);
        ids.push((await start(user)).id);
      }
      const res = (await user.request('GET', BASE)).json();
      expect(res.items).toHaveLength(10);
      expect(res.items.map((s: { id: string }) => s.id)).toEqual(ids.reverse().slice(0, 10));
      expect(res.items.every((s: { userId: string }) => s.userId === user.id)).toBe(true);
    });

    it('filters by type, language and status', async () => {
      const user = await registerUser(t.app);
      await start(user, { type: 'scenario', language: 'es' });
      await start(user, { type: 'scenario', language: 'fr' });
      const done = await start(user, { type: 'conversation', language: 'es' });
      await user.request('POST', `${BASE}/${done.id}/complete`);
      const get = async (q: string) => (await user.request('GET', `${BASE}?${q}`)).json().items;
      expect((await get('type=scenario')).map((s: { type: string }) => s.type)).toEqual(['scenario', 'scenario']);
      expect((await get('language=es')).every((s: { language: string }) => s.language === 'es')).toBe(true);
      expect(await get('language=es')).toHaveLength(2);
      expect((await get('status=completed')).map((s: { id: string }) => s.id)).toEqual([done.id]);
      expect(await get('status=active&type=scenario&language=fr')).toHaveLength(1);
    });

    it('follows nextCursor through every session exactly once, ties in start time broken by id', async () => {
      const user = await registerUser(t.app);
      const created = new Set<string>();
      for (let i = 0; i < 23; i++) {
        if (i % 3 === 0) t.clock.advance(1000); // three sessions share each start time
        created.add((await start(user)).id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: { id: string; startedAt: string }[]; nextCursor: string | null } = (
          await user.request('GET', `${BASE}?limit=5${cursor ? `&cursor=${cursor}` : ''}`)
        ).json();
        seen.push(...page.items.map((s) => s.id));
        cursor = page.nextCursor;
        pages++;
        // New sessions arriving while the client pages must not shift what it has yet to see.
        t.clock.advance(1000);
        await start(user);
      } while (cursor);
      expect(pages).toBe(5);
      expect(seen).toHaveLength(23);
      expect(new Set(seen)).toEqual(created);
    });

    it('answers a null nextCursor on the last page and when the list is empty', async () => {
      const user = await registerUser(t.app);
      expect((await user.request('GET', BASE)).json()).toEqual({ items: [], nextCursor: null });
      await start(user);
      expect((await user.request('GET', `${BASE}?limit=1`)).json().nextCursor).toBeNull();
    });

    it('caps a page at 100', async () => {
      const user = await registerUser(t.app);
      expect((await user.request('GET', `${BASE}?limit=100`)).statusCode).toBe(200);
    });
  });

  describe('stats', () => {
    it('totals completed sessions per type in the range, weighting accuracy by items', async () => {
      const user = await registerUser(t.app);
      const from = t.clock.now().toISOString();
      const run = async (type: string, seconds: number, correct: number, incorrect: number) => {
        const s = await start(user, { type, language: 'es' });
        t.clock.advance(seconds * 1000);
        await user.request('POST', `${BASE}/${s.id}/complete`, {
          itemsStudied: correct + incorrect,
          itemsCorrect: correct,
          itemsIncorrect: incorrect,
        });
      };
      await run('scenario', 60, 9, 1);
      await run('scenario', 120, 1, 9);
      await run('vocabulary_review', 30, 0, 0);
      await start(user, { type: 'scenario', language: 'es' }); // active: not counted
      const res = await user.request(
        'GET',
        `${BASE}/stats?from=${from}&to=${new Date(t.clock.now().getTime() + 1).toISOString()}`,
      );
      expect(res.statusCode).toBe(200);
      expect(res.json().byType).toEqual({
        scenario: { count: 2, totalSeconds: 180, itemsStudied: 20, accuracy: 0.5 },
        vocabulary_review: { count: 1, totalSeconds: 30, itemsStudied: 0, accuracy: null },
        content_study: { count: 0, totalSeconds: 0, itemsStudied: 0, accuracy: null },
        conversation: { count: 0, totalSeconds: 0, itemsStudied: 0, accuracy: null },
      });
      const later = await user.request(
        'GET',
        `${BASE}/stats?from=${new Date(t.clock.now().getTime() + 1).toISOString()}`,
      );
      expect(later.json().byType.scenario.count).toBe(0);
      const all = await user.request('GET', `${BASE}/stats`);
      expect(all.json()).toMatchObject({ from: null, to: null, byType: { scenario: { count: 2 } } });
    });

    it('refuses a range that ends before it starts, and dates that are not ISO', async () => {
      const user = await registerUser(t.app);
      const backwards = await user.request('GET', `${BASE}/stats?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`);
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json().error.details[0].field).toBe('from');
      const garbled = await user.request('GET', `${BASE}/stats?from=yesterday`);
      expect(garbled.json().error.details[0].field).toBe('from');
    });

    it("buckets study time by day in the learner's time zone with today's and this week's totals", async () => {
      const user = await registerUser(t.app, { timezone: 'America/New_York' });
      // Wednesday 2026-01-07 03:30 UTC is still Tuesday evening 22:30 in New York.
      t.clock.set('2026-01-07T03:30:00.000Z');
      const tuesday = await start(user, { type: 'conversation', language: 'en' });
      t.clock.advance(600_000);
      await user.request('POST', `${BASE}/${tuesday.id}/complete`);
      t.clock.set('2026-01-07T15:00:00.000Z');
      const wednesday = await start(user, { type: 'scenario', language: 'es' });
      t.clock.advance(300_000);
      await user.request('POST', `${BASE}/${wednesday.id}/complete`);
      t.clock.set('2026-01-04T15:00:00.000Z'); // Sunday: last week
      const sunday = await start(user, { type: 'scenario', language: 'es' });
      t.clock.advance(120_000);
      await user.request('POST', `${BASE}/${sunday.id}/complete`);

      t.clock.set('2026-01-07T20:00:00.000Z');
      const res = (await user.request('GET', `${BASE}/activity?days=7`)).json();
      expect(res.timezone).toBe('America/New_York');
      expect(res.today).toEqual({ seconds: 300, sessions: 1 });
      expect(res.week).toEqual({ seconds: 900, sessions: 2 });
      expect(res.days.map((d: { date: string }) => d.date)).toEqual([
        '2026-01-01',
        '2026-01-02',
        '2026-01-03',
        '2026-01-04',
        '2026-01-05',
        '2026-01-06',
        '2026-01-07',
      ]);
      expect(res.days.find((d: { date: string }) => d.date === '2026-01-06')).toEqual({
        date: '2026-01-06',
        seconds: 600,
        sessions: 1,
      });
      expect(res.days.find((d: { date: string }) => d.date === '2026-01-04')).toEqual({
        date: '2026-01-04',
        seconds: 120,
        sessions: 1,
      });
    });

    it('counts this week from Monday even when fewer days are asked for', async () => {
      const user = await registerUser(t.app);
      t.clock.set('2026-01-05T10:00:00.000Z'); // Monday
      const s = await start(user);
      t.clock.advance(60_000);
      await user.request('POST', `${BASE}/${s.id}/complete`);
      t.clock.set('2026-01-08T10:00:00.000Z'); // Thursday
      const res = (await user.request('GET', `${BASE}/activity?days=1`)).json();
      expect(res.days).toHaveLength(1);
      expect(res.today).toEqual({ seconds: 0, sessions: 0 });
      expect(res.week).toEqual({ seconds: 60, sessions: 1 });
    });
  });

  describe('idle sessions', () => {
    it('closes sessions idle past the limit at their last activity, marking them auto-closed', async () => {
      const user = await registerUser(t.app);
      const idle = await start(user, { type: 'scenario', language: 'es', metadata: { keep: 1 } });
      t.clock.advance(10 * 60_000);
      await user.request('PATCH', `${BASE}/${idle.id}`, { itemsStudied: 3 });
      const lastActivity = t.clock.now().toISOString();
      t.clock.advance(2 * 3600_000 - 1000);
      const fresh = await start(user);
      t.clock.advance(2000); // idle is now 2 h 1 s past its last activity; fresh only 2 s old

      const closed = await t.app.services.learningSessions.closeIdleSessions();
      expect(closed).toBeGreaterThanOrEqual(1);
      const read = (await user.request('GET', `${BASE}/${idle.id}`)).json();
      expect(read).toMatchObject({
        status: 'completed',
        endedAt: lastActivity,
        durationSeconds: 600,
        metadata: { keep: 1, autoClosed: true },
      });
      expect((await user.request('GET', `${BASE}/${fresh.id}`)).json().status).toBe('active');
    });

    it('closes an idle session at its last activity when the forgotten tab touches it again', async () => {
      const user = await registerUser(t.app);
      const s = await start(user);
      t.clock.advance(3 * 3600_000);
      const res = await user.request('PATCH', `${BASE}/${s.id}`, { itemsStudied: 50 });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('session_completed');
      const read = (await user.request('GET', `${BASE}/${s.id}`)).json();
      expect(read).toMatchObject({
        status: 'completed',
        endedAt: s.startedAt,
        durationSeconds: 0,
        itemsStudied: 0,
        metadata: { autoClosed: true },
      });
    });

    it('closes more idle sessions than fit in one sweep batch', async () => {
      const user = await registerUser(t.app);
      const sweepT = await startTestApp(kind, { sessionIdleMs: 60_000 });
      try {
        const owner = await registerUser(sweepT.app);
        const rows = Array.from({ length: 520 }, () => ({ type: 'scenario' as const, language: 'es' as const }));
        for (const body of rows) await sweepT.app.services.learningSessions.start(owner.id, body);
        sweepT.clock.advance(120_000);
        expect(await sweepT.app.services.learningSessions.closeIdleSessions()).toBe(520);
        expect(await sweepT.app.services.learningSessions.closeIdleSessions()).toBe(0);
      } finally {
        await sweepT.close();
      }
      expect(user.id).toBeTruthy();
    });
  });

  describe('the sweep timer', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('sweeps on every tick, logs what it closed, and stops when told', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const user = await registerUser(t.app);
      const s = await start(user);
      t.clock.advance(3 * 3600_000);
      const log = { info: vi.fn(), error: vi.fn() };
      const stop = startIdleSweep(t.app.services.learningSessions, 60_000, log);
      vi.advanceTimersByTime(60_000);
      await vi.waitFor(() =>
        expect(log.info).toHaveBeenCalledWith({ closed: expect.any(Number) }, 'closed idle learning sessions'),
      );
      expect((await user.request('GET', `${BASE}/${s.id}`)).json().status).toBe('completed');
      log.info.mockClear();
      stop();
      vi.advanceTimersByTime(10 * 60_000);
      expect(log.info).not.toHaveBeenCalled();
    });

    it('logs a failed sweep and says nothing when there was nothing to close', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const log = { info: vi.fn(), error: vi.fn() };
      let calls = 0;
      const sessions = {
        closeIdleSessions: async () => {
          calls++;
          if (calls === 1) return 0;
          throw new Error('database is locked');
        },
      };
      const stop = startIdleSweep(sessions, 1000, log);
      vi.advanceTimersByTime(1000);
      await vi.waitFor(() => expect(calls).toBe(1));
      vi.advanceTimersByTime(1000);
      await vi.waitFor(() =>
        expect(log.error).toHaveBeenCalledWith({ err: expect.any(Error) }, 'idle session sweep failed'),
      );
      expect(log.info).not.toHaveBeenCalled();
      stop();
    });
  });

  it('closes each idle session exactly once when two sweeps run at the same time', async () => {
    const user = await registerUser(t.app);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await start(user)).id);
    t.clock.advance(3 * 3600_000);
    const [a, b] = await Promise.all([
      t.app.services.learningSessions.closeIdleSessions(),
      t.app.services.learningSessions.closeIdleSessions(),
    ]);
    expect(a + b).toBe(6);
    for (const id of ids)
      expect((await user.request('GET', `${BASE}/${id}`)).json().metadata).toEqual({ autoClosed: true });
  });

  it('reports a failed insert instead of hiding it, with or without an idempotency key', async () => {
    const service = t.app.services.learningSessions;
    // No such user: the foreign key refuses the row.
    await expect(service.start('no-such-user', { type: 'scenario', language: 'es' })).rejects.toThrow();
    await expect(service.start('no-such-user', { type: 'scenario', language: 'es' }, 'key-1')).rejects.toThrow();
  });

  it('keeps merged metadata in the database: a freshly started app reads it back', async () => {
    const store = await kind.openPersistent();
    const clock = new ManualClock();
    try {
      const first = store.reopen();
      const app1 = await buildApp(testConfig(), { database: first, clock });
      const user = await registerUser(app1);
      const s = (
        await user.request('POST', BASE, { type: 'content_study', language: 'fr', metadata: { initial: 'value' } })
      ).json();
      await user.request('PATCH', `${BASE}/${s.id}`, {
        itemsStudied: 15,
        itemsCorrect: 12,
        itemsIncorrect: 3,
        metadata: { difficulty: 'hard', progress: 50 },
      });
      await app1.close();
      await first.close();

      const second = store.reopen();
      const app2 = await buildApp(testConfig(), { database: second, clock });
      const again = new (user.constructor as typeof import('../../test/harness.js').TestUser)(
        app2,
        user.id,
        user.email,
        user.password,
        user.cookies,
      );
      const read = await again.request('GET', `${BASE}/${s.id}`);
      expect(read.json()).toMatchObject({
        accuracy: 0.8,
        itemsStudied: 15,
        metadata: { initial: 'value', difficulty: 'hard', progress: 50 },
      });
      await app2.close();
      await second.close();
    } finally {
      await store.drop();
    }
  });
});
