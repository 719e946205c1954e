// The conversations benchmark (issue 5, §10): the offline tutor's reply latency with every dictionary loaded and the
// memory the dictionaries take, and the time to the first token of a streamed (SSE) reply through the whole stack
// with the fake LLM provider. Four parts, in one run:
//
// 1. reply  OfflineTutor.reply with the real SpellingService (its worker thread, all six dictionaries preloaded one
//           after the other: load time and memory per language), in this process. Scripted learners play each of the
//           25 scenarios in each of the six languages: the current phase's essential phrases (which move the scenario
//           on), the same phrases with one realistic typo (a letter left out, doubled or swapped, an accent dropped, a
//           keyboard neighbour or a letter that sounds alike), a phrase of another scenario with a typo (its words are
//           not the scenario's own, so the correction has to be searched for in the dictionary), and off-topic lines
//           (free-talk questions, "ok", numbers). Replies are awaited one at a time — the service time, no queueing:
//           the condition of the target, p99 <= 20 ms. The same messages without spelling feedback, for reference.
// 2. http   The same scripted conversations over HTTP: JSON POST /api/conversations/:id/messages (bearer token) to the
//           built app (dist/server/main.js) in a child process on a fresh SQLite file, offline tutor (no model
//           configured), dictionaries loaded by a warm-up message in each language; 1 and 16 conversations at once.
//           Each turn stores both messages and touches the learning session in a write transaction.
// 3. sse    Time to first token: the protocol fake (src/server/test/llm-fakes) in a child process answering every
//           streamed request with a fixed reply after `firstTokenDelayMs` (0), and the built app in another child
//           configured with it (OPENAI_BASE_URL, …). A learner's conversations POST messages with
//           `Accept: text/event-stream`; TTFT runs from the request to the first `token` event (the offline analysis
//           with spelling, the budget reservation, the router, the adapter and the fake in between), at 1 and 16
//           conversations at once. For reference, the fake's own TTFT to a plain streaming request at the same
//           concurrency.
// 4. suggesters  Hunspell's own suggest() against our suggester (spell-suggest.ts), on realistic typos of the
//           catalogue's words: time per word, and how often the intended word comes first.
//
// Run alone: `node bench/tutor.mjs` (builds the server first when dist/ is older than its sources). It prints tables and
// writes bench/results/tutor-<timestamp>.json. `runTutorBench(options)` is the same run for bench/run.mjs (it expects
// dist/ to be built). Environment when run alone: BENCH_TUTOR_ROUNDS (3), BENCH_TUTOR_ONLY (reply,http,sse,suggesters),
// BENCH_TUTOR_SSE_MESSAGES (per concurrency level, 240), BENCH_TUTOR_COMPARE_WORDS (per language, 40), BENCH_NAME.
import { ensureServerBuilt, numberFromEnv } from './build.mjs';
import {
  fmt,
  int,
  machine,
  machineCpu,
  mib,
  pct,
  prng,
  processCpu,
  processRss,
  summary,
  table,
  tempSqlite,
} from './figures.mjs';
import { startApp, startFakeLlm } from './servers.mjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const CONTENT_DIR = join(ROOT, 'content');
const FAKE_SERVER = join(ROOT, 'src', 'server', 'test', 'llm-fakes', 'fake-llm-server.ts');
const LANGUAGES = ['es', 'fr', 'de', 'it', 'pt', 'en'];
const TARGET_REPLY_P99_MS = 20;
const MODEL = 'fake-model';
/** What the fake streams as the tutor's reply (ten tokens). */
const LLM_REPLY = '¡Muy bien! ¿Y qué más quiere tomar esta noche con la cena?';
/** What the fake answers the structured feedback call with. */
const LLM_FEEDBACK = JSON.stringify({ corrections: [], objectivesMet: [] });

export const DEFAULT_OPTIONS = {
  /** Rounds of all 150 scripted conversations for the reply measurement (each round with other messages). */
  rounds: 3,
  /** At most this many learner messages per conversation (it ends earlier when the scenario is done). */
  maxTurns: 12,
  seed: 20_261_124,
  /** Conversations at once over HTTP (JSON turns); each level plays all 150 conversations once. */
  httpConcurrency: [1, 16],
  /** Conversations at once for the SSE time to first token, and messages measured per level. */
  sseConcurrency: [1, 16],
  sseMessages: 240,
  /** The fake's delay before its first token, and between tokens. */
  firstTokenDelayMs: 0,
  tokenDelayMs: 5,
  /** Typos per language for the suggester comparison (Hunspell's suggest takes up to ~0.7 s a word). */
  compareWords: 40,
  /** SpellingService options (undefined: the service's defaults, as the app runs it). */
  spelling: undefined,
  only: ['reply', 'http', 'sse', 'suggesters'],
  log: (message) => console.log(`[bench:tutor] ${message}`),
};

/**
 * Runs the benchmark and answers its result (also what the JSON file holds). Needs dist/ built; starts and stops its
 * own child processes and removes its temporary files, whatever happens.
 */
export async function runTutorBench(options = {}) {
  const o = { ...DEFAULT_OPTIONS, ...options };
  const dist = (path) => import(pathToFileURL(join(ROOT, 'dist', 'server', path)).href);
  const app = {
    ...(await dist('modules/tutor/offline/spelling.js')),
    ...(await dist('modules/tutor/offline/spell-host.js')),
    ...(await dist('modules/tutor/offline/spell-suggest.js')),
    ...(await dist('modules/tutor/offline/offline-tutor.js')),
    ...(await dist('modules/scenarios/catalogue.js')),
  };
  const content = {
    scenarios: app.loadCatalogue(CONTENT_DIR).scenarios,
    topics: JSON.parse(readFileSync(join(CONTENT_DIR, 'free-topics.json'), 'utf8')).topics,
  };
  const started = Date.now();
  const result = {
    date: new Date(started).toISOString(),
    machine: machine({ hunspellAsm: 'hunspell-asm', betterSqlite3: 'better-sqlite3' }),
    settings: { ...o, log: undefined },
    memory: null,
    reply: null,
    http: null,
    sse: null,
    suggesters: null,
    targets: [],
  };
  if (o.only.includes('reply')) {
    const { memory, reply } = await replyScenario(app, content, o);
    result.memory = memory;
    result.reply = reply;
    result.targets.push({
      target: `offline tutor reply (OfflineTutor.reply, spelling included, dictionaries loaded) p99 <= ${TARGET_REPLY_P99_MS} ms`,
      measured: `p99 ${fmt(reply.overall.p99)} ms over ${int(reply.overall.n)} replies (worst language ${reply.worstLanguage}: ${fmt(reply.byLanguage[reply.worstLanguage].p99)} ms); max ${fmt(reply.overall.max)} ms`,
      pass: reply.overall.p99 <= TARGET_REPLY_P99_MS,
    });
  }
  if (o.only.includes('http')) result.http = await httpScenario(content, o);
  if (o.only.includes('sse')) result.sse = await sseScenario(content, o);
  if (o.only.includes('suggesters')) result.suggesters = await suggesterScenario(app, content, o);
  result.machine.loadAverageAtEnd = loadavg().map((v) => Number(v.toFixed(2)));
  result.totalSeconds = (Date.now() - started) / 1000;
  return result;
}

// ---- the scripted learner ------------------------------------------------------------------------------------------

const pick = (random, list) => list[Math.floor(random() * list.length)];

const QWERTY = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const KEY_NEIGHBOURS = new Map();
for (const row of QWERTY)
  [...row].forEach((c, i) => KEY_NEIGHBOURS.set(c, [row[i - 1], row[i + 1]].filter(Boolean).join('')));
const SOUND_ALIKE = { b: 'v', v: 'b', c: 's', s: 'c', z: 's', g: 'j', j: 'g', y: 'i', i: 'y', m: 'n', n: 'm' };
const stripAccent = (c) => c.normalize('NFD').replace(/\p{M}/gu, '');

/**
 * One realistic typo in `word`: a letter left out, typed twice, two letters swapped, an accent dropped, a keyboard
 * neighbour, or a letter that sounds alike. Never at the first letter (people rarely mistype it). Null if none fits.
 */
export function typo(word, random) {
  const chars = Array.from(word);
  if (chars.length < 4) return null;
  for (let attempt = 0; attempt < 12; attempt++) {
    const copy = [...chars];
    const i = 1 + Math.floor(random() * (chars.length - 1));
    const c = copy[i];
    const lower = c.toLowerCase();
    switch (pick(random, ['drop', 'drop', 'double', 'swap', 'accent', 'neighbour', 'sound'])) {
      case 'drop':
        copy.splice(i, 1);
        break;
      case 'double':
        copy.splice(i, 0, c);
        break;
      case 'swap':
        if (i + 1 >= copy.length) continue;
        [copy[i], copy[i + 1]] = [copy[i + 1], copy[i]];
        break;
      case 'accent': {
        const at = copy.findIndex((x, j) => j > 0 && stripAccent(x) !== x);
        if (at < 0) continue;
        copy[at] = stripAccent(copy[at]);
        break;
      }
      case 'neighbour': {
        const near = KEY_NEIGHBOURS.get(lower);
        if (!near) continue;
        copy[i] = pick(random, [...near]);
        break;
      }
      case 'sound':
        if (!SOUND_ALIKE[lower]) continue;
        copy[i] = SOUND_ALIKE[lower];
        break;
    }
    const text = copy.join('');
    if (text !== word && /\p{L}/u.test(text)) return text;
  }
  return null;
}

/** `text` with one word of 4 letters or more mistyped; null when no word takes a typo. */
function withTypo(text, random) {
  const words = [...text.matchAll(/\p{L}{4,}/gu)];
  for (let attempt = 0; attempt < 6 && words.length > 0; attempt++) {
    const match = pick(random, words);
    const wrong = typo(match[0], random);
    if (wrong) return text.slice(0, match.index) + wrong + text.slice(match.index + match[0].length);
  }
  return null;
}

/**
 * Plays a scenario in a language: `next(phaseIndex)` answers the next learner message and its kind —
 * `phrase` (an essential phrase of the current phase, in turn), `typo` (the same with a typo), `other-typo` (a phrase
 * of another scenario with a typo) or `off-topic` (a free-talk question, "ok", a number).
 */
function scriptedLearner(content, scenario, language, random) {
  const said = new Map();
  const others = content.scenarios.filter((s) => s.id !== scenario.id);
  const offTopic = [
    ...content.topics.flatMap((t) => t.languages[language]?.questions ?? []),
    'ok',
    '42',
    'jajaja 123 ?!',
  ];
  return {
    next(phaseIndex) {
      const phase = scenario.phases[Math.min(phaseIndex, scenario.phases.length - 1)];
      const phrases = phase.languages[language].phrases.map((p) => p.text);
      const n = said.get(phaseIndex) ?? 0;
      const phrase = phrases[n % phrases.length];
      const roll = random();
      if (roll < 0.45) {
        said.set(phaseIndex, n + 1);
        return { kind: 'phrase', text: phrase };
      }
      if (roll < 0.7) {
        said.set(phaseIndex, n + 1);
        const text = withTypo(phrase, random);
        return text ? { kind: 'typo', text } : { kind: 'phrase', text: phrase };
      }
      if (roll < 0.85) {
        const other = pick(random, others);
        const otherPhase = pick(random, other.phases);
        const source = pick(random, otherPhase.languages[language].phrases).text;
        const text = withTypo(source, random);
        return text ? { kind: 'other-typo', text } : { kind: 'off-topic', text: source };
      }
      return { kind: 'off-topic', text: pick(random, offTopic) };
    },
  };
}

/** Every (scenario, language) pair, in a fixed order. */
const conversationPlan = (content) =>
  content.scenarios.flatMap((scenario) => LANGUAGES.map((language) => ({ scenario, language })));

// ---- 1. the reply ------------------------------------------------------------------------------------------------------

async function replyScenario(app, content, o) {
  const rssBefore = process.memoryUsage().rss;
  const spelling = new app.SpellingService(o.spelling ?? {});
  try {
    const idle = await spelling.stats(); // starts the worker, nothing loaded
    const loads = [];
    for (const language of LANGUAGES) {
      const [load] = await spelling.preload([language]);
      loads.push(load);
      o.log(`reply: loaded ${language} in ${load.loadMs} ms (+${mib(load.rssDeltaBytes)} MiB resident)`);
    }
    const loaded = await spelling.stats();
    const memory = {
      processRssBeforeWorkerBytes: rssBefore,
      processRssWorkerIdleBytes: idle.rssBytes,
      processRssAllLoadedBytes: loaded.rssBytes,
      dictionariesBytes: loaded.rssBytes - idle.rssBytes,
      workerHeapUsedBytes: loaded.heapUsedBytes,
      loads,
      loadMsTotal: loads.reduce((sum, l) => sum + l.loadMs, 0),
    };
    // The tutor's spelling checker, timed: how much of each reply is the spelling check (a diagnostic).
    let spellingMs = 0;
    const timedSpelling = {
      check: async (...args) => {
        const t0 = performance.now();
        try {
          return await spelling.check(...args);
        } finally {
          spellingMs = performance.now() - t0;
        }
      },
    };
    const tutor = new app.OfflineTutor({ spelling: timedSpelling });
    const plain = new app.OfflineTutor();

    // Warm-up (not measured): one conversation per language.
    for (const language of LANGUAGES) {
      await playService(tutor, content, content.scenarios[0], language, prng(o.seed - 1), o.maxTurns, () => {});
    }
    const before = loaded.suggest;
    const samples = [];
    const cpu = cpuMeter([]);
    // How late this thread's event loop ran what was due: the machine (or this process) keeping it from the CPU.
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    for (let round = 0; round < o.rounds; round++) {
      o.log(`reply: round ${round + 1} of ${o.rounds}, 150 conversations, one reply at a time`);
      for (const [i, { scenario, language }] of conversationPlan(content).entries()) {
        const random = prng(o.seed + round * 10_000 + i);
        await playService(tutor, content, scenario, language, random, o.maxTurns, (s) =>
          samples.push({ ...s, spellingMs }),
        );
      }
    }
    loopDelay.disable();
    const cpuShares = cpu.stop();
    const after = (await spelling.stats()).suggest;
    const reference = [];
    for (const [i, { scenario, language }] of conversationPlan(content).entries()) {
      await playService(plain, content, scenario, language, prng(o.seed + i), o.maxTurns, (s) => reference.push(s));
    }
    const byLanguage = groupSummary(samples, (s) => s.language, LANGUAGES);
    const worstLanguage = LANGUAGES.reduce((a, b) => (byLanguage[b].p99 > byLanguage[a].p99 ? b : a));
    const spellingCounts = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
    return {
      memory,
      reply: {
        overall: summary(samples.map((s) => s.ms)),
        byLanguage,
        worstLanguage,
        byKind: groupSummary(samples, (s) => s.kind, ['phrase', 'typo', 'other-typo', 'off-topic']),
        corrections: samples.reduce((sum, s) => sum + s.corrections, 0),
        spellingCheckMs: summary(samples.map((s) => s.spellingMs)),
        withoutSpelling: summary(reference.map((s) => s.ms)),
        spelling: spellingCounts,
        skippedWhileLoading: (await spelling.stats()).skippedWhileLoading,
        timedOut: (await spelling.stats()).timedOut,
        cpu: cpuShares,
        eventLoopDelayMs: {
          p50: loopDelay.percentile(50) / 1e6,
          p99: loopDelay.percentile(99) / 1e6,
          max: loopDelay.max / 1e6,
        },
      },
    };
  } finally {
    await spelling.close();
  }
}

async function playService(tutor, content, scenario, language, random, maxTurns, record) {
  const context = { mode: 'scenario', scenario, language, nativeLanguage: 'en', level: 'A2' };
  let turn = await tutor.open(context);
  const learner = scriptedLearner(content, scenario, language, random);
  for (let t = 0; t < maxTurns && !turn.state.completed; t++) {
    const message = learner.next(turn.state.phaseIndex);
    const t0 = performance.now();
    turn = await tutor.reply({ ...context, state: turn.state }, message.text);
    const ms = performance.now() - t0;
    record({ language, kind: message.kind, ms, corrections: turn.feedback.corrections.length });
  }
}

// ---- 2. HTTP turns ------------------------------------------------------------------------------------------------------

async function httpScenario(content, o) {
  const { seedUserWithToken } = await import('./seed.mjs');
  const database = tempSqlite('tutor-http');
  try {
    const { token } = await seedUserWithToken(database.url, 'tutor-http@example.com');
    const server = await startApp({ databaseUrl: database.url, name: 'app (offline tutor)' });
    try {
      const client = apiClient(server.url, token);
      const rssStarted = processRss(server.pid);
      // Warm-up: a message with typos in each language loads its dictionary (the app loads them on first use).
      for (const language of LANGUAGES) {
        const conversation = await client.start(content.scenarios[0].id, language);
        const phrase = content.scenarios[0].phases[0].languages[language].phrases[0].text;
        await client.say(conversation.id, withTypo(phrase, prng(o.seed)) ?? phrase);
      }
      const rssLoaded = processRss(server.pid);
      o.log(
        `http: app pid ${server.pid}, ${mib(rssStarted)} MiB resident at start, ${mib(rssLoaded)} MiB with the six dictionaries`,
      );
      const levels = [];
      for (const concurrency of o.httpConcurrency) {
        const samples = [];
        const plan = conversationPlan(content);
        let nextIndex = 0;
        const cpu = cpuMeter([server.pid]);
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (nextIndex < plan.length) {
              const i = nextIndex++;
              const { scenario, language } = plan[i];
              await playHttp(client, content, scenario, language, prng(o.seed + 50_000 + i), o.maxTurns, (s) =>
                samples.push(s),
              );
            }
          }),
        );
        const seconds = (performance.now() - t0) / 1000;
        levels.push({
          concurrency,
          turns: samples.length,
          turnsPerSecond: samples.length / seconds,
          overall: summary(samples.map((s) => s.ms)),
          byLanguage: groupSummary(samples, (s) => s.language, LANGUAGES),
          errors: samples.filter((s) => s.error).length,
          cpu: cpu.stop(seconds),
        });
        o.log(`http: ${concurrency} at once: ${samples.length} turns, p99 ${fmt(levels.at(-1).overall.p99)} ms`);
      }
      return { rssStartedBytes: rssStarted, rssLoadedBytes: rssLoaded, levels };
    } finally {
      await server.stop();
    }
  } finally {
    database.remove();
  }
}

function apiClient(url, token) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const post = async (path, body, extra = {}) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { ...headers, ...extra },
      body: JSON.stringify(body),
    });
    return res;
  };
  return {
    async start(scenarioId, language) {
      const res = await post('/api/conversations', { mode: 'scenario', scenarioId, language, level: 'A2' });
      if (res.status !== 201) throw new Error(`POST /api/conversations answered ${res.status}: ${await res.text()}`);
      return res.json();
    },
    async say(id, text) {
      const res = await post(`/api/conversations/${id}/messages`, { text });
      if (res.status !== 200) throw new Error(`POST …/messages answered ${res.status}: ${await res.text()}`);
      return res.json();
    },
    /** A message answered as Server-Sent Events: the time to the first `token` event and to the end. */
    async stream(id, text) {
      const t0 = performance.now();
      const res = await post(`/api/conversations/${id}/messages`, { text }, { accept: 'text/event-stream' });
      if (res.status !== 200) throw new Error(`POST …/messages (SSE) answered ${res.status}: ${await res.text()}`);
      const decoder = new TextDecoder();
      let body = '';
      let ttft = null;
      for await (const chunk of res.body) {
        body += decoder.decode(chunk, { stream: true });
        if (ttft === null && body.includes('event: token\n')) ttft = performance.now() - t0;
      }
      const totalMs = performance.now() - t0;
      const events = body
        .split('\n\n')
        .filter((b) => b.trim())
        .map((b) => ({
          event: /^event: (.*)$/m.exec(b)?.[1],
          data: JSON.parse(/^data: (.*)$/m.exec(b)?.[1] ?? 'null'),
        }));
      const done = events.find((e) => e.event === 'done');
      return { ttft, totalMs, done: done?.data ?? null, error: events.find((e) => e.event === 'error')?.data ?? null };
    },
  };
}

async function playHttp(client, content, scenario, language, random, maxTurns, record) {
  const conversation = await client.start(scenario.id, language);
  const learner = scriptedLearner(content, scenario, language, random);
  let phaseIndex = 0;
  for (let t = 0; t < maxTurns; t++) {
    const message = learner.next(phaseIndex);
    const t0 = performance.now();
    try {
      const turn = await client.say(conversation.id, message.text);
      record({ language, kind: message.kind, ms: performance.now() - t0 });
      phaseIndex = turn.progress.phaseIndex;
      if (turn.progress.completed) return;
    } catch (err) {
      record({ language, kind: message.kind, ms: performance.now() - t0, error: err.message });
      return;
    }
  }
}

// ---- 3. SSE time to first token -----------------------------------------------------------------------------------------

async function sseScenario(content, o) {
  const { seedUserWithToken } = await import('./seed.mjs');
  const fake = await startFake(o);
  const database = tempSqlite('tutor-sse');
  try {
    const { token } = await seedUserWithToken(database.url, 'tutor-sse@example.com');
    const server = await startApp({
      databaseUrl: database.url,
      name: 'app (LLM tutor)',
      env: {
        OPENAI_API_KEY: 'bench-key',
        OPENAI_BASE_URL: `${fake.url}/v1`,
        OPENAI_MODEL: MODEL,
        OPENAI_PRICE_PER_MTOK: '0.4,1.6',
      },
    });
    try {
      o.log(`sse: fake provider pid ${fake.pid} (first token after ${o.firstTokenDelayMs} ms), app pid ${server.pid}`);
      const client = apiClient(server.url, token);
      // Warm-up: loads every dictionary (the LLM tutor runs the offline analysis, spelling included, first).
      for (const language of LANGUAGES) {
        const conversation = await client.start(content.scenarios[0].id, language);
        const phrase = content.scenarios[0].phases[0].languages[language].phrases[0].text;
        const answer = await client.stream(conversation.id, withTypo(phrase, prng(o.seed)) ?? phrase);
        if (answer.done?.tutorMessage?.engine !== 'llm')
          throw new Error(
            `sse: the warm-up was not answered by the LLM tutor: ${JSON.stringify(answer).slice(0, 300)}`,
          );
      }
      const levels = [];
      for (const concurrency of o.sseConcurrency) {
        const direct = await directTtft(fake.url, concurrency, o.sseMessages);
        const samples = [];
        let failures = 0;
        let offline = 0;
        const perConversation = Math.ceil(o.sseMessages / concurrency); // messages per slot
        const plan = conversationPlan(content);
        const cpu = cpuMeter([server.pid, fake.pid]);
        const t0 = performance.now();
        let started = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async (_, slot) => {
            // Each slot: conversations one after another (a scenario in a language, at most maxTurns messages
            // each, one at a time), until the slot has sent its share.
            let sent = 0;
            while (sent < perConversation) {
              const { scenario, language } = plan[(started++ * 7 + slot) % plan.length];
              const conversation = await client.start(scenario.id, language);
              const learner = scriptedLearner(content, scenario, language, prng(o.seed + 90_000 + started));
              let phaseIndex = 0;
              for (let m = 0; m < o.maxTurns && sent < perConversation; m++) {
                sent++;
                const message = learner.next(phaseIndex);
                try {
                  const answer = await client.stream(conversation.id, message.text);
                  if (answer.error || !answer.done) throw new Error(JSON.stringify(answer.error));
                  if (answer.done.tutorMessage.engine !== 'llm') offline++;
                  samples.push({ ttft: answer.ttft, total: answer.totalMs });
                  phaseIndex = answer.done.progress?.phaseIndex ?? phaseIndex;
                  if (answer.done.progress?.completed) break;
                } catch (err) {
                  failures++;
                  if (failures <= 3) o.log(`sse: a stream failed: ${err.message}`);
                }
              }
            }
          }),
        );
        const seconds = (performance.now() - t0) / 1000;
        levels.push({
          concurrency,
          messages: samples.length,
          failures,
          answeredOffline: offline,
          ttft: summary(samples.map((s) => s.ttft)),
          total: summary(samples.map((s) => s.total)),
          direct,
          cpu: cpu.stop(seconds),
        });
        o.log(
          `sse: ${concurrency} at once: TTFT p50 ${fmt(levels.at(-1).ttft.p50)} p99 ${fmt(levels.at(-1).ttft.p99)} ms (fake alone p99 ${fmt(direct.p99)} ms)`,
        );
      }
      return { firstTokenDelayMs: o.firstTokenDelayMs, tokenDelayMs: o.tokenDelayMs, levels };
    } finally {
      await server.stop();
    }
  } finally {
    database.remove();
    await fake.stop();
  }
}

/** The fake's own time to first token: `count` streaming requests, `concurrency` at a time, straight to it. */
async function directTtft(url, concurrency, count) {
  const body = JSON.stringify({
    model: MODEL,
    stream: true,
    messages: [{ role: 'user', content: 'Hola' }],
  });
  const one = async () => {
    const t0 = performance.now();
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
      body,
    });
    const decoder = new TextDecoder();
    let text = '';
    let ttft = null;
    for await (const chunk of res.body) {
      text += decoder.decode(chunk, { stream: true });
      if (ttft === null && text.includes('"content":"')) ttft = performance.now() - t0;
    }
    return ttft;
  };
  const samples = [];
  let left = count;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) samples.push(await one());
    }),
  );
  return summary(samples);
}

/**
 * The protocol fake in a child process (through tsx: it is test code, not part of dist/): streamed requests get the
 * tutor's reply, the structured feedback call gets valid (empty) feedback JSON.
 */
function startFake(o) {
  const code = `
    const { FakeLlmServer } = await import(${JSON.stringify(pathToFileURL(FAKE_SERVER).href)});
    const streamed = { text: ${JSON.stringify(LLM_REPLY)}, firstTokenDelayMs: ${Number(o.firstTokenDelayMs)}, tokenDelayMs: ${Number(o.tokenDelayMs)} };
    const feedback = { text: ${JSON.stringify(LLM_FEEDBACK)} };
    const fake = await FakeLlmServer.start({ port: 0, defaultReply: (request) => (request.body?.stream === true ? streamed : feedback) });
    // The fake records every request; the benchmark sends thousands.
    setInterval(() => { fake.requests.length = 0; }, 1000).unref();
    console.log('fake-llm listening on ' + fake.url);
    const stop = () => void fake.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  `;
  return startFakeLlm(['--import', 'tsx', '--input-type=module', '-e', code], ROOT);
}

// ---- 4. the suggesters ----------------------------------------------------------------------------------------------------

async function suggesterScenario(app, content, o) {
  // No cache: a remembered answer would take no time.
  const host = new app.SpellHost({ cacheEntries: 0 });
  const results = {};
  const random = prng(o.seed + 777);
  for (const language of LANGUAGES) {
    await host.load([language]);
    const words = [
      ...new Set(
        content.scenarios.flatMap((s) =>
          s.phases.flatMap((p) => p.languages[language].phrases.flatMap((ph) => ph.text.match(/\p{L}{4,}/gu) ?? [])),
        ),
      ),
    ];
    const rows = [];
    while (rows.length < o.compareWords) {
      const word = pick(random, words);
      const wrong = typo(word, random);
      if (!wrong || (await host.check(language, [wrong]))[0]) continue;
      const t0 = performance.now();
      const [hunspell] = await host.suggest(language, [wrong]);
      const t1 = performance.now();
      const ours = await searchOnce(app, host, language, wrong);
      const budgeted = await searchOnce(app, host, language, wrong, app.preciseNow() + 10);
      const budgeted5 = await searchOnce(app, host, language, wrong, app.preciseNow() + 5);
      rows.push({
        word,
        wrong,
        hunspell: { ms: t1 - t0, first: app.bestSuggestion(wrong, hunspell) },
        ours: { ms: ours.ms, first: app.bestSuggestion(wrong, ours.words) },
        budgeted: { ms: budgeted.ms, first: app.bestSuggestion(wrong, budgeted.words) },
        budgeted5: { ms: budgeted5.ms, first: app.bestSuggestion(wrong, budgeted5.words) },
      });
    }
    const right = (key) =>
      rows.filter((r) => r[key].first?.toLowerCase() === r.word.toLowerCase()).length / rows.length;
    results[language] = {
      words: rows.length,
      hunspell: { ...summary(rows.map((r) => r.hunspell.ms)), intendedFirst: right('hunspell') },
      ours: { ...summary(rows.map((r) => r.ours.ms)), intendedFirst: right('ours') },
      oursIn10ms: { ...summary(rows.map((r) => r.budgeted.ms)), intendedFirst: right('budgeted') },
      oursIn5ms: { ...summary(rows.map((r) => r.budgeted5.ms)), intendedFirst: right('budgeted5') },
      examples: rows
        .slice(0, 5)
        .map((r) => `${r.word} → ${r.wrong}: Hunspell ${r.hunspell.first}, ours ${r.ours.first}`),
    };
    o.log(
      `suggesters: ${language}: Hunspell p50 ${fmt(results[language].hunspell.p50)} ms, ours ${fmt(results[language].ours.p50)} ms`,
    );
  }
  return results;
}

/** One search of our suggester for one word (the host keeps no cache here, so every search is made). */
async function searchOnce(app, host, language, wrong, deadline) {
  const t0 = performance.now();
  const [words] = await host.correct({ language, words: [[wrong]], deadline, minChecks: 200 });
  return { ms: performance.now() - t0, words };
}

// ---- figures ---------------------------------------------------------------------------------------------------------

function groupSummary(samples, keyOf, keys) {
  return Object.fromEntries(keys.map((k) => [k, summary(samples.filter((s) => keyOf(s) === k).map((s) => s.ms))]));
}

/**
 * CPU used while measuring, in shares of one core: this process (clients, and in part 1 the tutor and its worker),
 * the child processes measured, and everything else on the machine — other programs competing for the 2 cores.
 */
function cpuMeter(pids) {
  const own = process.cpuUsage();
  const kids = pids.map(processCpu);
  const all = machineCpu();
  const t0 = performance.now();
  return {
    stop(seconds = (performance.now() - t0) / 1000) {
      const ownUsage = process.cpuUsage(own);
      const mine = (ownUsage.user + ownUsage.system) / 1e6;
      const kidsAfter = pids.map(processCpu);
      const children = kidsAfter.reduce((sum, v, i) => (v === null || kids[i] === null ? sum : sum + v - kids[i]), 0);
      const allAfter = machineCpu();
      const share = (v) => (v === null ? null : Number((v / seconds).toFixed(3)));
      return {
        benchProcess: share(mine),
        measuredChildren: share(children),
        others:
          all && allAfter
            ? share(Math.max(0, allAfter.user + allAfter.system - all.user - all.system - mine - children))
            : null,
        steal: all && allAfter ? share(allAfter.steal - all.steal) : null,
      };
    },
  };
}

const cpuLine = (c) =>
  `CPU while measuring (share of one core): bench process ${pct(c.benchProcess)}, measured children ${pct(c.measuredChildren)}, other programs ${pct(c.others)}, steal ${pct(c.steal)}`;

/** The result as the tables `node bench/tutor.mjs` prints. */
export function formatTutorResult(result) {
  const out = [];
  const row = (label, v) => [label, int(v.n), fmt(v.p50), fmt(v.p95), fmt(v.p99), fmt(v.max)];
  const header = ['', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
  const m = result.memory;
  if (m) {
    out.push('\nDictionaries (hunspell-asm, one worker thread), loaded one after the other:');
    out.push(
      table(
        ['language', 'load ms', 'resident MiB'],
        [
          ...m.loads.map((l) => [l.language, int(l.loadMs), mib(l.rssDeltaBytes)]),
          ['all six', int(m.loadMsTotal), mib(m.dictionariesBytes)],
        ],
      ),
    );
    out.push(
      `process resident: ${mib(m.processRssBeforeWorkerBytes)} MiB before the worker, ${mib(m.processRssWorkerIdleBytes)} MiB with it idle, ${mib(m.processRssAllLoadedBytes)} MiB with all six loaded`,
    );
  }
  const r = result.reply;
  if (r) {
    out.push('\nOffline tutor reply (OfflineTutor.reply with spelling, dictionaries loaded, one at a time):');
    out.push(
      table(header, [
        row('all replies', r.overall),
        ...LANGUAGES.map((l) => row(`  ${l}`, r.byLanguage[l])),
        ...Object.entries(r.byKind).map(([k, v]) => row(`  message: ${k}`, v)),
        row('  of which the spelling check', r.spellingCheckMs),
        row('without spelling (reference)', r.withoutSpelling),
      ]),
    );
    const s = r.spelling;
    out.push(
      `${int(r.corrections)} corrections; suggestion searches: ${int(s.words)} words (${int(s.cacheHits)} from the cache), ${int(s.cutShort)} messages cut short by the budget leaving ${int(s.incompleteWords)} words incomplete; ${r.timedOut} waits timed out, ${r.skippedWhileLoading} skipped`,
    );
    out.push(
      `${cpuLine(r.cpu)}; event-loop delay p99 ${fmt(r.eventLoopDelayMs.p99)} ms, max ${fmt(r.eventLoopDelayMs.max)} ms`,
    );
  }
  const h = result.http;
  if (h) {
    out.push(
      `\nHTTP turn: JSON POST /api/conversations/:id/messages, built app in a child process, SQLite, offline tutor (${mib(h.rssStartedBytes)} MiB resident at start, ${mib(h.rssLoadedBytes)} MiB with the six dictionaries):`,
    );
    out.push(
      table(
        [...header, 'turns/s'],
        h.levels.map((l) => [...row(`${l.concurrency} conversation(s) at once`, l.overall), int(l.turnsPerSecond)]),
      ),
    );
    for (const l of h.levels) out.push(`${l.concurrency} at once: ${l.errors} errors; ${cpuLine(l.cpu)}`);
  }
  const e = result.sse;
  if (e) {
    out.push(
      `\nSSE time to first token through the whole stack (fake LLM: first token ${e.firstTokenDelayMs} ms after the headers):`,
    );
    out.push(
      table(
        header,
        e.levels.flatMap((l) => [
          row(`${l.concurrency} at once: first token event`, l.ttft),
          row(`${l.concurrency} at once: whole reply (done)`, l.total),
          row(`${l.concurrency} at once: the fake alone (TTFT)`, l.direct),
        ]),
      ),
    );
    for (const l of e.levels)
      out.push(
        `${l.concurrency} at once: ${l.failures} failed, ${l.answeredOffline} answered offline; ${cpuLine(l.cpu)}`,
      );
  }
  const g = result.suggesters;
  if (g) {
    out.push('\nSuggesters on typos of the catalogue’s words (ms per word; intended word first):');
    out.push(
      table(
        ['language', 'Hunspell p50', 'p99', 'right', 'ours p50', 'p99', 'right', 'in 10 ms: right', 'in 5 ms'],
        Object.entries(g).map(([language, v]) => [
          language,
          fmt(v.hunspell.p50),
          fmt(v.hunspell.p99),
          pct(v.hunspell.intendedFirst),
          fmt(v.ours.p50),
          fmt(v.ours.p99),
          pct(v.ours.intendedFirst),
          pct(v.oursIn10ms.intendedFirst),
          pct(v.oursIn5ms.intendedFirst),
        ]),
      ),
    );
  }
  out.push(
    `\nload average at start ${result.machine.loadAverageAtStart.join(' ')}, at end ${result.machine.loadAverageAtEnd?.join(' ')}`,
  );
  for (const target of result.targets)
    out.push(`${target.pass ? 'PASS' : 'FAIL'}  ${target.target}: ${target.measured}`);
  return out.join('\n');
}

// ---- run alone ---------------------------------------------------------------------------------------------------------

function optionsFromEnv(env) {
  const number = (name, fallback, min) => numberFromEnv(env, name, fallback, min);
  const options = {
    rounds: number('BENCH_TUTOR_ROUNDS', DEFAULT_OPTIONS.rounds, 1),
    sseMessages: number('BENCH_TUTOR_SSE_MESSAGES', DEFAULT_OPTIONS.sseMessages, 1),
    compareWords: number('BENCH_TUTOR_COMPARE_WORDS', DEFAULT_OPTIONS.compareWords, 1),
  };
  if (env.BENCH_TUTOR_ONLY) options.only = env.BENCH_TUTOR_ONLY.split(',').map((s) => s.trim());
  const unknown = (options.only ?? []).filter((s) => !DEFAULT_OPTIONS.only.includes(s));
  if (unknown.length) throw new Error(`BENCH_TUTOR_ONLY: unknown part ${unknown.join(', ')}`);
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureServerBuilt();
  const options = optionsFromEnv(process.env);
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const name = (process.env.BENCH_NAME || `tutor-${stamp}`).replace(/[^\w.-]/g, '_');
  const result = await runTutorBench(options);
  console.log(formatTutorResult(result));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ name, ...result }, null, 2)}\n`);
  console.log(`wrote ${file} (${result.totalSeconds.toFixed(0)} s in all)`);
}
