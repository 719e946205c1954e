// `npm run bench`: measures the built server on SQLite against the floor of this machine, prints a table and the
// targets, and writes bench/results/<name>.json. See scripts/bench.mjs for the build step, bench/seed.mjs for the
// data, bench/servers.mjs for the child processes and bench/load.mjs for the load generator.
//
// Scenarios (all at BENCH_CONNECTIONS = 32 connections, after a warm-up):
//   floor      a bare Fastify route answering { "ok": true } in its own node process (bench/floor-server.mjs)
//   lifecycle  create → update → complete a learning session with a bearer token; every connection loops the three
//   list       GET /api/learning-sessions?limit=10 for one user of 10,000 in a database of 1,000,000 sessions
// plus one diagnostic row, the same list request from a single connection: its latency is the service time
// without queueing, which separates "the request is slow" from "requests wait for a busy event loop".
// The review scenarios (bench/review-scenarios.mjs; one learner with 100,000 cards and 1,000,000 review logs):
//   queue      GET /api/review/queue?limit=50, from 1 connection (the target's condition) and at BENCH_CONNECTIONS
//   answer     POST /api/review/answers, a different due card per request, from 1 connection and at BENCH_CONNECTIONS
//   optimizer  the FSRS optimiser job on 100,000 reviews, started and polled over HTTP
//   quality    log loss and RMSE(bins) of default, fitted and true FSRS-6 parameters and SM-2 on a synthetic history
//
// Environment: BENCH_DURATION (seconds measured per scenario, default 10), BENCH_WARMUP (default 3),
// BENCH_CONNECTIONS (default 32), BENCH_NAME (result file name), BENCH_ONLY (comma list of scenarios),
// BENCH_PROFILE=1 (run the servers with --cpu-prof; profiles land in bench/results/profiles/<name>/).
// Every server logs at LOG_LEVEL=warn, so logging costs the same everywhere and is not what is measured.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { numberFromEnv } from './build.mjs';
import { measure } from './load.mjs';
import { optimizerScenario, qualityScenario, queueAndAnswerScenarios, REVIEW_TARGETS } from './review-scenarios.mjs';
import { explainListQuery, seedLearningSessions, seedUserWithToken } from './seed.mjs';
import { tempSqlite } from './figures.mjs';
import { LOG_LEVEL, startApp, startServer, stopAll } from './servers.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const TARGETS = { lifecycleShareOfFloor: 0.3, listP99Ms: 5 };
const SEED = { users: 10_000, sessionsPerUser: 100 };

const SCENARIOS = ['floor', 'lifecycle', 'list', 'queue', 'answer', 'optimizer', 'quality'];

const settings = {
  seconds: numberFromEnv(process.env, 'BENCH_DURATION', 10, 1),
  warmupSeconds: numberFromEnv(process.env, 'BENCH_WARMUP', 3, 0),
  connections: numberFromEnv(process.env, 'BENCH_CONNECTIONS', 32, 1),
  only: (process.env.BENCH_ONLY || SCENARIOS.join(',')).split(',').map((s) => s.trim()),
};
const unknown = settings.only.filter((s) => !SCENARIOS.includes(s));
if (unknown.length)
  throw new Error(`BENCH_ONLY: unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
const name = (process.env.BENCH_NAME || `sqlite-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}`).replace(
  /[^\w.-]/g,
  '_',
);
const profileDir = process.env.BENCH_PROFILE === '1' ? join(RESULTS_DIR, 'profiles', name) : null;
const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
const FLOOR = join(ROOT, 'bench', 'floor-server.mjs');
const json = { 'content-type': 'application/json' };

const log = (message) => console.log(`[bench] ${message}`);

async function floorScenario() {
  const server = await startServer({ name: 'floor', script: FLOOR, readyPath: '/', nodeArgs });
  try {
    log(`floor: bare Fastify on ${server.url}`);
    return { floor: await measure({ url: `${server.url}/`, ...settings, server }) };
  } finally {
    await server.stop();
  }
}

async function lifecycleScenario() {
  const database = tempSqlite('lifecycle');
  try {
    const { token } = await seedUserWithToken(database.url);
    const server = await startApp({ databaseUrl: database.url, nodeArgs });
    try {
      const headers = { ...json, authorization: `Bearer ${token}` };
      await checkLifecycleOnce(server.url, headers);
      const createBody = JSON.stringify({ type: 'vocabulary_review', language: 'es' });
      const updateBody = JSON.stringify({
        itemsStudied: 5,
        itemsCorrect: 4,
        itemsIncorrect: 1,
        metadata: { deck: 'bench' },
      });
      const completeBody = JSON.stringify({ itemsStudied: 10, itemsCorrect: 8, itemsIncorrect: 2 });
      let completed = 0;
      const sessionPath = (context, suffix = '') => `/api/learning-sessions/${context.id}${suffix}`;
      // Each connection loops the three requests; autocannon gives every connection its own context, so the id
      // captured from the create is the one the next two requests use. A failed create restarts the loop.
      const requests = [
        {
          method: 'POST',
          path: '/api/learning-sessions',
          body: createBody,
          onResponse: (status, body, context) => {
            context.id = status === 201 ? JSON.parse(body).id : undefined;
          },
        },
        {
          method: 'PATCH',
          body: updateBody,
          setupRequest: (req, context) => context.id && { ...req, path: sessionPath(context) },
        },
        {
          method: 'POST',
          body: completeBody,
          setupRequest: (req, context) => context.id && { ...req, path: sessionPath(context, '/complete') },
          onResponse: (status) => {
            if (status === 200) completed++;
          },
        },
      ];
      log(`lifecycle: create → update → complete with a bearer token on ${server.url}`);
      const result = await measure({
        url: server.url,
        ...settings,
        server,
        options: { headers, requests },
        onMeasuredStart: () => {
          completed = 0;
        },
      });
      result.lifecyclesPerSecond = completed / result.seconds;
      result.lifecyclesCompleted = completed;
      return { lifecycle: result };
    } finally {
      await server.stop();
    }
  } finally {
    database.remove();
  }
}

/** One lifecycle by hand first, so a broken route fails loudly instead of being measured as fast 4xx answers. */
async function checkLifecycleOnce(url, headers) {
  const call = async (method, path, body, expected) => {
    const res = await fetch(`${url}${path}`, { method, headers, body: JSON.stringify(body) });
    if (res.status !== expected) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const created = await call('POST', '/api/learning-sessions', { type: 'scenario', language: 'fr' }, 201);
  await call('PATCH', `/api/learning-sessions/${created.id}`, { itemsStudied: 1 }, 200);
  const done = await call('POST', `/api/learning-sessions/${created.id}/complete`, {}, 200);
  if (done.status !== 'completed') throw new Error(`the completed session says ${done.status}`);
}

async function listScenario() {
  const database = tempSqlite('list');
  try {
    const { userId, token } = await seedUserWithToken(database.url);
    log(
      `list: seeding ${SEED.users.toLocaleString('en')} users × ${SEED.sessionsPerUser} sessions into ${database.file} …`,
    );
    const seeded = seedLearningSessions(database.file, { measuredUserId: userId, ...SEED });
    const plan = explainListQuery(database.file, userId);
    const fileBytes = statSync(database.file).size;
    log(
      `list: seeded ${seeded.sessions.toLocaleString('en')} sessions in ${seeded.seconds.toFixed(1)} s (${(fileBytes / 2 ** 20).toFixed(0)} MiB); plan: ${plan}`,
    );

    const server = await startApp({ databaseUrl: database.url, nodeArgs });
    try {
      const path = '/api/learning-sessions?limit=10';
      const headers = { authorization: `Bearer ${token}` };
      const res = await fetch(`${server.url}${path}`, { headers });
      const page = await res.json();
      if (
        res.status !== 200 ||
        page.items.length !== 10 ||
        !page.nextCursor ||
        page.items.some((s) => s.userId !== userId)
      ) {
        throw new Error(
          `GET ${path} answered ${res.status} with an unexpected page: ${JSON.stringify(page).slice(0, 300)}`,
        );
      }
      log(`list: GET ${path} on ${server.url}`);
      const list = await measure({ url: `${server.url}${path}`, ...settings, server, options: { headers } });
      log('list: the same request from 1 connection (service time without queueing)');
      const single = await measure({
        url: `${server.url}${path}`,
        ...settings,
        connections: 1,
        server,
        options: { headers },
      });
      return { list, listOneConnection: single, seeding: { ...seeded, fileBytes, queryPlan: plan } };
    } finally {
      await server.stop();
    }
  } finally {
    database.remove();
  }
}

function machine() {
  const sqlite = new SQLite(':memory:');
  const sqliteVersion = sqlite.prepare('select sqlite_version() as v').get().v;
  sqlite.close();
  const version = (pkg) => JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    sqlite: sqliteVersion,
    fastify: version('fastify'),
    autocannon: version('autocannon'),
    commit,
    loadAverageAtStart: loadavg().map((v) => Number(v.toFixed(2))),
  };
}

const ms = (v) => (v === null || v === undefined ? '—' : v.toFixed(2));
const int = (v) => Math.round(v).toLocaleString('en');

function printTable(results) {
  const rows = [
    ['floor', results.floor, 'bare Fastify { ok: true }'],
    [
      'lifecycle',
      results.lifecycle,
      results.lifecycle && `${results.lifecycle.lifecyclesPerSecond.toFixed(0)} lifecycles/s (3 requests each)`,
    ],
    ['list', results.list, 'GET ?limit=10, 1M sessions / 10k users'],
    ['list @1 conn', results.listOneConnection, 'diagnostic: no queueing'],
    ['queue', results.queue, 'GET /api/review/queue?limit=50, 100k cards, 1M logs'],
    ['queue (load)', results.queueLoad, 'the same, all connections from one learner'],
    [
      'answer',
      results.answer,
      results.answer && `POST /api/review/answers, ${results.answer.distinctCardsAnswered} distinct due cards`,
    ],
    [
      'answer (load)',
      results.answerLoad,
      results.answerLoad && `the same, ${results.answerLoad.distinctCardsAnswered} distinct due cards`,
    ],
  ].filter(([, r]) => r);
  if (rows.length === 0) return;
  const header = [
    'scenario',
    'conns',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'server µs CPU/req',
    'CPU server',
    'autocannon',
    'others',
    'steal',
    'note',
  ];
  const cpu = (v) => (v === null ? '—' : `${(v * 100).toFixed(0)}%`);
  const body = rows.map(([label, r, note]) => [
    label,
    String(r.connections),
    int(r.requestsPerSecond),
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p99),
    String(r.non2xx + r.errors + r.timeouts),
    r.serverCpuUsPerRequest === null ? '—' : r.serverCpuUsPerRequest.toFixed(0),
    cpu(r.cpu.server),
    cpu(r.cpu.loadGenerator),
    cpu(r.cpu.others),
    cpu(r.cpu.steal),
    note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of body) console.log(line(row));
  console.log(
    '(non-2xx counts non-2xx answers plus socket errors and timeouts; CPU columns are the share of one core used\n while measuring by the server, by autocannon (this process), by other programs, and taken by the hypervisor)',
  );
  const busy = Object.entries(results).filter(([, r]) => r.cpu && (r.cpu.others ?? 0) + (r.cpu.steal ?? 0) > 0.1);
  if (busy.length)
    console.log(
      `WARNING: other programs or virtual machines took CPU during ${busy.map(([k]) => k).join(', ')}; those figures understate this machine.`,
    );
}

function judge(results) {
  const targets = [];
  if (results.floor && results.lifecycle) {
    const share = results.lifecycle.requestsPerSecond / results.floor.requestsPerSecond;
    targets.push({
      target: `lifecycle req/s >= ${TARGETS.lifecycleShareOfFloor * 100}% of the floor's`,
      measured: `${(share * 100).toFixed(1)}% (${int(results.lifecycle.requestsPerSecond)} of ${int(results.floor.requestsPerSecond)})`,
      pass: share >= TARGETS.lifecycleShareOfFloor && results.lifecycle.non2xx === 0,
    });
  }
  if (results.list) {
    const p99 = results.list.latencyMs.p99;
    targets.push({
      target: `list p99 <= ${TARGETS.listP99Ms} ms`,
      measured: `${ms(p99)} ms`,
      pass: p99 !== null && p99 <= TARGETS.listP99Ms && results.list.non2xx === 0,
    });
  }
  const within = (r, limit) =>
    r.latencyMs.p99 !== null && r.latencyMs.p99 <= limit && r.non2xx + r.errors + r.timeouts === 0;
  // The review targets are per learner: one learner's client sends one request at a time, so they are judged from
  // one connection. The same requests at BENCH_CONNECTIONS (all from that one learner) are judged as well, and
  // marked as not the target's condition.
  for (const [key, label, limit] of [
    ['queue', 'queue', REVIEW_TARGETS.queueP99Ms],
    ['answer', 'answer', REVIEW_TARGETS.answerP99Ms],
  ]) {
    const one = results[key];
    const load = results[`${key}Load`];
    if (one)
      targets.push({
        target: `${label} p99 <= ${limit} ms, 1 connection (one learner)`,
        measured: `${ms(one.latencyMs.p99)} ms`,
        pass: within(one, limit),
      });
    if (load)
      targets.push({
        target: `${label} p99 <= ${limit} ms at ${load.connections} connections of one learner (not the target's condition)`,
        measured: `${ms(load.latencyMs.p99)} ms`,
        pass: within(load, limit),
        informational: true,
      });
  }
  if (results.optimizer) {
    const o = results.optimizer;
    targets.push({
      target: `optimizer on ${int(o.reviews)} reviews <= ${REVIEW_TARGETS.optimizerSeconds} s`,
      measured: `${o.seconds.toFixed(1)} s`,
      pass: o.seconds <= REVIEW_TARGETS.optimizerSeconds && o.reviews >= 100_000,
    });
  }
  const notes = [];
  if (results.list) {
    // Little's law: with every connection always waiting on one request, mean latency = connections / throughput.
    const { list, listOneConnection: one } = results;
    notes.push(
      `list at ${list.connections} connections: mean latency ${ms(list.latencyMs.mean)} ms = ${list.connections} in flight ÷ ${int(list.requestsPerSecond)} req/s, so its p99 is mostly waiting` +
        ` for the event loop; ${one ? `one request alone takes p50 ${ms(one.latencyMs.p50)} ms, p99 ${ms(one.latencyMs.p99)} ms` : 'run the list scenario for the single-connection figure'}.`,
    );
  }
  for (const [key, r] of Object.entries(results)) {
    if (r && r.non2xx !== undefined && r.non2xx + r.errors + r.timeouts > 0)
      targets.push({
        target: `${key}: every answer 2xx`,
        measured: `${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts ${JSON.stringify(r.statusCodes)}`,
        pass: false,
        informational: key === 'queueLoad' || key === 'answerLoad',
      });
  }
  console.log('');
  // Lower case for the informational lines (not the target's condition).
  for (const t of targets) {
    const verdict = t.pass ? 'PASS' : 'FAIL';
    console.log(`${t.informational ? verdict.toLowerCase() : verdict}  ${t.target}: ${t.measured}`);
  }
  const m = (v) => (v === undefined ? '—' : v.toFixed(4));
  if (results.optimizer) {
    const o = results.optimizer;
    console.log(
      `\noptimizer: ${int(o.reviews)} reviews of ${int(o.cards)} cards (${int(o.items)} items): job ${o.seconds.toFixed(1)} s` +
        ` (${o.wallSeconds.toFixed(1)} s until the status said so; server CPU ${o.serverCpuSeconds?.toFixed(1) ?? '—'} s);` +
        ` on the later 20 %: defaults log loss ${m(o.defaultMetrics.logLoss)}, fit ${m(o.fittedMetrics.logLoss)}; adopted: ${o.adopted}`,
    );
  }
  if (results.quality) {
    const q = results.quality;
    const h = q.history;
    console.log(
      `\nquality: synthetic learner, ${int(h.reviews)} reviews of ${int(h.cards)} cards (${h.from.slice(0, 10)} to ${h.to.slice(0, 10)}),` +
        ` ${int(h.items)} items: fitted on the earlier ${int(h.train)}, scored on the later ${int(h.test)} (recall rate ${(q.testRecallRate * 100).toFixed(1)} %); fit ${q.fitSeconds.toFixed(1)} s`,
    );
    const width = Math.max(...q.rows.map((r) => r.model.length));
    console.log(`${'model'.padEnd(width)}  log loss  RMSE(bins)  binding's evaluate: log loss, RMSE(bins)`);
    for (const r of q.rows)
      console.log(
        `${r.model.padEnd(width)}  ${m(r.logLoss).padStart(8)}  ${m(r.rmseBins).padStart(10)}  ${r.binding ? `${m(r.binding.logLoss)}, ${m(r.binding.rmseBins)}` : '—'}`,
      );
  }
  for (const n of notes) console.log(`note: ${n}`);
  return targets;
}

const started = Date.now();
const info = machine();
if (info.loadAverageAtStart[0] > 0.5)
  log(
    `WARNING: load average ${info.loadAverageAtStart[0]} at start: other work is running (or has just run); see the "others" column.`,
  );
log(
  `${name}: ${info.cpus} × ${info.cpuModel}, node ${info.node}, SQLite ${info.sqlite}; ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s per scenario, servers at LOG_LEVEL=${LOG_LEVEL}`,
);
if (profileDir) log(`profiling: servers run with --cpu-prof into ${profileDir}`);
const results = {};
let seeding = null;
let reviewSeeding = null;
try {
  if (settings.only.includes('floor')) Object.assign(results, await floorScenario());
  if (settings.only.includes('lifecycle')) Object.assign(results, await lifecycleScenario());
  if (settings.only.includes('list')) {
    const { seeding: s, ...r } = await listScenario();
    seeding = s;
    Object.assign(results, r);
  }
  if (settings.only.includes('queue') || settings.only.includes('answer')) {
    const review = await queueAndAnswerScenarios({
      settings,
      nodeArgs,
      queue: settings.only.includes('queue'),
      answer: settings.only.includes('answer'),
    });
    reviewSeeding = review.seeding;
    Object.assign(results, review.results);
  }
  if (settings.only.includes('optimizer')) Object.assign(results, await optimizerScenario({ nodeArgs }));
  if (settings.only.includes('quality')) Object.assign(results, await qualityScenario());
} finally {
  await stopAll();
}

printTable(results);
const targets = judge(results);
if (seeding)
  console.log(
    `\nseeding: ${seeding.sessions.toLocaleString('en')} sessions for ${seeding.users.toLocaleString('en')} users in ${seeding.seconds.toFixed(1)} s`,
  );
if (reviewSeeding)
  console.log(
    `seeding (review): ${int(reviewSeeding.cards)} cards and ${int(reviewSeeding.logs)} review logs for one learner in ${reviewSeeding.seconds.toFixed(1)} s (${(reviewSeeding.fileBytes / 2 ** 20).toFixed(0)} MiB)`,
  );
mkdirSync(RESULTS_DIR, { recursive: true });
const file = join(RESULTS_DIR, `${name}.json`);
const totalSeconds = (Date.now() - started) / 1000;
writeFileSync(
  file,
  `${JSON.stringify({ name, date: new Date(started).toISOString(), machine: info, settings: { ...settings, logLevel: LOG_LEVEL, profile: Boolean(profileDir) }, totalSeconds, seeding, reviewSeeding, results, targets }, null, 2)}\n`,
);
console.log(`wrote ${file} (${totalSeconds.toFixed(0)} s in all)`);
