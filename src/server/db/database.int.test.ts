import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.js';
import { TEST_POSTGRES_URL } from '../test/postgres.js';
import { isUniqueViolation, openDatabase } from './database.js';
import { migrateToLatest, MigrationFailedError } from './migrate.js';

describe.each(testDatabases())('the database layer on $name', (kind) => {
  it('migrates a new database, and migrating again changes nothing', async () => {
    const database = await kind.open();
    const first = await migrateToLatest(database.db, database.schema);
    expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual([
      ['0001-accounts', 'Success'],
      ['0002-learning-sessions', 'Success'],
      ['0003-cards-and-reviews', 'Success'],
      ['0004-optimizer-jobs', 'Success'],
      ['0005-ai-usage-and-budgets', 'Success'],
      ['0006-review-indexes', 'Success'],
      ['0007-scenarios', 'Success'],
      ['0008-conversations', 'Success'],
      ['0009-budget-reservation-expiry', 'Success'],
    ]);
    expect((await migrateToLatest(database.db, database.schema)).results).toEqual([]);
    await database.close();
  });

  it('refuses to go on when a migration fails, naming it', async () => {
    const database = await kind.open();
    await sql`create table users (id text)`.execute(database.db);
    await expect(migrateToLatest(database.db, database.schema)).rejects.toThrow(MigrationFailedError);
    await expect(migrateToLatest(database.db, database.schema)).rejects.toThrow(/0001-accounts/);
    await database.close();
  });

  it('recognises a unique violation, and nothing else as one', async () => {
    const database = await kind.open();
    await migrateToLatest(database.db, database.schema);
    const user = {
      id: 'u1',
      email: 'a@b.c',
      password_hash: 'x',
      display_name: 'A',
      native_language: 'en',
      timezone: 'UTC',
      role: 'learner' as const,
      created_at: 'now',
      updated_at: 'now',
    };
    await database.db.insertInto('users').values(user).execute();
    const duplicate = await database.db
      .insertInto('users')
      .values(user)
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
    const missingTable = await sql`select * from no_such_table`.execute(database.db).catch((e: unknown) => e);
    expect(isUniqueViolation(missingTable)).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
    await database.close();
  });

  it('rolls back a write transaction that fails half-way', async () => {
    const database = await kind.open();
    await migrateToLatest(database.db, database.schema);
    const user = {
      id: 'u2',
      email: 'r@b.c',
      password_hash: 'x',
      display_name: 'R',
      native_language: 'en',
      timezone: 'UTC',
      role: 'learner' as const,
      created_at: 'now',
      updated_at: 'now',
    };
    await expect(
      database.writeTransaction(async (trx) => {
        await trx.insertInto('users').values(user).execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await database.db.selectFrom('users').selectAll().execute()).toEqual([]);
    await database.close();
  });
});

describe('opening databases', () => {
  it('creates the folder of a SQLite file that does not exist yet', async () => {
    const store = await testDatabases()[0]!.openPersistent();
    const nested = store.url.replace(/tutor\.db$/, 'deeper/still/tutor.db');
    const database = openDatabase(nested);
    expect((await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows).toEqual([{ one: 1 }]);
    await database.close();
    await store.drop();
  });

  it.runIf(testDatabases().some((d) => d.name === 'postgres'))(
    'opens PostgreSQL from a URL alone, in its default schema',
    async () => {
      const database = openDatabase(TEST_POSTGRES_URL);
      expect(database.schema).toBeNull();
      expect((await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows).toEqual([{ one: 1 }]);
      await database.close();
    },
  );
});

describe('the SQLite statement cache', () => {
  it('answers every query right when more distinct queries run than the cache holds', async () => {
    const database = openDatabase('sqlite::memory:');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 520; i++) {
        const { rows } = await sql<{ n: number }>`select ${sql.lit(i)} as n`.execute(database.db);
        expect(rows).toEqual([{ n: i }]);
      }
    }
    await database.close();
  });
});
