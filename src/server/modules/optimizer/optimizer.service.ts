import { computeParameters, FSRSBinding, FSRSBindingItem, FSRSBindingReview } from '@open-spaced-repetition/binding';
import type { Kysely } from 'kysely';
import {
  MIN_OPTIMIZER_REVIEWS,
  type OptimizerJob,
  type OptimizerResult,
  type OptimizerStatus,
} from '../../../shared/optimizer.js';
import { DEFAULT_REVIEW_SETTINGS } from '../../../shared/review.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { ReviewRepository, ReviewSettingsRow } from '../review/review.repository.js';
import { type TrainingItem, timeSeriesSplit, trainingItems } from './histories.js';
import type { OptimizerJobRow, OptimizerRepository } from './optimizer.repository.js';

export interface OptimizerServiceDeps {
  database: Database;
  repo: OptimizerRepository;
  review: ReviewRepository;
  clock: Clock;
}

/** A queued or running job older than this was left behind by a process that stopped; a new one may replace it. */
const STALE_JOB_MS = 30 * 60_000;

/** Share of the progress bar the evaluation fit (on the earlier reviews) takes; the final fit takes the rest. */
const EVALUATION_SHARE = 0.7;

const toBindingItems = (items: readonly TrainingItem[]) =>
  items.map((item) => new FSRSBindingItem(item.reviews.map((r) => new FSRSBindingReview(r.rating, r.deltaT))));

class ShutdownError extends Error {}

/**
 * Fits a learner's FSRS parameters to their own review history, as a background job (one per learner at a
 * time, its state in the database). The fit is the FSRS optimiser's native code, which runs off the event loop.
 * Defaults and fitted parameters are compared on the same time-series split — fitted on the earlier 80 % of
 * the reviews, both evaluated on the later 20 % — and the fitted ones (refitted on all reviews) are adopted only
 * when their log loss is lower.
 */
export class OptimizerService {
  private readonly running = new Set<Promise<void>>();
  private closing = false;
  /** Where a job that failed unexpectedly is reported; the app points it at its logger once that exists. */
  reportError: (err: unknown) => void = () => {};

  constructor(private readonly deps: OptimizerServiceDeps) {}

  private get db(): Kysely<DB> {
    return this.deps.database.db;
  }

  /**
   * Starts an optimisation for the user and answers its status. When one is already queued or running, that
   * one's status is answered and nothing new starts. With too few reviews the job is `skipped` at once.
   */
  async start(userId: string): Promise<OptimizerStatus> {
    const { repo, clock } = this.deps;
    if (this.closing) return this.status(userId);
    const now = clock.now();
    const startedAt = now.toISOString();
    const staleBefore = new Date(now.getTime() - STALE_JOB_MS).toISOString();
    if (!(await repo.claimJob(this.db, userId, startedAt, staleBefore))) return this.status(userId);

    let training: ReturnType<typeof trainingItems>;
    try {
      training = trainingItems(await repo.reviewLogs(this.db, userId));
    } catch (err) {
      await this.fail(userId, startedAt, 'the optimisation failed');
      throw err;
    }
    const { items, reviews } = training;
    if (reviews < MIN_OPTIMIZER_REVIEWS) {
      await repo.updateJob(this.db, userId, startedAt, {
        status: 'skipped',
        progress: 1,
        finished_at: startedAt,
        message:
          `${reviews} reviews of cards learned from new; at least ${MIN_OPTIMIZER_REVIEWS} are needed ` +
          'to fit parameters, so the defaults stay in use',
      });
      return this.status(userId);
    }

    const job = this.run(userId, startedAt, items, reviews).finally(() => this.running.delete(job));
    this.running.add(job);
    return this.status(userId);
  }

  /** The user's latest optimisation, or null before the first. */
  async status(userId: string): Promise<OptimizerStatus> {
    const row = await this.deps.repo.findJob(this.db, userId);
    return { job: row ? presentJob(row) : null };
  }

  /** Stops running fits at their next progress report and waits for them to record that they stopped. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.running]);
  }

  private async run(userId: string, startedAt: string, items: TrainingItem[], reviews: number): Promise<void> {
    const { repo, clock } = this.deps;
    try {
      await repo.updateJob(this.db, userId, startedAt, { status: 'running' });
      let reported = 0;
      const fit = (train: readonly TrainingItem[], from: number, share: number) =>
        computeParameters(toBindingItems(train), {
          enableShortTerm: true,
          progress: (current, total) => {
            if (total > 0) reported = from + (share * current) / total;
            // Returning false asks the optimiser to stop.
            return !this.closing;
          },
        });
      // The progress callback cannot wait on the database, so the latest figure is written every so often.
      let lastWrite: Promise<unknown> = Promise.resolve();
      const ticker = setInterval(() => {
        lastWrite = repo.updateJob(this.db, userId, startedAt, { progress: reported }).catch(() => {});
      }, 250);
      ticker.unref();
      let result: OptimizerResult;
      try {
        const { train, test } = timeSeriesSplit(items);
        const evaluated = await fit(train, 0, EVALUATION_SHARE);
        this.throwIfClosing();
        const testSet = toBindingItems(test);
        const defaultMetrics = new FSRSBinding().evaluate(testSet);
        const fittedMetrics = new FSRSBinding(evaluated).evaluate(testSet);
        const adopted = fittedMetrics.logLoss < defaultMetrics.logLoss;
        const parameters = adopted ? await fit(items, EVALUATION_SHARE, 1 - EVALUATION_SHARE) : undefined;
        this.throwIfClosing();
        result = {
          reviews,
          defaultMetrics: { logLoss: defaultMetrics.logLoss, rmseBins: defaultMetrics.rmseBins },
          fittedMetrics: { logLoss: fittedMetrics.logLoss, rmseBins: fittedMetrics.rmseBins },
          adopted,
          ...(parameters ? { parameters } : {}),
        };
      } finally {
        clearInterval(ticker);
        // So a late progress write cannot land after the final status.
        await lastWrite;
      }
      if (result.parameters) await this.adopt(userId, result.parameters);
      await repo.updateJob(this.db, userId, startedAt, {
        status: 'done',
        progress: 1,
        finished_at: clock.now().toISOString(),
        message: result.adopted
          ? 'the fitted parameters predicted the later reviews better and are now in use'
          : 'the defaults predicted the later reviews at least as well, so they stay in use',
        result_json: JSON.stringify(result),
      });
    } catch (err) {
      const stopped = err instanceof ShutdownError || this.closing;
      if (!stopped) this.reportError(err);
      await this.fail(
        userId,
        startedAt,
        stopped ? 'the server stopped during the optimisation' : 'the optimisation failed',
      ).catch(() => {});
    }
  }

  private fail(userId: string, startedAt: string, message: string): Promise<void> {
    return this.deps.repo.updateJob(this.db, userId, startedAt, {
      status: 'failed',
      finished_at: this.deps.clock.now().toISOString(),
      message,
    });
  }

  private throwIfClosing(): void {
    if (this.closing) throw new ShutdownError();
  }

  /** Saves fitted parameters into the learner's settings, creating them from the defaults if absent. */
  private async adopt(userId: string, parameters: number[]): Promise<void> {
    const { review, clock } = this.deps;
    await this.deps.database.db.transaction().execute(async (trx) => {
      const existing = await review.findSettings(trx, userId);
      const row: ReviewSettingsRow = existing ?? {
        user_id: userId,
        desired_retention: DEFAULT_REVIEW_SETTINGS.desiredRetention,
        new_per_day: DEFAULT_REVIEW_SETTINGS.newCardsPerDay,
        max_reviews_per_day: DEFAULT_REVIEW_SETTINGS.maxReviewsPerDay,
        learning_steps: DEFAULT_REVIEW_SETTINGS.learningSteps,
        relearning_steps: DEFAULT_REVIEW_SETTINGS.relearningSteps,
        day_boundary_hour: DEFAULT_REVIEW_SETTINGS.dayBoundaryHour,
        parameters: null,
        updated_at: '',
      };
      await review.saveSettings(trx, {
        ...row,
        parameters: JSON.stringify(parameters),
        updated_at: clock.now().toISOString(),
      });
    });
  }
}

function presentJob(row: OptimizerJobRow): OptimizerJob {
  return {
    status: row.status,
    progress: Number(row.progress),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    message: row.message,
    result: row.result_json ? (JSON.parse(row.result_json) as OptimizerResult) : null,
  };
}
