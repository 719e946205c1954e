import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has defaults that start the app on 127.0.0.1:3000 with SQLite in data/', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:data/tutor.db',
      admin: null,
      logLevel: 'info',
      sessionIdleMs: 2 * 3600_000,
      sweepIntervalMs: 60_000,
      cookieSecure: false,
      scryptLog2N: 16,
      webDistDir: 'dist/web',
    });
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://tutor@db:5432/tutor',
      ADMIN_EMAIL: 'Boss@Example.com',
      ADMIN_PASSWORD: 'a strong one',
      LOG_LEVEL: 'debug',
      SESSION_IDLE_MINUTES: '30',
      SWEEP_INTERVAL_SECONDS: '5',
      COOKIE_SECURE: 'true',
      SCRYPT_LOG2N: '17',
      TRUST_PROXY: '1',
      WEB_DIST_DIR: '/srv/web',
      CONTENT_DIR: '/srv/content',
      OLLAMA_BASE_URL: 'http://127.0.0.1:11434',
      OLLAMA_MODEL: 'qwen2.5',
      AI_CONNECT_TIMEOUT_MS: '1000',
      AI_FIRST_TOKEN_TIMEOUT_MS: '2000',
      AI_DEADLINE_MS: '9000',
      AI_MAX_RETRY_AFTER_MS: '0',
      AI_BREAKER_FAILURES: '2',
      AI_BREAKER_COOLDOWN_MS: '500',
    });
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://tutor@db:5432/tutor',
      admin: { email: 'boss@example.com', password: 'a strong one' },
      logLevel: 'debug',
      sessionIdleMs: 30 * 60_000,
      sweepIntervalMs: 5000,
      cookieSecure: true,
      scryptLog2N: 17,
      trustProxy: true,
      webDistDir: '/srv/web',
      contentDir: '/srv/content',
      ai: {
        providers: [
          {
            id: 'ollama',
            kind: 'openai-compatible',
            baseUrl: 'http://127.0.0.1:11434/v1',
            apiKey: null,
            models: ['qwen2.5'],
            inputPricePerMTokUsd: 0,
            outputPricePerMTokUsd: 0,
            languages: [],
            priority: 30,
          },
        ],
        router: {
          connectTimeoutMs: 1000,
          firstTokenTimeoutMs: 2000,
          deadlineMs: 9000,
          maxRetryAfterMs: 0,
          breakerFailureThreshold: 2,
          breakerCooldownMs: 500,
          healthWindowMs: 300_000,
        },
      },
    });
  });

  it.each(['sqlite::memory:', 'sqlite:/var/lib/tutor/tutor.db', 'postgresql://u:p@h/db'])(
    'accepts DATABASE_URL %s',
    (url) => {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    },
  );

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '' })).toMatchObject({ port: 3000, logLevel: 'info' });
  });

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['ADMIN_EMAIL', { ADMIN_EMAIL: 'nope', ADMIN_PASSWORD: 'long enough' }],
    ['ADMIN_PASSWORD', { ADMIN_EMAIL: 'a@b.c' }],
    ['ADMIN_PASSWORD', { ADMIN_EMAIL: 'a@b.c', ADMIN_PASSWORD: 'short' }],
    ['COOKIE_SECURE', { COOKIE_SECURE: 'yes please' }],
    ['SESSION_IDLE_MINUTES', { SESSION_IDLE_MINUTES: '0' }],
  ])('refuses a bad %s with a message naming it', (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}: `));
  });
});

describe('AI provider configuration', () => {
  function providersFile(content: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'tutor-ai-config-'));
    const path = join(dir, 'providers.json');
    writeFileSync(path, content);
    return path;
  }

  it('runs without any provider by default', () => {
    expect(loadConfig({}).ai.providers).toEqual([]);
  });

  it('reads AI_PROVIDERS_FILE, resolves apiKeyEnv and adds the shortcuts the file does not define', () => {
    const file = providersFile(
      JSON.stringify([
        {
          id: 'openai',
          kind: 'openai-compatible',
          apiKeyEnv: 'MY_OPENAI_KEY',
          models: ['gpt-4o-mini'],
          inputPricePerMTokUsd: 0.15,
          outputPricePerMTokUsd: 0.6,
          languages: ['es'],
          priority: 1,
        },
      ]),
    );
    const config = loadConfig({
      AI_PROVIDERS_FILE: file,
      MY_OPENAI_KEY: 'sk-from-env',
      OPENAI_API_KEY: 'sk-shortcut',
      ANTHROPIC_API_KEY: 'sk-ant',
    });
    expect(config.ai.providers.map((p) => [p.id, p.apiKey, p.models[0]])).toEqual([
      ['openai', 'sk-from-env', 'gpt-4o-mini'],
      ['anthropic', 'sk-ant', 'claude-haiku-4-5'],
    ]);
  });

  it('refuses a providers file it cannot read, naming the variable', () => {
    expect(() => loadConfig({ AI_PROVIDERS_FILE: '/nonexistent/providers.json' })).toThrow(
      /AI_PROVIDERS_FILE: cannot read \/nonexistent\/providers.json \(ENOENT\)/,
    );
  });

  it('refuses a providers file with a bad field, naming the field', () => {
    const file = providersFile(JSON.stringify([{ id: 'x', kind: 'openai-compatible', models: [] }]));
    expect(() => loadConfig({ AI_PROVIDERS_FILE: file })).toThrow(/AI_PROVIDERS_FILE: \[0\]\.models: /);
  });

  it('refuses a shortcut it cannot price, naming the variable', () => {
    expect(() => loadConfig({ OPENAI_API_KEY: 'k', OPENAI_MODEL: 'mystery' })).toThrow(/OPENAI_PRICE_PER_MTOK: /);
  });

  it.each([
    ['OPENAI_BASE_URL', { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'not a url' }],
    ['OLLAMA_BASE_URL', { OLLAMA_BASE_URL: 'ftp://host' }],
    ['AI_DEADLINE_MS', { AI_DEADLINE_MS: 'soon' }],
    ['AI_BREAKER_FAILURES', { AI_BREAKER_FAILURES: '0' }],
  ])('refuses a bad %s with a message naming it', (name, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}: `));
  });

  it('never echoes a secret in its messages', () => {
    let message = '';
    try {
      loadConfig({ ADMIN_EMAIL: 'a@b.c', ADMIN_PASSWORD: 'short', OPENAI_API_KEY: 'sk-leak', OPENAI_MODEL: 'x' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/ADMIN_PASSWORD: .*got a value that is not shown/);
    expect(message).not.toContain('short');
    expect(message).not.toContain('sk-leak');
  });
});
