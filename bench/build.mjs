// Shared by the benchmark entry points: build the server when it is stale, and read numeric settings.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/** Builds the server when dist/ is missing or older than its sources (the benchmark never needs the web UI). */
export function ensureServerBuilt() {
  const output = join(ROOT, 'dist', 'server', 'main.js');
  const sources = Math.max(
    ...['src/server', 'src/shared', 'src/cli', 'tsconfig.server.json', 'tsconfig.base.json'].map((p) =>
      newest(join(ROOT, p)),
    ),
  );
  if (!existsSync(output) || statSync(output).mtimeMs < sources) {
    console.log('Building the server for the benchmark…');
    execSync('npm run build:server', { cwd: ROOT, stdio: 'inherit' });
  }
}

/** A number from the environment, `fallback` when unset; anything below `min` or not a number is refused. */
export function numberFromEnv(env, name, fallback, min) {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`${name} must be a number of at least ${min} (got ${env[name]})`);
  }
  return value;
}
