import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ProviderConfig } from './modules/ai/ai.types.js';
import { mergeProviders, parseProvidersFile, providersFromEnv } from './modules/ai/provider-config.js';
import type { RouterOptions } from './modules/ai/router.js';

// The repository's content/ folder, found from this file in src/server/ and in dist/server/ alike.
const DEFAULT_CONTENT_DIR = fileURLToPath(new URL('../../content', import.meta.url));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(
  emptyToUndefined,
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
);
const milliseconds = (fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(1).default(fallback),
  );

/** Never echoed in an error message. */
const SECRET_VARIABLES = new Set(['ADMIN_PASSWORD', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY']);

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
    AI_PROVIDERS_FILE: optionalString,
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalUrl,
    OPENAI_MODEL: optionalString,
    OPENAI_PRICE_PER_MTOK: optionalString,
    ANTHROPIC_API_KEY: optionalString,
    ANTHROPIC_BASE_URL: optionalUrl,
    ANTHROPIC_MODEL: optionalString,
    ANTHROPIC_PRICE_PER_MTOK: optionalString,
    OLLAMA_BASE_URL: optionalUrl,
    OLLAMA_MODEL: optionalString,
    AI_CONNECT_TIMEOUT_MS: milliseconds(10_000),
    AI_FIRST_TOKEN_TIMEOUT_MS: milliseconds(30_000),
    AI_DEADLINE_MS: milliseconds(60_000),
    AI_MAX_RETRY_AFTER_MS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0).default(5_000),
    ),
    AI_BREAKER_FAILURES: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'must be a number' }).int().min(1).default(5),
    ),
    AI_BREAKER_COOLDOWN_MS: milliseconds(30_000),
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
  ai: {
    /** From AI_PROVIDERS_FILE and the env shortcuts; empty: the app runs without a model (offline tutor). */
    providers: ProviderConfig[];
    router: RouterOptions;
  };
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
      parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        const got = SECRET_VARIABLES.has(name) ? 'a value that is not shown' : JSON.stringify(env[name] ?? null);
        return `${i.path.join('.')}: ${i.message} (got ${got})`;
      }),
    );
  }
  const e = parsed.data;
  const providers = loadProviders(e, env);
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
    ai: {
      providers,
      router: {
        connectTimeoutMs: e.AI_CONNECT_TIMEOUT_MS,
        firstTokenTimeoutMs: e.AI_FIRST_TOKEN_TIMEOUT_MS,
        deadlineMs: e.AI_DEADLINE_MS,
        maxRetryAfterMs: e.AI_MAX_RETRY_AFTER_MS,
        breakerFailureThreshold: e.AI_BREAKER_FAILURES,
        breakerCooldownMs: e.AI_BREAKER_COOLDOWN_MS,
        healthWindowMs: 5 * 60_000,
      },
    },
  };
}

/** The providers file (if any) and the env shortcuts; a file's provider wins over a shortcut of the same id. */
function loadProviders(e: z.infer<typeof EnvSchema>, env: Record<string, string | undefined>): ProviderConfig[] {
  const problems: string[] = [];
  let fromFile: ProviderConfig[] = [];
  if (e.AI_PROVIDERS_FILE !== undefined) {
    let text: string | null = null;
    try {
      text = readFileSync(e.AI_PROVIDERS_FILE, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`AI_PROVIDERS_FILE: cannot read ${e.AI_PROVIDERS_FILE} (${code})`);
    }
    if (text !== null) {
      const file = parseProvidersFile(text, env);
      problems.push(...file.problems);
      fromFile = file.providers;
    }
  }
  const shortcuts = providersFromEnv(e);
  problems.push(...shortcuts.problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return mergeProviders(fromFile, shortcuts.providers);
}
