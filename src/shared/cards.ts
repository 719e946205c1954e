import { z } from 'zod';
import { TARGET_LANGUAGES } from './languages.js';

export const CARD_SOURCES = ['manual', 'scenario', 'conversation', 'content', 'import'] as const;
export type CardSource = (typeof CARD_SOURCES)[number];
export const CARD_STATES = ['new', 'learning', 'review', 'relearning'] as const;
export type CardState = (typeof CARD_STATES)[number];
export const BULK_MAX = 500;

export const CardSchema = z.object({
  id: z.string(),
  language: z.enum(TARGET_LANGUAGES),
  term: z.string(),
  translation: z.string(),
  partOfSpeech: z.string().nullable(),
  contextSentence: z.string().nullable(),
  contextTranslation: z.string().nullable(),
  notes: z.string().nullable(),
  tags: z.array(z.string()),
  source: z.enum(CARD_SOURCES),
  sourceId: z.string().nullable(),
  state: z.enum(CARD_STATES),
  suspended: z.boolean(),
  due: z.string(),
  stability: z.number(),
  difficulty: z.number(),
  reps: z.number().int(),
  lapses: z.number().int(),
  lastReviewedAt: z.string().nullable(),
  createdAt: z.string(),
  encounters: z.number().int(),
});
export type Card = z.infer<typeof CardSchema>;

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const tags = z.array(z.string().trim().min(1).max(50)).max(30);
// A term of nothing but punctuation would fold to an empty key (see the server's term-key.ts).
const term = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(200)
  .refine((t) => /[\p{L}\p{N}]/u.test(t), { error: 'must contain a letter or a digit' });

export const CreateCardBodySchema = z.strictObject({
  language: z.enum(TARGET_LANGUAGES),
  term,
  translation: z.string().trim().min(1, { error: 'must not be empty' }).max(500),
  partOfSpeech: optionalText(40),
  contextSentence: optionalText(1000),
  contextTranslation: optionalText(1000),
  notes: optionalText(2000),
  tags: tags.optional(),
  source: z.enum(CARD_SOURCES).optional(),
  sourceId: optionalText(200),
});
export type CreateCardBody = z.infer<typeof CreateCardBodySchema>;

export const UpdateCardBodySchema = z.strictObject({
  term: term.optional(),
  translation: z.string().trim().min(1, { error: 'must not be empty' }).max(500).optional(),
  partOfSpeech: optionalText(40),
  contextSentence: optionalText(1000),
  contextTranslation: optionalText(1000),
  notes: optionalText(2000),
  tags: tags.optional(),
  suspended: z.boolean().optional(),
});
export type UpdateCardBody = z.infer<typeof UpdateCardBodySchema>;

export const BulkCardsBodySchema = z.strictObject({
  cards: z
    .array(CreateCardBodySchema)
    .min(1)
    .max(BULK_MAX, { error: `at most ${BULK_MAX} cards in one call` }),
});
export const BulkCardsResultSchema = z.object({
  created: z.array(CardSchema),
  existing: z.array(CardSchema),
});
export type BulkCardsResult = z.infer<typeof BulkCardsResultSchema>;

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
export const ListCardsQuerySchema = z.strictObject({
  language: z.enum(TARGET_LANGUAGES).optional(),
  q: z.string().trim().max(200).optional(),
  state: z.enum(CARD_STATES).optional(),
  tag: z.string().trim().max(50).optional(),
  suspended: boolQuery.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(300).optional(),
});
export const CardPageSchema = z.object({ items: z.array(CardSchema), nextCursor: z.string().nullable() });
export type CardPage = z.infer<typeof CardPageSchema>;
