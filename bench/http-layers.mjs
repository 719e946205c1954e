// Diagnostic, not part of `npm run bench`: what each layer of a request costs the server, over real HTTP at 32
// connections. First the framework alone (bench/floor-server.mjs with the app's Fastify layers added one at a
// time), then the built app's endpoints from the cheapest up. The figure to read is the server's CPU time per
// request (from /proc). Each row is measured in LAYERS_WINDOWS windows of LAYERS_DURATION seconds and the
// window with the least CPU per request is shown: other programs sharing the machine only ever make it worse.
//
// Usage: node bench/http-layers.mjs   (after `npm run build:server`; defaults: 3 windows of 3 s after 2 s warm-up)
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './load.mjs';
import { seedLearningSessions, seedUserWithToken } from './seed.mjs';
import { tempSqlite } from './figures.mjs';
import { startApp, startServer, stopAll } from './servers.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const settings = { seconds: Number(process.env.LAYERS_DURATION ?? 3), warmupSeconds: 2, connections: 32 };
const windows = Number(process.env.LAYERS_WINDOWS ?? 3);

/** The best of `windows` measurements (the first one after the warm-up, the rest without). */
async function best(options) {
  let result = null;
  for (let i = 0; i < windows; i++) {
    const r = await measure({ ...options, ...settings, warmupSeconds: i === 0 ? settings.warmupSeconds : 0 });
    if (!result || (r.serverCpuUsPerRequest ?? Infinity) < (result.serverCpuUsPerRequest ?? Infinity)) result = r;
  }
  return result;
}
const rows = [];

const share = (v) => (v === null ? '—' : `${(v * 100).toFixed(0)}%`);

function report(label, r) {
  const cpuUs = r.serverCpuUsPerRequest;
  const previous = rows.at(-1)?.cpuUs;
  rows.push({ label, cpuUs });
  const delta =
    cpuUs !== null && previous != null ? `${cpuUs - previous >= 0 ? '+' : ''}${(cpuUs - previous).toFixed(0)}` : '';
  console.log(
    `${label.padEnd(52)} ${Math.round(r.requestsPerSecond).toLocaleString('en').padStart(7)} req/s  ${cpuUs === null ? '—' : cpuUs.toFixed(0).padStart(5)} µs CPU/req ${delta.padStart(5)}   p99 ${r.latencyMs.p99?.toFixed(2) ?? '—'} ms   non-2xx ${r.non2xx}   others ${share(r.cpu.others)}  steal ${share(r.cpu.steal)}`,
  );
}

try {
  console.log('framework only (GET / answering { ok: true }):');
  for (const layers of [
    '',
    'options',
    'options,zod',
    'options,zod,hooks',
    'options,zod,hooks,cookie',
    'options,zod,hooks,cookie,helmet',
  ]) {
    const server = await startServer({
      name: 'floor',
      script: join(ROOT, 'bench', 'floor-server.mjs'),
      env: { FLOOR_LAYERS: layers },
      readyPath: '/',
    });
    report(layers ? `+ ${layers.split(',').at(-1)}` : 'bare Fastify', await best({ url: `${server.url}/`, server }));
    await server.stop();
  }

  console.log('\nthe built app (one user with 100 completed sessions):');
  const database = tempSqlite('layers');
  try {
    const { userId, token } = await seedUserWithToken(database.url);
    seedLearningSessions(database.file, { measuredUserId: userId, users: 1, sessionsPerUser: 100 });
    const server = await startApp({ databaseUrl: database.url });
    const auth = { authorization: `Bearer ${token}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const created = await (
      await fetch(`${server.url}/api/learning-sessions`, {
        method: 'POST',
        headers: json,
        body: '{"type":"scenario","language":"es"}',
      })
    ).json();
    const endpoints = [
      ['GET /api/nope (404: app hooks, no route, no database)', '/api/nope', {}],
      ['GET /api/health (+ route, zod response, select 1)', '/api/health', {}],
      ['GET /api/auth/me (+ bearer token lookup)', '/api/auth/me', { headers: auth }],
      ['GET /api/learning-sessions/:id (+ one row)', `/api/learning-sessions/${created.id}`, { headers: auth }],
      ['GET /api/learning-sessions?limit=10 (+ 11 rows, page)', '/api/learning-sessions?limit=10', { headers: auth }],
      [
        'POST /api/learning-sessions (create: JSON body, insert)',
        '/api/learning-sessions',
        { method: 'POST', headers: json, body: '{"type":"scenario","language":"es"}' },
      ],
      [
        'PATCH /api/learning-sessions/:id (write transaction)',
        `/api/learning-sessions/${created.id}`,
        {
          method: 'PATCH',
          headers: json,
          body: '{"itemsStudied":5,"itemsCorrect":4,"itemsIncorrect":1,"metadata":{"deck":"bench"}}',
        },
      ],
    ];
    for (const [label, path, options] of endpoints)
      report(label, await best({ url: `${server.url}${path}`, server, options }));
    await server.stop();
  } finally {
    database.remove();
  }
} finally {
  await stopAll();
}
