// Summarises a V8 .cpuprofile (from `BENCH_PROFILE=1 npm run bench`): where the server's CPU time went, by
// package or app folder (self time), by function (self time), and the inclusive time of the functions named
// with --focus (a function name, or file:line as the by-function list prints it, e.g. core.js:116).
// Inclusive time only follows synchronous calls: an async function's time after its first await is not in it.
// Usage: node bench/profile-summary.mjs <file.cpuprofile> [--top 25] [--focus name,file:line]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top 25] [--focus name,name]');
  process.exit(2);
}
const option = (flag, fallback) => {
  const i = args.indexOf(flag);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const top = Number(option('--top', '25'));
const focus = option('--focus', '').split(',').filter(Boolean);

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the samples and their time deltas.
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(url) {
  if (!url) return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const app = /\/dist\/(.+)\/[^/]+\.js$/.exec(url);
  if (app) return `app: ${app[1]}`;
  if (url.startsWith('node:')) return 'node core';
  return url;
}

const byArea = new Map();
const byFunction = new Map();
for (const [id, time] of self) {
  const { callFrame } = nodes.get(id);
  const a = callFrame.url ? area(callFrame.url) : callFrame.functionName || '(native / V8)';
  byArea.set(a, (byArea.get(a) ?? 0) + time);
  const fn = `${callFrame.functionName || '(anonymous)'}  ${callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${callFrame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
}

const pct = (t) => `${((t / total) * 100).toFixed(1).padStart(5)}%`;
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [key, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${key}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
print('self time by package / app folder', byArea);
print('self time by function', byFunction);

if (focus.length) {
  // Inclusive time: a sample counts for a name once if any frame on its stack has that name.
  const inclusive = new Map(focus.map((f) => [f, 0]));
  for (const [id, time] of self) {
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const { functionName, url, lineNumber } = nodes.get(n).callFrame;
      const at = `${url.split('/').at(-1)}:${lineNumber + 1}`;
      for (const f of focus) if (functionName === f || at === f) seen.add(f);
    }
    for (const f of seen) inclusive.set(f, inclusive.get(f) + time);
  }
  print('inclusive time of focused functions', inclusive);
}
