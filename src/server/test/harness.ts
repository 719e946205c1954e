import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { ManualClock } from '../lib/clock.js';
import type { TestDatabase } from './databases.js';
import { buildFreeTopics, buildScenario } from './scenario-factory.js';
import { SpellingService } from '../modules/tutor/offline/spelling.js';

let contentDir: string | undefined;
/**
 * A content folder holding one factory-built scenario (`test-scenario`), so suites do not depend on the real
 * catalogue's files (catalogue.test.ts validates those).
 */
export function testContentDir(): string {
  if (contentDir) return contentDir;
  contentDir = mkdtempSync(join(tmpdir(), 'tutor-content-'));
  mkdirSync(join(contentDir, 'scenarios'));
  writeFileSync(join(contentDir, 'scenarios', 'test-scenario.json'), JSON.stringify(buildScenario()));
  writeFileSync(join(contentDir, 'free-topics.json'), JSON.stringify(buildFreeTopics()));
  return contentDir;
}

/** Configuration for tests: quiet logs, a cheap password hash, no web UI, the test content. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ LOG_LEVEL: 'silent', SCRYPT_LOG2N: '10' }),
    webDistDir: null,
    contentDir: testContentDir(),
    ...overrides,
  };
}

export interface TestApp {
  app: FastifyInstance;
  clock: ManualClock;
  database: Database;
  close(): Promise<void>;
}

let spelling: SpellingService | undefined;
/**
 * One spelling service per test process: its dictionaries load once, on first use, and its worker is unref'd
 * while idle, so it never keeps a finished run alive.
 */
export function sharedSpelling(): SpellingService {
  spelling ??= new SpellingService();
  return spelling;
}

/** A fully built app over a fresh database of the given kind, with a clock the test moves by hand. */
export async function startTestApp(kind: TestDatabase, overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await kind.open();
  const clock = new ManualClock();
  const app = await buildApp(testConfig(overrides), { database, clock, spelling: sharedSpelling() });
  return {
    app,
    clock,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

let counter = 0;
/** A unique email for a test user. */
export function uniqueEmail(prefix = 'learner'): string {
  counter += 1;
  return `${prefix}${counter}.${process.pid}.${Date.now()}@example.test`;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A signed-in browser: carries its session cookie and sends the CSRF header like the web UI does. */
export class TestUser {
  constructor(
    readonly app: FastifyInstance,
    readonly id: string,
    readonly email: string,
    readonly password: string,
    public cookies: Record<string, string>,
  ) {}

  get csrf(): string {
    return this.cookies.csrf_token!;
  }

  cookieHeader(): string {
    return Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  }

  /** Sends a request as this user's browser (cookie + CSRF header unless `csrf: false`). */
  async request(
    method: Method,
    url: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { cookie: this.cookieHeader(), ...options.headers };
    if (options.csrf !== false && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const response = await this.app.inject({
      method,
      url,
      headers,
      ...(body === undefined ? {} : { payload: body as object }),
    });
    absorbCookies(this.cookies, response);
    return response;
  }
}

/** Applies a response's Set-Cookie headers to a cookie jar. */
export function absorbCookies(jar: Record<string, string>, response: LightMyRequestResponse): void {
  for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
    // clearCookie answers an empty value that expired at the epoch; real expiries follow the test's clock.
    if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() <= 0)) delete jar[c.name];
    else jar[c.name] = c.value;
  }
}

/** Registers a learner and answers their signed-in browser. */
export async function registerUser(app: FastifyInstance, overrides: Record<string, unknown> = {}): Promise<TestUser> {
  const email = (overrides.email as string | undefined) ?? uniqueEmail();
  const password = (overrides.password as string | undefined) ?? 'correct horse battery';
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, password, ...overrides },
  });
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  const jar: Record<string, string> = {};
  absorbCookies(jar, response);
  return new TestUser(app, response.json().user.id, email, password, jar);
}

/** Sends a request with a bearer token. */
export function withToken(app: FastifyInstance, token: string, method: Method, url: string, body?: unknown) {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

/** Creates an admin account (as the CLI would) and answers its signed-in browser. */
export async function registerAdmin(app: FastifyInstance): Promise<TestUser> {
  const email = uniqueEmail('admin');
  const password = 'correct horse battery';
  await app.services.auth.createAdmin(email, password);
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`admin login failed: ${response.statusCode} ${response.body}`);
  const jar: Record<string, string> = {};
  absorbCookies(jar, response);
  return new TestUser(app, response.json().user.id, email, password, jar);
}
