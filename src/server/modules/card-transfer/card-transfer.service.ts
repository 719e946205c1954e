import type { Kysely } from 'kysely';
import type { ExportFormat, ImportFormat, ImportResult, RejectedRow } from '../../../shared/card-transfer.js';
import { BULK_MAX, type Card, type CreateCardBody, CreateCardBodySchema } from '../../../shared/cards.js';
import { LANGUAGE_NAMES, type TargetLanguage } from '../../../shared/languages.js';
import { DEFAULT_REVIEW_SETTINGS } from '../../../shared/review.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { IdGenerator } from '../../lib/ids.js';
import type { CardService } from '../cards/cards.service.js';
import { termKey } from '../cards/term-key.js';
import type { ReviewRepository } from '../review/review.repository.js';
import { schedulerForSettings } from '../review/review.service.js';
import { type MemoryState, memoryOf, newMemoryState, type Scheduler } from '../review/scheduler.js';
import { type AnkiReview, readApkg } from './apkg.js';
import { type ApkgCard, type ApkgReview, writeApkg } from './apkg-export.js';
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
  contextTranslation: string;
  tags: string[];
  /** Suspended where it came from (an Anki card): the new card is suspended too. */
  suspended: boolean;
  reviews: AnkiReview[];
}

interface ValidRow {
  input: CreateCardBody;
  suspended: boolean;
  reviews: AnkiReview[];
}

export interface ExportFile {
  filename: string;
  contentType: string;
  /** Text for CSV/TSV, the zip's bytes for .apkg. */
  body: string | Uint8Array;
}

/** Whose cards are exported: an Anki package counts its days in the learner's time zone. */
export interface Learner {
  id: string;
  timezone: string;
}

const identity = (language: string, term: string) => JSON.stringify([language, termKey(term, language)]);

/**
 * Importing cards from CSV, TSV and Anki packages, and exporting them as CSV, TSV or Anki packages. An import is one
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
            context: note.context,
            contextTranslation: note.contextTranslation,
            tags: note.tags,
            suspended: note.suspended,
            reviews: note.reviews,
          }))
        : parseCardsCsv(file).map((row) => ({ ...row, contextTranslation: '', suspended: false, reviews: [] }));

    const rejected: RejectedRow[] = [];
    const valid: ValidRow[] = [];
    for (const c of candidates) {
      const parsed = CreateCardBodySchema.safeParse({
        language,
        term: c.term,
        translation: c.translation,
        contextSentence: c.context || null,
        contextTranslation: c.contextTranslation || null,
        tags: c.tags,
        source: 'import',
      });
      if (parsed.success) valid.push({ input: parsed.data, suspended: c.suspended, reviews: c.reviews });
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
      // Cards the learner already had keep their own suspension, as they keep their memory state.
      const suspend = valid.flatMap((row) =>
        row.suspended ? (made.get(identity(row.input.language, row.input.term))?.id ?? []) : [],
      );
      if (suspend.length > 0)
        await this.deps.repo.suspendCards(trx, userId, suspend, this.deps.clock.now().toISOString());
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

  /**
   * One language's cards as a CSV (comma, with a BOM so spreadsheet programs read UTF-8) or TSV file, or as an
   * Anki package carrying their memory state and answers.
   */
  async exportFile(learner: Learner, format: ExportFormat, language: TargetLanguage): Promise<ExportFile> {
    const day = this.deps.clock.now().toISOString().slice(0, 10);
    const filename = `cards-${language}-${day}.${format}`;
    if (format === 'apkg') {
      return { filename, contentType: 'application/octet-stream', body: await this.exportApkg(learner, language) };
    }
    const rows = await this.deps.repo.listForExport(this.deps.database.db, learner.id, language);
    const text = serialiseCardsCsv(
      rows.map((r) => ({
        term: r.term,
        translation: r.translation,
        context: r.context_sentence,
        tags: JSON.parse(r.tags) as string[],
      })),
      format === 'csv' ? ',' : '\t',
    );
    return {
      filename,
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'text/tab-separated-values; charset=utf-8',
      body: format === 'csv' ? `\uFEFF${text}` : text,
    };
  }

  private async exportApkg(learner: Learner, language: TargetLanguage): Promise<Uint8Array> {
    const { database, repo, review, clock } = this.deps;
    // One snapshot, so every card's state is the one its logged answers lead to.
    const { rows, logs, settings } = await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => ({
        rows: await repo.listForApkg(trx, learner.id, language),
        logs: await repo.listLogsForApkg(trx, learner.id, language),
        settings: await review.findSettings(trx, learner.id),
      }));
    const reviews = new Map<string, ApkgReview[]>();
    for (const log of logs) {
      const list = reviews.get(log.card_id) ?? [];
      list.push({
        rating: log.rating,
        reviewedAt: log.reviewed_at,
        durationMs: log.duration_ms,
        before: JSON.parse(log.card_before) as MemoryState,
        after: JSON.parse(log.card_after) as MemoryState,
      });
      reviews.set(log.card_id, list);
    }
    const cards: ApkgCard[] = rows.map((row) => ({
      id: row.id,
      term: row.term,
      translation: row.translation,
      contextSentence: row.context_sentence,
      contextTranslation: row.context_translation,
      tags: JSON.parse(row.tags) as string[],
      suspended: row.suspended === 1,
      memory: memoryOf(row),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      reviews: reviews.get(row.id) ?? [],
    }));
    return writeApkg(cards, {
      languageName: LANGUAGE_NAMES[language],
      timezone: learner.timezone,
      dayBoundaryHour: settings?.day_boundary_hour ?? DEFAULT_REVIEW_SETTINGS.dayBoundaryHour,
      learningSteps: settings?.learning_steps ?? DEFAULT_REVIEW_SETTINGS.learningSteps,
      relearningSteps: settings?.relearning_steps ?? DEFAULT_REVIEW_SETTINGS.relearningSteps,
      newPerDay: settings?.new_per_day ?? DEFAULT_REVIEW_SETTINGS.newCardsPerDay,
      reviewsPerDay: settings?.max_reviews_per_day ?? DEFAULT_REVIEW_SETTINGS.maxReviewsPerDay,
      desiredRetention: settings?.desired_retention ?? DEFAULT_REVIEW_SETTINGS.desiredRetention,
      now: clock.now(),
    });
  }
}
