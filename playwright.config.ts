import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { ADMIN, FAKE_LLM_ANSWER } from './e2e/support.js';

const PORT = 3199;
const BASE_URL = `http://127.0.0.1:${PORT}`;
/** The protocol fake of an OpenAI-compatible model (src/server/test/llm-fakes/serve.ts). */
const FAKE_LLM_PORT = 3198;

// A fresh database for every run. The runner's worker processes load this file again but inherit the
// environment, so they reuse the directory the runner made instead of making their own.
process.env.TUTOR_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'tutor-e2e-'));
const dataDir = process.env.TUTOR_E2E_DATA_DIR;

/**
 * End-to-end tests drive the built app (`npm run build` first) in Debian's Chromium against a server on its
 * own port and database, with one OpenAI-compatible model: the protocol fake, priced high ($1,000 per million
 * tokens) so that a single question costs more than a cent and a budget can be used up in a test. The admin
 * account comes from ADMIN_EMAIL / ADMIN_PASSWORD, as in production.
 */
export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: [
    {
      command: `node --import tsx src/server/test/llm-fakes/serve.ts --port ${FAKE_LLM_PORT} --text "${FAKE_LLM_ANSWER}"`,
      url: `http://127.0.0.1:${FAKE_LLM_PORT}/v1/models`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'node dist/server/main.js',
      url: `${BASE_URL}/api/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        PORT: String(PORT),
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(dataDir, 'tutor.db')}`,
        LOG_LEVEL: 'warn',
        SCRYPT_LOG2N: '12',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        OPENAI_BASE_URL: `http://127.0.0.1:${FAKE_LLM_PORT}/v1`,
        OPENAI_API_KEY: 'sk-e2e-fake',
        OPENAI_MODEL: 'fake-tutor-1',
        OPENAI_PRICE_PER_MTOK: '1000,1000',
        // Nothing else may answer: a developer's own keys or local model stay out of the tests.
        ANTHROPIC_API_KEY: '',
        OLLAMA_BASE_URL: '',
        AI_PROVIDERS_FILE: '',
      },
    },
  ],
});
