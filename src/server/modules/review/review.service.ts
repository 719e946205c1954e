import type { Kysely } from 'kysely';
import type { Card } from '../../../shared/cards.js';
import type { TargetLanguage } from '../../../shared/languages.js';
import {
  type AnswerBody,
  DEFAULT_REVIEW_SETTINGS,
  type PutReviewSettingsBody,
  type Queue,
  type QueueItem,
  type RatingName,
  type ReviewSettings,
} from '../../../shared/review.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { DomainError, NotFoundError } from '../../http/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { IdGenerator } from '../../lib/ids.js';
import { presentCard } from '../cards/cards.presenter.js';
import type { LearningSessionService } from '../learning-sessions/learning-sessions.service.js';
import {
  type CardRow,
  type QueueScope,
  REVIEW_SCAN_LIMIT,
  type ReviewRepository,
  type ReviewSettingsRow,
} from './review.repository.js';
import { reviewDay } from './review-day.js';
import { createScheduler, type MemoryState, memoryOf, type Scheduler } from './scheduler.js';

export interface ReviewServiceDeps {
  database: Database;
  repo: ReviewRepository;
  learningSessions: LearningSessionService;
  clock: Clock;
  ids: IdGenerator;
}

/** Who is reviewing: their id and the time zone their days follow. */
export interface Reviewer {
  id: string;
  timezone: string;
}

/** How far ahead learning cards are shown when nothing else is due (Anki's "learn ahead limit"). */
const LEARN_AHEAD_MS = 20 * 60_000;

/** The FSRS scheduler a learner's stored settings (or the defaults, with no row) describe. */
export function schedulerForSettings(row: ReviewSettingsRow | undefined): Scheduler {
  return createScheduler({
    desiredRetention: row?.desired_retention ?? DEFAULT_REVIEW_SETTINGS.desiredRetention,
    learningSteps: row?.learning_steps ?? DEFAULT_REVIEW_SETTINGS.learningSteps,
    relearningSteps: row?.relearning_steps ?? DEFAULT_REVIEW_SETTINGS.relearningSteps,
    parameters: row?.parameters ? (JSON.parse(row.parameters) as number[]) : null,
  });
}

export class NothingToUndoError extends DomainError {
  constructor() {
    super('nothing_to_undo', 'there is no answer from today left to undo');
  }
}

/**
 * Spaced-repetition review with FSRS: the due queue, answers (idempotent by the client's answerId), undo, and
 * the learner's settings. Answers and undos of one learner are serialised, so two tabs never corrupt a card.
 */
export class ReviewService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  private get db(): Kysely<DB> {
    return this.deps.database.db;
  }

  async getSettings(userId: string): Promise<ReviewSettings> {
    return this.present(await this.deps.repo.findSettings(this.db, userId));
  }

  /** Replaces the settings. A new retention applies to the next answers; nothing is rescheduled. */
  async putSettings(userId: string, input: PutReviewSettingsBody): Promise<ReviewSettings> {
    const existing = await this.deps.repo.findSettings(this.db, userId);
    const row: ReviewSettingsRow = {
      user_id: userId,
      desired_retention: input.desiredRetention,
      new_per_day: input.newCardsPerDay,
      max_reviews_per_day: input.maxReviewsPerDay,
      learning_steps: input.learningSteps,
      relearning_steps: input.relearningSteps,
      day_boundary_hour: input.dayBoundaryHour,
      parameters: existing?.parameters ?? null,
      updated_at: this.deps.clock.now().toISOString(),
    };
    await this.deps.repo.saveSettings(this.db, row);
    return this.present(row);
  }

  private present(row: ReviewSettingsRow | undefined): ReviewSettings {
    if (!row) return { ...DEFAULT_REVIEW_SETTINGS, personalisedParameters: false };
    return {
      desiredRetention: row.desired_retention,
      newCardsPerDay: row.new_per_day,
      maxReviewsPerDay: row.max_reviews_per_day,
      learningSteps: row.learning_steps,
      relearningSteps: row.relearning_steps,
      dayBoundaryHour: row.day_boundary_hour,
      personalisedParameters: row.parameters !== null,
    };
  }

  private async scheduling(
    db: Kysely<DB>,
    userId: string,
  ): Promise<{ settings: ReviewSettings; scheduler: Scheduler }> {
    const row = await this.deps.repo.findSettings(db, userId);
    return { settings: this.present(row), scheduler: schedulerForSettings(row) };
  }

  /**
   * What to review now: due learning and relearning cards first, then due review cards (most overdue relative
   * to their stability first), then new cards up to what is left of today's allowance. Limits are per learner
   * and review day across languages. The card answered last never comes first.
   */
  async queue(reviewer: Reviewer, language: TargetLanguage | undefined, limit: number): Promise<Queue> {
    const { repo, clock } = this.deps;
    const now = clock.now();
    const { settings, scheduler } = await this.scheduling(this.db, reviewer.id);
    const plan = await this.plan(this.db, reviewer, language, settings, now, limit + 1);
    const last = await repo.latestLog(this.db, reviewer.id);
    let cards = plan.cards;
    if (last && cards[0]?.id === last.card_id) {
      // Never the same card twice in a row: it goes second, or waits when it is the only one due.
      cards = cards.length > 1 ? [cards[1]!, cards[0], ...cards.slice(2)] : [];
    }
    const items: QueueItem[] = cards.slice(0, limit).map((row) => ({
      card: presentCard(row),
      previews: scheduler.preview(memoryOf(row), now),
    }));
    return { items, counts: plan.counts };
  }

  /** How many reviews and new cards today's limits still allow in review day `day` (per learner, across languages). */
  private async allowance(db: Kysely<DB>, userId: string, settings: ReviewSettings, day: { start: Date; end: Date }) {
    const done = await this.deps.repo.answeredBetween(db, { userId }, day.start.toISOString(), day.end.toISOString());
    return {
      reviewsLeft: Math.max(0, settings.maxReviewsPerDay - done.reviews),
      newLeft: Math.max(0, settings.newCardsPerDay - done.newIntroduced),
    };
  }

  /** The due cards in review order, and how many are due in each group within today's limits. */
  private async plan(
    db: Kysely<DB>,
    reviewer: Reviewer,
    language: string | undefined,
    settings: ReviewSettings,
    now: Date,
    limit: number,
  ) {
    const { repo } = this.deps;
    const scope: QueueScope = { userId: reviewer.id, language };
    const nowIso = now.toISOString();
    const day = reviewDay(now, reviewer.timezone, settings.dayBoundaryHour);
    const { reviewsLeft, newLeft } = await this.allowance(db, reviewer.id, settings, day);
    const counts = await repo.dueCounts(db, scope, nowIso, day.end.toISOString(), {
      review: reviewsLeft,
      new: newLeft,
    });

    const learning = await repo.dueLearning(db, scope, nowIso, limit);
    const reviews =
      learning.length < limit && counts.review > 0
        ? await this.mostOverdue(db, scope, day.end, now, limit - learning.length, counts.review)
        : [];
    const room = limit - learning.length - reviews.length;
    const fresh = room > 0 && counts.new > 0 ? await repo.newCards(db, scope, Math.min(room, counts.new)) : [];
    const cards = [...learning, ...reviews, ...fresh];
    if (cards.length === 0) {
      // Nothing else to do: as in Anki, learning cards due within the next minutes are shown early rather than
      // ending the session only to start another in a minute.
      const ahead = new Date(now.getTime() + LEARN_AHEAD_MS).toISOString();
      cards.push(...(await repo.dueLearning(db, scope, ahead, limit)));
    }
    return { cards, counts };
  }

  /**
   * The `take` review cards most overdue relative to their stability, among the earliest-due `allowed` (at most
   * REVIEW_SCAN_LIMIT). The database orders the scanned cards; whole rows are read only for the chosen ones.
   */
  private async mostOverdue(
    db: Kysely<DB>,
    scope: QueueScope,
    dayEnd: Date,
    now: Date,
    take: number,
    allowed: number,
  ): Promise<CardRow[]> {
    const { repo } = this.deps;
    const ids = await repo.mostOverdueReviewIds(
      db,
      scope,
      now.toISOString(),
      dayEnd.toISOString(),
      Math.min(REVIEW_SCAN_LIMIT, allowed),
      take,
    );
    const rows = new Map((await repo.cardsByIds(db, scope.userId, ids)).map((row) => [row.id, row]));
    return ids.flatMap((id) => rows.get(id) ?? []);
  }

  /**
   * Whether anything is left to review now: what `plan(…, 1)` answers as "no cards", without reading a card. A
   * learning card due within the learn-ahead window counts (the queue would show it early); review and new cards
   * count while today's limits allow them.
   */
  private async anythingLeft(
    db: Kysely<DB>,
    reviewer: Reviewer,
    language: string,
    settings: ReviewSettings,
    now: Date,
  ): Promise<boolean> {
    const scope: QueueScope = { userId: reviewer.id, language };
    const day = reviewDay(now, reviewer.timezone, settings.dayBoundaryHour);
    const ahead = new Date(now.getTime() + LEARN_AHEAD_MS).toISOString();
    const any = await this.deps.repo.anyDue(db, scope, ahead, day.end.toISOString());
    if (any.learning) return true;
    if (!any.review && !any.new) return false;
    const { reviewsLeft, newLeft } = await this.allowance(db, reviewer.id, settings, day);
    return (any.review && reviewsLeft > 0) || (any.new && newLeft > 0);
  }

  /**
   * Rates a card. Repeating an answerId answers the first result and reviews nothing again. Counts the answer in
   * the learner's review session, and completes that session when nothing is left to review.
   */
  async answer(reviewer: Reviewer, input: AnswerBody): Promise<Card> {
    const { database, repo, clock, ids, learningSessions } = this.deps;
    return database.writeTransaction(async (trx) => {
      await repo.lockUser(trx, reviewer.id);
      const repeated = await repo.findLogByAnswerId(trx, reviewer.id, input.answerId);
      const card = await repo.findCard(trx, reviewer.id, repeated?.card_id ?? input.cardId);
      if (!card) throw new NotFoundError('card');
      if (repeated) return presentCard({ ...card, ...(JSON.parse(repeated.card_after) as MemoryState) });

      const now = clock.now();
      const { settings, scheduler } = await this.scheduling(trx, reviewer.id);
      const before = memoryOf(card);
      const after = scheduler.answer(before, input.rating, now);
      const correct = input.rating !== 'again';
      const sessionId = await learningSessions.countReviewAnswer(
        trx,
        reviewer.id,
        card.language as TargetLanguage,
        correct,
      );
      const last = await repo.latestLog(trx, reviewer.id);
      await repo.insertLog(trx, {
        id: ids.id(),
        user_id: reviewer.id,
        card_id: card.id,
        answer_id: input.answerId,
        seq: (last?.seq ?? 0) + 1,
        language: card.language,
        rating: input.rating,
        state_before: card.state,
        elapsed_days: after.elapsed_days,
        scheduled_days: after.scheduled_days,
        reviewed_at: now.toISOString(),
        duration_ms: input.durationMs,
        card_before: JSON.stringify(before),
        card_after: JSON.stringify(after),
        learning_session_id: sessionId,
      });
      await repo.saveMemory(trx, card.id, after, now.toISOString());
      if (!(await this.anythingLeft(trx, reviewer, card.language, settings, now)))
        await learningSessions.completeReviewSession(trx, reviewer.id, sessionId);
      return presentCard({ ...card, ...after, updated_at: now.toISOString() });
    });
  }

  /** Restores the card of the caller's latest answer today exactly as it was, and removes that answer. */
  async undo(reviewer: Reviewer): Promise<{ card: Card; undoneRating: RatingName }> {
    const { database, repo, clock, learningSessions } = this.deps;
    return database.writeTransaction(async (trx) => {
      await repo.lockUser(trx, reviewer.id);
      const { settings } = await this.scheduling(trx, reviewer.id);
      const day = reviewDay(clock.now(), reviewer.timezone, settings.dayBoundaryHour);
      const log = await repo.latestLog(trx, reviewer.id, day.start.toISOString());
      if (!log) throw new NothingToUndoError();
      const before = JSON.parse(log.card_before) as MemoryState;
      const now = clock.now().toISOString();
      await repo.saveMemory(trx, log.card_id, before, now);
      await repo.deleteLog(trx, log.id);
      if (log.learning_session_id) {
        await learningSessions.uncountReviewAnswer(trx, reviewer.id, log.learning_session_id, log.rating !== 'again');
      }
      const card = (await repo.findCard(trx, reviewer.id, log.card_id))!;
      return { card: presentCard(card), undoneRating: log.rating };
    });
  }
}
