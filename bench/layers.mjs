// Diagnostic, not part of `npm run bench`: where one request's server time goes below HTTP. Calls the built
// services in-process, one call at a time, and splits each call into SQLite statement preparation (Kysely's
// SQLite driver prepares every statement again on every query), SQLite execution, and everything else (Kysely
// building and compiling the query, the service's own code, promises), and lists each statement's prepare
// and execution cost.
//
// Usage: node bench/layers.mjs [sqlite-file-with-seeded-sessions]   (after `npm run build:server`)
import SQLite from 'better-sqlite3';
import { buildServices } from '../dist/server/app.js';
import { loadConfig } from '../dist/server/config.js';
import { seedLearningSessions, seedUserWithToken } from './seed.mjs';
import { tempSqlite } from './figures.mjs';

const ITERATIONS = Number(process.env.LAYERS_ITERATIONS ?? 5000);

// Time every prepare and every statement execution in this process.
const timing = { prepareNs: 0n, executeNs: 0n, prepares: 0, executions: 0, bySql: new Map() };
const sqlStats = (sql) => {
  let s = timing.bySql.get(sql);
  if (!s) timing.bySql.set(sql, (s = { prepares: 0, prepareNs: 0n, executions: 0, executeNs: 0n }));
  return s;
};
const originalPrepare = SQLite.prototype.prepare;
SQLite.prototype.prepare = function prepare(sql) {
  const t = process.hrtime.bigint();
  const stmt = originalPrepare.call(this, sql);
  const d = process.hrtime.bigint() - t;
  timing.prepareNs += d;
  timing.prepares++;
  const s = sqlStats(sql);
  s.prepares++;
  s.prepareNs += d;
  return stmt;
};
{
  const probe = new SQLite(':memory:');
  const proto = Object.getPrototypeOf(originalPrepare.call(probe, 'select 1'));
  for (const method of ['run', 'all', 'get']) {
    const original = proto[method];
    proto[method] = function timed(...args) {
      const t = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const d = process.hrtime.bigint() - t;
        timing.executeNs += d;
        timing.executions++;
        const s = sqlStats(this.source);
        s.executions++;
        s.executeNs += d;
      }
    };
  }
  probe.close();
}
const reset = () => {
  Object.assign(timing, { prepareNs: 0n, executeNs: 0n, prepares: 0, executions: 0 });
  timing.bySql.clear();
};

async function time(label, iterations, fn) {
  for (let i = 0; i < Math.min(500, iterations); i++) await fn(i); // warm-up
  reset();
  const t = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn(i);
  const totalNs = Number(process.hrtime.bigint() - t);
  const per = (ns) => Number(ns) / iterations / 1000;
  const row = {
    label,
    totalUs: per(totalNs),
    prepareUs: per(timing.prepareNs),
    executeUs: per(timing.executeNs),
    otherUs: per(totalNs) - per(timing.prepareNs) - per(timing.executeNs),
    statements: timing.executions / iterations,
    sql: [...timing.bySql].map(([sql, s]) => ({
      sql,
      prepareUs: s.prepares ? Number(s.prepareNs) / s.prepares / 1000 : 0,
      executeUs: s.executions ? Number(s.executeNs) / s.executions / 1000 : 0,
    })),
  };
  console.log(
    `${label.padEnd(34)} ${row.totalUs.toFixed(1).padStart(7)} µs  = prepare ${row.prepareUs.toFixed(1).padStart(6)}  + execute ${row.executeUs.toFixed(1).padStart(6)}  + JS (Kysely, service, promises) ${row.otherUs.toFixed(1).padStart(6)}   [${row.statements.toFixed(0)} statements]`,
  );
  return row;
}

async function serviceLayer(url, label) {
  const { userId, token } = label === 'fresh' ? await seedUserWithToken(url) : await seedExisting(url);
  const services = await buildServices(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn' }));
  const rows = [];
  try {
    const { auth, learningSessions } = services;
    rows.push(await time('auth.resolveToken (every request)', ITERATIONS, () => auth.resolveToken(token)));
    const ids = [];
    rows.push(
      await time('learningSessions.start', ITERATIONS, async () => {
        const { session } = await learningSessions.start(userId, { type: 'vocabulary_review', language: 'es' });
        ids.push(session.id);
      }),
    );
    const open = ids.slice(-ITERATIONS);
    rows.push(
      await time('learningSessions.update', ITERATIONS, (i) =>
        learningSessions.update(userId, open[i % open.length], {
          itemsStudied: 5,
          itemsCorrect: 4,
          itemsIncorrect: 1,
          metadata: { deck: 'bench' },
        }),
      ),
    );
    const toComplete = ids.slice(-ITERATIONS);
    let next = 0;
    rows.push(
      await time('learningSessions.complete', Math.min(ITERATIONS, toComplete.length - 500), () =>
        learningSessions.complete(userId, toComplete[next++], { itemsStudied: 10, itemsCorrect: 8, itemsIncorrect: 2 }),
      ),
    );
    rows.push(
      await time('learningSessions.list limit=10', ITERATIONS, () => learningSessions.list(userId, { limit: 10 })),
    );
  } finally {
    await services.database.close();
  }
  return rows;
}

/** For a database seeded by `npm run bench` style seeding: its first user and a fresh token. */
async function seedExisting(url) {
  const services = await buildServices(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn' }));
  try {
    const user = await services.database.db
      .selectFrom('users')
      .select('id')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const { token } = await services.auth.createToken(user.id, 'layers');
    return { userId: user.id, token };
  } finally {
    await services.database.close();
  }
}

/** Each distinct statement: what preparing it costs (0 once cached) and what running it costs. */
function printStatements(rows) {
  const seen = new Set();
  console.log('\nper statement: prepare (µs; 0 when the statement cache already holds it) and execute (µs)');
  for (const row of rows) {
    for (const s of row.sql) {
      if (seen.has(s.sql)) continue;
      seen.add(s.sql);
      console.log(
        `  ${s.prepareUs.toFixed(1).padStart(6)}  ${s.executeUs.toFixed(1).padStart(6)}   ${s.sql.replace(/\s+/g, ' ').slice(0, 150)}`,
      );
    }
  }
}

const seededFile = process.argv[2];
console.log(`${ITERATIONS} calls each, one at a time, in-process (no HTTP)\n`);
const fresh = tempSqlite('layers');
try {
  console.log('fresh database (lifecycle):');
  const rows = await serviceLayer(fresh.url, 'fresh');
  printStatements(rows);
} finally {
  fresh.remove();
}
if (seededFile) {
  console.log(`\nseeded database ${seededFile}:`);
  await serviceLayer(`sqlite:${seededFile}`, 'seeded');
} else if (process.env.LAYERS_SEED === '1') {
  const seeded = tempSqlite('layers-seeded');
  try {
    const { userId } = await seedUserWithToken(seeded.url);
    seedLearningSessions(seeded.file, { measuredUserId: userId });
    console.log('\nseeded database (1M sessions):');
    await serviceLayer(seeded.url, 'seeded');
  } finally {
    seeded.remove();
  }
}
