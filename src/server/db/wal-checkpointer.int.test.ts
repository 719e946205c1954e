import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from './database.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

describe('the WAL checkpoint worker of a SQLite file database', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tutor-wal-'));
    file = join(dir, 'tutor.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes about 1 MiB: 64 rows of 16 KiB, each its own commit, as requests do. */
  async function writeAMegabyte(database: ReturnType<typeof openDatabase>) {
    await sql`create table if not exists blobs (id integer primary key, body blob)`.execute(database.db);
    for (let i = 0; i < 64; i++) {
      await sql`insert into blobs (body) values (randomblob(16384))`.execute(database.db);
    }
  }

  it('takes the automatic checkpoint away from the committing connection', async () => {
    const database = openDatabase(`sqlite:${file}`);
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db);
    expect(rows[0]!.wal_autocheckpoint).toBe(0);
    await database.close();
  });

  it('copies every committed page into the database file when asked', async () => {
    const database = openDatabase(`sqlite:${file}`);
    await writeAMegabyte(database);
    const result = await database.checkpoint();
    expect(result!.walPages).toBeGreaterThan(64);
    expect(result!.checkpointedPages).toBe(result!.walPages);
    expect(statSync(file).size).toBeGreaterThan(1024 * 1024);
    await database.close();
  });

  it('checkpoints on its own while the app writes, so the database file catches up without a request paying', async () => {
    const database = openDatabase(`sqlite:${file}`);
    await writeAMegabyte(database);
    // Nothing on this connection checkpoints any more; only the worker can grow the database file.
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(1024 * 1024), { timeout: 5000 });
    await database.close();
  });

  it('folds the WAL into the file and removes it on close', async () => {
    const database = openDatabase(`sqlite:${file}`);
    await writeAMegabyte(database);
    await database.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = openDatabase(`sqlite:${file}`);
    const { rows } = await sql<{ n: number }>`select count(*) as n from blobs`.execute(reopened.db);
    expect(rows[0]!.n).toBe(64);
    await reopened.close();
  });

  it('lets a short-lived process (a CLI command) close its database and carry on to the end', () => {
    // The worker is unreferenced between checkpoints; if closing did not hold it, the process would end at the
    // first await of close() and never print.
    const program = [
      "import { openDatabase } from './src/server/db/database.ts';",
      `const database = openDatabase(${JSON.stringify(`sqlite:${file}`)});`,
      "await database.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();",
      'await database.close();',
      "console.log('closed');",
    ].join('\n');
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
      encoding: 'utf8',
    });
    expect(output.trim()).toBe('closed');
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('has nothing to checkpoint for an in-memory database', async () => {
    const database = openDatabase('sqlite::memory:');
    await expect(database.checkpoint()).resolves.toBeNull();
    await database.close();
  });

  it('gives the checkpoint back to the connection when the worker dies, and refuses checkpoints after that', async () => {
    const connection = new SQLite(file);
    connection.pragma('journal_mode = WAL');
    const checkpointer = startWalCheckpointer(connection, join(dir, 'missing', 'tutor.db'));
    expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await vi.waitFor(() => expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1000));
    await expect(checkpointer.checkpoint()).rejects.toThrow(/unable to open|directory|stopped/i);
    await checkpointer.stop();
    connection.close();
  });
});
