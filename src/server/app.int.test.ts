import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { DomainError } from './http/errors.js';
import { testDatabases } from './test/databases.js';
import { startTestApp, testConfig, type TestApp } from './test/harness.js';

describe.each(testDatabases())('the application on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers health ok once the database answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('publishes an OpenAPI document generated from the route schemas, and a docs page', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/auth/register',
        '/api/learning-sessions/',
        '/api/learning-sessions/{id}/complete',
      ]),
    );
    expect(
      doc.paths['/api/learning-sessions/{id}'].patch.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('itemsStudied');
    const page = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(page.statusCode);
  });

  it('answers unknown API routes with the error shape and 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/nothing-here' } });
  });

  it('gives every answer a request id, and keeps one the client sent', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'trace-abc' } });
    expect(mine.headers['x-request-id']).toBe('trace-abc');
    const generated = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a wrong content type and an oversized body in the error shape', async () => {
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<hi/>',
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBe('unsupported_media_type');
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'x'.repeat(2_000_000) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
  });

  it('turns an unexpected failure into a generic 500 that leaks nothing', async () => {
    const app = await buildApp(testConfig(), { database: await kind.open() });
    app.get('/api/boom', async () => {
      throw new Error('secret internals: password=hunter2');
    });
    app.get('/api/domain-boom', async () => {
      throw new DomainError('database_unavailable', 'the database does not answer');
    });
    const res = await app.inject({ method: 'GET', url: '/api/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(res.body).not.toContain('hunter2');
    expect((await app.inject({ method: 'GET', url: '/api/domain-boom' })).statusCode).toBe(503);
    await app.close();
    await app.services.database.close();
  });

  it('answers health 503 when the database is gone', async () => {
    const database = await kind.open();
    const app = await buildApp(testConfig(), { database });
    await database.close();
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('database_unavailable');
    await app.close();
  });

  it('creates the configured admin on start when there is none', async () => {
    const database = await kind.open();
    const app = await buildApp(testConfig({ admin: { email: 'root@example.test', password: 'admin password' } }), {
      database,
    });
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'root@example.test', password: 'admin password' },
    });
    expect(res.json().user.role).toBe('admin');
    await app.close();
    await database.close();
  });
});

describe('serving the web UI', () => {
  let dir: string;
  let t: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tutor-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Language Tutor</title><div id="root"></div>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    t = await startTestApp(testDatabases()[0]!, { webDistDir: dir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the built files and the page for any client-side route', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/app.js' })).body).toBe('console.log(1)');
    for (const url of ['/', '/history?type=scenario', '/account']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('keeps JSON 404s for the API, for missing files and for other methods', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/missing' })).json().error.code).toBe('not_found');
    expect((await t.app.inject({ method: 'GET', url: '/assets/index-old.js' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/somewhere' })).statusCode).toBe(404);
  });

  it('sends security headers, including a content security policy', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
