import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import { type CheckpointResult, startWalCheckpointer } from './wal-checkpointer.js';

export type Dialect = 'sqlite' | 'postgres';

/** The database handle the app is built on; `close()` releases its connections. */
export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** PostgreSQL schema the tables live in, when not the default. */
  schema: string | null;
  /**
   * Runs `fn` in a transaction that writes. On SQLite it begins IMMEDIATE, taking the write lock up front, so a
   * read-then-write cannot fail half-way when another process wrote in between; on PostgreSQL it is an ordinary
   * transaction (repositories lock the rows they will change with FOR UPDATE).
   */
  writeTransaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T>;
  /** SQLite file databases: copies the WAL into the database file now (it also happens every 100 ms); else null. */
  checkpoint(): Promise<CheckpointResult | null>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL only: the schema to use (tests give each suite its own). */
  pgSchema?: string;
  pgPoolSize?: number;
}

/**
 * Opens `sqlite:<path>`, `sqlite::memory:` or `postgres://…`. SQLite runs in WAL mode so several processes can
 * read while one writes, with the WAL checkpointed by a worker thread (see wal-checkpointer.ts); PostgreSQL gets a
 * pool.
 */
export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // After a burst the WAL file is cut back to this size when it starts over, instead of staying at its peak.
    sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    const checkpointer = file === ':memory:' ? null : startWalCheckpointer(sqlite);
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return {
      db,
      dialect: 'sqlite',
      schema: null,
      writeTransaction: (fn) => sqliteImmediateTransaction(db, fn),
      checkpoint: () => (checkpointer ? checkpointer.checkpoint() : Promise.resolve(null)),
      async close() {
        // The worker's connection goes first, so closing the last connection folds the WAL into the file and
        // removes it.
        await checkpointer?.stop();
        await db.destroy();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pgPoolSize ?? 10,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    schema: options.pgSchema ?? null,
    writeTransaction: (fn) => db.transaction().execute(fn),
    checkpoint: () => Promise.resolve(null),
    close: () => db.destroy(),
  };
}

const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew, and on SQLite preparing costs more than running a small indexed query.
 * Queries built by the query builder have a fixed text per shape, so their prepared statements are kept
 * (the least recently added dropped past STATEMENT_CACHE_SIZE).
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

async function sqliteImmediateTransaction<T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  // connection() holds Kysely's single SQLite connection for the whole callback, so nothing interleaves.
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

/** True when `err` is a unique-constraint violation, on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
