// `npm run bench`: builds the server when dist/ is missing or older than its sources, then runs bench/run.mjs.
// Only the server is built: the benchmark measures API routes and never loads the web UI, so a web build
// (slower, and irrelevant here) is neither needed nor allowed to fail the benchmark.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

const output = 'dist/server/main.js';
const sources = Math.max(
  ...['src/server', 'src/shared', 'src/cli', 'tsconfig.server.json', 'tsconfig.base.json'].map(newest),
);
if (!existsSync(output) || statSync(output).mtimeMs < sources) {
  console.log('Building the server for the benchmark…');
  execSync('npm run build:server', { stdio: 'inherit' });
}

await import('../bench/run.mjs');
