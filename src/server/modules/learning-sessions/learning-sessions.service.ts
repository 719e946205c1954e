import { TZDate } from '@date-fns/tz';
import { format, startOfDay, startOfWeek, subDays, addDays } from 'date-fns';
import type { Kysely } from 'kysely';
import {
  type Activity,
  type CreateLearningSessionBody,
  type LearningSession,
  type LearningSessionPage,
  type LearningSessionStats,
  METADATA_MAX_BYTES,
  SESSION_TYPES,
  type SessionType,
  type TypeStats,
  type UpdateLearningSessionBody,
} from '../../../shared/learning-sessions.js';
import type { TargetLanguage } from '../../../shared/languages.js';
import type { Database } from '../../db/database.js';
import { isUniqueViolation } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors.js';
import type { Clock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { IdGenerator } from '../../lib/ids.js';
import { presentLearningSession } from './learning-sessions.presenter.js';
import type { LearningSessionRow, LearningSessionsRepository } from './learning-sessions.repository.js';

export interface LearningSessionServiceDeps {
  database: Database;
  repo: LearningSessionsRepository;
  clock: Clock;
  ids: IdGenerator;
  /** A session with no activity for this long is closed (by the sweep, or when it is next touched). */
  idleMs: number;
}

export interface ListOptions {
  type?: string | undefined;
  language?: string | undefined;
  status?: 'active' | 'completed' | undefined;
  limit: number;
  cursor?: string | undefined;
}

const SWEEP_BATCH = 500;

export class SessionCompletedError extends ConflictError {
  constructor() {
    super('session_completed', 'this learning session is already completed');
  }
}

/**
 * The learning-session ledger: every study activity, its counts and its duration. All state is in the
 * database, so any number of server processes can serve the same user.
 */
export class LearningSessionService {
  constructor(private readonly deps: LearningSessionServiceDeps) {}

  private get db(): Kysely<DB> {
    return this.deps.database.db;
  }

  /**
   * Opens a session. With an idempotency key, a repeated request answers the session the first one made
   * (`created: false`) instead of opening a second.
   */
  async start(
    userId: string,
    input: CreateLearningSessionBody,
    idempotencyKey?: string,
  ): Promise<{ session: LearningSession; created: boolean }> {
    const { repo, clock, ids } = this.deps;
    if (idempotencyKey) {
      const existing = await repo.findByIdempotencyKey(this.db, userId, idempotencyKey);
      if (existing) return { session: presentLearningSession(existing), created: false };
    }
    const row = this.newRow(userId, input, clock.now().toISOString(), ids.id(), idempotencyKey ?? null);
    try {
      await repo.insert(this.db, row);
    } catch (err) {
      // Two copies of one request raced; the other one won, so answer what it made.
      const winner =
        idempotencyKey && isUniqueViolation(err)
          ? await repo.findByIdempotencyKey(this.db, userId, idempotencyKey)
          : undefined;
      if (!winner) throw err;
      return { session: presentLearningSession(winner), created: false };
    }
    return { session: presentLearningSession(row), created: true };
  }

  private newRow(
    userId: string,
    input: CreateLearningSessionBody,
    now: string,
    id: string,
    idempotencyKey: string | null,
  ): LearningSessionRow {
    return {
      id,
      user_id: userId,
      type: input.type,
      language: input.language,
      source_id: input.sourceId ?? null,
      status: 'active',
      started_at: now,
      ended_at: null,
      duration_seconds: 0,
      items_studied: 0,
      items_correct: 0,
      items_incorrect: 0,
      accuracy: 0,
      metadata: JSON.stringify(input.metadata ?? {}),
      last_activity_at: now,
      idempotency_key: idempotencyKey,
    };
  }

  /**
   * Counts one review answer in the learner's `vocabulary_review` session for `language`, inside the caller's
   * transaction: the first answer opens the session (and one after an idle gap opens a fresh one). Answers the
   * session's id.
   */
  async countReviewAnswer(
    trx: Kysely<DB>,
    userId: string,
    language: TargetLanguage,
    correct: boolean,
  ): Promise<string> {
    const { repo, clock, ids } = this.deps;
    const now = clock.now();
    let row = await repo.findActive(trx, userId, 'vocabulary_review', language);
    if (row && this.isIdle(row, now)) {
      await repo.closeIdle(trx, this.idleClosed(row), row.last_activity_at);
      row = undefined;
    }
    if (!row) {
      row = this.newRow(userId, { type: 'vocabulary_review', language }, now.toISOString(), ids.id(), null);
      await repo.insert(trx, row);
    }
    await repo.update(trx, this.applyChanges(row, this.moveCounts(row, correct, 1), now.toISOString()));
    return row.id;
  }

  /** Opens a session inside the caller's transaction (a conversation opens its session with itself). */
  async startIn(trx: Kysely<DB>, userId: string, input: CreateLearningSessionBody): Promise<LearningSession> {
    const row = this.newRow(userId, input, this.deps.clock.now().toISOString(), this.deps.ids.id(), null);
    await this.deps.repo.insert(trx, row);
    return presentLearningSession(row);
  }

  /**
   * Records activity in a session inside the caller's transaction. A session the idle sweep has closed (or one
   * idle past the limit, which is closed now, at its last activity) is not reopened: a new one of the same kind
   * starts, and its id is answered so the caller can follow it.
   */
  async touchIn(
    trx: Kysely<DB>,
    userId: string,
    sessionId: string,
    changes: UpdateLearningSessionBody,
  ): Promise<string> {
    const { repo, clock } = this.deps;
    const now = clock.now();
    let row = await repo.findForUpdate(trx, userId, sessionId);
    if (row?.status === 'active' && this.isIdle(row, now)) {
      await repo.closeIdle(trx, this.idleClosed(row), row.last_activity_at);
      row = { ...row, status: 'completed' };
    }
    if (!row) throw new NotFoundError('learning session');
    if (row.status === 'completed') {
      const { autoClosed: _closed, ...metadata } = JSON.parse(row.metadata) as Record<string, unknown>;
      const fresh: LearningSessionRow = {
        ...this.newRow(
          userId,
          { type: row.type as SessionType, language: row.language as TargetLanguage, metadata },
          now.toISOString(),
          this.deps.ids.id(),
          null,
        ),
        source_id: row.source_id,
      };
      await repo.insert(trx, fresh);
      row = fresh;
    }
    await repo.update(trx, this.applyChanges(row, changes, now.toISOString()));
    return row.id;
  }

  /**
   * Completes a session inside the caller's transaction with its final counts. One the sweep already closed
   * keeps its end time but takes the counts.
   */
  async completeIn(
    trx: Kysely<DB>,
    userId: string,
    sessionId: string,
    changes: UpdateLearningSessionBody,
  ): Promise<LearningSession> {
    const row = await this.deps.repo.findForUpdate(trx, userId, sessionId);
    if (!row) throw new NotFoundError('learning session');
    const now = this.deps.clock.now().toISOString();
    const next = this.applyChanges(row, changes, row.status === 'completed' ? row.last_activity_at : now);
    if (row.status === 'active') {
      next.status = 'completed';
      next.ended_at = now;
      next.duration_seconds = Math.floor((Date.parse(now) - Date.parse(row.started_at)) / 1000);
    }
    await this.deps.repo.update(trx, next);
    return presentLearningSession(next);
  }

  /** Takes one answer back out of a review session's counts (undo), inside the caller's transaction. */
  async uncountReviewAnswer(trx: Kysely<DB>, userId: string, sessionId: string, correct: boolean): Promise<void> {
    const row = await this.deps.repo.find(trx, userId, sessionId);
    if (!row) return;
    const next = this.applyChanges(row, this.moveCounts(row, correct, -1), row.last_activity_at);
    if (next.items_correct + next.items_incorrect === 0) next.accuracy = 0;
    await this.deps.repo.update(trx, next);
  }

  /** Completes a review session when the queue has run dry, inside the caller's transaction. */
  async completeReviewSession(trx: Kysely<DB>, userId: string, sessionId: string): Promise<void> {
    const row = await this.deps.repo.find(trx, userId, sessionId);
    if (row?.status !== 'active') return;
    const now = this.deps.clock.now().toISOString();
    await this.deps.repo.update(trx, {
      ...row,
      status: 'completed',
      ended_at: now,
      last_activity_at: now,
      duration_seconds: Math.floor((Date.parse(now) - Date.parse(row.started_at)) / 1000),
    });
  }

  private moveCounts(row: LearningSessionRow, correct: boolean, by: 1 | -1): UpdateLearningSessionBody {
    return {
      itemsStudied: Math.max(0, row.items_studied + by),
      itemsCorrect: correct ? Math.max(0, row.items_correct + by) : row.items_correct,
      itemsIncorrect: correct ? row.items_incorrect : Math.max(0, row.items_incorrect + by),
    };
  }

  async get(userId: string, id: string): Promise<LearningSession> {
    const row = await this.deps.repo.find(this.db, userId, id);
    if (!row) throw new NotFoundError('learning session');
    return presentLearningSession(row);
  }

  /** Replaces the counts given, merges metadata shallowly, and records activity. */
  async update(userId: string, id: string, changes: UpdateLearningSessionBody): Promise<LearningSession> {
    return this.mutate(userId, id, (row, now) => this.applyChanges(row, changes, now));
  }

  /** Applies `changes` as `update` does, then closes the session and fixes its duration. */
  async complete(userId: string, id: string, changes: UpdateLearningSessionBody): Promise<LearningSession> {
    return this.mutate(userId, id, (row, now) => {
      const next = this.applyChanges(row, changes, now);
      next.status = 'completed';
      next.ended_at = now;
      next.duration_seconds = Math.floor((Date.parse(now) - Date.parse(row.started_at)) / 1000);
      return next;
    });
  }

  private async mutate(
    userId: string,
    id: string,
    change: (row: LearningSessionRow, now: string) => LearningSessionRow,
  ): Promise<LearningSession> {
    const { database, repo, clock } = this.deps;
    const outcome = await database.writeTransaction(async (trx) => {
      const row = await repo.findForUpdate(trx, userId, id);
      if (!row) throw new NotFoundError('learning session');
      if (row.status === 'completed') throw new SessionCompletedError();
      const now = clock.now();
      if (this.isIdle(row, now)) {
        // A forgotten tab coming back: the session ended when activity stopped, not now.
        await repo.closeIdle(trx, this.idleClosed(row), row.last_activity_at);
        return null;
      }
      const next = change(row, now.toISOString());
      await repo.update(trx, next);
      return next;
    });
    if (!outcome) throw new SessionCompletedError();
    return presentLearningSession(outcome);
  }

  private applyChanges(row: LearningSessionRow, changes: UpdateLearningSessionBody, now: string): LearningSessionRow {
    const next = { ...row, last_activity_at: now };
    if (changes.itemsStudied !== undefined) next.items_studied = changes.itemsStudied;
    if (changes.itemsCorrect !== undefined) next.items_correct = changes.itemsCorrect;
    if (changes.itemsIncorrect !== undefined) next.items_incorrect = changes.itemsIncorrect;
    const answered = next.items_correct + next.items_incorrect;
    if (answered > 0) next.accuracy = next.items_correct / answered;
    if (changes.metadata !== undefined) {
      const merged = JSON.stringify({ ...(JSON.parse(row.metadata) as object), ...changes.metadata });
      if (Buffer.byteLength(merged) > METADATA_MAX_BYTES) {
        throw new ValidationError([
          { field: 'metadata', message: `would grow past ${METADATA_MAX_BYTES} bytes of JSON once merged` },
        ]);
      }
      next.metadata = merged;
    }
    return next;
  }

  private isIdle(row: LearningSessionRow, now: Date): boolean {
    return now.getTime() - Date.parse(row.last_activity_at) > this.deps.idleMs;
  }

  private idleClosed(row: LearningSessionRow): LearningSessionRow {
    return {
      ...row,
      status: 'completed',
      ended_at: row.last_activity_at,
      duration_seconds: Math.floor((Date.parse(row.last_activity_at) - Date.parse(row.started_at)) / 1000),
      metadata: JSON.stringify({ ...(JSON.parse(row.metadata) as object), autoClosed: true }),
    };
  }

  /** The caller's sessions, newest first, one page at a time. */
  async list(userId: string, options: ListOptions): Promise<LearningSessionPage> {
    const rows = await this.deps.repo.list(this.db, {
      userId,
      type: options.type,
      language: options.language,
      status: options.status,
      after: options.cursor ? decodeCursor(options.cursor) : undefined,
      limit: options.limit + 1,
    });
    const page = rows.slice(0, options.limit);
    return {
      items: page.map(presentLearningSession),
      nextCursor:
        rows.length > options.limit ? encodeCursor(page[page.length - 1]!.started_at, page[page.length - 1]!.id) : null,
    };
  }

  /** Per type: count, time, items and accuracy of the completed sessions started in [from, to). */
  async stats(userId: string, from?: string, to?: string): Promise<LearningSessionStats> {
    const fromIso = from ? new Date(from).toISOString() : null;
    const toIso = to ? new Date(to).toISOString() : null;
    if (fromIso && toIso && fromIso > toIso)
      throw new ValidationError([{ field: 'from', message: 'must not be after to' }]);
    const totals = await this.deps.repo.totalsByType(this.db, userId, fromIso, toIso);
    const empty = (): TypeStats => ({ count: 0, totalSeconds: 0, itemsStudied: 0, accuracy: null });
    const byType = Object.fromEntries(SESSION_TYPES.map((t) => [t, empty()])) as LearningSessionStats['byType'];
    for (const t of totals) {
      const answered = t.itemsCorrect + t.itemsIncorrect;
      byType[t.type as keyof typeof byType] = {
        count: t.count,
        totalSeconds: t.totalSeconds,
        itemsStudied: t.itemsStudied,
        accuracy: answered > 0 ? t.itemsCorrect / answered : null,
      };
    }
    return { from: fromIso, to: toIso, byType };
  }

  /**
   * Study time per calendar day in the learner's time zone for the last `days` days (today last), with today's
   * and this week's (Monday on) totals. A session counts on the day it started.
   */
  async activity(userId: string, timezone: string, days: number): Promise<Activity> {
    const now = new TZDate(this.deps.clock.now(), timezone);
    const today = startOfDay(now);
    const tomorrow = addDays(today, 1);
    const firstDay = subDays(today, days - 1);
    const weekStart = startOfWeek(now, { weekStartsOn: 1 });
    const from = firstDay < weekStart ? firstDay : weekStart;
    const rows = await this.deps.repo.completedBetween(this.db, userId, from.toISOString(), tomorrow.toISOString());

    const perDay = new Map<string, { seconds: number; sessions: number }>();
    for (let d = 0; d < days; d++) perDay.set(format(addDays(firstDay, d), 'yyyy-MM-dd'), { seconds: 0, sessions: 0 });
    const week = { seconds: 0, sessions: 0 };
    for (const row of rows) {
      const started = new TZDate(row.started_at, timezone);
      const bucket = perDay.get(format(started, 'yyyy-MM-dd'));
      if (bucket) {
        bucket.seconds += row.duration_seconds;
        bucket.sessions += 1;
      }
      if (started >= weekStart) {
        week.seconds += row.duration_seconds;
        week.sessions += 1;
      }
    }
    const series = [...perDay].map(([date, v]) => ({ date, seconds: v.seconds, sessions: v.sessions }));
    const last = series[series.length - 1]!;
    return { timezone, today: { seconds: last.seconds, sessions: last.sessions }, week, days: series };
  }

  /**
   * Closes every session idle for longer than the limit: completed, ended when activity stopped, marked
   * `metadata.autoClosed`. Safe to run from several processes at once. Answers how many it closed.
   */
  async closeIdleSessions(): Promise<number> {
    const { repo, clock, idleMs } = this.deps;
    const before = new Date(clock.now().getTime() - idleMs).toISOString();
    let closed = 0;
    for (;;) {
      const idle = await repo.findIdle(this.db, before, SWEEP_BATCH);
      for (const row of idle) {
        if (await repo.closeIdle(this.db, this.idleClosed(row), row.last_activity_at)) closed++;
      }
      if (idle.length < SWEEP_BATCH) return closed;
    }
  }
}
