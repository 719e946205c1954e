import { describe, expect, it } from 'vitest';
import { mergeProviders, parseProvidersFile, providersFromEnv } from './provider-config.js';

const entry = (overrides: Record<string, unknown> = {}) => ({
  id: 'mistral',
  kind: 'openai-compatible',
  baseUrl: 'https://api.mistral.ai/v1',
  apiKey: 'mk-123',
  models: ['mistral-small-latest', 'mistral-large-latest'],
  inputPricePerMTokUsd: 0.2,
  outputPricePerMTokUsd: 0.6,
  languages: ['fr', 'es'],
  priority: 5,
  ...overrides,
});

const parse = (json: unknown, env: Record<string, string | undefined> = {}) =>
  parseProvidersFile(JSON.stringify(json), env);

describe('the providers file', () => {
  it('reads every field of a provider', () => {
    expect(parse([entry()])).toEqual({
      providers: [
        {
          id: 'mistral',
          kind: 'openai-compatible',
          baseUrl: 'https://api.mistral.ai/v1',
          apiKey: 'mk-123',
          models: ['mistral-small-latest', 'mistral-large-latest'],
          inputPricePerMTokUsd: 0.2,
          outputPricePerMTokUsd: 0.6,
          languages: ['fr', 'es'],
          priority: 5,
        },
      ],
      problems: [],
    });
  });

  it('defaults languages to any, priority to 100 and the base URL to the vendor', () => {
    const { providers } = parse([
      {
        id: 'claude',
        kind: 'anthropic',
        apiKey: 'k',
        models: ['m'],
        inputPricePerMTokUsd: 1,
        outputPricePerMTokUsd: 5,
      },
    ]);
    expect(providers[0]).toMatchObject({ baseUrl: null, languages: [], priority: 100 });
  });

  it('takes the key from the environment variable apiKeyEnv names', () => {
    const { providers, problems } = parse([entry({ apiKey: undefined, apiKeyEnv: 'MISTRAL_KEY' })], {
      MISTRAL_KEY: 'from-env',
    });
    expect(problems).toEqual([]);
    expect(providers[0]!.apiKey).toBe('from-env');
    expect(providers[0]).not.toHaveProperty('apiKeyEnv');
  });

  it('lets a local openai-compatible server go without a key', () => {
    const { providers, problems } = parse([
      entry({ id: 'llamacpp', apiKey: undefined, baseUrl: 'http://127.0.0.1:8080/v1', inputPricePerMTokUsd: 0 }),
    ]);
    expect(problems).toEqual([]);
    expect(providers[0]!.apiKey).toBeNull();
  });

  it.each([
    ['not JSON', '{', /AI_PROVIDERS_FILE: is not valid JSON/],
    ['not an array', '{}', /AI_PROVIDERS_FILE: \(the file\): must be a JSON array of providers/],
  ])('refuses a file that is %s', (_what, text, message) => {
    const { providers, problems } = parseProvidersFile(text, {});
    expect(providers).toEqual([]);
    expect(problems[0]).toMatch(message);
  });

  it.each([
    ['a bad id', { id: 'Bad Id' }, /\[0\]\.id: must be lowercase/],
    ['an unknown kind', { kind: 'gemini' }, /\[0\]\.kind: must be one of openai-compatible, anthropic/],
    ['a base URL that is not http(s)', { baseUrl: 'ftp://x' }, /\[0\]\.baseUrl: must be an http\(s\) URL/],
    ['no models', { models: [] }, /\[0\]\.models: must list at least one model/],
    ['a negative price', { inputPricePerMTokUsd: -1 }, /\[0\]\.inputPricePerMTokUsd: /],
    ['a price that is not a number', { outputPricePerMTokUsd: '3' }, /\[0\]\.outputPricePerMTokUsd: must be a number/],
    ['a bad language code', { languages: ['Spanish'] }, /\[0\]\.languages\[0\]: must be a language code/],
    ['a fractional priority', { priority: 1.5 }, /\[0\]\.priority: must be an integer/],
    ['an unknown field', { apikey: 'typo' }, /\[0\]: Unrecognized key.*apikey/],
  ])('refuses %s, naming the field', (_what, change, message) => {
    const { problems } = parse([entry(change)]);
    expect(problems.join('\n')).toMatch(message);
  });

  it.each([
    ['both apiKey and apiKeyEnv', { apiKeyEnv: 'X' }, {}, /\[0\]\.apiKeyEnv: give apiKey or apiKeyEnv, not both/],
    [
      'an apiKeyEnv that is not set',
      { apiKey: undefined, apiKeyEnv: 'NOPE' },
      {},
      /\[0\]\.apiKeyEnv: the environment variable NOPE is not set/,
    ],
    [
      'an anthropic provider without a key',
      { kind: 'anthropic', apiKey: undefined },
      {},
      /\[0\]\.apiKey: an anthropic provider needs a key/,
    ],
    [
      'a keyless openai-compatible provider without a base URL',
      { apiKey: undefined, baseUrl: null },
      {},
      /\[0\]\.apiKey: needs a key .*or a baseUrl/,
    ],
  ])('refuses %s', (_what, change, env, message) => {
    const { providers, problems } = parse([entry(change)], env);
    expect(providers).toEqual([]);
    expect(problems.join('\n')).toMatch(message);
  });

  it('refuses two providers with the same id', () => {
    expect(parse([entry(), entry()]).problems).toEqual([
      'AI_PROVIDERS_FILE: [1].id: mistral is used by another provider',
    ]);
  });

  it('never repeats a key in its messages', () => {
    const { problems } = parse([entry({ apiKey: 'sk-very-secret', kind: 'nope', apiKeyEnv: 'X' })]);
    expect(problems.join('\n')).not.toContain('sk-very-secret');
  });
});

describe('the env shortcuts', () => {
  it('configures nothing without keys or URLs', () => {
    expect(providersFromEnv({})).toEqual({ providers: [], problems: [] });
  });

  it('configures OpenAI, Anthropic and Ollama with default models and their known prices', () => {
    const { providers, problems } = providersFromEnv({
      OPENAI_API_KEY: 'sk-o',
      ANTHROPIC_API_KEY: 'sk-a',
      OLLAMA_BASE_URL: 'http://127.0.0.1:11434/',
    });
    expect(problems).toEqual([]);
    expect(providers).toEqual([
      {
        id: 'openai',
        kind: 'openai-compatible',
        baseUrl: null,
        apiKey: 'sk-o',
        models: ['gpt-4.1-mini'],
        inputPricePerMTokUsd: 0.4,
        outputPricePerMTokUsd: 1.6,
        languages: [],
        priority: 10,
      },
      {
        id: 'anthropic',
        kind: 'anthropic',
        baseUrl: null,
        apiKey: 'sk-a',
        models: ['claude-haiku-4-5'],
        inputPricePerMTokUsd: 1,
        outputPricePerMTokUsd: 5,
        languages: [],
        priority: 20,
      },
      {
        id: 'ollama',
        kind: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:11434/v1',
        apiKey: null,
        models: ['llama3.2'],
        inputPricePerMTokUsd: 0,
        outputPricePerMTokUsd: 0,
        languages: [],
        priority: 30,
      },
    ]);
  });

  it('takes model lists, base URLs and prices from the environment', () => {
    const { providers } = providersFromEnv({
      OPENAI_API_KEY: 'sk-o',
      OPENAI_BASE_URL: 'https://api.groq.com/openai/v1',
      OPENAI_MODEL: ' llama-3.3-70b , llama-3.1-8b ',
      OPENAI_PRICE_PER_MTOK: '0.59, 0.79',
      ANTHROPIC_API_KEY: 'sk-a',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4011',
      ANTHROPIC_MODEL: 'claude-sonnet-4-5',
      OLLAMA_BASE_URL: 'http://gpu-box:11434/v1',
      OLLAMA_MODEL: 'qwen2.5:7b,mistral',
    });
    expect(providers[0]).toMatchObject({
      baseUrl: 'https://api.groq.com/openai/v1',
      models: ['llama-3.3-70b', 'llama-3.1-8b'],
      inputPricePerMTokUsd: 0.59,
      outputPricePerMTokUsd: 0.79,
    });
    expect(providers[1]).toMatchObject({
      baseUrl: 'http://127.0.0.1:4011',
      models: ['claude-sonnet-4-5'],
      inputPricePerMTokUsd: 3,
      outputPricePerMTokUsd: 15,
    });
    expect(providers[2]).toMatchObject({ baseUrl: 'http://gpu-box:11434/v1', models: ['qwen2.5:7b', 'mistral'] });
  });

  it.each([
    [{ OPENAI_API_KEY: 'k', OPENAI_MODEL: 'o9-ultra' }, /OPENAI_PRICE_PER_MTOK: the price of o9-ultra is not known/],
    [{ ANTHROPIC_API_KEY: 'k', ANTHROPIC_PRICE_PER_MTOK: '3' }, /ANTHROPIC_PRICE_PER_MTOK: must be "input,output"/],
    [{ OPENAI_API_KEY: 'k', OPENAI_PRICE_PER_MTOK: '1,-2' }, /OPENAI_PRICE_PER_MTOK: must be "input,output"/],
    [{ OPENAI_BASE_URL: 'http://x/v1' }, /OPENAI_BASE_URL: needs OPENAI_API_KEY/],
  ])('refuses %o with a message naming the variable', (env, message) => {
    const { providers, problems } = providersFromEnv(env);
    expect(providers).toEqual([]);
    expect(problems.join('\n')).toMatch(message);
  });

  it("lets the file's provider win over a shortcut with the same id", () => {
    const fromFile = parse([entry({ id: 'openai', priority: 1 })]).providers;
    const fromEnv = providersFromEnv({ OPENAI_API_KEY: 'k', OLLAMA_BASE_URL: 'http://h:1' }).providers;
    expect(mergeProviders(fromFile, fromEnv).map((p) => [p.id, p.priority])).toEqual([
      ['openai', 1],
      ['ollama', 30],
    ]);
  });
});
