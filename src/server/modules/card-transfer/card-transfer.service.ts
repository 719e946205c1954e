import type { Kysely } from 'kysely';
import type { ExportFormat, ImportFormat, ImportResult, RejectedRow } from '../../../shared/card-transfer.js';
import { BULK_MAX, type Card, type CreateCardBody, CreateCardBodySchema } from '../../../shared/cards.js';
import type { TargetLanguage } from '../../../shared/languages.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { IdGenerator } from '../../lib/ids.js';
import type { CardService } from '../cards/cards.service.js';
import { termKey } from '../cards/term-key.js';
import type { ReviewRepository } from '../review/review.repository.js';
import { schedulerForSettings } from '../review/review.service.js';
import { newMemoryState, type Scheduler } from '../review/scheduler.js';
import { type AnkiReview, readApkg } from './apkg.js';
import type { CardTransferRepository, ReviewLogRow } from './card-transfer.repository.js';
import { parseCardsCsv, serialiseCardsCsv } from './csv.js';

export interface CardTransferServiceDeps {
  database: Database;
  cards: CardService;
  /** The review module's SQL: settings, the per-user answer lock, the latest answer, memory-state updates. */
  review: ReviewRepository;
  repo: CardTransferRepository;
  clock: Clock;
  ids: IdGenerator;
}

/** One row of a file, before validation. */
interface Candidate {
  line: number;
  term: string;
  translation: string;
  context: string;
  tags: string[];
  reviews: AnkiReview[];
}

interface ValidRow {
  input: CreateCardBody;
  reviews: AnkiReview[];
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: string;
}

const identity = (language: string, term: string) => JSON.stringify([language, termKey(term, language)]);

/**
 * Importing cards from CSV, TSV and Anki packages, and exporting them as CSV or TSV. An import is one
 * transaction: a file refused for its structure writes nothing; rows refused for their values are reported
 * with their line and the rest imported. Imported Anki cards keep their memory state by replaying their review
 * history through the learner's FSRS scheduler.
 */
export class CardTransferService {
  constructor(private readonly deps: CardTransferServiceDeps) {}

  async importFile(
    userId: string,
    format: ImportFormat,
    language: TargetLanguage,
    file: Uint8Array,
  ): Promise<ImportResult> {
    const candidates: Candidate[] =
      format === 'apkg'
        ? readApkg(file).map((note) => ({
            line: note.position,
            term: note.term,
            translation: note.translation,
            context: '',
            tags: note.tags,
            reviews: note.reviews,
          }))
        : parseCardsCsv(file).map((row) => ({ ...row, reviews: [] }));

    const rejected: RejectedRow[] = [];
    const valid: ValidRow[] = [];
    for (const c of candidates) {
      const parsed = CreateCardBodySchema.safeParse({
        language,
        term: c.term,
        translation: c.translation,
        contextSentence: c.context || null,
        tags: c.tags,
        source: 'import',
      });
      if (parsed.success) valid.push({ input: parsed.data, reviews: c.reviews });
      else {
        // The first problem of each field: an empty term need not also be told it lacks a letter.
        const byField = new Map<string, string>();
        for (const issue of parsed.error.issues) {
          const field = issue.path.join('.');
          if (!byField.has(field)) byField.set(field, `${field} ${issue.message}`);
        }
        const reason = [...byField.values()].join('; ');
        rejected.push({ line: c.line, reason });
      }
    }
    if (valid.length === 0) return { created: 0, existing: 0, rejected };

    const { database, cards, review } = this.deps;
    const created = await database.writeTransaction(async (trx) => {
      const withHistory = valid.some((row) => row.reviews.length > 0);
      // Taken first, as answering a review takes it, so the two never wait on each other's card rows.
      if (withHistory) await review.lockUser(trx, userId);
      const made = new Map<string, Card>();
      // Rows beyond BULK_MAX go in further batches of the same transaction; a term repeated in a later batch
      // finds the card an earlier one made, which is what it would have done in one batch.
      for (let i = 0; i < valid.length; i += BULK_MAX) {
        const batch = valid.slice(i, i + BULK_MAX).map((row) => row.input);
        const result = await cards.addManyIn(trx, userId, batch);
        for (const card of result.created) made.set(identity(card.language, card.term), card);
      }
      if (withHistory) await this.replayHistory(trx, userId, language, valid, made);
      return made.size;
    });
    return { created, existing: valid.length - created, rejected };
  }

  /**
   * Gives each card the import made the memory state its review history leads to, answering each review in
   * time order with the learner's scheduler, and logs each as an answer (`anki:<revlog id>`, in no learning
   * session). Cards the learner already had keep their own state and history.
   */
  private async replayHistory(
    trx: Kysely<DB>,
    userId: string,
    language: string,
    rows: readonly ValidRow[],
    made: ReadonlyMap<string, Card>,
  ): Promise<void> {
    const { review, repo, clock, ids } = this.deps;
    const scheduler = await this.scheduler(trx, userId);
    const now = clock.now().toISOString();
    const logs: Omit<ReviewLogRow, 'seq'>[] = [];
    const replayed = new Set<string>();
    for (const row of rows) {
      const card = made.get(identity(row.input.language, row.input.term));
      if (!card || replayed.has(card.id) || row.reviews.length === 0) continue;
      replayed.add(card.id);
      let memory = newMemoryState(card.due);
      for (const r of row.reviews) {
        const at = new Date(r.id);
        const after = scheduler.answer(memory, r.rating, at);
        logs.push({
          id: ids.id(),
          user_id: userId,
          card_id: card.id,
          answer_id: `anki:${r.id}`,
          language,
          rating: r.rating,
          state_before: memory.state,
          elapsed_days: after.elapsed_days,
          scheduled_days: after.scheduled_days,
          reviewed_at: at.toISOString(),
          duration_ms: r.durationMs,
          card_before: JSON.stringify(memory),
          card_after: JSON.stringify(after),
          learning_session_id: null,
        });
        memory = after;
      }
      await review.saveMemory(trx, card.id, memory, now);
    }
    // The learner's answer order continues after their latest answer, oldest imported review first.
    const last = await review.latestLog(trx, userId);
    const first = (last?.seq ?? 0) + 1;
    logs.sort((a, b) => a.reviewed_at.localeCompare(b.reviewed_at));
    await repo.insertReviewLogs(
      trx,
      logs.map((log, i) => ({ ...log, seq: first + i })),
    );
  }

  /** The learner's FSRS scheduler, configured from their settings as ReviewService does. */
  private async scheduler(trx: Kysely<DB>, userId: string): Promise<Scheduler> {
    return schedulerForSettings(await this.deps.review.findSettings(trx, userId));
  }

  /** One language's cards as a CSV (comma, with a BOM so spreadsheet programs read UTF-8) or TSV file. */
  async exportFile(userId: string, format: ExportFormat, language: TargetLanguage): Promise<ExportFile> {
    const rows = await this.deps.repo.listForExport(this.deps.database.db, userId, language);
    const text = serialiseCardsCsv(
      rows.map((r) => ({
        term: r.term,
        translation: r.translation,
        context: r.context_sentence,
        tags: JSON.parse(r.tags) as string[],
      })),
      format === 'csv' ? ',' : '\t',
    );
    const day = this.deps.clock.now().toISOString().slice(0, 10);
    return {
      filename: `cards-${language}-${day}.${format}`,
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'text/tab-separated-values; charset=utf-8',
      body: format === 'csv' ? `\uFEFF${text}` : text,
    };
  }
}
