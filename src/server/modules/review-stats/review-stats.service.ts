import { TZDate } from '@date-fns/tz';
import { addDays, format } from 'date-fns';
import { DEFAULT_REVIEW_SETTINGS } from '../../../shared/review.js';
import {
  type CardCounts,
  FORECAST_DAYS,
  type ForecastDay,
  HISTORY_DAYS,
  RETENTION_BANDS,
  type RetentionBand,
  type ReviewDayCounts,
  type ReviewStats,
} from '../../../shared/review-stats.js';
import type { Database } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { reviewDay } from '../review/review-day.js';
import { createScheduler, type Scheduler } from '../review/scheduler.js';
import type { ReviewStatsRepository, StatsScope } from './review-stats.repository.js';

export interface ReviewStatsServiceDeps {
  database: Database;
  repo: ReviewStatsRepository;
  clock: Clock;
}

/** Whose statistics: their id and the time zone their review days follow. */
export interface StatsReader {
  id: string;
  timezone: string;
}

/**
 * A run of consecutive review days in one time zone: `starts` holds each day's start and, last, the end of the
 * final day. Days are built by local calendar arithmetic, so a day across a DST change is 23 or 25 hours long.
 */
class ReviewDays {
  readonly starts: Date[];

  constructor(
    first: Date,
    count: number,
    private readonly timezone: string,
  ) {
    const local = new TZDate(first, timezone);
    this.starts = Array.from({ length: count + 1 }, (_, i) => new Date(addDays(local, i).getTime()));
  }

  get from(): string {
    return this.starts[0]!.toISOString();
  }

  get until(): string {
    return this.starts[this.starts.length - 1]!.toISOString();
  }

  /** The local calendar date each day starts on. */
  dates(): string[] {
    return this.starts.slice(0, -1).map((start) => format(new TZDate(start, this.timezone), 'yyyy-MM-dd'));
  }

  /** Which day a time in [from, until) falls in. */
  indexOf(time: number): number {
    let low = 0;
    let high = this.starts.length - 2;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (this.starts[mid]!.getTime() <= time) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

/** The start of a "YYYY-MM-DDTHH:MM" minute as read from the repository. */
const minuteStart = (minute: string) => Date.parse(`${minute}:00.000Z`);

/** The retention band of an answer after `elapsedDays`; a negative count (a clock set back) counts as under a day. */
const bandOf = (elapsedDays: number) =>
  Math.max(
    0,
    RETENTION_BANDS.findLastIndex((b) => elapsedDays >= b.minDays),
  );

/**
 * Review statistics of one learner: the due forecast, answers per day, true retention by interval, cards per
 * state and the average predicted recall. Days are review days in the learner's time zone, starting at their
 * day-boundary hour, as the review queue counts them.
 */
export class ReviewStatsService {
  constructor(private readonly deps: ReviewStatsServiceDeps) {}

  /** The statistics of `reader`, of one language or (without `language`) of all. */
  async stats(reader: StatsReader, language?: string): Promise<ReviewStats> {
    const { repo, clock } = this.deps;
    const scope: StatsScope = { userId: reader.id, language };
    const now = clock.now();
    const settings = await repo.findSettings(this.db, reader.id);
    const boundaryHour = settings?.day_boundary_hour ?? DEFAULT_REVIEW_SETTINGS.dayBoundaryHour;
    const today = reviewDay(now, reader.timezone, boundaryHour).start;
    const ahead = new ReviewDays(today, FORECAST_DAYS, reader.timezone);
    const past = new ReviewDays(
      addDays(new TZDate(today, reader.timezone), 1 - HISTORY_DAYS),
      HISTORY_DAYS,
      reader.timezone,
    );
    // Predicted recall depends only on the FSRS weights (the learner's fitted ones, if any), not on retention or steps.
    const scheduler = createScheduler({
      ...DEFAULT_REVIEW_SETTINGS,
      parameters: settings?.parameters ? (JSON.parse(settings.parameters) as number[]) : null,
    });
    return {
      forecast: await this.forecast(scope, ahead),
      reviewsPerDay: await this.reviewsPerDay(scope, past),
      retention: await this.retention(scope, past),
      counts: await this.counts(scope),
      averageRetrievability: await this.averageRetrievability(scope, scheduler, now),
    };
  }

  private get db() {
    return this.deps.database.db;
  }

  private async forecast(scope: StatsScope, days: ReviewDays): Promise<ForecastDay[]> {
    const forecast = days.dates().map((date) => ({ date, due: 0 }));
    forecast[0]!.due += await this.deps.repo.countDueBefore(this.db, scope, days.from);
    for (const row of await this.deps.repo.dueByMinute(this.db, scope, days.from, days.until)) {
      forecast[days.indexOf(minuteStart(row.minute))]!.due += row.cards;
    }
    return forecast;
  }

  private async reviewsPerDay(scope: StatsScope, days: ReviewDays): Promise<ReviewDayCounts[]> {
    const perDay = days.dates().map((date) => ({ date, again: 0, hard: 0, good: 0, easy: 0, total: 0 }));
    for (const row of await this.deps.repo.answersByMinute(this.db, scope, days.from, days.until)) {
      const day = perDay[days.indexOf(minuteStart(row.minute))]!;
      day[row.rating] += row.answers;
      day.total += row.answers;
    }
    return perDay;
  }

  private async retention(scope: StatsScope, days: ReviewDays): Promise<RetentionBand[]> {
    const bands = RETENTION_BANDS.map(({ band, label }) => ({ band, label, reviews: 0, passed: 0 }));
    for (const row of await this.deps.repo.reviewOutcomesByElapsedDays(this.db, scope, days.from, days.until)) {
      const band = bands[bandOf(row.elapsedDays)]!;
      band.reviews += row.reviews;
      band.passed += row.passed;
    }
    return bands.map((b) => ({ ...b, retention: b.reviews > 0 ? b.passed / b.reviews : null }));
  }

  private async counts(scope: StatsScope): Promise<CardCounts> {
    const counts: CardCounts = { new: 0, learning: 0, review: 0, relearning: 0, suspended: 0, total: 0 };
    for (const row of await this.deps.repo.cardCounts(this.db, scope)) {
      counts[row.suspended ? 'suspended' : row.state] += row.cards;
      counts.total += row.cards;
    }
    return counts;
  }

  private async averageRetrievability(scope: StatsScope, scheduler: Scheduler, now: Date): Promise<number | null> {
    const memories = await this.deps.repo.reviewMemories(this.db, scope);
    if (memories.length === 0) return null;
    return memories.reduce((sum, m) => sum + scheduler.retrievability(m, now), 0) / memories.length;
  }
}
