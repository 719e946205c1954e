// The review scenarios of `npm run bench` (issue 3, FSRS review):
//   queue      GET /api/review/queue?limit=50 for a learner with 100,000 cards and 1,000,000 review logs
//   answer     POST /api/review/answers, every request a real answer to a different due card of that learner
//   optimizer  the FSRS optimiser job (POST /api/review/optimize → done) on a 100,000-review history
//   quality    log loss and RMSE(bins) of default, fitted and true FSRS parameters and of SM-2 on a synthetic
//              history drawn from known parameters (bench/review-quality.mjs)
// queue and answer share one seeded database (bench/seed-review.mjs); each is measured at the bench's connection
// count and from one connection.
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { computeParameters, FSRSBinding, FSRSBindingItem, FSRSBindingReview } from '@open-spaced-repetition/binding';
import { default_w } from 'ts-fsrs';
import { timeSeriesSplit, trainingItems } from '../dist/server/modules/optimizer/histories.js';
import { measure } from './load.mjs';
import {
  fsrsPredictions,
  logLoss,
  rmseBins,
  simulateLearner,
  sm2Predictions,
  TRUE_PARAMETERS,
} from './review-quality.mjs';
import { seedUserWithToken } from './seed.mjs';
import { tempSqlite } from './figures.mjs';
import { explainQueueQueries, REVIEW_SEED, seedReviewHistory } from './seed-review.mjs';
import { startApp } from './servers.mjs';

export const REVIEW_TARGETS = { queueP99Ms: 50, answerP99Ms: 10, optimizerSeconds: 30 };
const QUEUE_PATH = '/api/review/queue?limit=50';
const OPTIMIZER_REVIEWS = 100_000;
const log = (message) => console.log(`[bench] ${message}`);
const json = { 'content-type': 'application/json' };

/** Seeds the heavy learner once and runs the `queue` and/or `answer` scenarios against one app server. */
export async function queueAndAnswerScenarios({ settings, nodeArgs, queue, answer }) {
  const database = tempSqlite('review');
  try {
    const { userId, token } = await seedUserWithToken(database.url);
    log(
      `review: seeding ${REVIEW_SEED.cards.toLocaleString('en')} cards and ${REVIEW_SEED.logs.toLocaleString('en')} review logs for one learner into ${database.file} …`,
    );
    const seeded = seedReviewHistory(database.file, { userId });
    const fileBytes = statSync(database.file).size;
    const plans = explainQueueQueries(database.file, userId);
    log(
      `review: seeded in ${seeded.seconds.toFixed(1)} s (${(fileBytes / 2 ** 20).toFixed(0)} MiB): ${JSON.stringify(seeded.cardsByState)}, ${seeded.dueReviewCards.toLocaleString('en')} due review cards`,
    );
    for (const [query, plan] of Object.entries(plans)) log(`review: plan of ${query}: ${plan}`);
    const { dueReviewIds, ...seeding } = seeded;

    const server = await startApp({ databaseUrl: database.url, nodeArgs });
    try {
      const headers = { authorization: `Bearer ${token}` };
      const results = {};
      if (queue) Object.assign(results, await queueScenario(server, headers, settings));
      if (answer) Object.assign(results, await answerScenario(server, headers, settings, dueReviewIds));
      return { results, seeding: { ...seeding, fileBytes, queryPlans: plans } };
    } finally {
      await server.stop();
    }
  } finally {
    database.remove();
  }
}

async function queueScenario(server, headers, settings) {
  const url = `${server.url}${QUEUE_PATH}`;
  const res = await fetch(url, { headers });
  const page = await res.json();
  const states = new Set(page.items?.map((item) => item.card.state));
  // The check that the request measured is the expensive one: a full page with learning AND review cards (so
  // the scan ordering up to 5,000 due review cards by overdueness ran), previews for each.
  if (res.status !== 200 || page.items.length !== 50 || !states.has('review') || !page.items[0].previews?.good) {
    throw new Error(
      `GET ${QUEUE_PATH} answered ${res.status} with an unexpected queue: ${JSON.stringify(page).slice(0, 300)}`,
    );
  }
  log(`queue: GET ${QUEUE_PATH} (counts ${JSON.stringify(page.counts)}) on ${server.url}`);
  const queueLoad = await measure({ url, ...settings, server, options: { headers } });
  log('queue: the same request from 1 connection (one learner, no queueing)');
  const queueOne = await measure({ url, ...settings, connections: 1, server, options: { headers } });
  return { queue: { ...queueOne, counts: page.counts }, queueLoad };
}

/**
 * Answers due review cards, each request a different card (in due order, from the seeding) with a fresh answerId:
 * real reviews that write a log row, move the card and count in the learning session, never idempotent replays.
 * Ratings are drawn as a learner's are (Again 10 %, Hard 5 %, Good 75 %, Easy 10 %) from a seeded PRNG.
 */
async function answerScenario(server, headers, settings, dueReviewIds) {
  let next = 0;
  let reused = 0;
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const body = () => {
    if (next >= dueReviewIds.length) reused++;
    const cardId = dueReviewIds[next++ % dueReviewIds.length];
    const u = random();
    const rating = u < 0.1 ? 'again' : u < 0.15 ? 'hard' : u < 0.9 ? 'good' : 'easy';
    return JSON.stringify({ answerId: randomUUID(), cardId, rating, durationMs: 4000 });
  };
  const answerHeaders = { ...headers, ...json };
  const first = await fetch(`${server.url}/api/review/answers`, {
    method: 'POST',
    headers: answerHeaders,
    body: body(),
  });
  const answered = await first.json();
  if (first.status !== 200 || answered.reps < 1 || Date.parse(answered.due) <= Date.now()) {
    throw new Error(`POST /api/review/answers answered ${first.status}: ${JSON.stringify(answered).slice(0, 300)}`);
  }
  const requests = [{ method: 'POST', path: '/api/review/answers', setupRequest: (req) => ({ ...req, body: body() }) }];
  const options = { headers: answerHeaders, requests };
  const url = server.url;
  log(
    `answer: POST /api/review/answers, a different due card each time (${dueReviewIds.length.toLocaleString('en')} available), 1 connection`,
  );
  const before = next;
  const answerOne = await measure({ url, ...settings, connections: 1, server, options });
  const oneCards = next - before;
  log(`answer: the same at ${settings.connections} connections`);
  const answerLoad = await measure({ url, ...settings, server, options });
  return {
    answer: { ...answerOne, distinctCardsAnswered: oneCards },
    answerLoad: { ...answerLoad, distinctCardsAnswered: next - before - oneCards, cardsReused: reused },
  };
}

/**
 * The optimiser through the app: a learner whose log holds 100,000 reviews of the synthetic learner, POST
 * /api/review/optimize, then the status polled every 100 ms until the job is done. The job's own start and finish
 * times (set by the server) give its duration: reading the log, building the items, fitting on the earlier 80 %,
 * evaluating defaults and fit on the later 20 %, and (when adopted) fitting again on all of them and saving.
 */
export async function optimizerScenario({ nodeArgs }) {
  const database = tempSqlite('optimizer');
  try {
    const { userId, token } = await seedUserWithToken(database.url);
    const sim = simulateLearner({ reviews: OPTIMIZER_REVIEWS, seed: 11 });
    writeSimulatedLog(database.file, userId, sim.logs);
    const { items } = trainingItems(sim.logs);
    log(
      `optimizer: ${sim.reviews.toLocaleString('en')} reviews of ${sim.cards.toLocaleString('en')} cards (${items.length.toLocaleString('en')} training items)`,
    );
    const server = await startApp({ databaseUrl: database.url, nodeArgs });
    try {
      const headers = { authorization: `Bearer ${token}` };
      const wallStart = performance.now();
      const started = await fetch(`${server.url}/api/review/optimize`, { method: 'POST', headers });
      if (started.status !== 202)
        throw new Error(`POST /api/review/optimize answered ${started.status}: ${await started.text()}`);
      const cpuBefore = server.cpuSeconds();
      let job;
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = (await (await fetch(`${server.url}/api/review/optimize/status`, { headers })).json()).job;
        if (!['queued', 'running'].includes(job.status)) break;
      }
      const wallSeconds = (performance.now() - wallStart) / 1000;
      const cpuAfter = server.cpuSeconds();
      if (job.status !== 'done') throw new Error(`the optimiser job ended ${job.status}: ${job.message}`);
      const seconds = (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000;
      return {
        optimizer: {
          seconds,
          wallSeconds,
          serverCpuSeconds:
            cpuBefore && cpuAfter ? cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system : null,
          reviews: job.result.reviews,
          cards: sim.cards,
          items: items.length,
          adopted: job.result.adopted,
          defaultMetrics: job.result.defaultMetrics,
          fittedMetrics: job.result.fittedMetrics,
        },
      };
    } finally {
      await server.stop();
    }
  } finally {
    database.remove();
  }
}

/** Writes the simulated learner's cards and review log for `userId`, as the app would have recorded them. */
function writeSimulatedLog(file, userId, logs) {
  const sqlite = new SQLite(file);
  try {
    sqlite.pragma('journal_mode = OFF');
    sqlite.pragma('synchronous = OFF');
    const insertCard = sqlite.prepare(
      `insert into cards (id, user_id, language, term, term_key, translation, tags, source, search_text, state, due,
         created_at, updated_at)
       values (?, ?, 'es', ?, ?, ?, '[]', 'manual', ?, 'review', ?, ?, ?)`,
    );
    const insertLog = sqlite.prepare(
      `insert into review_logs (id, user_id, card_id, answer_id, seq, language, rating, state_before, elapsed_days,
         scheduled_days, reviewed_at, duration_ms, card_before, card_after, learning_session_id)
       values (?, ?, ?, ?, ?, 'es', ?, ?, 0, 0, ?, 3000, '{}', '{}', null)`,
    );
    const bySeq = [...logs].sort((a, b) => a.at - b.at);
    sqlite.transaction(() => {
      for (const entry of logs) {
        if (entry.state_before !== 'new') continue;
        const term = entry.card_id;
        insertCard.run(
          entry.card_id,
          userId,
          term,
          term,
          term,
          term,
          entry.reviewed_at,
          entry.reviewed_at,
          entry.reviewed_at,
        );
      }
      bySeq.forEach((entry, i) =>
        insertLog.run(
          randomUUID(),
          userId,
          entry.card_id,
          randomUUID(),
          i + 1,
          entry.rating,
          entry.state_before,
          entry.reviewed_at,
        ),
      );
    })();
    sqlite.pragma('journal_mode = WAL');
  } finally {
    sqlite.close();
  }
}

/**
 * Prediction quality on the synthetic learner's history, through the optimiser's own steps: trainingItems and
 * timeSeriesSplit (from the built app) and computeParameters with the options OptimizerService uses. Every row is
 * scored on the same later 20 % of the items by logLoss and rmseBins (bench/review-quality.mjs); the FSRS rows also
 * carry FSRSBinding#evaluate's figures, which the optimiser job reports.
 */
export async function qualityScenario() {
  const started = performance.now();
  const sim = simulateLearner({ reviews: OPTIMIZER_REVIEWS, seed: 23 });
  const { items, reviews } = trainingItems(sim.logs);
  const { train, test } = timeSeriesSplit(items);
  const toBinding = (list) =>
    list.map((item) => new FSRSBindingItem(item.reviews.map((r) => new FSRSBindingReview(r.rating, r.deltaT))));
  const testSet = toBinding(test);
  const fitStarted = performance.now();
  const fitted = await computeParameters(toBinding(train), { enableShortTerm: true });
  const fitSeconds = (performance.now() - fitStarted) / 1000;

  const fsrsRow = (label, parameters) => {
    const predictions = fsrsPredictions(test, parameters);
    const binding = new FSRSBinding([...parameters]).evaluate(testSet);
    return {
      model: label,
      logLoss: logLoss(test, predictions),
      rmseBins: rmseBins(test, predictions),
      binding: { logLoss: binding.logLoss, rmseBins: binding.rmseBins },
    };
  };
  const sm2 = sm2Predictions(test);
  const rows = [
    fsrsRow('FSRS-6 default parameters', default_w),
    fsrsRow('FSRS-6 fitted on the earlier 80 %', fitted),
    fsrsRow('FSRS-6 true parameters (reference)', TRUE_PARAMETERS),
    {
      model: 'SM-2, R = 0.9^(t / interval)',
      logLoss: logLoss(test, sm2),
      rmseBins: rmseBins(test, sm2),
      binding: null,
    },
  ];
  const recalled = test.filter((item) => item.reviews.at(-1).rating > 1).length;
  return {
    quality: {
      seconds: (performance.now() - started) / 1000,
      fitSeconds,
      history: {
        cards: sim.cards,
        reviews,
        from: sim.from,
        to: sim.to,
        items: items.length,
        train: train.length,
        test: test.length,
      },
      testRecallRate: recalled / test.length,
      rows,
      parameters: { true: [...TRUE_PARAMETERS], fitted, default: [...default_w] },
    },
  };
}
