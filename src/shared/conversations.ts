import { z } from 'zod';
import { TARGET_LANGUAGES } from './languages.js';
import { CEFR_LEVELS } from './scenarios.js';

/** Conversations with the tutor (scenario role-play or free talk): the API's schemas, shared with the web client. */

export const CONVERSATION_MODES = ['scenario', 'free'] as const;
export const TUTOR_ENGINES = ['offline', 'llm'] as const;
export const CORRECTION_TYPES = ['spelling', 'grammar', 'vocabulary', 'word_choice'] as const;

export const CorrectionSchema = z.object({
  original: z.string(),
  corrected: z.string(),
  type: z.enum(CORRECTION_TYPES),
  /** In the learner's native language. */
  explanation: z.string(),
});
export type CorrectionView = z.infer<typeof CorrectionSchema>;

export const FeedbackSchema = z.object({
  corrections: z.array(CorrectionSchema),
  vocabularyUsed: z.array(z.string()),
  phrasesUsed: z.array(z.string()),
  objectivesMet: z.array(z.string()),
});
export type FeedbackView = z.infer<typeof FeedbackSchema>;

export const PhaseProgressSchema = z.object({
  id: z.string(),
  name: z.string(),
  objectivesMet: z.array(z.string()),
  objectivesRequired: z.number().int(),
  vocabularyUsed: z.array(z.string()),
  vocabularyRequired: z.number().int(),
  phrasesUsed: z.array(z.string()),
  completed: z.boolean(),
});

export const ProgressSchema = z.object({
  phaseIndex: z.number().int(),
  phases: z.array(PhaseProgressSchema),
  completed: z.boolean(),
});
export type ProgressView = z.infer<typeof ProgressSchema>;

export const MessageSchema = z.object({
  id: z.string(),
  role: z.enum(['tutor', 'learner']),
  text: z.string(),
  /** Tutor messages: which engine wrote it. */
  engine: z.enum(TUTOR_ENGINES).nullable(),
  /** Learner messages: what the tutor noticed in it. */
  feedback: FeedbackSchema.nullable(),
  createdAt: z.string(),
});
export type MessageView = z.infer<typeof MessageSchema>;

export const ConversationSummarySchema = z.object({
  phasesCompleted: z.number().int(),
  phasesTotal: z.number().int(),
  objectivesMet: z.number().int(),
  objectivesTotal: z.number().int(),
  vocabularyUsed: z.array(z.string()),
  corrections: z.number().int(),
  learnerMessages: z.number().int(),
  durationSeconds: z.number().int(),
  /** The cards the conversation added (or met again), for the summary screen. */
  cards: z.array(z.object({ id: z.string(), term: z.string(), translation: z.string(), created: z.boolean() })),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

export const ConversationSchema = z.object({
  id: z.string(),
  mode: z.enum(CONVERSATION_MODES),
  scenarioId: z.string().nullable(),
  scenarioTitle: z.string().nullable(),
  topic: z.string().nullable(),
  persona: z.string().nullable(),
  language: z.enum(TARGET_LANGUAGES),
  level: z.enum(CEFR_LEVELS),
  status: z.enum(['active', 'ended']),
  learningSessionId: z.string(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  endedAt: z.string().nullable(),
  progress: ProgressSchema.nullable(),
  summary: ConversationSummarySchema.nullable(),
  messages: z.array(MessageSchema),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationListItemSchema = ConversationSchema.omit({ messages: true }).extend({
  messageCount: z.number().int(),
  lastMessage: z.string().nullable(),
});
export type ConversationListItem = z.infer<typeof ConversationListItemSchema>;

export const ConversationPageSchema = z.object({
  items: z.array(ConversationListItemSchema),
  nextCursor: z.string().nullable(),
});

export const ListConversationsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().optional(),
});

export const CreateConversationBodySchema = z
  .object({
    mode: z.enum(CONVERSATION_MODES),
    scenarioId: z.string().min(1).optional(),
    language: z.enum(TARGET_LANGUAGES),
    level: z.enum(CEFR_LEVELS),
    persona: z.string().trim().min(1).max(300).optional(),
    /** Free mode: a topic id from the free topics, or any topic in the learner's words (the LLM tutor uses it). */
    topic: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.mode === 'scenario' && !b.scenarioId) {
      ctx.addIssue({ code: 'custom', path: ['scenarioId'], message: 'is required in scenario mode' });
    }
    if (b.mode === 'free' && b.scenarioId) {
      ctx.addIssue({ code: 'custom', path: ['scenarioId'], message: 'applies only to scenario mode' });
    }
  });
export type CreateConversationBody = z.infer<typeof CreateConversationBodySchema>;

export const PostMessageBodySchema = z
  .object({ text: z.string().trim().min(1, 'write something').max(2000, 'at most 2000 characters') })
  .strict();

/** The JSON answer to a learner message (the SSE stream carries the same pieces as events). */
export const TurnSchema = z.object({
  learnerMessage: MessageSchema,
  tutorMessage: MessageSchema,
  feedback: FeedbackSchema,
  progress: ProgressSchema.nullable(),
  /** Set when the tutor engine changed because the model could not answer (e.g. "the AI budget is spent"). */
  notice: z.string().nullable(),
});
export type Turn = z.infer<typeof TurnSchema>;

export const HintSchema = z.object({
  suggestions: z.array(z.object({ text: z.string(), gloss: z.string() })),
  engine: z.enum(TUTOR_ENGINES),
});
export type Hint = z.infer<typeof HintSchema>;

/** Add a word or a correction from a conversation to the flashcards, with the sentence it came from. */
export const AddToCardsBodySchema = z
  .object({
    term: z.string().trim().min(1).max(200),
    translation: z.string().trim().max(500).optional(),
    /** The message the term came from: its text becomes the card's context sentence. */
    messageId: z.string(),
  })
  .strict();

export const TranslateBodySchema = z
  .object({
    text: z.string().trim().min(1).max(500),
    from: z.enum(TARGET_LANGUAGES),
    to: z.enum(TARGET_LANGUAGES),
    /** The sentence the text appeared in, so the translation fits it. */
    context: z.string().trim().max(1000).optional(),
  })
  .strict();
export type TranslateBody = z.infer<typeof TranslateBodySchema>;

export const TranslationSchema = z.union([
  z.object({
    available: z.literal(true),
    translation: z.string(),
    source: z.enum(['glossary', 'model']),
    cached: z.boolean(),
  }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);
export type Translation = z.infer<typeof TranslationSchema>;
