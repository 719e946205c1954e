import { z } from 'zod';

export const OPTIMIZER_STATUSES = ['queued', 'running', 'done', 'failed', 'skipped'] as const;

/** The fewest reviews (from cards first seen as new) the optimiser fits parameters to. */
export const MIN_OPTIMIZER_REVIEWS = 400;

const MetricsSchema = z.object({
  /** Mean log loss of the predicted recall on the held-out (later) reviews; lower is better. */
  logLoss: z.number(),
  /** RMSE between predicted and actual recall over bins of similar reviews; lower is better. */
  rmseBins: z.number(),
});

export const OptimizerResultSchema = z.object({
  /** Reviews the fit used. */
  reviews: z.number().int(),
  defaultMetrics: MetricsSchema,
  fittedMetrics: MetricsSchema,
  /** Whether the fitted parameters beat the defaults and now schedule the learner's cards. */
  adopted: z.boolean(),
  parameters: z.array(z.number()).optional(),
});
export type OptimizerResult = z.infer<typeof OptimizerResultSchema>;

export const OptimizerJobSchema = z.object({
  status: z.enum(OPTIMIZER_STATUSES),
  /** 0 to 1. */
  progress: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Why the job was skipped or failed. */
  message: z.string().nullable(),
  result: OptimizerResultSchema.nullable(),
});
export type OptimizerJob = z.infer<typeof OptimizerJobSchema>;

/** The status of the learner's latest optimisation; `job` is null before the first. */
export const OptimizerStatusSchema = z.object({ job: OptimizerJobSchema.nullable() });
export type OptimizerStatus = z.infer<typeof OptimizerStatusSchema>;
