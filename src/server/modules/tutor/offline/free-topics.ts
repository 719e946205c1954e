import { z } from 'zod';
import { TARGET_LANGUAGES } from '../../../../shared/languages.js';

/**
 * The free-conversation topics (`content/free-topics.json`): for each topic and target language, an opening
 * prompt and the questions the offline tutor asks next. The caller reads the file; `parseFreeTopics` validates.
 */

const line = z.string().trim().min(1).max(400);

export const FreeTopicLanguageSchema = z.object({
  prompt: line,
  questions: z.array(line).min(1).max(40),
});

export const FreeTopicSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/u)
    .max(80),
  title: z.string().trim().min(1).max(120),
  languages: z.partialRecord(z.enum(TARGET_LANGUAGES), FreeTopicLanguageSchema),
});
export type FreeTopic = z.infer<typeof FreeTopicSchema>;

export const FreeTopicsFileSchema = z
  .object({ topics: z.array(FreeTopicSchema).min(1) })
  .refine((file) => new Set(file.topics.map((t) => t.id)).size === file.topics.length, {
    message: 'topic ids must be unique',
    path: ['topics'],
  });

/** Validates the parsed JSON of `free-topics.json`; throws a ZodError listing every problem. */
export function parseFreeTopics(json: unknown): FreeTopic[] {
  return FreeTopicsFileSchema.parse(json).topics;
}
