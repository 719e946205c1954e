import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import * as accounts from './migrations/0001-accounts.js';
import * as learningSessions from './migrations/0002-learning-sessions.js';
import * as cardsAndReviews from './migrations/0003-cards-and-reviews.js';
import * as optimizerJobs from './migrations/0004-optimizer-jobs.js';
import * as aiUsageAndBudgets from './migrations/0005-ai-usage-and-budgets.js';
import * as reviewIndexes from './migrations/0006-review-indexes.js';
import * as scenarios from './migrations/0007-scenarios.js';
import * as conversations from './migrations/0008-conversations.js';
import * as budgetReservationExpiry from './migrations/0009-budget-reservation-expiry.js';
import type { DB } from './schema.js';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-accounts': accounts,
  '0002-learning-sessions': learningSessions,
  '0003-cards-and-reviews': cardsAndReviews,
  '0004-optimizer-jobs': optimizerJobs,
  '0005-ai-usage-and-budgets': aiUsageAndBudgets,
  '0006-review-indexes': reviewIndexes,
  '0007-scenarios': scenarios,
  '0008-conversations': conversations,
  '0009-budget-reservation-expiry': budgetReservationExpiry,
};

export class MigrationFailedError extends Error {}

/** Brings the database up to the latest schema; safe to run on every start and from several processes. */
export async function migrateToLatest(db: Kysely<DB>, schema: string | null = null): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationFailedError(
      `migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`,
      {
        cause: result.error,
      },
    );
  }
  return result;
}
