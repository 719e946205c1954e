import type { Kysely, Selectable } from 'kysely';
import { MEMORY_COLUMNS } from '../review/scheduler.js';
import type { CardsTable, DB, ReviewLogsTable } from '../../db/schema.js';

export type ReviewLogRow = Selectable<ReviewLogsTable>;
export interface ExportRow {
  term: string;
  translation: string;
  context_sentence: string | null;
  tags: string;
}

/** What an Anki package carries of a card: its fields, tags, suspension and memory state. */
export type ApkgCardRow = Pick<
  Selectable<CardsTable>,
  | 'id'
  | 'term'
  | 'translation'
  | 'context_sentence'
  | 'context_translation'
  | 'tags'
  | 'suspended'
  | 'state'
  | 'due'
  | 'stability'
  | 'difficulty'
  | 'elapsed_days'
  | 'scheduled_days'
  | 'learning_steps'
  | 'reps'
  | 'lapses'
  | 'last_reviewed_at'
  | 'created_at'
  | 'updated_at'
>;
/** An answer as an Anki package carries it. */
export type ApkgLogRow = Pick<
  ReviewLogRow,
  'card_id' | 'rating' | 'reviewed_at' | 'duration_ms' | 'card_before' | 'card_after'
>;

/** Review logs per INSERT: 16 columns each keeps a statement well under both databases' parameter limits. */
const LOGS_PER_INSERT = 500;

/** One language's cards of a user, oldest first (one import's cards by term). */
function cardsOfLanguage(db: Kysely<DB>, userId: string, language: string) {
  return db
    .selectFrom('cards')
    .where('user_id', '=', userId)
    .where('language', '=', language)
    .orderBy('created_at')
    .orderBy('term')
    .orderBy('id');
}

/** The SQL of import and export that the cards and review repositories do not already have. */
export function createCardTransferRepository() {
  return {
    /** Suspends these cards of the user (cards an import made from suspended Anki cards). */
    async suspendCards(db: Kysely<DB>, userId: string, cardIds: string[], now: string): Promise<void> {
      await db
        .updateTable('cards')
        .set({ suspended: 1, updated_at: now })
        .where('user_id', '=', userId)
        .where('id', 'in', cardIds)
        .execute();
    },

    /** One language's cards of a user, oldest first (one import's cards by term), with the fields a file carries. */
    listForExport(db: Kysely<DB>, userId: string, language: string): Promise<ExportRow[]> {
      return cardsOfLanguage(db, userId, language)
        .select(['term', 'translation', 'context_sentence', 'tags'])
        .execute();
    },

    /** One language's cards of a user with their memory state, oldest first (as listForExport orders them). */
    listForApkg(db: Kysely<DB>, userId: string, language: string): Promise<ApkgCardRow[]> {
      return cardsOfLanguage(db, userId, language)
        .select([
          'id',
          'term',
          'translation',
          'context_sentence',
          'context_translation',
          'tags',
          'suspended',
          ...MEMORY_COLUMNS,
          'created_at',
          'updated_at',
        ])
        .execute();
    },

    /** A user's answers to one language's cards, in the order they were given. */
    listLogsForApkg(db: Kysely<DB>, userId: string, language: string): Promise<ApkgLogRow[]> {
      return db
        .selectFrom('review_logs')
        .select(['card_id', 'rating', 'reviewed_at', 'duration_ms', 'card_before', 'card_after'])
        .where('user_id', '=', userId)
        .where('language', '=', language)
        .orderBy('seq')
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
