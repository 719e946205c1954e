import { z } from 'zod';
import { TARGET_LANGUAGES } from './languages.js';

/** How many review days the forecast covers, starting today. */
export const FORECAST_DAYS = 30;
/** How many review days of history `reviewsPerDay` and `retention` cover, ending today. */
export const HISTORY_DAYS = 90;

/**
 * Retention bands by the whole days since the card's previous review (the log's `elapsed_days`, as FSRS counts
 * them): under 1, 1 to 6, 7 to 29, and 30 or more.
 */
export const RETENTION_BANDS = [
  { band: 'lt1', label: '< 1 day', minDays: 0 },
  { band: '1to7', label: '1–7 days', minDays: 1 },
  { band: '7to30', label: '7–30 days', minDays: 7 },
  { band: 'gt30', label: '> 30 days', minDays: 30 },
] as const;
export type RetentionBandId = (typeof RETENTION_BANDS)[number]['band'];

export const ReviewStatsQuerySchema = z.strictObject({
  language: z.enum(TARGET_LANGUAGES).optional(),
});
export type ReviewStatsQuery = z.infer<typeof ReviewStatsQuerySchema>;

const count = z.number().int();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const ForecastDaySchema = z.object({ date, due: count });
export type ForecastDay = z.infer<typeof ForecastDaySchema>;

export const ReviewDayCountsSchema = z.object({
  date,
  again: count,
  hard: count,
  good: count,
  easy: count,
  total: count,
});
export type ReviewDayCounts = z.infer<typeof ReviewDayCountsSchema>;

export const RetentionBandSchema = z.object({
  band: z.enum(RETENTION_BANDS.map((b) => b.band) as [RetentionBandId, ...RetentionBandId[]]),
  label: z.string(),
  reviews: count,
  passed: count,
  /** passed / reviews, or null without reviews. */
  retention: z.number().nullable(),
});
export type RetentionBand = z.infer<typeof RetentionBandSchema>;

export const CardCountsSchema = z.object({
  new: count,
  learning: count,
  review: count,
  relearning: count,
  suspended: count,
  total: count,
});
export type CardCounts = z.infer<typeof CardCountsSchema>;

/**
 * Review statistics of one learner, in their time zone and review days (which start at their day-boundary hour).
 * `date` is the local calendar date a review day starts on.
 */
export const ReviewStatsSchema = z.object({
  /** Due cards (learning, review, relearning; not suspended) per review day from today; overdue ones count today. */
  forecast: z.array(ForecastDaySchema),
  /** Answers per review day by rating, oldest first, today last. */
  reviewsPerDay: z.array(ReviewDayCountsSchema),
  /** True retention of answers to cards in the review state within the history window, by interval band. */
  retention: z.array(RetentionBandSchema),
  /** Cards per state; suspended cards count only as suspended, so the states and suspended add up to total. */
  counts: CardCountsSchema,
  /** Mean predicted probability of recall now over non-suspended review cards, or null when there are none. */
  averageRetrievability: z.number().nullable(),
});
export type ReviewStats = z.infer<typeof ReviewStatsSchema>;
