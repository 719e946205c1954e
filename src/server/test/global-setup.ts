import type { TestProject } from 'vitest/node';
import { dropTestSchemas, POSTGRES_REQUIRED, postgresReachable, TEST_POSTGRES_URL } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: boolean;
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
  if (!reachable) return;
  await dropTestSchemas();
  // The suites' schemas go when the whole run is over, when nothing is migrating any more.
  return dropTestSchemas;
}
