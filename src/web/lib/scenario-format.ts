/**
 * How the UI words scenarios and conversations. The lists come from label maps, whose Record types make a new
 * category or level a compile error here, rather than from the schema module (which would pull zod into the
 * browser bundle); see SESSION_TYPE_LIST in format.ts.
 */
import type { ConversationListItem } from '../../shared/conversations.js';
import { TARGET_LANGUAGES, type NativeLanguage, type TargetLanguage } from '../../shared/languages.js';
import type { CefrLevel, ScenarioCategory, ScenarioDifficulty } from '../../shared/scenarios.js';

export const CATEGORY_LABELS: Record<ScenarioCategory, string> = {
  travel: 'Travel',
  restaurant: 'Restaurant',
  shopping: 'Shopping',
  business: 'Business',
  healthcare: 'Healthcare',
  social: 'Social',
  emergency: 'Emergency',
  education: 'Education',
  daily_life: 'Daily life',
  hobbies: 'Hobbies',
};
export const CATEGORY_LIST = Object.keys(CATEGORY_LABELS) as ScenarioCategory[];

export const DIFFICULTY_LABELS: Record<ScenarioDifficulty, string> = {
  beginner: 'Beginner',
  intermediate: 'Intermediate',
  advanced: 'Advanced',
};
export const DIFFICULTY_LIST = Object.keys(DIFFICULTY_LABELS) as ScenarioDifficulty[];

/** What each CEFR level means, for pickers. */
export const LEVEL_LABELS: Record<CefrLevel, string> = {
  A1: 'A1 · beginner',
  A2: 'A2 · elementary',
  B1: 'B1 · intermediate',
  B2: 'B2 · upper intermediate',
  C1: 'C1 · advanced',
  C2: 'C2 · proficient',
};
export const LEVEL_LIST = Object.keys(LEVEL_LABELS) as CefrLevel[];

export function cefrRange(cefr: { min: CefrLevel; max: CefrLevel }): string {
  return cefr.min === cefr.max ? cefr.min : `${cefr.min}–${cefr.max}`;
}

export function pick<T extends string>(allowed: readonly T[], value: string | null | undefined): T | undefined {
  return allowed.find((a) => a === value);
}

/**
 * The language a word is translated into: the learner's own when it can be (translation works between target
 * languages), else English, else Spanish when English is the language being studied.
 */
export function translationTarget(from: TargetLanguage, native: NativeLanguage): TargetLanguage {
  const own = TARGET_LANGUAGES.find((l) => l === native);
  if (own && own !== from) return own;
  return from === 'en' ? 'es' : 'en';
}

/** A conversation's name in lists and headings. */
export function conversationTitle(c: Pick<ConversationListItem, 'mode' | 'scenarioTitle' | 'topic'>): string {
  if (c.mode === 'scenario') return c.scenarioTitle ?? 'Scenario';
  return c.topic ? `Free conversation: ${c.topic}` : 'Free conversation';
}

export const CORRECTION_TYPE_LABELS = {
  spelling: 'Spelling',
  grammar: 'Grammar',
  vocabulary: 'Vocabulary',
  word_choice: 'Word choice',
} as const;
