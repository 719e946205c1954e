// Builds the server and the web UI when their output is missing or older than the sources, so `npm start`
// works on a fresh clone with no separate build step.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const outputs = { server: 'dist/server/main.js', web: 'dist/web/index.html' };
const sources = newest('src');
const stale = (file) => !existsSync(file) || statSync(file).mtimeMs < sources;

if (stale(outputs.server) || stale(outputs.web)) {
  console.log('Building Language Tutor (server and web UI)…');
  execSync('npm run build', { stdio: 'inherit' });
}
