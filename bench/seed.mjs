// All of the benchmark's seeding and all of its SQL. The schema always comes from the built app's own migrations
// (buildServices from dist/ opens the file with openDatabase and runs migrateToLatest), and the measured user and
// its API token are made by the built AuthService, so the token resolves exactly as a real one does. Only the bulk
// rows (the other users and the million learning sessions) are written with raw prepared statements, because
// going through the service one row at a time would take minutes.
import SQLite from 'better-sqlite3';
import { prng } from './figures.mjs';
import { buildServices } from '../dist/server/app.js';
import { loadConfig } from '../dist/server/config.js';

const TYPES = ['scenario', 'content_study', 'vocabulary_review', 'conversation'];
const LANGUAGES = ['es', 'fr', 'de', 'it', 'pt', 'en'];
const DAY_MS = 86_400_000;
/** Seeded sessions start within this many days before the seeding run. */
const HISTORY_DAYS = 365;

/**
 * Migrates the database at `url` and creates one learner with an API token through the built services.
 * A cheap scrypt cost keeps this fast; the benchmark never signs in with the password.
 */
export async function seedUserWithToken(url, email = 'bench@example.com') {
  const config = loadConfig({ DATABASE_URL: url, SCRYPT_LOG2N: '10', LOG_LEVEL: 'warn' });
  const services = await buildServices(config);
  try {
    const { user } = await services.auth.register({ email, password: 'bench-password', displayName: 'Bench' });
    const { token } = await services.auth.createToken(user.id, 'bench');
    return { userId: user.id, token };
  } finally {
    await services.database.close();
  }
}

/** A v4-shaped UUID from the PRNG, like the app's randomUUID() ids but reproducible. */
function uuid(random) {
  const hex = (n) =>
    Math.floor(random() * 16 ** n)
      .toString(16)
      .padStart(n, '0');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
}

/**
 * Seeds `users` users (the measured one, `measuredUserId`, already exists and counts as one of them) with
 * `sessionsPerUser` completed learning sessions each. Sessions are inserted in start-time order across all
 * users, as a real ledger fills up, so one user's rows are spread over the table rather than packed together.
 * All sessions are completed: the server's idle sweep must find nothing to write while the list is measured.
 * Answers row counts and the time taken.
 */
export function seedLearningSessions(file, { measuredUserId, users = 10_000, sessionsPerUser = 100, seed = 42 }) {
  const started = performance.now();
  const random = prng(seed);
  const now = Date.now();
  const sqlite = new SQLite(file);
  try {
    // A throwaway file: no rollback journal and no syncing while it is filled; WAL again afterwards, as the
    // app expects (openDatabase sets it on every open anyway).
    sqlite.pragma('journal_mode = OFF');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -1048576');

    const template = sqlite.prepare('select password_hash from users where id = ?').get(measuredUserId);
    if (!template) throw new Error(`measured user ${measuredUserId} is not in ${file}`);
    const userIds = [measuredUserId];
    const insertUser = sqlite.prepare(
      `insert into users (id, email, password_hash, display_name, native_language, timezone, role, created_at, updated_at)
       values (?, ?, ?, ?, 'en', 'UTC', 'learner', ?, ?)`,
    );
    const createdAt = new Date(now - (HISTORY_DAYS + 1) * DAY_MS).toISOString();
    sqlite.transaction(() => {
      for (let i = 1; i < users; i++) {
        const id = uuid(random);
        userIds.push(id);
        insertUser.run(id, `learner${i}@bench.example`, template.password_hash, `Learner ${i}`, createdAt, createdAt);
      }
    })();

    // Start times for every (user, session) pair, then sorted so rows go in in the order they would happen.
    const total = users * sessionsPerUser;
    const startMs = new Float64Array(total);
    for (let i = 0; i < total; i++)
      startMs[i] = now - HISTORY_DAYS * DAY_MS + Math.floor(random() * (HISTORY_DAYS * DAY_MS - DAY_MS));
    const order = new Uint32Array(total);
    for (let i = 0; i < total; i++) order[i] = i;
    order.sort((a, b) => startMs[a] - startMs[b]);

    const insertSession = sqlite.prepare(
      `insert into learning_sessions (id, user_id, type, language, source_id, status, started_at, ended_at, duration_seconds,
         items_studied, items_correct, items_incorrect, accuracy, metadata, last_activity_at, idempotency_key)
       values (?, ?, ?, ?, null, 'completed', ?, ?, ?, ?, ?, ?, ?, '{}', ?, null)`,
    );
    sqlite.transaction(() => {
      for (let k = 0; k < total; k++) {
        const i = order[k];
        const duration = 60 + Math.floor(random() * 1800);
        const studied = 5 + Math.floor(random() * 40);
        const correct = Math.floor(random() * (studied + 1));
        const incorrect = studied - correct;
        const startedAt = new Date(startMs[i]).toISOString();
        const endedAt = new Date(startMs[i] + duration * 1000).toISOString();
        insertSession.run(
          uuid(random),
          userIds[i % users],
          TYPES[i % TYPES.length],
          LANGUAGES[(i >> 2) % LANGUAGES.length],
          startedAt,
          endedAt,
          duration,
          studied,
          correct,
          incorrect,
          studied > 0 ? correct / studied : 0,
          endedAt,
        );
      }
    })();
    sqlite.pragma('journal_mode = WAL');
    return { users, sessions: total, seconds: (performance.now() - started) / 1000 };
  } finally {
    sqlite.close();
  }
}

/** The list query's plan for one user, to show it walks learning_sessions_user_started_idx. */
export function explainListQuery(file, userId) {
  const sqlite = new SQLite(file, { readonly: true });
  try {
    return sqlite
      .prepare(
        `explain query plan select * from learning_sessions where user_id = ? order by started_at desc, id desc limit 11`,
      )
      .all(userId)
      .map((row) => row.detail)
      .join('; ');
  } finally {
    sqlite.close();
  }
}
