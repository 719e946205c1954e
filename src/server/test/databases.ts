import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../db/database.js';
import { adminQuery, TEST_POSTGRES_URL } from './postgres.js';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** A new, empty database: an in-memory SQLite, or a fresh PostgreSQL schema dropped on close. */
  open(): Promise<Database>;
  /** A database that outlives `close()`, to reopen in a freshly built app; `drop` removes it. */
  openPersistent(): Promise<{ url: string; reopen(): Database; drop(): Promise<void> }>;
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async open() {
    return openDatabase('sqlite::memory:');
  },
  async openPersistent() {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'tutor-test-'));
    const url = `sqlite:${join(dir, 'tutor.db')}`;
    return { url, reopen: () => openDatabase(url), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

async function freshSchema(): Promise<string> {
  const schema = `${inject('pgSchemaPrefix')}${randomBytes(4).toString('hex')}`;
  await adminQuery(`create schema ${schema}`);
  return schema;
}

const postgres: TestDatabase = {
  name: 'postgres',
  async open() {
    const schema = await freshSchema();
    // The schema is dropped once the whole run is over (global-setup.ts), not here: dropping it while another
    // suite migrates makes Kysely's catalog scan (has_schema_privilege over every schema) fail there.
    return openDatabase(TEST_POSTGRES_URL, { pgSchema: schema, pgPoolSize: 4 });
  },
  async openPersistent() {
    const schema = await freshSchema();
    return {
      url: TEST_POSTGRES_URL,
      reopen: () => openDatabase(TEST_POSTGRES_URL, { pgSchema: schema, pgPoolSize: 4 }),
      drop: async () => undefined, // dropped with the others when the run ends
    };
  },
};

/** The databases every repository-backed suite runs on: SQLite always, PostgreSQL when the run has it. */
export function testDatabases(): TestDatabase[] {
  return inject('postgres') ? [sqlite, postgres] : [sqlite];
}
