import type { Kysely, Selectable } from 'kysely';
import type { DB, ReviewLogsTable } from '../../db/schema.js';

export type ReviewLogRow = Selectable<ReviewLogsTable>;
export interface ExportRow {
  term: string;
  translation: string;
  context_sentence: string | null;
  tags: string;
}

/** Review logs per INSERT: 16 columns each keeps a statement well under both databases' parameter limits. */
const LOGS_PER_INSERT = 500;

/** The SQL of import and export that the cards and review repositories do not already have. */
export function createCardTransferRepository() {
  return {
    /** One language's cards of a user, oldest first (one import's cards by term), with the fields a file carries. */
    listForExport(db: Kysely<DB>, userId: string, language: string): Promise<ExportRow[]> {
      return db
        .selectFrom('cards')
        .select(['term', 'translation', 'context_sentence', 'tags'])
        .where('user_id', '=', userId)
        .where('language', '=', language)
        .orderBy('created_at')
        .orderBy('term')
        .orderBy('id')
        .execute();
    },

    async insertReviewLogs(db: Kysely<DB>, rows: readonly ReviewLogRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += LOGS_PER_INSERT) {
        await db
          .insertInto('review_logs')
          .values(rows.slice(i, i + LOGS_PER_INSERT))
          .execute();
      }
    },
  };
}

export type CardTransferRepository = ReturnType<typeof createCardTransferRepository>;
