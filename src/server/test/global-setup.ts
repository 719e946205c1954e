import type { TestProject } from 'vitest/node';
import { dropTestSchemas, POSTGRES_REQUIRED, postgresReachable, TEST_POSTGRES_URL, testRunPrefix } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: boolean;
    /** The prefix of this run's PostgreSQL test schemas. */
    pgSchemaPrefix: string;
  }
}

/** Decides once per run whether the PostgreSQL half of the integration suites runs. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const reachable = await postgresReachable();
  if (!reachable && POSTGRES_REQUIRED) {
    throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL at ${TEST_POSTGRES_URL} does not answer`);
  }
  if (!reachable) {
    console.warn(
      `\n*** NOTICE: PostgreSQL at ${TEST_POSTGRES_URL} does not answer: the PostgreSQL integration tests are SKIPPED. ` +
        `Set TEST_POSTGRES_URL, or REQUIRE_POSTGRES=1 to make this an error. ***\n`,
    );
  }
  project.provide('postgres', reachable);
  const prefix = testRunPrefix(new Date());
  project.provide('pgSchemaPrefix', prefix);
  if (!reachable) return;
  await dropTestSchemas(prefix, new Date());
  // The suites' schemas go when the whole run is over, when nothing is migrating any more.
  return () => dropTestSchemas(prefix, new Date());
}
