import { z } from 'zod';
import { TARGET_LANGUAGES, type TargetLanguage } from './languages.js';

/**
 * The scenario file format: the built-in catalogue (`content/scenarios/*.json`), custom scenarios, and their
 * import/export all use this one shape. The built-in catalogue is held to stricter rules (every language, 3–4
 * phases, richer phases) than a learner's own scenario (one language is enough, 2–6 phases).
 */

export const SCENARIO_CATEGORIES = [
  'travel',
  'restaurant',
  'shopping',
  'business',
  'healthcare',
  'social',
  'emergency',
  'education',
  'daily_life',
  'hobbies',
] as const;
export type ScenarioCategory = (typeof SCENARIO_CATEGORIES)[number];

export const SCENARIO_DIFFICULTIES = ['beginner', 'intermediate', 'advanced'] as const;
export type ScenarioDifficulty = (typeof SCENARIO_DIFFICULTIES)[number];

export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export type CefrLevel = (typeof CEFR_LEVELS)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z
  .string()
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'use lowercase letters, digits and dashes')
  .max(80);

/**
 * An objective pattern: a phrase the offline tutor looks for in what the learner wrote, e.g. `quisiera reservar`
 * or `mesa para *`. Words are matched case- and accent-insensitively, stemmed and with small typos forgiven, in
 * order, with up to two other words between them. A word ending in `*` matches any word starting with it; a lone
 * `*` matches any one word. Only letters, digits, apostrophes, hyphens, spaces and `*`.
 */
export const PATTERN_SYNTAX = /^(?:\p{L}[\p{L}\p{N}'’-]*\*?|\p{N}+|\*)(?: (?:\p{L}[\p{L}\p{N}'’-]*\*?|\p{N}+|\*))*$/u;
export const ObjectivePatternSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(PATTERN_SYNTAX, 'a pattern is words separated by single spaces; a word may end in * (see the format notes)');

export const VocabularyItemSchema = z.object({
  term: text(80),
  /** English gloss. */
  gloss: text(120),
  partOfSpeech: z.string().trim().max(30).optional(),
});
export type VocabularyItem = z.infer<typeof VocabularyItemSchema>;

export const PhraseSchema = z.object({
  text: text(200),
  /** English gloss. */
  gloss: text(200),
});
export type Phrase = z.infer<typeof PhraseSchema>;

export const ObjectiveSchema = z.object({
  id,
  /** What the learner should do, in English, e.g. "Say how many people the table is for". */
  description: text(200),
});

export const SuccessCriteriaSchema = z.object({
  /** In English, shown to the learner. */
  description: text(300),
  /** How many of the phase's objectives must be met before the tutor moves on. */
  objectivesRequired: z.number().int().min(1),
  /** How many of the phase's vocabulary items the learner must use. */
  vocabularyRequired: z.number().int().min(0).default(0),
});

/** What one phase holds for one target language. */
export const PhaseLanguageSchema = z.object({
  vocabulary: z.array(VocabularyItemSchema).min(1).max(40),
  phrases: z.array(PhraseSchema).min(1).max(30),
  tutorLines: z.object({
    /** What the tutor's character says when the phase begins. */
    opening: text(400),
    /** Lines the tutor's character can say next, in order, while the phase is under way. */
    followUps: z.array(text(400)).min(1).max(20),
  }),
  /** For each objective id of the phase, the patterns that show the learner did it. */
  objectivePatterns: z.record(z.string(), z.array(ObjectivePatternSchema).min(1).max(30)),
  /** In English: a note on how this situation goes in that language's culture. */
  culturalNote: z.string().trim().max(600).default(''),
});
export type PhaseLanguage = z.infer<typeof PhaseLanguageSchema>;

export const PhaseSchema = z.object({
  id,
  /** In English. */
  name: text(80),
  goal: text(300),
  objectives: z.array(ObjectiveSchema).min(1).max(8),
  successCriteria: SuccessCriteriaSchema,
  languages: z.partialRecord(z.enum(TARGET_LANGUAGES), PhaseLanguageSchema),
});
export type ScenarioPhase = z.infer<typeof PhaseSchema>;

const scenarioShape = {
  id,
  title: text(120),
  description: text(600),
  category: z.enum(SCENARIO_CATEGORIES),
  difficulty: z.enum(SCENARIO_DIFFICULTIES),
  cefr: z.object({ min: z.enum(CEFR_LEVELS), max: z.enum(CEFR_LEVELS) }),
  learnerRole: text(200),
  tutorRole: text(200),
  setting: text(400),
  estimatedMinutes: z.number().int().min(1).max(180),
};

type Issue = { path: (string | number)[]; message: string };

/** The rules shared by built-in and custom scenarios: objectives' patterns match the objectives, CEFR in order. */
function commonIssues(s: { cefr: { min: CefrLevel; max: CefrLevel }; phases: ScenarioPhase[] }): Issue[] {
  const issues: Issue[] = [];
  if (CEFR_LEVELS.indexOf(s.cefr.min) > CEFR_LEVELS.indexOf(s.cefr.max)) {
    issues.push({ path: ['cefr'], message: 'cefr.min must not be above cefr.max' });
  }
  const phaseIds = new Set<string>();
  s.phases.forEach((phase, p) => {
    if (phaseIds.has(phase.id)) issues.push({ path: ['phases', p, 'id'], message: `duplicate phase id "${phase.id}"` });
    phaseIds.add(phase.id);
    const objectiveIds = phase.objectives.map((o) => o.id);
    if (new Set(objectiveIds).size !== objectiveIds.length) {
      issues.push({ path: ['phases', p, 'objectives'], message: 'objective ids must be unique within a phase' });
    }
    if (phase.successCriteria.objectivesRequired > phase.objectives.length) {
      issues.push({
        path: ['phases', p, 'successCriteria', 'objectivesRequired'],
        message: 'cannot require more objectives than the phase has',
      });
    }
    for (const [language, content] of Object.entries(phase.languages) as [TargetLanguage, PhaseLanguage][]) {
      for (const objectiveId of objectiveIds) {
        if (!content.objectivePatterns[objectiveId]) {
          issues.push({
            path: ['phases', p, 'languages', language, 'objectivePatterns', objectiveId],
            message: `no patterns for objective "${objectiveId}"`,
          });
        }
      }
      for (const key of Object.keys(content.objectivePatterns)) {
        if (!objectiveIds.includes(key)) {
          issues.push({
            path: ['phases', p, 'languages', language, 'objectivePatterns', key],
            message: `"${key}" is not an objective of this phase`,
          });
        }
      }
      if (phase.successCriteria.vocabularyRequired > content.vocabulary.length) {
        issues.push({
          path: ['phases', p, 'successCriteria', 'vocabularyRequired'],
          message: `cannot require more vocabulary than the ${language} phase has`,
        });
      }
    }
  });
  return issues;
}

/** A learner's own scenario: one target language or more, 2–6 phases, each with ≥ 3 words, ≥ 3 phrases. */
export const CustomScenarioSchema = z
  .object({
    ...scenarioShape,
    id: id.optional(),
    title: z.string().trim().min(3, 'at least 3 characters').max(120),
    phases: z.array(PhaseSchema).min(2, 'at least 2 phases').max(6, 'at most 6 phases'),
  })
  .superRefine((s, ctx) => {
    for (const issue of commonIssues(s)) ctx.addIssue({ code: 'custom', ...issue });
    const languages = new Set(s.phases.flatMap((p) => Object.keys(p.languages)));
    if (languages.size === 0) {
      ctx.addIssue({ code: 'custom', path: ['phases'], message: 'fill in at least one target language' });
    }
    s.phases.forEach((phase, p) => {
      for (const language of languages) {
        const content = phase.languages[language as TargetLanguage];
        const at = ['phases', p, 'languages', language];
        if (!content) {
          ctx.addIssue({ code: 'custom', path: at, message: `phase "${phase.name}" has no ${language} content` });
          continue;
        }
        if (content.vocabulary.length < 3) {
          ctx.addIssue({ code: 'custom', path: [...at, 'vocabulary'], message: 'at least 3 vocabulary items' });
        }
        if (content.phrases.length < 3) {
          ctx.addIssue({ code: 'custom', path: [...at, 'phrases'], message: 'at least 3 phrases' });
        }
      }
    });
  });
export type CustomScenarioInput = z.input<typeof CustomScenarioSchema>;

/** A built-in scenario: every target language, 3–4 phases, ≥ 6 words, ≥ 3 phrases, an opening and ≥ 3 follow-ups. */
export const BuiltInScenarioSchema = z
  .object({ ...scenarioShape, phases: z.array(PhaseSchema).min(3).max(4) })
  .superRefine((s, ctx) => {
    for (const issue of commonIssues(s)) ctx.addIssue({ code: 'custom', ...issue });
    s.phases.forEach((phase, p) => {
      for (const language of TARGET_LANGUAGES) {
        const content = phase.languages[language];
        const at = ['phases', p, 'languages', language];
        if (!content) {
          ctx.addIssue({ code: 'custom', path: at, message: `missing ${language}` });
          continue;
        }
        if (content.vocabulary.length < 6) {
          ctx.addIssue({ code: 'custom', path: [...at, 'vocabulary'], message: 'at least 6 vocabulary items' });
        }
        if (content.phrases.length < 3) {
          ctx.addIssue({ code: 'custom', path: [...at, 'phrases'], message: 'at least 3 phrases' });
        }
        if (content.tutorLines.followUps.length < 3) {
          ctx.addIssue({ code: 'custom', path: [...at, 'tutorLines', 'followUps'], message: 'at least 3 follow-ups' });
        }
        if (content.culturalNote.length === 0) {
          ctx.addIssue({ code: 'custom', path: [...at, 'culturalNote'], message: 'a cultural note is required' });
        }
      }
    });
  });
export type Scenario = z.infer<typeof BuiltInScenarioSchema>;
export type CustomScenario = z.infer<typeof CustomScenarioSchema>;

// ---- The API ----

/** A scenario as the API answers it (built-in or custom), without the file-level rules. */
export const ScenarioViewSchema = z.object({
  ...scenarioShape,
  id: z.string(),
  phases: z.array(PhaseSchema),
  source: z.enum(['builtin', 'custom']),
});
export type ScenarioView = z.infer<typeof ScenarioViewSchema>;

export const ScenarioSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.enum(SCENARIO_CATEGORIES),
  difficulty: z.enum(SCENARIO_DIFFICULTIES),
  cefr: z.object({ min: z.enum(CEFR_LEVELS), max: z.enum(CEFR_LEVELS) }),
  estimatedMinutes: z.number().int(),
  phaseCount: z.number().int(),
  languages: z.array(z.enum(TARGET_LANGUAGES)),
  source: z.enum(['builtin', 'custom']),
  /** How many times the caller has finished it. */
  attempts: z.number().int(),
  lastAttemptAt: z.string().nullable(),
});
export type ScenarioSummary = z.infer<typeof ScenarioSummarySchema>;

export const ScenarioListQuerySchema = z.object({
  category: z.enum(SCENARIO_CATEGORIES).optional(),
  difficulty: z.enum(SCENARIO_DIFFICULTIES).optional(),
  language: z.enum(TARGET_LANGUAGES).optional(),
});
export type ScenarioListQuery = z.infer<typeof ScenarioListQuerySchema>;

export const ScenarioDetailQuerySchema = z.object({
  /** Keep only this language's content in each phase. */
  language: z.enum(TARGET_LANGUAGES).optional(),
});

export const SCENARIO_VISIBILITIES = ['private', 'public'] as const;

export const CustomScenarioBodySchema = z.object({
  visibility: z.enum(SCENARIO_VISIBILITIES).default('private'),
  scenario: CustomScenarioSchema,
});
export type CustomScenarioBody = z.input<typeof CustomScenarioBodySchema>;

export const CustomScenarioRecordSchema = z.object({
  id: z.string(),
  visibility: z.enum(SCENARIO_VISIBILITIES),
  /** Whether the caller owns it (only the owner may change or delete it). */
  mine: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  scenario: ScenarioViewSchema,
});
export type CustomScenarioRecord = z.infer<typeof CustomScenarioRecordSchema>;

export const CustomScenarioListQuerySchema = z.object({
  /** true (default): the caller's own; false: other learners' public scenarios. */
  mine: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export const CustomScenarioImportQuerySchema = z.object({
  visibility: z.enum(SCENARIO_VISIBILITIES).default('private'),
});

export const ScenarioAttemptSchema = z.object({
  id: z.string(),
  scenarioId: z.string(),
  conversationId: z.string(),
  language: z.enum(TARGET_LANGUAGES),
  level: z.enum(CEFR_LEVELS),
  phasesCompleted: z.number().int(),
  phasesTotal: z.number().int(),
  vocabularyUsed: z.array(z.string()),
  objectivesMet: z.array(z.string()),
  objectivesTotal: z.number().int(),
  successRate: z.number(),
  durationSeconds: z.number().int(),
  startedAt: z.string(),
  completedAt: z.string(),
});
export type ScenarioAttempt = z.infer<typeof ScenarioAttemptSchema>;
