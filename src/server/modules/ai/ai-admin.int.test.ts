import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../http/auth.js';
import { registerErrorHandler } from '../../http/errors.js';
import { testDatabases } from '../../test/databases.js';
import { registerAdmin, registerUser, startTestApp, type TestApp, TestUser } from '../../test/harness.js';
import { FakeLlmServer } from '../../test/llm-fakes/fake-llm-server.js';
import { aiAdminRoutes } from './ai-admin.routes.js';
import type { ProviderConfig } from './ai.types.js';
import { AiRouter } from './router.js';

const OPENAI_KEY = 'sk-admin-test-openai-0123456789';
const ANTHROPIC_KEY = 'sk-ant-admin-test-0123456789';

// The route reads only the router; the database is there for the accounts, so SQLite alone is enough.
const sqlite = testDatabases().find((d) => d.name === 'sqlite')!;

describe('GET /api/admin/ai/providers', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let fake: FakeLlmServer;
  let router: AiRouter;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp(sqlite);
    fake = await FakeLlmServer.start();
    const providers: ProviderConfig[] = [
      {
        id: 'openai',
        kind: 'openai-compatible',
        baseUrl: fake.openaiBaseUrl,
        apiKey: OPENAI_KEY,
        models: ['gpt-4.1-mini', 'gpt-4.1'],
        inputPricePerMTokUsd: 0.4,
        outputPricePerMTokUsd: 1.6,
        languages: ['es', 'fr'],
        priority: 10,
      },
      {
        id: 'claude',
        kind: 'anthropic',
        baseUrl: null,
        apiKey: ANTHROPIC_KEY,
        models: ['claude-haiku-4-5'],
        inputPricePerMTokUsd: 1,
        outputPricePerMTokUsd: 5,
        languages: [],
        priority: 20,
      },
      {
        id: 'local',
        kind: 'openai-compatible',
        baseUrl: 'http://user:secret@127.0.0.1:59999/v1',
        apiKey: null,
        models: ['llama3.2'],
        inputPricePerMTokUsd: 0,
        outputPricePerMTokUsd: 0,
        languages: [],
        priority: 30,
      },
    ];
    router = new AiRouter({ providers, clock: t.clock, options: { breakerFailureThreshold: 2 } });

    // A small app around the real route plugin and the real authenticator over the test app's accounts.
    app = Fastify().withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    app.decorateRequest('principal', null);
    await app.register(cookie);
    const authn = createAuthenticator(t.app.services.auth, { cookieSecure: false });
    await app.register(aiAdminRoutes(router, authn), { prefix: '/api/admin/ai' });
    await app.ready();

    const signedIn = await registerAdmin(t.app);
    admin = new TestUser(app, signedIn.id, signedIn.email, signedIn.password, signedIn.cookies);
  });

  afterAll(async () => {
    await app.close();
    await fake.close();
    await t.close();
  });

  const run = async (providerId: string) => {
    const candidate = router.providers.find((p) => p.id === providerId)!;
    const request = { system: null, messages: [{ role: 'user' as const, content: 'hola' }], maxTokens: 10 };
    try {
      for await (const _ of router.run({ ...request, temperature: 0, jsonSchema: null }, [candidate])) {
        // drain
      }
    } catch {
      // a failed call is what some tests want
    }
  };

  it('lists every provider with its configuration and health, never its key', async () => {
    const response = await admin.request('GET', '/api/admin/ai/providers');
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain(OPENAI_KEY);
    expect(response.body).not.toContain(ANTHROPIC_KEY);
    expect(response.body).not.toContain('secret');
    const { providers } = response.json();
    expect(providers.map((p: { id: string }) => p.id)).toEqual(['openai', 'claude', 'local']);
    expect(providers[0]).toEqual({
      id: 'openai',
      kind: 'openai-compatible',
      baseUrlHost: new URL(fake.url).host,
      models: ['gpt-4.1-mini', 'gpt-4.1'],
      inputPricePerMTokUsd: 0.4,
      outputPricePerMTokUsd: 1.6,
      languages: ['es', 'fr'],
      priority: 10,
      hasKey: true,
      health: {
        healthy: true,
        circuit: 'closed',
        consecutiveFailures: 0,
        circuitRetryAt: null,
        attempts: 0,
        failures: 0,
        errorRate: null,
        ttftMs: null,
        latencyMs: null,
        lastError: null,
      },
      probe: null,
    });
    expect(providers[1]).toMatchObject({ kind: 'anthropic', baseUrlHost: 'api.anthropic.com', hasKey: true });
    expect(providers[2]).toMatchObject({ baseUrlHost: '127.0.0.1:59999', hasKey: false });
  });

  it('shows live health: recent attempts, latency, the last error and an open circuit', async () => {
    await run('openai');
    await run('local');
    await run('local');
    const { providers } = (await admin.request('GET', '/api/admin/ai/providers')).json();
    expect(providers[0].health).toMatchObject({
      healthy: true,
      attempts: 1,
      failures: 0,
      errorRate: 0,
      ttftMs: { p50: 0, p95: 0 },
      latencyMs: { p50: 0, p95: 0 },
    });
    expect(providers[2].health).toMatchObject({
      healthy: false,
      circuit: 'open',
      consecutiveFailures: 2,
      circuitRetryAt: new Date(t.clock.now().getTime() + 30_000).toISOString(),
      attempts: 2,
      errorRate: 1,
      lastError: { failure: 'connection_error', at: t.clock.now().toISOString() },
    });
  });

  it('checks reachability now with ?probe=true', async () => {
    const { providers } = (await admin.request('GET', '/api/admin/ai/providers?probe=true')).json();
    expect(providers[0].probe).toEqual({ reachable: true, latencyMs: 0, failure: null, message: null });
    expect(providers[2].probe).toMatchObject({ reachable: false, failure: 'connection_error' });
    expect(fake.requests.filter((r) => r.protocol === 'models')).toHaveLength(1);
  });

  it('refuses a probe value it does not know', async () => {
    const response = await admin.request('GET', '/api/admin/ai/providers?probe=yes');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  it('is for admins only', async () => {
    const learner = await registerUser(t.app);
    const asLearner = new TestUser(app, learner.id, learner.email, learner.password, learner.cookies);
    const forbidden = await asLearner.request('GET', '/api/admin/ai/providers');
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
    const anonymous = await app.inject({ method: 'GET', url: '/api/admin/ai/providers' });
    expect(anonymous.statusCode).toBe(401);
  });
});
