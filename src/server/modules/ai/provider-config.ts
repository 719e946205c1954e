import { z } from 'zod';
import { PROVIDER_KINDS, type ProviderConfig } from './ai.types.js';

/**
 * Where the providers come from: a JSON file (`AI_PROVIDERS_FILE`, an array of providers) and the env shortcuts
 * (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `OLLAMA_BASE_URL`, …). config.ts reads the environment and the file and
 * hands their contents here; nothing in this module looks at `process.env`. A provider of the file wins over a
 * shortcut with the same id, so a file can refine what a shortcut would configure.
 */

/** Lowest first: a shortcut provider's priority (a file sets its own, default 100). */
const SHORTCUT_PRIORITY = { openai: 10, anthropic: 20, ollama: 30 } as const;

export const SHORTCUT_DEFAULT_MODELS = {
  openai: 'gpt-4.1-mini',
  anthropic: 'claude-haiku-4-5',
  ollama: 'llama3.2',
} as const;

/**
 * List prices (USD per million input / output tokens) of the shortcut defaults and their neighbours, so a shortcut
 * needs no price of its own. A shortcut whose first model is not here needs `<VENDOR>_PRICE_PER_MTOK`.
 */
export const KNOWN_PRICES: Readonly<Record<string, readonly [number, number]>> = {
  'gpt-4.1': [2, 8],
  'gpt-4.1-mini': [0.4, 1.6],
  'gpt-4.1-nano': [0.1, 0.4],
  'gpt-4o': [2.5, 10],
  'gpt-4o-mini': [0.15, 0.6],
  'claude-haiku-4-5': [1, 5],
  'claude-sonnet-4-5': [3, 15],
};

const price = z.number({ error: 'must be a number (USD per million tokens)' }).min(0).max(1000);

const ProviderEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'must be lowercase letters, digits, - or _' }),
  kind: z.enum(PROVIDER_KINDS, { error: `must be one of ${PROVIDER_KINDS.join(', ')}` }),
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .nullable()
    .default(null),
  apiKey: z.string().min(1, { error: 'must not be empty' }).optional(),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be the name of an environment variable' })
    .optional(),
  models: z.array(z.string().min(1)).min(1, { error: 'must list at least one model (the first is the default)' }),
  inputPricePerMTokUsd: price,
  outputPricePerMTokUsd: price,
  languages: z
    .array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, { error: 'must be a language code such as es' }))
    .default([]),
  priority: z.number().int({ error: 'must be an integer (lower is tried first)' }).default(100),
});

const ProvidersFileSchema = z.array(ProviderEntrySchema, { error: 'must be a JSON array of providers' });

export interface ProviderConfigResult {
  providers: ProviderConfig[];
  /** Each names what is wrong: `AI_PROVIDERS_FILE: [1].models: …`. Never contains a key. */
  problems: string[];
}

/**
 * Parses the providers file. A key is given inline (`apiKey`) or by naming an environment variable (`apiKeyEnv`),
 * resolved against `env`. Every provider needs a key except an openai-compatible one with a base URL (a local
 * server).
 */
export function parseProvidersFile(text: string, env: Record<string, string | undefined>): ProviderConfigResult {
  const where = 'AI_PROVIDERS_FILE';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { providers: [], problems: [`${where}: is not valid JSON (${(err as Error).message})`] };
  }
  const parsed = ProvidersFileSchema.safeParse(json);
  if (!parsed.success) {
    return {
      providers: [],
      problems: parsed.error.issues.map((i) => `${where}: ${formatPath(i.path)}: ${i.message}`),
    };
  }
  const problems: string[] = [];
  const providers: ProviderConfig[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of parsed.data.entries()) {
    const at = (field: string) => `${where}: [${index}].${field}`;
    if (seen.has(entry.id)) problems.push(`${at('id')}: ${entry.id} is used by another provider`);
    seen.add(entry.id);
    if (entry.apiKey !== undefined && entry.apiKeyEnv !== undefined) {
      problems.push(`${at('apiKeyEnv')}: give apiKey or apiKeyEnv, not both`);
      continue;
    }
    let apiKey = entry.apiKey ?? null;
    if (entry.apiKeyEnv !== undefined) {
      apiKey = env[entry.apiKeyEnv] || null;
      if (apiKey === null) {
        problems.push(`${at('apiKeyEnv')}: the environment variable ${entry.apiKeyEnv} is not set`);
        continue;
      }
    }
    const problem = keyProblem(entry.kind, entry.baseUrl, apiKey);
    if (problem) {
      problems.push(`${at('apiKey')}: ${problem}`);
      continue;
    }
    providers.push({
      id: entry.id,
      kind: entry.kind,
      baseUrl: entry.baseUrl,
      apiKey,
      models: entry.models,
      inputPricePerMTokUsd: entry.inputPricePerMTokUsd,
      outputPricePerMTokUsd: entry.outputPricePerMTokUsd,
      languages: entry.languages,
      priority: entry.priority,
    });
  }
  return { providers, problems };
}

export interface ShortcutEnv {
  OPENAI_API_KEY?: string | undefined;
  OPENAI_BASE_URL?: string | undefined;
  OPENAI_MODEL?: string | undefined;
  OPENAI_PRICE_PER_MTOK?: string | undefined;
  ANTHROPIC_API_KEY?: string | undefined;
  ANTHROPIC_BASE_URL?: string | undefined;
  ANTHROPIC_MODEL?: string | undefined;
  ANTHROPIC_PRICE_PER_MTOK?: string | undefined;
  OLLAMA_BASE_URL?: string | undefined;
  OLLAMA_MODEL?: string | undefined;
}

/**
 * The providers of the env shortcuts: `openai` (OPENAI_API_KEY, optional OPENAI_BASE_URL for any compatible
 * vendor), `anthropic` (ANTHROPIC_API_KEY) and `ollama` (OLLAMA_BASE_URL, no key, price 0, `/v1` appended).
 * Models come from `<VENDOR>_MODEL` (comma-separated; the first is the default); prices from
 * `<VENDOR>_PRICE_PER_MTOK` ("input,output" in USD per million tokens) or else the known list prices.
 */
export function providersFromEnv(env: ShortcutEnv): ProviderConfigResult {
  const providers: ProviderConfig[] = [];
  const problems: string[] = [];
  if (env.OPENAI_BASE_URL && !env.OPENAI_API_KEY) {
    problems.push(
      'OPENAI_BASE_URL: needs OPENAI_API_KEY (a local server without a key: OLLAMA_BASE_URL or AI_PROVIDERS_FILE)',
    );
  }
  if (env.OPENAI_API_KEY) {
    const models = modelList(env.OPENAI_MODEL, SHORTCUT_DEFAULT_MODELS.openai);
    const prices = shortcutPrices('OPENAI', env.OPENAI_PRICE_PER_MTOK, models[0]!, problems);
    if (prices) {
      providers.push({
        id: 'openai',
        kind: 'openai-compatible',
        baseUrl: env.OPENAI_BASE_URL ?? null,
        apiKey: env.OPENAI_API_KEY,
        models,
        ...prices,
        languages: [],
        priority: SHORTCUT_PRIORITY.openai,
      });
    }
  }
  if (env.ANTHROPIC_API_KEY) {
    const models = modelList(env.ANTHROPIC_MODEL, SHORTCUT_DEFAULT_MODELS.anthropic);
    const prices = shortcutPrices('ANTHROPIC', env.ANTHROPIC_PRICE_PER_MTOK, models[0]!, problems);
    if (prices) {
      providers.push({
        id: 'anthropic',
        kind: 'anthropic',
        baseUrl: env.ANTHROPIC_BASE_URL ?? null,
        apiKey: env.ANTHROPIC_API_KEY,
        models,
        ...prices,
        languages: [],
        priority: SHORTCUT_PRIORITY.anthropic,
      });
    }
  }
  if (env.OLLAMA_BASE_URL) {
    providers.push({
      id: 'ollama',
      kind: 'openai-compatible',
      baseUrl: withV1(env.OLLAMA_BASE_URL),
      apiKey: null,
      models: modelList(env.OLLAMA_MODEL, SHORTCUT_DEFAULT_MODELS.ollama),
      inputPricePerMTokUsd: 0,
      outputPricePerMTokUsd: 0,
      languages: [],
      priority: SHORTCUT_PRIORITY.ollama,
    });
  }
  return { providers, problems };
}

/** The file's providers, then the shortcuts whose id the file does not use. */
export function mergeProviders(fromFile: ProviderConfig[], fromEnv: ProviderConfig[]): ProviderConfig[] {
  const ids = new Set(fromFile.map((p) => p.id));
  return [...fromFile, ...fromEnv.filter((p) => !ids.has(p.id))];
}

function keyProblem(kind: ProviderConfig['kind'], baseUrl: string | null, apiKey: string | null): string | null {
  if (apiKey) return null;
  if (kind === 'anthropic') return 'an anthropic provider needs a key (apiKey or apiKeyEnv)';
  if (baseUrl === null) return 'needs a key (apiKey or apiKeyEnv), or a baseUrl for a local server without one';
  return null;
}

function modelList(value: string | undefined, fallback: string): string[] {
  const models = (value ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  return models.length > 0 ? models : [fallback];
}

function shortcutPrices(
  vendor: 'OPENAI' | 'ANTHROPIC',
  value: string | undefined,
  model: string,
  problems: string[],
): Pick<ProviderConfig, 'inputPricePerMTokUsd' | 'outputPricePerMTokUsd'> | null {
  const name = `${vendor}_PRICE_PER_MTOK`;
  if (value !== undefined) {
    const parts = value.split(',').map((p) => Number(p.trim()));
    if (parts.length !== 2 || parts.some((p) => !Number.isFinite(p) || p < 0 || p > 1000)) {
      problems.push(
        `${name}: must be "input,output" in USD per million tokens, e.g. 0.4,1.6 (got ${JSON.stringify(value)})`,
      );
      return null;
    }
    return { inputPricePerMTokUsd: parts[0]!, outputPricePerMTokUsd: parts[1]! };
  }
  const known = KNOWN_PRICES[model];
  if (!known) {
    problems.push(`${name}: the price of ${model} is not known; set it as "input,output" USD per million tokens`);
    return null;
  }
  return { inputPricePerMTokUsd: known[0], outputPricePerMTokUsd: known[1] };
}

/** Ollama serves the OpenAI protocol under /v1. */
function withV1(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the file)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('')
    .replace(/^\./, '');
}
