import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/database.js';
import { testDatabases } from '../server/test/databases.js';
import { runCli } from './tutor.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, push: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('the tutor command', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function sqliteFile() {
    const store = await testDatabases()[0]!.openPersistent();
    cleanups.push(store.drop);
    return store.url;
  }

  it('migrates a new database and says so', async () => {
    const url = await sqliteFile();
    const io = capture();
    expect(await runCli(['migrate'], { DATABASE_URL: url, SCRYPT_LOG2N: '10' }, io.push.out, io.push.err)).toBe(0);
    expect(io.out.join('\n')).toContain('up to date');
    const database = openDatabase(url);
    const tables = await database.db.introspection.getTables();
    await database.close();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['users', 'learning_sessions', 'api_tokens']));
  });

  it('creates an admin, then promotes the same email again without a second account', async () => {
    const url = await sqliteFile();
    const env = { DATABASE_URL: url, SCRYPT_LOG2N: '10' };
    const io = capture();
    expect(
      await runCli(
        ['create-admin', '--email', 'Chief@Example.test', '--password', 'very secret'],
        env,
        io.push.out,
        io.push.err,
      ),
    ).toBe(0);
    expect(
      await runCli(
        ['create-admin', '--email', 'chief@example.test', '--password', 'new secret!'],
        env,
        io.push.out,
        io.push.err,
      ),
    ).toBe(0);
    expect(io.out).toEqual([
      'created admin chief@example.test',
      'chief@example.test is now an admin with the new password',
    ]);
    const database = openDatabase(url);
    const users = await database.db.selectFrom('users').select(['email', 'role']).execute();
    await database.close();
    expect(users).toEqual([{ email: 'chief@example.test', role: 'admin' }]);
  });

  it('refuses create-admin without an email or with a short password', async () => {
    const io = capture();
    expect(
      await runCli(
        ['create-admin', '--email', 'a@b.c', '--password', 'short'],
        { DATABASE_URL: 'sqlite::memory:' },
        io.push.out,
        io.push.err,
      ),
    ).toBe(1);
    expect(io.err[0]).toContain('--password of at least 8 characters');
  });

  it('prints usage for help, and fails on unknown commands', async () => {
    const io = capture();
    expect(await runCli(['help'], {}, io.push.out, io.push.err)).toBe(0);
    expect(await runCli(['frobnicate'], {}, io.push.out, io.push.err)).toBe(1);
    expect(io.err[0]).toContain('Usage: tutor');
  });

  it('stops with a message naming a bad variable', async () => {
    const io = capture();
    expect(await runCli(['migrate'], { DATABASE_URL: 'oracle://x' }, io.push.out, io.push.err)).toBe(1);
    expect(io.err[0]).toContain('DATABASE_URL');
  });
});
