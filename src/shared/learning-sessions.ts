import { z } from 'zod';
import { TARGET_LANGUAGES } from './languages.js';

export const SESSION_TYPES = ['scenario', 'content_study', 'vocabulary_review', 'conversation'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];
export const SESSION_STATUSES = ['active', 'completed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const METADATA_MAX_BYTES = 16 * 1024;

export const LearningSessionSchema = z.object({
  id: z.string(),
  userId: z.string(),
  type: z.enum(SESSION_TYPES),
  language: z.enum(TARGET_LANGUAGES),
  sourceId: z.string().nullable(),
  status: z.enum(SESSION_STATUSES),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationSeconds: z.number().int(),
  itemsStudied: z.number().int(),
  itemsCorrect: z.number().int(),
  itemsIncorrect: z.number().int(),
  accuracy: z.number(),
  metadata: z.record(z.string(), z.unknown()),
  lastActivityAt: z.string(),
});
export type LearningSession = z.infer<typeof LearningSessionSchema>;

const count = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must not be negative' });
const metadata = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
  .refine((m) => new TextEncoder().encode(JSON.stringify(m)).length <= METADATA_MAX_BYTES, {
    error: `must be at most ${METADATA_MAX_BYTES} bytes of JSON`,
  });

export const CreateLearningSessionBodySchema = z.strictObject({
  type: z.enum(SESSION_TYPES),
  language: z.enum(TARGET_LANGUAGES),
  sourceId: z.string().min(1).max(200).nullable().optional(),
  metadata: metadata.optional(),
});
export type CreateLearningSessionBody = z.infer<typeof CreateLearningSessionBodySchema>;

export const UpdateLearningSessionBodySchema = z.strictObject({
  itemsStudied: count.optional(),
  itemsCorrect: count.optional(),
  itemsIncorrect: count.optional(),
  metadata: metadata.optional(),
});
export type UpdateLearningSessionBody = z.infer<typeof UpdateLearningSessionBodySchema>;

export const ListLearningSessionsQuerySchema = z.strictObject({
  type: z.enum(SESSION_TYPES).optional(),
  language: z.enum(TARGET_LANGUAGES).optional(),
  status: z.enum(SESSION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(10),
  cursor: z.string().max(200).optional(),
});
export type ListLearningSessionsQuery = z.input<typeof ListLearningSessionsQuerySchema>;

export const LearningSessionPageSchema = z.object({
  items: z.array(LearningSessionSchema),
  nextCursor: z.string().nullable(),
});
export type LearningSessionPage = z.infer<typeof LearningSessionPageSchema>;

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' });
export const StatsQuerySchema = z.strictObject({ from: isoDateTime.optional(), to: isoDateTime.optional() });

export const TypeStatsSchema = z.object({
  count: z.number().int(),
  totalSeconds: z.number().int(),
  itemsStudied: z.number().int(),
  accuracy: z.number().nullable(),
});
export type TypeStats = z.infer<typeof TypeStatsSchema>;

export const LearningSessionStatsSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  byType: z.object({
    scenario: TypeStatsSchema,
    content_study: TypeStatsSchema,
    vocabulary_review: TypeStatsSchema,
    conversation: TypeStatsSchema,
  }),
});
export type LearningSessionStats = z.infer<typeof LearningSessionStatsSchema>;

export const ActivityQuerySchema = z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(14) });
export const ActivitySchema = z.object({
  timezone: z.string(),
  today: z.object({ seconds: z.number().int(), sessions: z.number().int() }),
  week: z.object({ seconds: z.number().int(), sessions: z.number().int() }),
  days: z.array(z.object({ date: z.string(), seconds: z.number().int(), sessions: z.number().int() })),
});
export type Activity = z.infer<typeof ActivitySchema>;
