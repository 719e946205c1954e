import { fileURLToPath } from 'node:url';
import { z } from 'zod';

// The repository's content/ folder, found from this file in src/server/ and in dist/server/ alike.
const DEFAULT_CONTENT_DIR = fileURLToPath(new URL('../../content', import.meta.url));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const EnvSchema = z
  .object({
    PORT: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535).default(3000),
    ),
    HOST: z.preprocess(emptyToUndefined, z.string().min(1).default('127.0.0.1')),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
          error: 'must be sqlite:<file>, sqlite::memory: or postgres://user@host:port/db',
        })
        .default('sqlite:data/tutor.db'),
    ),
    ADMIN_EMAIL: z.preprocess(emptyToUndefined, z.email({ error: 'must be a valid email address' }).optional()),
    ADMIN_PASSWORD: z.preprocess(
      emptyToUndefined,
      z.string().min(8, { error: 'must be at least 8 characters' }).optional(),
    ),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(LOG_LEVELS).default('info')),
    SESSION_IDLE_MINUTES: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'must be a number' }).int().min(1).default(120),
    ),
    SWEEP_INTERVAL_SECONDS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'must be a number' }).int().min(1).default(60),
    ),
    COOKIE_SECURE: z.preprocess(emptyToUndefined, bool.default(false)),
    SCRYPT_LOG2N: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'must be a number' }).int().min(10).max(20).default(16),
    ),
    TRUST_PROXY: z.preprocess(emptyToUndefined, bool.default(false)),
    WEB_DIST_DIR: z.preprocess(emptyToUndefined, z.string().default('dist/web')),
    CONTENT_DIR: z.preprocess(emptyToUndefined, z.string().default(DEFAULT_CONTENT_DIR)),
  })
  .refine((e) => (e.ADMIN_EMAIL === undefined) === (e.ADMIN_PASSWORD === undefined), {
    error: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    path: ['ADMIN_PASSWORD'],
  });

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  admin: { email: string; password: string } | null;
  logLevel: (typeof LOG_LEVELS)[number];
  /** A learning session with no activity for this long is closed by the sweep. */
  sessionIdleMs: number;
  sweepIntervalMs: number;
  cookieSecure: boolean;
  /** log2 of scrypt's cost N; each step doubles the time and memory a password hash takes. */
  scryptLog2N: number;
  trustProxy: boolean;
  /** Where the built web UI is; null serves the API only. */
  webDistDir: string | null;
  /** The built-in content: `scenarios/*.json` and `free-topics.json`. */
  contentDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration once; the only place that looks at the environment. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])] ?? null)})`,
      ),
    );
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    admin:
      e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD } : null,
    logLevel: e.LOG_LEVEL,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sweepIntervalMs: e.SWEEP_INTERVAL_SECONDS * 1000,
    cookieSecure: e.COOKIE_SECURE,
    scryptLog2N: e.SCRYPT_LOG2N,
    trustProxy: e.TRUST_PROXY,
    webDistDir: e.WEB_DIST_DIR,
    contentDir: e.CONTENT_DIR,
  };
}
