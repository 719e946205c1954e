import pg from 'pg';

/** Where the PostgreSQL tests run; each suite gets a schema of its own inside this database. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether a failure to reach PostgreSQL fails the run (CI) instead of skipping its suites. */
export const POSTGRES_REQUIRED = process.env.REQUIRE_POSTGRES === '1';

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs one statement on the test database with a short-lived connection. */
export async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Test schemas are named `t_<run>_<suite>` where `<run>` is the run's start time in seconds (base 36), so
 * concurrent runs against one database (two developers, or helpers on one machine) never drop each other's.
 */
export const TEST_SCHEMA_PATTERN = '^t_[0-9a-z]{6,8}_[0-9a-f]{8}$';

/** A run's prefix for its schemas. */
export function testRunPrefix(startedAt: Date): string {
  return `t_${Math.floor(startedAt.getTime() / 1000).toString(36)}_`;
}

/**
 * Drops the schemas of this run (`prefix`), and those of runs that started more than `staleAfterMs` before
 * `now` (interrupted runs); it leaves other live runs' schemas alone.
 */
export async function dropTestSchemas(prefix: string, now: Date, staleAfterMs = 3 * 3600_000): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'select nspname as name from pg_namespace where nspname ~ $1',
      [TEST_SCHEMA_PATTERN],
    );
    for (const { name } of rows) {
      const startedAt = parseInt(name.split('_')[1]!, 36) * 1000;
      if (name.startsWith(prefix) || now.getTime() - startedAt > staleAfterMs) {
        await client.query(`drop schema if exists ${name} cascade`);
      }
    }
  } finally {
    await client.end();
  }
}
