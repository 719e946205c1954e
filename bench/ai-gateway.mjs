// The AI gateway benchmark (issue 4, §8). Two measurements, in one run:
//
// 1. Gateway overhead: time to first token (TTFT) of a streamed chat completion, through the gateway versus
//    straight from the provider, in the same run. The provider is the protocol fake
//    (src/server/test/llm-fakes/serve.ts) in a child process of its own, so it does not share an event loop with
//    what is measured; it sends its first token a fixed delay after the response headers, so the difference between
//    the two paths is what the gateway adds.
//      direct   the official openai SDK, configured as the adapter configures it, sending the request it sends
//      gateway  AiGateway.stream of the built app (dist/): budget reservation in a write transaction on a SQLite
//               file (a real user, a global and a user budget, both in `warn` mode with a limit never reached), the
//               router (candidates, circuit breaker, timers), the openai-compatible adapter (the same SDK), and
//               the settlement with its ledger row once the stream ends
//    TTFT runs from just before the call to the moment the first token's text reaches the caller.
//      control  the direct path again, through a second client of its own: an A/A control. What it "adds" to the
//               direct path is the reading's noise floor on this machine, since the two run the same code.
//      burst    (the target's condition as read here) each round opens `streams` streams at the same moment and
//               waits for all of them; rounds of the three paths take turns (the order rotates), each after a
//               minor GC so that no round inherits the garbage of the one before (which was another path's).
//               Target: p99(gateway) − p99(direct) ≤ 5 ms, reported with a 90 % bootstrap interval over rounds
//               and next to the control's own difference. Then, as a diagnostic, calls one at a time.
//      steady   (another reading) `streams` streams always in flight, each about a second long, starts spread
//               evenly; blocks of each path alternate.
//    Diagnostics: how long each gateway call spent in BudgetService.reserve (waiting for the write lock included),
//    this process's CPU and event-loop delay, the fake's CPU and other programs' CPU while measuring.
// 2. Budget reservation throughput: reserve + settle (with one ledger row) as the gateway does them, with one
//    shared budget (the global one) and one user's, from 1, 16 and 64 concurrent callers in this process; calls
//    settled per second. On SQLite (a file, as the app's default), and on PostgreSQL in a fresh schema that is
//    dropped afterwards (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test; skipped when it does
//    not answer).
//
// Run alone: `node bench/ai-gateway.mjs` (builds the server first when dist/ is older than its sources;
// BENCH_SKIP_BUILD=1 measures dist/ as it is). It prints tables and writes bench/results/ai-gateway-<timestamp>.json.
// `runAiGatewayBench(options)` is the same run for bench/run.mjs (it expects dist/ to be built; see DEFAULT_OPTIONS),
// and `formatAiGatewayResult(result)` its tables. Environment when run alone: BENCH_AI_STREAMS (64), BENCH_AI_ROUNDS
// (100 per path), BENCH_AI_FIRST_TOKEN_MS (20), BENCH_AI_STEADY_SECONDS (30 per path; 0 skips the steady reading),
// BENCH_AI_SECONDS (4 per throughput level), BENCH_AI_CONCURRENCY (1,16,64), BENCH_AI_POSTGRES (0 skips it, 1
// requires it), BENCH_AI_ONLY (ttft or throughput), BENCH_NAME (the result file's name).
import { ensureServerBuilt, numberFromEnv } from './build.mjs';
import {
  fmt,
  int,
  machine,
  machineCpu,
  pct,
  percentile,
  prng,
  processCpu,
  sorted,
  summary,
  table,
  tempSqlite,
} from './figures.mjs';
import { startFakeLlm } from './servers.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath, pathToFileURL } from 'node:url';
import OpenAI from 'openai';
import pg from 'pg';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const FAKE_SERVE = join(ROOT, 'src', 'server', 'test', 'llm-fakes', 'serve.ts');
const TARGET_ADDED_P99_MS = 5;
const MODEL = 'fake-model';
/** USD per million input / output tokens: a paid provider, so every reservation holds a real amount. */
const PRICES = '0.4,1.6';
const MAX_TOKENS = 256;

export const DEFAULT_OPTIONS = {
  /** Streams opened at the same moment in each round. */
  streams: 64,
  /** Measured rounds per path (so streams × rounds TTFT samples each). */
  rounds: 100,
  /** Rounds per path before measuring (connections, JIT, SQLite pages). */
  warmupRounds: 3,
  /** Diagnostic: calls per path made one at a time, after the rounds. */
  sequentialCalls: 200,
  /** The steady reading (0 skips it): measured seconds per path, in alternating blocks of this many seconds. */
  steadySeconds: 30,
  steadyBlockSeconds: 5,
  /** The fake's delay between tokens in the steady reading (10 tokens: streams of about a second). */
  steadyTokenDelayMs: 100,
  /** The fake's delay between the response headers and the first token. */
  firstTokenDelayMs: 20,
  /** The fake's delay between tokens. */
  tokenDelayMs: 5,
  /** Concurrent callers for the reservation throughput. */
  concurrency: [1, 16, 64],
  /** Seconds measured per concurrency level (after `warmupSeconds`). */
  seconds: 4,
  warmupSeconds: 1,
  /** 'auto' (measure when it answers), true (required) or false. */
  postgres: 'auto',
  postgresUrl: process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test',
  only: ['ttft', 'throughput'],
  log: (message) => console.log(`[bench:ai] ${message}`),
};

// The answer the fake streams: ten tokens (words with their space).
const ANSWER = '¡Claro! Pedimos dos cafés y una tostada con tomate, por favor.';
const ANSWER_TOKENS = ANSWER.match(/\S+\s*/g).length;
const SYSTEM =
  'You are a friendly Spanish tutor in a café role-play. Answer in Spanish, in one or two short sentences.';
const MESSAGES = [
  { role: 'user', content: 'Hola, ¿qué me recomiendas para desayunar?' },
  { role: 'assistant', content: 'Te recomiendo un café con leche y una tostada.' },
  { role: 'user', content: 'Perfecto. ¿Cómo lo pido?' },
];

/**
 * Runs the benchmark and answers its result (also what the JSON file holds). Needs dist/ built; starts the fake,
 * opens and closes its own databases and removes its temporary files, whatever happens.
 */
export async function runAiGatewayBench(options = {}) {
  const o = { ...DEFAULT_OPTIONS, ...options };
  const { buildServices } = await import(pathToFileURL(join(ROOT, 'dist', 'server', 'app.js')).href);
  const { loadConfig } = await import(pathToFileURL(join(ROOT, 'dist', 'server', 'config.js')).href);
  const { openDatabase } = await import(pathToFileURL(join(ROOT, 'dist', 'server', 'db', 'database.js')).href);
  const app = { buildServices, loadConfig, openDatabase };
  const started = Date.now();
  const result = {
    date: new Date(started).toISOString(),
    machine: machine({ openai: 'openai', betterSqlite3: 'better-sqlite3' }),
    settings: {
      ...o,
      log: undefined,
      postgresUrl: redact(o.postgresUrl),
      answerTokens: ANSWER_TOKENS,
      maxTokens: MAX_TOKENS,
    },
    ttft: null,
    throughput: null,
    targets: [],
  };
  if (o.only.includes('ttft')) {
    const t = (result.ttft = await ttftScenario(app, o));
    result.targets.push({
      target: `gateway adds <= ${TARGET_ADDED_P99_MS} ms to TTFT at p99, ${o.streams} streams opened at once`,
      measured:
        `${fmt(t.addedMs.p99)} ms (p99 ${fmt(t.gateway.p99)} vs ${fmt(t.direct.p99)} ms direct; 90 % interval ` +
        `${fmt(t.addedP99Interval.low)} to ${fmt(t.addedP99Interval.high)} ms; the A/A control differs by ${fmt(t.controlAddedMs.p99)} ms)`,
      pass: t.addedMs.p99 <= TARGET_ADDED_P99_MS && t.errors === 0,
    });
    if (t.steady)
      result.targets.push({
        target: `gateway adds <= ${TARGET_ADDED_P99_MS} ms to TTFT at p99, ${o.streams} streams always in flight (steady; another reading)`,
        measured: `${fmt(t.steady.addedMs.p99)} ms (p99 ${fmt(t.steady.gateway.p99)} vs ${fmt(t.steady.direct.p99)} ms direct)`,
        pass: t.steady.addedMs.p99 <= TARGET_ADDED_P99_MS && t.steady.errors === 0,
        informational: true,
      });
  }
  if (o.only.includes('throughput')) result.throughput = await throughputScenario(app, o);
  result.totalSeconds = (Date.now() - started) / 1000;
  return result;
}

// ---- 1. time to first token ----------------------------------------------------------------------------------------

async function ttftScenario(app, o) {
  const burst = await withPaths(app, o, o.tokenDelayMs, (paths) => burstRounds(paths, o));
  const steady =
    o.steadySeconds > 0 ? await withPaths(app, o, o.steadyTokenDelayMs, (paths) => steadyStreams(paths, o)) : null;
  return { ...burst, steady };
}

/**
 * Starts a fake provider (streaming with `tokenDelayMs` between tokens), a fresh SQLite file and the built app's
 * services on it, and hands `run` the two paths; closes all of it afterwards and checks the ledger adds up.
 */
async function withPaths(app, o, tokenDelayMs, run) {
  const fake = await startFake({ firstTokenDelayMs: o.firstTokenDelayMs, tokenDelayMs });
  const database = tempSqlite('ai-ttft');
  let services = null;
  try {
    o.log(
      `ttft: fake provider pid ${fake.pid} on ${fake.url}: first token after ${o.firstTokenDelayMs} ms, then one every ${tokenDelayMs} ms`,
    );
    const config = app.loadConfig({
      DATABASE_URL: database.url,
      SCRYPT_LOG2N: '10',
      LOG_LEVEL: 'warn',
      OPENAI_API_KEY: 'bench-key',
      OPENAI_BASE_URL: `${fake.url}/v1`,
      OPENAI_MODEL: MODEL,
      OPENAI_PRICE_PER_MTOK: PRICES,
    });
    services = await app.buildServices(config);
    const { userId } = await setUpBudgets(services);
    const reserveMs = new Map();
    instrumentReserve(services.budget, reserveMs);

    // The direct path: the SDK configured as OpenAiCompatibleAdapter configures it, sending the request it sends.
    const sdkClient = () =>
      new OpenAI({
        apiKey: 'bench-key',
        adminAPIKey: null,
        organization: null,
        project: null,
        webhookSecret: null,
        baseURL: `${fake.url}/v1`,
        maxRetries: 0,
        logLevel: 'off',
      });
    const params = {
      model: MODEL,
      messages: [{ role: 'system', content: SYSTEM }, ...MESSAGES],
      temperature: 0.7,
      max_tokens: MAX_TOKENS,
      stream: true,
      stream_options: { include_usage: true },
    };
    const directPath = (path, client) => async () => {
      const controller = new AbortController();
      const t0 = performance.now();
      let ttft = null;
      let text = '';
      const stream = await client.chat.completions.create(params, { signal: controller.signal });
      for await (const chunk of stream) {
        const token = chunk.choices?.[0]?.delta?.content;
        if (!token) continue;
        if (ttft === null) ttft = performance.now() - t0;
        text += token;
      }
      if (text !== ANSWER) throw new Error(`${path}: unexpected answer ${JSON.stringify(text)}`);
      return { path, ttft };
    };
    const direct = directPath('direct', sdkClient());
    // The A/A control: the same code as `direct`, through a client (and so a connection pool) of its own.
    const control = directPath('control', sdkClient());
    let sequence = 0;
    const gateway = async () => {
      const requestId = `bench-${++sequence}`;
      const call = {
        userId,
        purpose: 'conversation',
        requestId,
        language: 'es',
        system: SYSTEM,
        messages: MESSAGES,
        maxTokens: MAX_TOKENS,
        temperature: 0.7,
      };
      const t0 = performance.now();
      let ttft = null;
      let answer = null;
      for await (const event of services.ai.stream(call)) {
        if (event.type === 'token' && ttft === null) ttft = performance.now() - t0;
        else if (event.type === 'done') answer = event.answer;
      }
      if (answer?.text !== ANSWER) throw new Error(`gateway: unexpected answer ${JSON.stringify(answer?.text)}`);
      const reserve = reserveMs.get(requestId);
      reserveMs.delete(requestId);
      return { path: 'gateway', ttft, reserve };
    };

    const result = await run({ direct, gateway, control, fakePid: fake.pid });
    const ledger = await ledgerCheck(services, userId);
    if (ledger.holdsLeft !== 0 || ledger.globalSpentMicros !== ledger.costMicros)
      throw new Error(`ttft: the budget does not add up: ${JSON.stringify(ledger)}`);
    return { ...result, ledger };
  } finally {
    if (services) await services.database.close();
    database.remove();
    await fake.stop();
  }
}

/**
 * TTFT samples by path (and, for the burst, by round); a failed stream is counted (and the first few are logged),
 * not measured.
 */
function recorder(o) {
  const samples = { direct: [], gateway: [], control: [], reserve: [], gatewayAfterReserve: [] };
  /** Each round's TTFTs by path: the bootstrap interval resamples whole rounds. */
  const rounds = { direct: [], gateway: [], control: [] };
  let errors = 0;
  return {
    samples,
    get errors() {
      return errors;
    },
    failed(err) {
      errors++;
      if (errors <= 3) o.log(`ttft: a stream failed: ${err?.message ?? err}`);
    },
    add({ path, ttft, reserve }) {
      samples[path].push(ttft);
      if (path === 'gateway') {
        samples.reserve.push(reserve);
        samples.gatewayAfterReserve.push(ttft - reserve);
      }
    },
    round(path, ttfts) {
      rounds[path].push(ttfts);
    },
    summary() {
      const addedBy = (path) => {
        if (samples[path].length === 0) return null;
        const added = (p) => percentile(sorted(samples[path]), p) - percentile(sorted(samples.direct), p);
        return { p50: added(50), p95: added(95), p99: added(99) };
      };
      return {
        errors,
        direct: summary(samples.direct),
        gateway: summary(samples.gateway),
        addedMs: addedBy('gateway'),
        // How uncertain the added p99 is, from the rounds' spread (null without rounds).
        addedP99Interval: rounds.gateway.length > 1 ? bootstrapInterval(rounds.gateway, rounds.direct, 99) : null,
        control: samples.control.length > 0 ? summary(samples.control) : null,
        // What the same code as `direct` "adds" to it: the reading's noise floor.
        controlAddedMs: addedBy('control'),
        // Time each gateway call spent in BudgetService.reserve, waiting for the write lock included; and its TTFT
        // less that: the router, the adapter and the SDK, after admission.
        reserveMs: summary(samples.reserve),
        gatewayAfterReserveMs: summary(samples.gatewayAfterReserve),
      };
    },
  };
}

const BOOTSTRAP_RESAMPLES = 1000;

/**
 * The 90 % bootstrap interval of percentile(a) − percentile(b), resampling each side's rounds with replacement
 * (a round is the unit: its streams share its conditions). Seeded, so a result file can be recomputed.
 */
function bootstrapInterval(roundsA, roundsB, p) {
  const random = prng(0x5eed);
  const resample = (rounds) => {
    const values = [];
    for (let i = 0; i < rounds.length; i++) values.push(...rounds[Math.floor(random() * rounds.length)]);
    return percentile(sorted(values), p);
  };
  const differences = sorted(Array.from({ length: BOOTSTRAP_RESAMPLES }, () => resample(roundsA) - resample(roundsB)));
  return { low: percentile(differences, 5), high: percentile(differences, 95) };
}

/**
 * A minor garbage collection, run before each burst round so that no round pays for the garbage of the round
 * before it (another path's); a round's own garbage is still collected within it. Exposed at run time, so the
 * benchmark needs no node flag.
 */
const minorGc = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  return () => gc({ type: 'minor' });
})();

/**
 * The target's condition as read here: `streams` streams opened at the same moment, all awaited, `rounds` times
 * per path, rounds of the three paths taking turns (the order rotating). Then, as a diagnostic, calls one at a
 * time.
 */
async function burstRounds({ direct, gateway, control, fakePid }, o) {
  let rec = recorder(o);
  const round = async (path) => {
    minorGc();
    const outcomes = await Promise.allSettled(Array.from({ length: o.streams }, () => path()));
    const ttfts = [];
    let name = null;
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') rec.failed(outcome.reason);
      else {
        rec.add(outcome.value);
        ttfts.push(outcome.value.ttft);
        name = outcome.value.path;
      }
    }
    if (name) rec.round(name, ttfts);
  };
  const paths = [direct, gateway, control];
  o.log(
    `ttft: ${o.warmupRounds} warm-up rounds per path, then ${o.rounds} rounds of ${o.streams} streams per path (direct, gateway, control)`,
  );
  for (let i = 0; i < o.warmupRounds; i++) for (const path of paths) await round(path);
  rec = recorder(o);
  const cpu = cpuMeter(fakePid);
  const t0 = performance.now();
  for (let i = 0; i < o.rounds; i++) {
    for (let k = 0; k < paths.length; k++) await round(paths[(i + k) % paths.length]);
  }
  const seconds = (performance.now() - t0) / 1000;
  const burst = { streams: o.streams, rounds: o.rounds, seconds, cpu: cpu.stop(seconds), ...rec.summary() };

  o.log(`ttft: ${o.sequentialCalls} calls per path one at a time`);
  const one = recorder(o);
  for (let i = 0; i < o.sequentialCalls; i++) {
    for (const path of i % 2 === 0 ? [direct, gateway] : [gateway, direct]) one.add(await path());
  }
  return { ...burst, firstTokenDelayMs: o.firstTokenDelayMs, oneAtATime: one.summary() };
}

/**
 * A second reading of "64 concurrent streams": always `streams` streams in flight, each about a second long (the
 * fake's tokens come `steadyTokenDelayMs` apart), each caller starting its next as soon as its last ended, their
 * first starts spread over one stream's length so that calls arrive evenly. Blocks of `steadyBlockSeconds` of
 * each path alternate until each has had `steadySeconds`.
 */
async function steadyStreams({ direct, gateway, fakePid }, o) {
  const streamMs = o.firstTokenDelayMs + (ANSWER_TOKENS - 1) * o.steadyTokenDelayMs;
  const block = async (path, seconds, rec) => {
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: o.streams }, async (_, i) => {
        await new Promise((r) => setTimeout(r, (i * streamMs) / o.streams));
        while (performance.now() < until) {
          try {
            rec.add(await path());
          } catch (err) {
            rec.failed(err);
          }
        }
      }),
    );
  };
  const blocks = Math.max(1, Math.round(o.steadySeconds / o.steadyBlockSeconds));
  o.log(
    `ttft (steady): ${o.streams} streams of about ${streamMs} ms always in flight, ${blocks} blocks of ${o.steadyBlockSeconds} s per path`,
  );
  await block(direct, 2, recorder(o));
  await block(gateway, 2, recorder(o));
  const rec = recorder(o);
  const cpu = cpuMeter(fakePid);
  const t0 = performance.now();
  for (let i = 0; i < blocks; i++) {
    for (const path of i % 2 === 0 ? [direct, gateway] : [gateway, direct])
      await block(path, o.steadyBlockSeconds, rec);
  }
  const seconds = (performance.now() - t0) / 1000;
  const calls = rec.samples.direct.length + rec.samples.gateway.length;
  return {
    streams: o.streams,
    streamMs,
    seconds,
    callsPerSecond: calls / seconds,
    cpu: cpu.stop(seconds),
    ...rec.summary(),
  };
}

/** Wraps the instance's `reserve` to record how long each call spent in it, by request id. */
function instrumentReserve(budget, into) {
  const reserve = budget.reserve.bind(budget);
  budget.reserve = async (input) => {
    const t0 = performance.now();
    try {
      return await reserve(input);
    } finally {
      into.set(input.requestId, performance.now() - t0);
    }
  };
}

/** Every gateway call left one `ok` ledger row, no hold is left, and the global budget's spend is the rows' sum. */
async function ledgerCheck(services, userId) {
  const db = services.database.db;
  const usage = await db
    .selectFrom('ai_usage')
    .select((eb) => [eb.fn.countAll().as('rows'), eb.fn.sum('cost_micros').as('cost')])
    .where('user_id', '=', userId)
    .where('outcome', '=', 'ok')
    .executeTakeFirst();
  const holds = await db
    .selectFrom('budget_holds')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  const period = await db
    .selectFrom('budget_periods')
    .select('spent_micros')
    .where('budget_id', '=', 'global')
    .executeTakeFirst();
  return {
    okRows: Number(usage.rows),
    costMicros: Number(usage.cost ?? 0),
    holdsLeft: Number(holds.n),
    globalSpentMicros: Number(period?.spent_micros ?? 0),
  };
}

// ---- 2. reservation throughput ---------------------------------------------------------------------------------------

async function throughputScenario(app, o) {
  const out = { sqlite: null, postgres: null };
  const database = tempSqlite('ai-budget');
  try {
    const config = app.loadConfig({ DATABASE_URL: database.url, SCRYPT_LOG2N: '10', LOG_LEVEL: 'warn' });
    const services = await app.buildServices(config);
    try {
      o.log(`throughput: SQLite file ${database.file}`);
      out.sqlite = await throughputLevels(services, o);
    } finally {
      await services.database.close();
    }
  } finally {
    database.remove();
  }

  if (o.postgres === false) return out;
  const reachable = await postgresReachable(o.postgresUrl);
  if (!reachable) {
    if (o.postgres === true) throw new Error(`PostgreSQL at ${redact(o.postgresUrl)} does not answer`);
    o.log(`throughput: PostgreSQL at ${redact(o.postgresUrl)} does not answer; skipped`);
    out.postgres = { skipped: `no answer from ${redact(o.postgresUrl)}` };
    return out;
  }
  const schema = `bench_ai_${Date.now().toString(36)}_${process.pid}`;
  await adminQuery(o.postgresUrl, `create schema ${schema}`);
  try {
    const config = app.loadConfig({ DATABASE_URL: o.postgresUrl, SCRYPT_LOG2N: '10', LOG_LEVEL: 'warn' });
    const pgDatabase = app.openDatabase(o.postgresUrl, { pgSchema: schema });
    const services = await app.buildServices(config, { database: pgDatabase });
    try {
      o.log(`throughput: PostgreSQL ${redact(o.postgresUrl)}, schema ${schema} (pool of 10)`);
      out.postgres = { schema, ...(await throughputLevels(services, o)) };
    } finally {
      await pgDatabase.close();
    }
  } finally {
    await adminQuery(o.postgresUrl, `drop schema if exists ${schema} cascade`);
  }
  return out;
}

async function throughputLevels(services, o) {
  const { userId } = await setUpBudgets(services);
  const budget = services.budget;
  const maxCostMicros = 500; // what a call of the TTFT scenario reserves, about
  let sequence = 0;
  const call = async () => {
    const requestId = `bench-budget-${++sequence}`;
    const { reservationId } = await budget.reserve({ userId, maxCostMicros, requestId });
    await budget.settle(reservationId, [
      {
        userId,
        purpose: 'conversation',
        providerId: 'openai',
        model: MODEL,
        inputTokens: 60,
        outputTokens: 10,
        tokensEstimated: false,
        costMicros: 40,
        ttftMs: 21,
        totalMs: 70,
        outcome: 'ok',
        fallback: false,
        cached: false,
        requestId,
      },
    ]);
  };
  const levels = [];
  for (const concurrency of o.concurrency) {
    await drive(call, concurrency, o.warmupSeconds, null);
    const latencies = [];
    const cpu = process.cpuUsage();
    const { calls, seconds } = await drive(call, concurrency, o.seconds, latencies);
    const { user, system } = process.cpuUsage(cpu);
    const level = {
      concurrency,
      calls,
      seconds,
      callsPerSecond: calls / seconds,
      latencyMs: summary(latencies),
      // This process's CPU per call (for SQLite the whole cost; PostgreSQL's own work is not in it).
      cpuUsPerCall: (user + system) / calls,
      cpuShare: (user + system) / 1e6 / seconds,
    };
    o.log(
      `throughput: ${concurrency} callers: ${int(level.callsPerSecond)} calls/s (p50 ${fmt(level.latencyMs.p50)} ms, p99 ${fmt(level.latencyMs.p99)} ms)`,
    );
    levels.push(level);
  }
  const check = await ledgerCheck(services, userId);
  if (check.holdsLeft !== 0 || check.globalSpentMicros !== check.costMicros)
    throw new Error(`throughput: the budget does not add up: ${JSON.stringify(check)}`);
  return { levels, ledger: check };
}

/** `concurrency` loops calling `call` until `seconds` have passed; calls finished and the time until the last did. */
async function drive(call, concurrency, seconds, latencies) {
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  let calls = 0;
  const worker = async () => {
    while (performance.now() < until) {
      const start = performance.now();
      await call();
      latencies?.push(performance.now() - start);
      calls++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { calls, seconds: (performance.now() - t0) / 1000 };
}

// ---- shared set-up ---------------------------------------------------------------------------------------------------

/** A learner, a global budget and the learner's own, both monthly in `warn` mode with a limit never reached. */
async function setUpBudgets(services) {
  const { user } = await services.auth.register({
    email: 'bench-ai@example.com',
    password: 'bench-password',
    displayName: 'Bench',
  });
  const budget = { period: 'monthly', limitUsd: 1_000_000, mode: 'warn' };
  await services.budget.putGlobal({ ...budget, timezone: 'Europe/Madrid' }, user.id);
  await services.budget.putUserBudget(user.id, budget, user.id);
  return { userId: user.id };
}

/** The protocol fake in a child process, answering every streamed request with ANSWER. */
function startFake(o) {
  return startFakeLlm(
    [
      ...['--import', 'tsx', FAKE_SERVE, '--port', '0', '--text', ANSWER],
      ...['--first-token-delay-ms', String(o.firstTokenDelayMs), '--token-delay-ms', String(o.tokenDelayMs)],
    ],
    ROOT,
  );
}

async function postgresReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function adminQuery(url, statement) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const redact = (url) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

// ---- figures ---------------------------------------------------------------------------------------------------------

/**
 * CPU used while measuring, as shares of one core: this process (the clients and the gateway), the fake, and other
 * programs' user time (the machine's less ours); `steal` is time the hypervisor gave to other virtual machines.
 */
function cpuMeter(fakePid) {
  const own = process.cpuUsage();
  const fake = processCpu(fakePid);
  const all = machineCpu();
  // How late this process's event loop ran what was due: work waiting on work (or on the machine).
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  return {
    stop(seconds) {
      loopDelay.disable();
      const delay = (ns) => Number((ns / 1e6).toFixed(2));
      const ownUsage = process.cpuUsage(own);
      const fakeAfter = processCpu(fakePid);
      const allAfter = machineCpu();
      const mine = (ownUsage.user + ownUsage.system) / 1e6;
      const fakeSeconds = fake === null || fakeAfter === null ? null : fakeAfter - fake;
      const others =
        all === null || allAfter === null || fakeSeconds === null
          ? null
          : Math.max(0, allAfter.user - all.user - ownUsage.user / 1e6 - fakeSeconds);
      const share = (v) => (v === null ? null : v / seconds);
      return {
        benchProcess: share(mine),
        fake: share(fakeSeconds),
        others: share(others),
        steal: all === null || allAfter === null ? null : share(allAfter.steal - all.steal),
        eventLoopDelayMs: {
          p50: delay(loopDelay.percentile(50)),
          p99: delay(loopDelay.percentile(99)),
          max: delay(loopDelay.max),
        },
      };
    },
  };
}

/** The result as the tables `node bench/ai-gateway.mjs` prints. */
export function formatAiGatewayResult(result) {
  const out = [];
  const t = result.ttft;
  if (t) {
    const row = (label, v) => [label, String(v.n), fmt(v.p50), fmt(v.p95), fmt(v.p99), fmt(v.max)];
    const added = (label, a) => [label, '', fmt(a.p50), fmt(a.p95), fmt(a.p99), ''];
    const cpuLine = (c) =>
      `CPU while measuring (share of one core): bench process ${pct(c.benchProcess)}, fake ${pct(c.fake)}, other programs ${pct(c.others)}, steal ${pct(c.steal)}; event-loop delay p99 ${fmt(c.eventLoopDelayMs.p99)} ms, max ${fmt(c.eventLoopDelayMs.max)} ms`;
    out.push(
      `\nTime to first token (ms); the fake sends its first token ${t.firstTokenDelayMs} ms after the headers.` +
        `\nBurst: ${t.streams} streams opened at once, ${t.rounds} rounds per path, taking turns:`,
    );
    out.push(
      table(
        ['', 'n', 'p50', 'p95', 'p99', 'max'],
        [
          row('direct: openai SDK → fake', t.direct),
          row('gateway: reserve + router + adapter', t.gateway),
          row('control: the direct path again (A/A)', t.control),
          added('added by the gateway', t.addedMs),
          added('added by the control (noise floor)', t.controlAddedMs),
          row('  time in reserve (diagnostic)', t.reserveMs),
          row('  gateway TTFT less reserve (diagnostic)', t.gatewayAfterReserveMs),
          row('one call at a time: direct', t.oneAtATime.direct),
          row('one call at a time: gateway', t.oneAtATime.gateway),
          added('  added', t.oneAtATime.addedMs),
          row('  time in reserve', t.oneAtATime.reserveMs),
        ],
      ),
    );
    out.push(
      `Added at p99, 90 % bootstrap interval over rounds: ${fmt(t.addedP99Interval.low)} to ${fmt(t.addedP99Interval.high)} ms`,
      `${cpuLine(t.cpu)}; ${t.errors} failed streams; ledger ${t.ledger.okRows} ok rows, ${t.ledger.holdsLeft} holds left`,
    );
    const st = t.steady;
    if (st) {
      out.push(
        `\nSteady: ${st.streams} streams of about ${st.streamMs} ms always in flight, starts spread (${st.callsPerSecond.toFixed(0)} calls/s):`,
      );
      out.push(
        table(
          ['', 'n', 'p50', 'p95', 'p99', 'max'],
          [
            row('direct', st.direct),
            row('gateway', st.gateway),
            added('added by the gateway', st.addedMs),
            row('  time in reserve (diagnostic)', st.reserveMs),
          ],
        ),
      );
      out.push(`${cpuLine(st.cpu)}; ${st.errors} failed streams; ledger ${st.ledger.okRows} ok rows`);
    }
  }
  const tp = result.throughput;
  if (tp) {
    out.push('\nBudget reservation throughput: reserve + settle, one shared (global) budget and one user budget:');
    const rows = [];
    for (const [db, levels] of [
      ['SQLite (file)', tp.sqlite?.levels],
      ['PostgreSQL', tp.postgres?.levels],
    ]) {
      for (const l of levels ?? [])
        rows.push([
          db,
          String(l.concurrency),
          int(l.callsPerSecond),
          fmt(l.latencyMs.p50),
          fmt(l.latencyMs.p99),
          int(l.cpuUsPerCall),
          pct(l.cpuShare),
        ]);
    }
    out.push(table(['database', 'callers', 'calls/s', 'p50 ms', 'p99 ms', 'µs CPU/call', 'CPU'], rows));
    if (tp.postgres?.skipped) out.push(`PostgreSQL skipped: ${tp.postgres.skipped}`);
  }
  out.push('');
  for (const target of result.targets) {
    const verdict = target.pass ? 'PASS' : 'FAIL';
    out.push(`${target.informational ? verdict.toLowerCase() : verdict}  ${target.target}: ${target.measured}`);
  }
  return out.join('\n');
}

// ---- run alone ---------------------------------------------------------------------------------------------------------

function optionsFromEnv(env) {
  const number = (name, fallback, min) => numberFromEnv(env, name, fallback, min);
  const options = {
    streams: number('BENCH_AI_STREAMS', DEFAULT_OPTIONS.streams, 1),
    rounds: number('BENCH_AI_ROUNDS', DEFAULT_OPTIONS.rounds, 1),
    firstTokenDelayMs: number('BENCH_AI_FIRST_TOKEN_MS', DEFAULT_OPTIONS.firstTokenDelayMs, 0),
    seconds: number('BENCH_AI_SECONDS', DEFAULT_OPTIONS.seconds, 0.5),
    steadySeconds: number('BENCH_AI_STEADY_SECONDS', DEFAULT_OPTIONS.steadySeconds, 0),
  };
  if (env.BENCH_AI_CONCURRENCY) options.concurrency = env.BENCH_AI_CONCURRENCY.split(',').map(Number);
  if (env.BENCH_AI_POSTGRES === '0') options.postgres = false;
  if (env.BENCH_AI_POSTGRES === '1') options.postgres = true;
  if (env.BENCH_AI_ONLY) options.only = env.BENCH_AI_ONLY.split(',').map((s) => s.trim());
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Ctrl-C or a kill still runs the exit handler above (the fake stopped, the temporary databases removed).
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
  if (process.env.BENCH_SKIP_BUILD === '1') console.log('BENCH_SKIP_BUILD=1: measuring dist/ as it is');
  else ensureServerBuilt();
  const options = optionsFromEnv(process.env);
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const name = (process.env.BENCH_NAME || `ai-gateway-${stamp}`).replace(/[^\w.-]/g, '_');
  const result = await runAiGatewayBench(options);
  console.log(formatAiGatewayResult(result));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ name, ...result }, null, 2)}\n`);
  console.log(`wrote ${file} (${result.totalSeconds.toFixed(0)} s in all)`);
}
