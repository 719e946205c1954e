import { z } from 'zod';
import { BudgetWarningSchema } from './budget.js';
import { TARGET_LANGUAGES } from './languages.js';

export const AskRequestSchema = z
  .object({
    question: z.string().trim().min(1, 'write a question').max(2000),
    /** The language the learner studies, so the tutor can answer with examples in it. */
    language: z.enum(TARGET_LANGUAGES).optional(),
  })
  .strict();
export type AskRequest = z.infer<typeof AskRequestSchema>;

export const AskAnswerSchema = z.object({
  answer: z.string(),
  providerId: z.string(),
  model: z.string(),
  cached: z.boolean(),
  budgetWarnings: z.array(BudgetWarningSchema),
});
export type AskAnswer = z.infer<typeof AskAnswerSchema>;
