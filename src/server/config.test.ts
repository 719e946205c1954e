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
