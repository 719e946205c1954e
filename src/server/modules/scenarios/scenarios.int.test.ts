import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/databases.js';
import { registerUser, startTestApp, type TestApp, type TestUser } from '../../test/harness.js';
import { buildCustomScenario } from '../../test/scenario-factory.js';

const BASE = '/api/scenarios';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testDatabases())('scenarios on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  async function get(user: TestUser, url: string, status = 200): Promise<Json> {
    const res = await user.request('GET', url);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  }

  async function create(user: TestUser, body: Json = { scenario: buildCustomScenario() }): Promise<Json> {
    const res = await user.request('POST', `${BASE}/custom`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  describe('the catalogue', () => {
    it('lists the built-in scenarios with their languages and no attempts yet', async () => {
      const user = await registerUser(t.app);
      const list = (await get(user, BASE)) as unknown as Json[];
      expect(list).toEqual([
        expect.objectContaining({
          id: 'test-scenario',
          source: 'builtin',
          category: 'restaurant',
          difficulty: 'beginner',
          phaseCount: 3,
          languages: ['es', 'fr', 'de', 'it', 'pt', 'en'],
          attempts: 0,
          lastAttemptAt: null,
        }),
      ]);
    });

    it('filters by category, difficulty and language', async () => {
      const user = await registerUser(t.app);
      expect(await get(user, `${BASE}?category=restaurant&difficulty=beginner&language=fr`)).toHaveLength(1);
      expect(await get(user, `${BASE}?category=travel`)).toHaveLength(0);
      expect(await get(user, `${BASE}?difficulty=advanced`)).toHaveLength(0);
    });

    it('refuses an unknown category naming the field', async () => {
      const user = await registerUser(t.app);
      const body = await get(user, `${BASE}?category=space`, 400);
      expect(body.error.details[0].field).toBe('category');
    });

    it('answers one scenario in full, or only one language of it', async () => {
      const user = await registerUser(t.app);
      const full = await get(user, `${BASE}/test-scenario`);
      expect(Object.keys(full.phases[0].languages)).toHaveLength(6);
      const spanish = await get(user, `${BASE}/test-scenario?language=es`);
      expect(Object.keys(spanish.phases[0].languages)).toEqual(['es']);
      expect(spanish.phases[0].languages.es.tutorLines.opening).toBe('es opening 1');
    });

    it('answers 404 for an unknown scenario and for a language a scenario lacks', async () => {
      const user = await registerUser(t.app);
      await get(user, `${BASE}/no-such-scenario`, 404);
      const mine = await create(user);
      await get(user, `${BASE}/${mine.id}?language=fr`, 404);
    });

    it('counts the learner’s finished attempts and lists them newest first', async () => {
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      expect(await get(user, `${BASE}/test-scenario/history`)).toEqual([]);
      for (const [n, at] of ['2026-01-05T10:00:00.000Z', '2026-01-06T10:00:00.000Z'].entries()) {
        await t.app.services.scenarios.recordAttempt(t.database.db, {
          id: `attempt-${user.id}-${n}`,
          user_id: user.id,
          scenario_id: 'test-scenario',
          conversation_id: `conversation-${user.id}-${n}`,
          language: 'es',
          level: 'A1',
          phases_completed: 3,
          phases_total: 3,
          vocabulary_used_json: JSON.stringify(['mesa']),
          objectives_met_json: JSON.stringify(['goal-1-a']),
          objectives_total: 6,
          success_rate: 1 / 6,
          duration_seconds: 300,
          started_at: at,
          completed_at: at,
        });
      }
      const history = (await get(user, `${BASE}/test-scenario/history`)) as unknown as Json[];
      expect(history.map((h) => h.completedAt)).toEqual(['2026-01-06T10:00:00.000Z', '2026-01-05T10:00:00.000Z']);
      expect(history[0]).toMatchObject({ vocabularyUsed: ['mesa'], objectivesMet: ['goal-1-a'], durationSeconds: 300 });
      const [summary] = (await get(user, BASE)) as unknown as Json[];
      expect(summary).toMatchObject({ attempts: 2, lastAttemptAt: '2026-01-06T10:00:00.000Z' });
      expect(await get(other, `${BASE}/test-scenario/history`)).toEqual([]);
    });
  });

  describe('custom scenarios', () => {
    it('creates a private scenario the owner sees in the catalogue and nobody else does', async () => {
      const owner = await registerUser(t.app);
      const stranger = await registerUser(t.app);
      const record = await create(owner);
      expect(record).toMatchObject({
        visibility: 'private',
        mine: true,
        scenario: { title: 'My own scenario', source: 'custom' },
      });
      expect(record.id).toMatch(/^custom-/);
      expect(((await get(owner, BASE)) as unknown as Json[]).map((s) => s.id)).toContain(record.id);
      expect(((await get(stranger, BASE)) as unknown as Json[]).map((s) => s.id)).not.toContain(record.id);
      await get(stranger, `${BASE}/custom/${record.id}`, 404);
      await get(stranger, `${BASE}/${record.id}`, 404);
      await get(stranger, `${BASE}/custom/${record.id}/export`, 404);
    });

    it('lets others read a public scenario but never change or delete it', async () => {
      const owner = await registerUser(t.app);
      const stranger = await registerUser(t.app);
      const record = await create(owner, {
        visibility: 'public',
        scenario: buildCustomScenario({ title: 'Shared one' }),
      });
      expect(await get(stranger, `${BASE}/custom/${record.id}`)).toMatchObject({ mine: false, visibility: 'public' });
      const others = (await get(stranger, `${BASE}/custom?mine=false`)) as unknown as Json[];
      expect(others.map((r) => r.id)).toContain(record.id);
      expect(await get(stranger, `${BASE}/custom`)).toEqual([]);
      const put = await stranger.request('PUT', `${BASE}/custom/${record.id}`, { scenario: buildCustomScenario() });
      expect(put.statusCode).toBe(404);
      expect((await stranger.request('DELETE', `${BASE}/custom/${record.id}`)).statusCode).toBe(404);
      await get(owner, `${BASE}/custom/${record.id}`);
    });

    it('replaces and deletes the owner’s scenario', async () => {
      const owner = await registerUser(t.app);
      const record = await create(owner);
      t.clock.advance(60_000);
      const put = await owner.request('PUT', `${BASE}/custom/${record.id}`, {
        visibility: 'public',
        scenario: buildCustomScenario({ title: 'Renamed' }),
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toMatchObject({ visibility: 'public', scenario: { title: 'Renamed', id: record.id } });
      expect(put.json().updatedAt > record.updatedAt).toBe(true);
      expect((await owner.request('DELETE', `${BASE}/custom/${record.id}`)).statusCode).toBe(204);
      await get(owner, `${BASE}/custom/${record.id}`, 404);
    });

    it.each([
      ['a title under 3 characters', { title: 'ab' }, 'scenario.title'],
      ['a single phase', { phases: buildCustomScenario().phases.slice(0, 1) }, 'scenario.phases'],
      ['seven phases', { phases: Array(7).fill(buildCustomScenario().phases[0]) }, 'scenario.phases'],
    ])('refuses %s naming the field', async (_what, overrides, field) => {
      const owner = await registerUser(t.app);
      const res = await owner.request('POST', `${BASE}/custom`, { scenario: buildCustomScenario(overrides as Json) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: Json) => d.field)).toContain(field);
    });

    it('refuses a phase with too few words or phrases, or no objective, naming where', async () => {
      const owner = await registerUser(t.app);
      const scenario = buildCustomScenario() as Json;
      scenario.phases[0].languages.es.vocabulary = scenario.phases[0].languages.es.vocabulary.slice(0, 2);
      scenario.phases[1].languages.es.phrases = scenario.phases[1].languages.es.phrases.slice(0, 2);
      const res = await owner.request('POST', `${BASE}/custom`, { scenario });
      expect(res.statusCode).toBe(400);
      const fields = res.json().error.details.map((d: Json) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining(['scenario.phases.0.languages.es.vocabulary', 'scenario.phases.1.languages.es.phrases']),
      );
      const noObjective = buildCustomScenario() as Json;
      noObjective.phases[0].objectives = [];
      const res2 = await owner.request('POST', `${BASE}/custom`, { scenario: noObjective });
      expect(res2.json().error.details.map((d: Json) => d.field)).toContain('scenario.phases.0.objectives');
    });

    it('refuses a scenario with no language filled in', async () => {
      const owner = await registerUser(t.app);
      const res = await owner.request('POST', `${BASE}/custom`, { scenario: buildCustomScenario({}, []) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/scenario\.phases/);
    });

    it('exports a file that imports back as a new scenario of the importer', async () => {
      const owner = await registerUser(t.app);
      const importer = await registerUser(t.app);
      const record = await create(owner, {
        visibility: 'public',
        scenario: buildCustomScenario({ title: 'Round trip' }),
      });
      const exported = await owner.request('GET', `${BASE}/custom/${record.id}/export`);
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-disposition']).toContain(`${record.id}.json`);
      const res = await importer.request('POST', `${BASE}/custom/import?visibility=private`, exported.json());
      expect(res.statusCode, res.body).toBe(201);
      const imported = res.json();
      expect(imported.id).not.toBe(record.id);
      expect(imported).toMatchObject({ mine: true, visibility: 'private', scenario: { title: 'Round trip' } });
      expect(imported.scenario.phases).toEqual(record.scenario.phases);
    });

    it('refuses an import that is not a scenario, naming the fields', async () => {
      const owner = await registerUser(t.app);
      const res = await owner.request('POST', `${BASE}/custom/import`, { title: 'x' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: Json) => d.field)).toEqual(expect.arrayContaining(['title', 'phases']));
    });
  });
});
