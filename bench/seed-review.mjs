// Seeding for the review scenarios: one heavy learner with 100,000 cards and 1,000,000 review-log rows, written
// with raw prepared statements in big transactions into a database migrated by the built app (the learner and
// its API token come from bench/seed.mjs's seedUserWithToken, i.e. from the built AuthService).
//
// The shape, chosen to make the queue do all of its work rather than its cheapest path:
// - 8 % new cards (created in the last 60 days), 30 learning and 20 relearning cards (a sitting in progress, most
//   of them due), the rest in review, 0.5 % of those suspended; terms spread over two languages (80 % es, 20 % fr).
// - A review card's interval is log-uniform between 30 and 730 days and a quarter of the review cards are overdue
//   (by up to a quarter of their interval): about 23,000 due review cards, so the queue reads its whole scan cap
//   (REVIEW_SCAN_LIMIT = 5,000) to order them by overdueness, and the answer scenario has a distinct due card for
//   every request it sends.
// - The learner has raised the daily review cap to 9,999 (the default 200 would leave the queue showing no review
//   cards after 200 answers, which is not what a learner with 100,000 cards sets).
// - 1,000,000 answers over three years, about 11 per reviewed card (older cards more), each card's answers spaced
//   ever wider up to its last review; rows go in in time order with `seq` following time, as real answers do.
import SQLite from 'better-sqlite3';
import { prng } from './figures.mjs';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const HISTORY_DAYS = 3 * 365;
const RATINGS = ['again', 'hard', 'good', 'easy'];
/**
 * Review intervals are log-uniform in [30, 730] days: a mature collection. Then the mean of 1/interval is 0.01, so
 * 92,000 review cards come due at about 900 a day, which is what 1,000,000 answers over three years amount to.
 */
const MIN_INTERVAL_DAYS = 30;
const MAX_INTERVAL_DAYS = 730;

export const REVIEW_SEED = {
  cards: 100_000,
  logs: 1_000_000,
  newShare: 0.08,
  learning: 30,
  relearning: 20,
  suspendedShare: 0.005,
  overdueShare: 0.25,
  maxReviewsPerDay: 9999,
};

/** A rating drawn as a learner's answers are spread: mostly Good, some Again, few Hard or Easy. */
function drawRating(random) {
  const u = random();
  return u < 0.1 ? 'again' : u < 0.15 ? 'hard' : u < 0.9 ? 'good' : 'easy';
}

// Two million ids and four million timestamps are formatted here: Date#toISOString and the toString(16) UUIDs of
// bench/seed.mjs would take 12 s of the seeding between them, these take a fraction of that.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (x) => HEX[x >>> 24] + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255];

/** A v4-shaped UUID from the PRNG, like the app's randomUUID() ids but reproducible. */
function uuid(random) {
  const b = hex32((random() * 2 ** 32) >>> 0);
  const c = (random() * 2 ** 32) >>> 0;
  const ch = hex32(c);
  return `${hex32((random() * 2 ** 32) >>> 0)}-${b.slice(0, 4)}-4${b.slice(5)}-${'89ab'[c >>> 30]}${ch.slice(1, 4)}-${ch.slice(4)}${hex32((random() * 2 ** 32) >>> 0)}`;
}

/**
 * A time-ordered UUID (the UUIDv7 layout: 48 bits of Unix milliseconds, then random bits) for the review-log
 * rows. Appending to the primary-key index instead of splitting it at random saves a third of the seeding time;
 * no measured query reads review_logs by id.
 */
function timeOrderedUuid(ms, random) {
  const t = Math.floor(ms);
  const high = Math.floor(t / 2 ** 16);
  const b = hex32((random() * 2 ** 32) >>> 0);
  const c = (random() * 2 ** 32) >>> 0;
  const ch = hex32(c);
  return `${hex32(high >>> 0)}-${HEX[(t >>> 8) & 255]}${HEX[t & 255]}-7${b.slice(1, 4)}-${'89ab'[c >>> 30]}${ch.slice(1, 4)}-${ch.slice(4)}${b.slice(4)}${HEX[(c >>> 8) & 255]}${HEX[c & 255]}`;
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefix = new Map();
/** `new Date(ms).toISOString()`, with the date part cached per day. */
function iso(ms) {
  const whole = Math.floor(ms);
  const day = Math.floor(whole / DAY_MS);
  let prefix = dayPrefix.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefix.set(day, prefix);
  }
  const t = whole - day * DAY_MS;
  return `${prefix}${PAD2[Math.floor(t / 3_600_000)]}:${PAD2[Math.floor(t / 60_000) % 60]}:${PAD2[Math.floor(t / 1000) % 60]}.${PAD3[t % 1000]}Z`;
}

/**
 * Runs `fill` with the indexes whose keys arrive in ascending order dropped, then recreates them from their own
 * definitions (as the migrations made them): building such an index once from sorted rows gives the same packed
 * pages as appending to it row by row, in a fraction of the time. Indexes whose keys arrive in random order (an
 * answer's id, its card, a card's due time) stay in place while the rows go in, so their pages split and fill
 * about two-thirds as they do in a database that grew by use. Rebuilt from sorted rows they would be packed full,
 * and every answer measured afterwards would split pages of several of them: 34 pages written per answer instead
 * of about 15, and a WAL checkpoint twice as often.
 */
function withAppendOnlyIndexesRebuilt(sqlite, names, fill) {
  const indexes = sqlite
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and name in (${names.map(() => '?').join(', ')})`,
    )
    .all(...names);
  if (indexes.length !== names.length) throw new Error(`expected the indexes ${names.join(', ')} in the schema`);
  for (const { name } of indexes) sqlite.exec(`drop index "${name}"`);
  fill();
  for (const { sql } of indexes) sqlite.exec(sql);
}

/** The memory-state JSON the app stores in review_logs.card_before / card_after (see review.service.ts memoryOf). */
function memoryJson(state, dueMs, stability, difficulty, elapsedDays, scheduledDays, reps, lapses, lastMs) {
  return (
    `{"state":"${state}","due":"${iso(dueMs)}","stability":${stability},"difficulty":${difficulty},` +
    `"elapsed_days":${elapsedDays},"scheduled_days":${scheduledDays},"learning_steps":0,"reps":${reps},` +
    `"lapses":${lapses},"last_reviewed_at":${lastMs === null ? 'null' : `"${iso(lastMs)}"`}}`
  );
}

/**
 * Seeds the learner `userId` (already in `file`, with its token) as described at the top of this file. Answers
 * counts, the time taken, and the ids of the due review cards in due order (for the answer scenario).
 */
export function seedReviewHistory(file, { userId, now = Date.now(), seed = 7, ...overrides }) {
  const config = { ...REVIEW_SEED, ...overrides };
  const started = performance.now();
  const random = prng(seed);
  const sqlite = new SQLite(file);
  try {
    sqlite.pragma('journal_mode = OFF');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -1048576');
    if (!sqlite.prepare('select 1 from users where id = ?').get(userId))
      throw new Error(`learner ${userId} is not in ${file}`);

    sqlite
      .prepare(
        `insert into review_settings (user_id, desired_retention, new_per_day, max_reviews_per_day, learning_steps,
           relearning_steps, day_boundary_hour, parameters, updated_at)
         values (?, 0.9, 20, ?, '1m 10m', '10m', 4, null, ?)`,
      )
      .run(userId, config.maxReviewsPerDay, iso(now - HISTORY_DAYS * DAY_MS));

    // Every card's shape first (plain arrays: 100,000 of each), then its answers' times.
    const n = config.cards;
    const newCount = Math.round(n * config.newShare);
    const state = new Array(n);
    const createdMs = new Float64Array(n);
    const lastMs = new Float64Array(n);
    const dueMs = new Float64Array(n);
    const intervalDays = new Float64Array(n);
    const logCount = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      if (i < newCount) {
        state[i] = 'new';
        createdMs[i] = now - random() * 60 * DAY_MS;
        dueMs[i] = createdMs[i];
      } else if (i < newCount + config.learning) {
        // Introduced in the last three days, in its learning steps: due between an hour ago and ten minutes ahead.
        state[i] = 'learning';
        createdMs[i] = now - random() * 3 * DAY_MS;
        dueMs[i] = now + (random() * 70 - 60) * MINUTE_MS;
        lastMs[i] = Math.max(createdMs[i] + MINUTE_MS, dueMs[i] - 10 * MINUTE_MS);
        intervalDays[i] = 0;
      } else {
        const relearning = i < newCount + config.learning + config.relearning;
        state[i] = relearning ? 'relearning' : 'review';
        createdMs[i] = now - (2 + random() * (HISTORY_DAYS - 2)) * DAY_MS;
        const ageDays = (now - createdMs[i]) / DAY_MS;
        if (relearning) {
          // Forgotten in the last hour, back in its relearning step.
          dueMs[i] = now + (random() * 40 - 30) * MINUTE_MS;
          lastMs[i] = dueMs[i] - 10 * MINUTE_MS;
          intervalDays[i] = 0;
        } else {
          let interval = MIN_INTERVAL_DAYS * Math.exp(random() * Math.log(MAX_INTERVAL_DAYS / MIN_INTERVAL_DAYS));
          const overdue = random() < config.overdueShare;
          // Position of now within [last review, due]: past the due date for overdue cards.
          const at = overdue ? 1 + random() * 0.25 : random();
          interval = Math.min(interval, (ageDays - 0.1) / Math.max(at, 0.01));
          lastMs[i] = now - at * interval * DAY_MS;
          dueMs[i] = lastMs[i] + interval * DAY_MS;
          intervalDays[i] = interval;
        }
      }
    }

    // 1,000,000 answers shared among the reviewed cards, older cards more: weight 1 + ln(1 + age in days).
    const reviewed = n - newCount;
    let weightSum = 0;
    const weight = new Float64Array(n);
    for (let i = newCount; i < n; i++) {
      weight[i] = state[i] === 'learning' ? 0 : 1 + Math.log(1 + (now - createdMs[i]) / DAY_MS);
      weightSum += weight[i];
    }
    const fixedLearning = config.learning * 2;
    let assigned = 0;
    for (let i = newCount; i < n; i++) {
      logCount[i] =
        state[i] === 'learning' ? 2 : Math.max(2, Math.floor(((config.logs - fixedLearning) * weight[i]) / weightSum));
      assigned += logCount[i];
    }
    // Rounding leaves a remainder (either way): spread it one answer at a time over random reviewed cards.
    while (assigned !== config.logs) {
      const i = newCount + config.learning + Math.floor(random() * (reviewed - config.learning));
      if (assigned < config.logs) {
        logCount[i]++;
        assigned++;
      } else if (logCount[i] > 2) {
        logCount[i]--;
        assigned--;
      }
    }

    // Answer k of a card with K answers sits at first + (last - first) * (k / (K-1))^2: intervals widen.
    const total = config.logs;
    const logCard = new Uint32Array(total);
    const logMs = new Float64Array(total);
    const logIndex = new Uint16Array(total);
    let p = 0;
    for (let i = newCount; i < n; i++) {
      const count = logCount[i];
      const first = createdMs[i] + random() * 30 * MINUTE_MS;
      const last = Math.max(first + MINUTE_MS, lastMs[i]);
      lastMs[i] = last;
      for (let k = 0; k < count; k++) {
        logCard[p] = i;
        logIndex[p] = k;
        logMs[p] = k === count - 1 ? last : first + (last - first) * (k / (count - 1)) ** 2;
        p++;
      }
    }
    const order = new Uint32Array(total);
    for (let i = 0; i < total; i++) order[i] = i;
    order.sort((a, b) => logMs[a] - logMs[b] || a - b);

    const cardId = new Array(n);
    for (let i = 0; i < n; i++) cardId[i] = uuid(random);

    const insertCard = sqlite.prepare(
      `insert into cards (id, user_id, language, term, term_key, translation, part_of_speech, context_sentence,
         context_translation, notes, tags, source, source_id, search_text, suspended, encounters, state, due, stability,
         difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, last_reviewed_at, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, null, ?, null, null, ?, ?, null, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Lapses and difficulty per card come from its answers, so cards and logs agree.
    const lapses = new Uint16Array(n);
    const ratingOf = new Uint8Array(total);
    for (let q = 0; q < total; q++) {
      // A relearning card's last answer was Again: that is how it got there.
      const forgotten = logIndex[q] === logCount[logCard[q]] - 1 && state[logCard[q]] === 'relearning';
      ratingOf[q] = forgotten ? 0 : RATINGS.indexOf(drawRating(random));
      if (ratingOf[q] === 0 && logIndex[q] > 0) lapses[logCard[q]]++;
    }
    const stabilityOf = (i) =>
      state[i] === 'new' ? 0 : state[i] === 'review' ? intervalDays[i] * (0.9 + random() * 0.2) : 0.2 + random() * 2;
    const difficultyOf = (i) => (state[i] === 'new' ? 0 : Math.min(10, Math.max(1, 5 + (random() - 0.5) * 6)));
    const stability = new Float64Array(n);
    const difficulty = new Float64Array(n);

    // In creation order, as a learner adds them.
    const byCreation = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => createdMs[a] - createdMs[b]);
    const fillCards = sqlite.transaction(() => {
      for (const i of byCreation) {
        stability[i] = stabilityOf(i);
        difficulty[i] = difficultyOf(i);
        const language = i % 5 === 4 ? 'fr' : 'es';
        const term = `${language === 'es' ? 'palabra' : 'mot'} ${i}`;
        const suspended = state[i] === 'review' && random() < config.suspendedShare ? 1 : 0;
        insertCard.run(
          cardId[i],
          userId,
          language,
          term,
          term,
          `word ${i}`,
          `Una frase con ${term}.`,
          i % 3 === 0 ? '["bench","verbs"]' : '["bench"]',
          i % 4 === 0 ? 'import' : 'manual',
          `${term} word ${i} una frase con ${term}.`,
          suspended,
          state[i],
          iso(dueMs[i]),
          stability[i],
          difficulty[i],
          state[i] === 'new' ? 0 : Math.max(0, Math.floor(intervalDays[i])),
          Math.round(intervalDays[i]),
          state[i] === 'learning' ? 1 : 0,
          logCount[i],
          lapses[i],
          state[i] === 'new' ? null : iso(lastMs[i]),
          iso(createdMs[i]),
          iso(state[i] === 'new' ? createdMs[i] : lastMs[i]),
        );
      }
    });

    const insertLog = sqlite.prepare(
      `insert into review_logs (id, user_id, card_id, answer_id, seq, language, rating, state_before, elapsed_days,
         scheduled_days, reviewed_at, duration_ms, card_before, card_after, learning_session_id)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)`,
    );
    const previousMs = new Float64Array(n);
    const seenLapses = new Uint16Array(n);
    const fillLogs = sqlite.transaction(() => {
      for (let s = 0; s < total; s++) {
        const q = order[s];
        const i = logCard[q];
        const k = logIndex[q];
        const at = logMs[q];
        const count = logCount[i];
        const next = k === count - 1 ? dueMs[i] : logMs[q] + (logMs[q] - (k > 0 ? previousMs[i] : at)) * 2.2;
        const elapsed = k === 0 ? 0 : Math.floor((at - previousMs[i]) / DAY_MS);
        const scheduled = Math.max(0, Math.round((next - at) / DAY_MS));
        const rating = RATINGS[ratingOf[q]];
        const stateBefore = k === 0 ? 'new' : elapsed === 0 ? 'learning' : 'review';
        const stateAfter = k === count - 1 ? state[i] : rating === 'again' ? 'relearning' : 'review';
        // Stability grows towards the card's current value over its answers.
        const sBefore = k === 0 ? 0 : stability[i] * ((k / count) ** 2 || 0.05);
        const sAfter = stability[i] * (((k + 1) / count) ** 2 || 0.05);
        const d = difficulty[i];
        if (rating === 'again' && k > 0) seenLapses[i]++;
        const before =
          k === 0
            ? memoryJson('new', createdMs[i], 0, 0, 0, 0, 0, 0, null)
            : memoryJson('review', at, sBefore, d, elapsed, elapsed, k, seenLapses[i], previousMs[i]);
        const after = memoryJson(stateAfter, next, sAfter, d, elapsed, scheduled, k + 1, seenLapses[i], at);
        insertLog.run(
          timeOrderedUuid(at, random),
          userId,
          cardId[i],
          uuid(random),
          s + 1,
          i % 5 === 4 ? 'fr' : 'es',
          rating,
          stateBefore,
          elapsed,
          scheduled,
          iso(at),
          2000 + Math.floor(random() * 8000),
          before,
          after,
        );
        previousMs[i] = at;
      }
    });
    // Cards go in in creation order and log rows in time order (seq and reviewed_at ascending, time-ordered ids).
    withAppendOnlyIndexesRebuilt(
      sqlite,
      ['cards_user_created_idx', 'review_logs_user_seq_idx', 'review_logs_user_time_idx'],
      () => {
        fillCards();
        fillLogs();
      },
    );
    sqlite.pragma('journal_mode = WAL');

    const dueReviewIds = sqlite
      .prepare(
        `select id from cards where user_id = ? and suspended = 0 and state = 'review' and due < ? order by due, id`,
      )
      .all(userId, iso(now))
      .map((row) => row.id);
    const counts = Object.fromEntries(
      sqlite
        .prepare('select state, count(*) as n from cards where user_id = ? group by state')
        .all(userId)
        .map((row) => [row.state, row.n]),
    );
    return {
      cards: n,
      logs: total,
      cardsByState: counts,
      dueReviewCards: dueReviewIds.length,
      dueReviewIds,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    sqlite.close();
  }
}

/** EXPLAIN QUERY PLAN of the queue's SQL (as the built repository issues it), to show which indexes it walks. */
export function explainQueueQueries(file, userId) {
  const sqlite = new SQLite(file, { readonly: true });
  const now = new Date().toISOString();
  const plan = (sql, ...params) =>
    sqlite
      .prepare(`explain query plan ${sql}`)
      .all(...params)
      .map((row) => row.detail)
      .join('; ');
  const cards = `from cards where user_id = ? and suspended = 0`;
  try {
    return {
      answeredToday: plan(
        `select count(*), count(case when state_before = 'new' then 1 end) from review_logs where user_id = ? and reviewed_at >= ? and reviewed_at < ?`,
        userId,
        now,
        now,
      ),
      dueReviewCount: plan(`select count(*) ${cards} and state = 'review' and due < ?`, userId, now),
      dueLearning: plan(
        `select * ${cards} and state in ('learning', 'relearning') and due <= ? order by due, id limit 51`,
        userId,
        now,
      ),
      dueReviewKeys: plan(
        `select id, due, stability ${cards} and state = 'review' and due < ? order by due, id limit 5000`,
        userId,
        now,
      ),
      newCards: plan(`select * ${cards} and state = 'new' order by created_at, id limit 20`, userId),
    };
  } finally {
    sqlite.close();
  }
}
