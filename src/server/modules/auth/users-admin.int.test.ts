import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/databases.js';
import {
  registerAdmin,
  registerUser,
  startTestApp,
  type TestApp,
  type TestUser,
  uniqueEmail,
  withToken,
} from '../../test/harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const USERS = '/api/admin/users';

describe.each(testDatabases())('the admin list of users on $name', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let learner: TestUser;
  /** Every account of this suite's database, newest first, as the list should show it. */
  const expected: { id: string; email: string; displayName: string; role: string; createdAt: string }[] = [];

  const add = async (displayName: string, email = uniqueEmail()) => {
    const user = await registerUser(t.app, { email, displayName });
    expected.unshift({ id: user.id, email, displayName, role: 'learner', createdAt: t.clock.now().toISOString() });
    return user;
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    admin = await registerAdmin(t.app);
    expected.push({
      id: admin.id,
      email: admin.email,
      displayName: admin.email.split('@')[0]!,
      role: 'admin',
      createdAt: t.clock.now().toISOString(),
    });
    t.clock.advance(60_000);
    learner = await add('Lucía Fernández');
    t.clock.advance(60_000);
    await add('Zed', `zed.${process.pid}@example.test`);
    t.clock.advance(60_000);
    // Three accounts created in the same instant: the id decides their order.
    await add('Twin one');
    await add('Twin two');
    await add('Twin three', `under_score.${process.pid}@example.test`);
    const sameInstant = expected.slice(0, 3).sort((a, b) => (a.id < b.id ? 1 : -1));
    expected.splice(0, 3, ...sameInstant);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Follows `nextCursor` from the first page to the last; answers every page. */
  async function allPages(query: string): Promise<Json[]> {
    const pages: Json[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin.request('GET', `${USERS}?${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as Json;
      pages.push(page);
      cursor = page.nextCursor as string | null;
    } while (cursor && pages.length < 20);
    return pages;
  }

  it('lists every user newest first with id, email, display name, role and creation time', async () => {
    const res = await admin.request('GET', `${USERS}?limit=100`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ items: expected, nextCursor: null });
  });

  it('pages through every user exactly once with limit and cursor, also among users created in the same instant', async () => {
    const pages = await allPages('limit=2');
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2]);
    expect(pages.flatMap((p) => p.items.map((u: Json) => u.id))).toEqual(expected.map((u) => u.id));
    expect(pages.at(-1)!.nextCursor).toBeNull();
  });

  it('finds users by part of their display name or email, ignoring case', async () => {
    const search = async (q: string) =>
      ((await admin.request('GET', `${USERS}?q=${encodeURIComponent(q)}`)).json() as Json).items.map(
        (u: Json) => u.displayName,
      );
    expect(await search('FERN')).toEqual(['Lucía Fernández']);
    expect(await search('lucía')).toEqual(['Lucía Fernández']);
    expect(await search(`ZED.${process.pid}@EXAMPLE`)).toEqual(['Zed']);
    expect(await search('twin')).toEqual(
      expected.filter((u) => u.displayName.startsWith('Twin')).map((u) => u.displayName),
    );
    expect(await search('nobody-has-this')).toEqual([]);
  });

  it('takes the wildcards of LIKE in the search literally', async () => {
    const res = await admin.request('GET', `${USERS}?q=${encodeURIComponent('_')}`);
    expect((res.json() as Json).items.map((u: Json) => u.displayName)).toEqual(['Twin three']);
    const percent = await admin.request('GET', `${USERS}?q=${encodeURIComponent('%')}`);
    expect((percent.json() as Json).items).toEqual([]);
  });

  it('pages through search results with the cursor', async () => {
    const pages = await allPages('q=twin&limit=2');
    expect(pages.map((p) => p.items.length)).toEqual([2, 1]);
    expect(pages.flatMap((p) => p.items.map((u: Json) => u.displayName))).toEqual(
      expected.filter((u) => u.displayName.startsWith('Twin')).map((u) => u.displayName),
    );
  });

  it('answers no password hash, session or API token, only the five fields of each user', async () => {
    const token = ((await learner.request('POST', '/api/auth/tokens', { name: 'script' })).json() as Json)
      .token as string;
    const res = await admin.request('GET', `${USERS}?limit=100`);
    const items = (res.json() as Json).items as Json[];
    for (const item of items)
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'displayName', 'email', 'id', 'role']);
    expect(res.body).not.toContain('scrypt$');
    expect(res.body).not.toContain(token);
    expect(res.body).not.toContain(learner.cookies.tutor_session!);
    expect(res.body).not.toContain(learner.csrf);
    expect(res.body.toLowerCase()).not.toMatch(/password|hash|csrf|token/);
  });

  it('refuses a learner with 403 forbidden, as every admin route does, and an anonymous caller with 401', async () => {
    const res = await learner.request('GET', USERS);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    expect(res.body).not.toContain(admin.email);
    const budgets = await learner.request('GET', '/api/admin/budgets/users');
    expect([budgets.statusCode, budgets.json().error.code]).toEqual([403, 'forbidden']);
    const anonymous = await t.app.inject({ method: 'GET', url: USERS });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthenticated');
  });

  it("serves an admin's API token as well as their browser", async () => {
    const token = ((await admin.request('POST', '/api/auth/tokens', { name: 'admin script' })).json() as Json)
      .token as string;
    const res = await withToken(t.app, token, 'GET', `${USERS}?limit=1`);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Json).items).toEqual([expected[0]]);
  });

  it('is in the OpenAPI document with its query parameters and the five fields of a user', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as Json;
    const get = doc.paths['/api/admin/users'].get as Json;
    expect(get.parameters.map((p: Json) => p.name).sort()).toEqual(['cursor', 'limit', 'q']);
    const user = get.responses['200'].content['application/json'].schema.properties.items.items as Json;
    expect(Object.keys(user.properties).sort()).toEqual(['createdAt', 'displayName', 'email', 'id', 'role']);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    ['role=admin', 'role'],
  ])('refuses ?%s with 400 naming the field', async (query, field) => {
    const res = await admin.request('GET', `${USERS}?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details.map((d: Json) => d.field)).toContain(field);
  });
});
