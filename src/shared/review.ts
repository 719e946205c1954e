import { z } from 'zod';
import { CardSchema } from './cards.js';
import { TARGET_LANGUAGES } from './languages.js';

export const RATINGS = ['again', 'hard', 'good', 'easy'] as const;
export type RatingName = (typeof RATINGS)[number];

/** A learning or relearning step: a whole number of minutes, hours or days, e.g. "1m", "10m", "1h", "1d". */
const STEP = /^[1-9]\d{0,3}[mhd]$/;
const steps = z
  .string()
  .trim()
  .refine((s) => s === '' || s.split(/\s+/).every((step) => STEP.test(step)), {
    error: 'must be steps such as "1m 10m" (minutes m, hours h, days d), separated by spaces',
  })
  .transform((s) => s.split(/\s+/).filter(Boolean).join(' '));

export const ReviewSettingsSchema = z.object({
  desiredRetention: z.number().min(0.7).max(0.99),
  newCardsPerDay: z.number().int().min(0).max(9999),
  maxReviewsPerDay: z.number().int().min(0).max(99999),
  learningSteps: z.string(),
  relearningSteps: z.string(),
  dayBoundaryHour: z.number().int().min(0).max(23),
  /** Whether fitted FSRS parameters (from the optimiser) are in use rather than the defaults. */
  personalisedParameters: z.boolean(),
});
export type ReviewSettings = z.infer<typeof ReviewSettingsSchema>;

export const DEFAULT_REVIEW_SETTINGS: Omit<ReviewSettings, 'personalisedParameters'> = {
  desiredRetention: 0.9,
  newCardsPerDay: 20,
  maxReviewsPerDay: 200,
  learningSteps: '1m 10m',
  relearningSteps: '10m',
  dayBoundaryHour: 4,
};

export const PutReviewSettingsBodySchema = z.strictObject({
  desiredRetention: z
    .number()
    .min(0.7, { error: 'must be at least 0.70' })
    .max(0.99, { error: 'must be at most 0.99' }),
  newCardsPerDay: z.number().int().min(0).max(9999),
  maxReviewsPerDay: z.number().int().min(0).max(99999),
  learningSteps: steps,
  relearningSteps: steps,
  dayBoundaryHour: z.number().int().min(0).max(23),
});
export type PutReviewSettingsBody = z.infer<typeof PutReviewSettingsBodySchema>;

const Preview = z.object({ due: z.string(), intervalSeconds: z.number().int() });
export const QueueItemSchema = z.object({
  card: CardSchema,
  previews: z.object({ again: Preview, hard: Preview, good: Preview, easy: Preview }),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;

export const QueueSchema = z.object({
  items: z.array(QueueItemSchema),
  counts: z.object({ new: z.number().int(), learning: z.number().int(), review: z.number().int() }),
});
export type Queue = z.infer<typeof QueueSchema>;

export const QueueQuerySchema = z.strictObject({
  language: z.enum(TARGET_LANGUAGES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const AnswerBodySchema = z.strictObject({
  answerId: z.uuid({ error: 'must be a UUID made by the client' }),
  cardId: z.string().min(1),
  rating: z.enum(RATINGS),
  durationMs: z.number().int().min(0).max(3_600_000),
});
export type AnswerBody = z.infer<typeof AnswerBodySchema>;

export const UndoResultSchema = z.object({ card: CardSchema, undoneRating: z.enum(RATINGS) });
