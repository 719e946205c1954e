import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/databases.js';
import { buildApp } from '../../app.js';
import {
  absorbCookies,
  registerUser,
  startTestApp,
  testConfig,
  TestUser,
  uniqueEmail,
  withToken,
  type TestApp,
} from '../../test/harness.js';
import { LOGIN_WINDOW_MS, SESSION_LIFETIME_MS } from './auth.service.js';

describe.each(testDatabases())('accounts on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (email: string, password: string, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: ip });

  describe('registering', () => {
    it('creates a learner with defaults, signs them in and sets httpOnly session and readable CSRF cookies', async () => {
      const email = uniqueEmail();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: email.toUpperCase(), password: 'long enough pw' },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().user).toEqual({
        id: expect.any(String),
        email,
        displayName: email.split('@')[0],
        nativeLanguage: 'en',
        timezone: 'UTC',
        role: 'learner',
        createdAt: t.clock.now().toISOString(),
      });
      expect(res.body).not.toContain('password');
      const cookies = res.cookies as { name: string; httpOnly?: boolean; sameSite?: string; path?: string }[];
      expect(cookies.find((c) => c.name === 'tutor_session')).toMatchObject({
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
      });
      expect(cookies.find((c) => c.name === 'csrf_token')?.httpOnly).toBeFalsy();
      const jar: Record<string, string> = {};
      absorbCookies(jar, res);
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { cookie: `tutor_session=${jar.tutor_session}` },
      });
      expect(me.json().user.email).toBe(email);
    });

    it('keeps the display name, native language and time zone given', async () => {
      const user = await registerUser(t.app, { displayName: 'Ana', nativeLanguage: 'pt', timezone: 'Europe/Lisbon' });
      const me = (await user.request('GET', '/api/auth/me')).json().user;
      expect(me).toMatchObject({
        displayName: 'Ana',
        nativeLanguage: 'pt',
        timezone: 'Europe/Lisbon',
        role: 'learner',
      });
    });

    it('refuses a second account for the same email, whatever its case, with 409 email_taken', async () => {
      const email = uniqueEmail();
      await registerUser(t.app, { email });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: ` ${email.toUpperCase()} `, password: 'another password' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('email_taken');
    });

    it.each([
      ['a password shorter than 8 characters', { password: 'short' }, 'password'],
      ['an invalid email', { email: 'not-an-email' }, 'email'],
      ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
      ['an unknown native language', { nativeLanguage: 'xx' }, 'nativeLanguage'],
      ['a role', { role: 'admin' }, 'role'],
    ])('refuses %s with 400 validation_failed naming the field', async (_what, change, field) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: uniqueEmail(), password: 'long enough pw', ...change },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });

  describe('signing in and out', () => {
    it('signs in with the right password, the email in any case', async () => {
      const user = await registerUser(t.app);
      const res = await login(user.email.toUpperCase(), user.password);
      expect(res.statusCode).toBe(200);
      expect(res.json().user.id).toBe(user.id);
    });

    it('answers the same 401 invalid_credentials for a wrong password and an unknown email', async () => {
      const user = await registerUser(t.app);
      const wrong = await login(user.email, 'wrong password', '10.1.0.1');
      const unknown = await login(uniqueEmail('nobody'), 'whatever pw', '10.1.0.2');
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json()).toEqual(unknown.json());
      expect(wrong.json().error.code).toBe('invalid_credentials');
    });

    it('answers 429 after ten failures a minute for one email, until the minute has passed', async () => {
      const user = await registerUser(t.app);
      for (let i = 0; i < 10; i++) expect((await login(user.email, 'bad guess', `10.2.0.${i}`)).statusCode).toBe(401);
      const blocked = await login(user.email, user.password, '10.2.1.1');
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.code).toBe('rate_limited');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      t.clock.advance(LOGIN_WINDOW_MS + 1);
      expect((await login(user.email, user.password, '10.2.1.1')).statusCode).toBe(200);
    });

    it('answers 429 after ten failures a minute from one address, whatever the emails', async () => {
      for (let i = 0; i < 10; i++)
        expect((await login(uniqueEmail('spray'), 'bad guess', '10.3.0.1')).statusCode).toBe(401);
      const user = await registerUser(t.app);
      expect((await login(user.email, user.password, '10.3.0.1')).statusCode).toBe(429);
      expect((await login(user.email, user.password, '10.3.0.2')).statusCode).toBe(200);
      t.clock.advance(LOGIN_WINDOW_MS + 1);
    });

    it('forgets an email’s failures once it signs in successfully', async () => {
      const user = await registerUser(t.app);
      for (let i = 0; i < 9; i++) await login(user.email, 'bad guess', `10.4.0.${i}`);
      expect((await login(user.email, user.password, '10.4.1.1')).statusCode).toBe(200);
      for (let i = 0; i < 9; i++) expect((await login(user.email, 'bad guess', `10.4.2.${i}`)).statusCode).toBe(401);
    });

    it('logs out: 204, cookies cleared, and the old session cookie no longer works', async () => {
      const user = await registerUser(t.app);
      const oldCookie = user.cookieHeader();
      const res = await user.request('POST', '/api/auth/logout');
      expect(res.statusCode).toBe(204);
      expect(user.cookies.tutor_session).toBeUndefined();
      const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: oldCookie } });
      expect(me.statusCode).toBe(401);
      expect(me.json().error.code).toBe('unauthenticated');
    });

    it('logs out over an API token without revoking the token', async () => {
      const user = await registerUser(t.app);
      const { token } = (await user.request('POST', '/api/auth/tokens', { name: 'x' })).json();
      expect((await withToken(t.app, token, 'POST', '/api/auth/logout')).statusCode).toBe(204);
      expect((await withToken(t.app, token, 'GET', '/api/auth/me')).statusCode).toBe(200);
      expect((await user.request('GET', '/api/auth/me')).statusCode).toBe(200);
    });

    it('answers 401 for no cookie, a made-up cookie, and an expired session', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'tutor_session=forged' } }))
          .statusCode,
      ).toBe(401);
      const user = await registerUser(t.app);
      t.clock.advance(SESSION_LIFETIME_MS + 1);
      expect((await user.request('GET', '/api/auth/me')).statusCode).toBe(401);
      await t.app.services.auth.deleteExpiredSessions();
    });
  });

  describe('CSRF', () => {
    it('refuses a cookie-authenticated write without the x-csrf-token header with 403 csrf_failed', async () => {
      const user = await registerUser(t.app);
      const res = await user.request(
        'POST',
        '/api/learning-sessions',
        { type: 'scenario', language: 'es' },
        { csrf: false },
      );
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('csrf_failed');
      expect((await user.request('GET', '/api/learning-sessions')).json().items).toHaveLength(0);
    });

    it("refuses a header that does not match the session's token, including another user's", async () => {
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      for (const token of ['wrong', other.csrf]) {
        const res = await user.request(
          'PATCH',
          '/api/auth/me',
          { displayName: 'X' },
          { csrf: false, headers: { 'x-csrf-token': token } },
        );
        expect(res.statusCode).toBe(403);
      }
    });

    it('does not need the header for reads', async () => {
      const user = await registerUser(t.app);
      expect((await user.request('GET', '/api/auth/me', undefined, { csrf: false })).statusCode).toBe(200);
    });
  });

  describe('profile', () => {
    it('updates display name, native language and time zone', async () => {
      const user = await registerUser(t.app);
      const res = await user.request('PATCH', '/api/auth/me', {
        displayName: 'Jo',
        nativeLanguage: 'de',
        timezone: 'Asia/Tokyo',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().user).toMatchObject({ displayName: 'Jo', nativeLanguage: 'de', timezone: 'Asia/Tokyo' });
      expect((await user.request('GET', '/api/auth/me')).json().user.timezone).toBe('Asia/Tokyo');
    });

    it('refuses a role change and unknown fields', async () => {
      const user = await registerUser(t.app);
      const res = await user.request('PATCH', '/api/auth/me', { role: 'admin' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].field).toBe('role');
    });

    it('changes the password only with the current one, and revokes every other browser session', async () => {
      const user = await registerUser(t.app);
      const second = await login(user.email, user.password);
      const secondJar: Record<string, string> = {};
      absorbCookies(secondJar, second);
      const otherBrowser = new TestUser(t.app, user.id, user.email, user.password, secondJar);

      const missing = await user.request('PATCH', '/api/auth/me', { newPassword: 'brand new password' });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.details[0].field).toBe('currentPassword');
      const wrong = await user.request('PATCH', '/api/auth/me', {
        currentPassword: 'nope nope',
        newPassword: 'brand new password',
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.details[0].field).toBe('currentPassword');

      const ok = await user.request('PATCH', '/api/auth/me', {
        currentPassword: user.password,
        newPassword: 'brand new password',
      });
      expect(ok.statusCode).toBe(200);
      // The browser that changed it got a fresh session; the other one is signed out.
      expect((await user.request('GET', '/api/auth/me')).statusCode).toBe(200);
      expect((await otherBrowser.request('GET', '/api/auth/me')).statusCode).toBe(401);
      expect((await login(user.email, user.password)).statusCode).toBe(401);
      expect((await login(user.email, 'brand new password')).statusCode).toBe(200);
    });

    it('changes the password over an API token without opening a browser session', async () => {
      const user = await registerUser(t.app);
      const { token } = (await user.request('POST', '/api/auth/tokens', { name: 'cli' })).json();
      const res = await withToken(t.app, token, 'PATCH', '/api/auth/me', {
        currentPassword: user.password,
        newPassword: 'token made password',
      });
      expect(res.statusCode).toBe(200);
      expect(res.cookies).toHaveLength(0);
      expect((await user.request('GET', '/api/auth/me')).statusCode).toBe(401);
      expect((await withToken(t.app, token, 'GET', '/api/auth/me')).statusCode).toBe(200);
    });
  });

  describe('API tokens', () => {
    it('creates a token shown once, lists it without the secret, and authenticates with it without CSRF', async () => {
      const user = await registerUser(t.app);
      const created = await user.request('POST', '/api/auth/tokens', { name: 'my script' });
      expect(created.statusCode).toBe(201);
      const { id, token, name } = created.json();
      expect(name).toBe('my script');
      expect(token).toMatch(/^lt_/);

      const list = (await user.request('GET', '/api/auth/tokens')).json();
      expect(list.items).toEqual([{ id, name: 'my script', createdAt: expect.any(String), lastUsedAt: null }]);
      expect(JSON.stringify(list)).not.toContain(token);

      const write = await withToken(t.app, token, 'POST', '/api/learning-sessions', {
        type: 'conversation',
        language: 'en',
      });
      expect(write.statusCode).toBe(201);
      expect(write.json().userId).toBe(user.id);
      expect((await user.request('GET', '/api/auth/tokens')).json().items[0].lastUsedAt).toBe(
        t.clock.now().toISOString(),
      );
    });

    it('stores only a hash of the token', async () => {
      const user = await registerUser(t.app);
      const { token } = (await user.request('POST', '/api/auth/tokens', { name: 'x' })).json();
      const rows = await t.database.db.selectFrom('api_tokens').selectAll().where('user_id', '=', user.id).execute();
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(token.slice(3));
    });

    it('writes last use at most once a minute', async () => {
      const user = await registerUser(t.app);
      const { token } = (await user.request('POST', '/api/auth/tokens', { name: 'x' })).json();
      await withToken(t.app, token, 'GET', '/api/auth/me');
      const first = t.clock.now().toISOString();
      t.clock.advance(30_000);
      await withToken(t.app, token, 'GET', '/api/auth/me');
      expect((await user.request('GET', '/api/auth/tokens')).json().items[0].lastUsedAt).toBe(first);
      t.clock.advance(31_000);
      await withToken(t.app, token, 'GET', '/api/auth/me');
      expect((await user.request('GET', '/api/auth/tokens')).json().items[0].lastUsedAt).toBe(
        t.clock.now().toISOString(),
      );
    });

    it('revokes a token: 204, then the token is refused with 401', async () => {
      const user = await registerUser(t.app);
      const { id, token } = (await user.request('POST', '/api/auth/tokens', { name: 'x' })).json();
      expect((await user.request('DELETE', `/api/auth/tokens/${id}`)).statusCode).toBe(204);
      const res = await withToken(t.app, token, 'GET', '/api/auth/me');
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
      expect((await user.request('GET', '/api/auth/tokens')).json().items).toEqual([]);
    });

    it("answers 404 for revoking another user's token, which keeps working", async () => {
      const owner = await registerUser(t.app);
      const other = await registerUser(t.app);
      const { id, token } = (await owner.request('POST', '/api/auth/tokens', { name: 'x' })).json();
      expect((await other.request('DELETE', `/api/auth/tokens/${id}`)).statusCode).toBe(404);
      expect((await withToken(t.app, token, 'GET', '/api/auth/me')).statusCode).toBe(200);
    });

    it.each(['lt_made-up', 'not-even-prefixed', ''])('refuses the bearer token %j with 401', async (token) => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(401);
    });

    it('refuses an empty token name', async () => {
      const user = await registerUser(t.app);
      const res = await user.request('POST', '/api/auth/tokens', { name: '  ' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].field).toBe('name');
    });
  });

  describe('password cost', () => {
    it('re-hashes a password with the current cost when its owner signs in', async () => {
      const user = await registerUser(t.app);
      const stronger = await buildApp(testConfig({ scryptLog2N: 11 }), { database: t.database, clock: t.clock });
      const res = await stronger.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: user.password },
        remoteAddress: '10.8.0.1',
      });
      expect(res.statusCode).toBe(200);
      const row = await t.database.db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^scrypt\$11\$/);
      expect((await login(user.email, user.password, '10.8.0.2')).statusCode).toBe(200);
      await stronger.close();
    });
  });

  it('reports a failure to store a user that is not a duplicate email as it is', async () => {
    const database = await kind.open();
    const app = await buildApp(testConfig(), { database });
    await database.close();
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: uniqueEmail(), password: 'long enough pw' },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('internal_error');
    await app.close();
  });

  describe('admins', () => {
    it('creates the first admin from configuration once, and never a second time', async () => {
      const auth = t.app.services.auth;
      const email = uniqueEmail('admin');
      expect(await auth.ensureFirstAdmin(email, 'admin password')).toBe(true);
      expect(await auth.ensureFirstAdmin(uniqueEmail('admin'), 'admin password')).toBe(false);
      const res = await login(email, 'admin password', '10.9.0.1');
      expect(res.json().user.role).toBe('admin');
    });

    it('promotes an existing learner with a new password when asked to make them admin', async () => {
      const user = await registerUser(t.app);
      const { created, user: admin } = await t.app.services.auth.createAdmin(user.email, 'promoted password');
      expect(created).toBe(false);
      expect(admin.role).toBe('admin');
      expect((await user.request('GET', '/api/auth/me')).statusCode).toBe(401);
      expect((await login(user.email, 'promoted password', '10.9.0.2')).json().user.role).toBe('admin');
    });
  });
});
