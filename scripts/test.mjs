// `npm test`: every check and every test — typecheck, lint, build, unit and integration tests with coverage
// (SQLite and PostgreSQL), then the browser journeys against the built app. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

// Not test-results/: Playwright empties that folder when it starts.
const results = 'reports';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

function run(title, command, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function counts(file, read) {
  if (!existsSync(file)) return { passed: 0, failed: 0 };
  return read(JSON.parse(readFileSync(file, 'utf8')));
}

const steps = [
  () => run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']),
  () => run('lint', 'npx', ['eslint', '.', '--max-warnings', '0']),
  () => run('build', 'npm', ['run', 'build']),
  () =>
    run('unit and integration tests, with coverage', 'npx', [
      'vitest',
      'run',
      '--coverage',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${results}/vitest.json`,
    ]),
  () =>
    run('browser journeys (Playwright, Chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: `${results}/playwright.json`,
    }),
];

let ok = true;
for (const step of steps) {
  if (!step()) {
    ok = false;
    break;
  }
}

const unit = counts(`${results}/vitest.json`, (j) => ({ passed: j.numPassedTests, failed: j.numFailedTests }));
const e2e = counts(`${results}/playwright.json`, (j) => ({
  passed: j.stats.expected + j.stats.flaky,
  failed: j.stats.unexpected,
}));
const passed = unit.passed + e2e.passed;
const failed = unit.failed + e2e.failed + (ok ? 0 : unit.failed + e2e.failed === 0 ? 1 : 0);
console.log(
  `\nvitest: ${unit.passed} passed, ${unit.failed} failed; playwright: ${e2e.passed} passed, ${e2e.failed} failed`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
