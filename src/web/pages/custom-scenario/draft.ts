/**
 * The custom-scenario editor's working copy: every box as the learner typed it (numbers as text, patterns one per
 * line), with stable keys for the lists. `toInput` turns it into the API's scenario shape without judging it — the
 * API's validation does that, and its `details` paths (`phases.0.languages.es.vocabulary.2.term`) are mapped back
 * onto the boxes by `fieldId` and `describePath`.
 */
import { LANGUAGE_NAMES, TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import type {
  CefrLevel,
  CustomScenarioInput,
  ScenarioCategory,
  ScenarioDifficulty,
} from '../../../shared/scenarios.js';
import type { ScenarioVisibility } from '../../api/scenarios.js';
import { CATEGORY_LIST, DIFFICULTY_LIST, LEVEL_LIST, pick } from '../../lib/scenario-format.js';

export const MIN_PHASES = 2;
export const MAX_PHASES = 6;

let lastKey = 0;
/** A key for a new row of a list (React keys; never sent). */
export function newKey(): string {
  lastKey += 1;
  return `k${lastKey}`;
}

export interface DraftVocabulary {
  key: string;
  term: string;
  gloss: string;
  partOfSpeech: string;
}

export interface DraftPhrase {
  key: string;
  text: string;
  gloss: string;
}

export interface DraftLine {
  key: string;
  text: string;
}

export interface DraftLanguage {
  vocabulary: DraftVocabulary[];
  phrases: DraftPhrase[];
  opening: string;
  followUps: DraftLine[];
  /** By objective key: the patterns, one per line. */
  patterns: Record<string, string>;
  culturalNote: string;
}

export interface DraftObjective {
  key: string;
  id: string;
  description: string;
}

export interface DraftPhase {
  key: string;
  /** Kept from a loaded scenario; a new phase gets `phase-<n>`. Not shown: the learner names phases. */
  id: string;
  name: string;
  goal: string;
  objectives: DraftObjective[];
  criteria: string;
  objectivesRequired: string;
  vocabularyRequired: string;
  /** Content of every language ever ticked; only those in `Draft.languages` are shown and sent. */
  languages: Partial<Record<TargetLanguage, DraftLanguage>>;
}

export interface Draft {
  title: string;
  description: string;
  category: ScenarioCategory;
  difficulty: ScenarioDifficulty;
  cefrMin: CefrLevel;
  cefrMax: CefrLevel;
  learnerRole: string;
  tutorRole: string;
  setting: string;
  estimatedMinutes: string;
  visibility: ScenarioVisibility;
  languages: TargetLanguage[];
  phases: DraftPhase[];
}

export function emptyVocabulary(): DraftVocabulary {
  return { key: newKey(), term: '', gloss: '', partOfSpeech: '' };
}

export function emptyPhrase(): DraftPhrase {
  return { key: newKey(), text: '', gloss: '' };
}

export function emptyLine(): DraftLine {
  return { key: newKey(), text: '' };
}

export function emptyLanguage(): DraftLanguage {
  return {
    vocabulary: [emptyVocabulary(), emptyVocabulary(), emptyVocabulary()],
    phrases: [emptyPhrase(), emptyPhrase(), emptyPhrase()],
    opening: '',
    followUps: [emptyLine()],
    patterns: {},
    culturalNote: '',
  };
}

/** An objective id not yet used in the phase: objective-1, objective-2, … */
export function nextObjectiveId(objectives: readonly DraftObjective[]): string {
  const used = new Set(objectives.map((o) => o.id));
  let n = objectives.length + 1;
  while (used.has(`objective-${n}`)) n += 1;
  return `objective-${n}`;
}

/** A new objective, with an id not yet used among `existing`. */
export function emptyObjective(existing: readonly DraftObjective[]): DraftObjective {
  return { key: newKey(), id: nextObjectiveId(existing), description: '' };
}

/** The rows of a list with the row `key` changed by `patch`. */
export function patchRow<T extends { key: string }>(rows: readonly T[], key: string, patch: Partial<T>): T[] {
  return rows.map((row) => (row.key === key ? { ...row, ...patch } : row));
}

/** The rows of a list without the row `key`. */
export function removeRow<T extends { key: string }>(rows: readonly T[], key: string): T[] {
  return rows.filter((row) => row.key !== key);
}

export function emptyPhase(existing: readonly DraftPhase[], languages: readonly TargetLanguage[]): DraftPhase {
  const used = new Set(existing.map((p) => p.id));
  let n = existing.length + 1;
  while (used.has(`phase-${n}`)) n += 1;
  return {
    key: newKey(),
    id: `phase-${n}`,
    name: '',
    goal: '',
    objectives: [emptyObjective([])],
    criteria: '',
    objectivesRequired: '1',
    vocabularyRequired: '0',
    languages: Object.fromEntries(languages.map((l) => [l, emptyLanguage()])),
  };
}

export function emptyDraft(): Draft {
  const languages: TargetLanguage[] = ['es'];
  const first = emptyPhase([], languages);
  return {
    title: '',
    description: '',
    category: 'daily_life',
    difficulty: 'beginner',
    cefrMin: 'A1',
    cefrMax: 'A2',
    learnerRole: '',
    tutorRole: '',
    setting: '',
    estimatedMinutes: '10',
    visibility: 'private',
    languages,
    phases: [first, emptyPhase([first], languages)],
  };
}

// ---- From a scenario (loaded, or a file) ----

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function languageFrom(value: unknown, objectives: readonly DraftObjective[]): DraftLanguage {
  const content = obj(value);
  const tutorLines = obj(content.tutorLines);
  const patterns = obj(content.objectivePatterns);
  return {
    vocabulary: arr(content.vocabulary).map((v) => ({
      key: newKey(),
      term: str(obj(v).term),
      gloss: str(obj(v).gloss),
      partOfSpeech: str(obj(v).partOfSpeech),
    })),
    phrases: arr(content.phrases).map((p) => ({ key: newKey(), text: str(obj(p).text), gloss: str(obj(p).gloss) })),
    opening: str(tutorLines.opening),
    followUps: arr(tutorLines.followUps).map((text) => ({ key: newKey(), text: str(text) })),
    patterns: Object.fromEntries(
      objectives.map((o) => [o.key, arr(patterns[o.id]).map(str).join('\n')] as const).filter(([, p]) => p !== ''),
    ),
    culturalNote: str(content.culturalNote),
  };
}

/**
 * A draft of any scenario-shaped value: a scenario the API answered or a file being imported. Whatever is missing
 * or of the wrong type becomes an empty box (the API then says what is wrong, next to it).
 */
export function draftFrom(value: unknown, visibility: ScenarioVisibility = 'private'): Draft {
  const s = obj(value);
  const cefr = obj(s.cefr);
  const phases = arr(s.phases).map((raw, index): DraftPhase => {
    const p = obj(raw);
    const criteria = obj(p.successCriteria);
    const objectives = arr(p.objectives).map((o) => ({
      key: newKey(),
      id: str(obj(o).id),
      description: str(obj(o).description),
    }));
    const languages: Partial<Record<TargetLanguage, DraftLanguage>> = {};
    for (const [code, content] of Object.entries(obj(p.languages))) {
      const language = pick(TARGET_LANGUAGES, code);
      if (language) languages[language] = languageFrom(content, objectives);
    }
    return {
      key: newKey(),
      id: str(p.id) || `phase-${index + 1}`,
      name: str(p.name),
      goal: str(p.goal),
      objectives,
      criteria: str(criteria.description),
      objectivesRequired: str(criteria.objectivesRequired),
      vocabularyRequired: str(criteria.vocabularyRequired) || '0',
      languages,
    };
  });
  const present = new Set(phases.flatMap((p) => Object.keys(p.languages)));
  const languages = TARGET_LANGUAGES.filter((l) => present.has(l));
  return {
    title: str(s.title),
    description: str(s.description),
    category: pick(CATEGORY_LIST, str(s.category)) ?? 'daily_life',
    difficulty: pick(DIFFICULTY_LIST, str(s.difficulty)) ?? 'beginner',
    cefrMin: pick(LEVEL_LIST, str(cefr.min)) ?? 'A1',
    cefrMax: pick(LEVEL_LIST, str(cefr.max)) ?? 'A2',
    learnerRole: str(s.learnerRole),
    tutorRole: str(s.tutorRole),
    setting: str(s.setting),
    estimatedMinutes: str(s.estimatedMinutes),
    visibility,
    languages,
    phases,
  };
}

// ---- To the API ----

/** A number box: a whole number when it is one; otherwise the text itself, so the API names the box. */
function numberOf(text: string): number | string {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function patternsOf(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The scenario as the API takes it, with the languages ticked; lists keep every row, so error indexes match. */
export function toInput(draft: Draft): CustomScenarioInput {
  return {
    title: draft.title,
    description: draft.description,
    category: draft.category,
    difficulty: draft.difficulty,
    cefr: { min: draft.cefrMin, max: draft.cefrMax },
    learnerRole: draft.learnerRole,
    tutorRole: draft.tutorRole,
    setting: draft.setting,
    // A box that is not a number is sent as typed: the API's message then appears next to it.
    estimatedMinutes: numberOf(draft.estimatedMinutes) as number,
    phases: draft.phases.map((p) => ({
      id: p.id,
      name: p.name,
      goal: p.goal,
      objectives: p.objectives.map((o) => ({ id: o.id.trim(), description: o.description })),
      successCriteria: {
        description: p.criteria,
        objectivesRequired: numberOf(p.objectivesRequired) as number,
        vocabularyRequired: numberOf(p.vocabularyRequired) as number,
      },
      languages: Object.fromEntries(
        draft.languages.map((language) => {
          const c = p.languages[language] ?? emptyLanguage();
          return [
            language,
            {
              vocabulary: c.vocabulary.map((v) => ({
                term: v.term,
                gloss: v.gloss,
                ...(v.partOfSpeech.trim() ? { partOfSpeech: v.partOfSpeech } : {}),
              })),
              phrases: c.phrases.map((ph) => ({ text: ph.text, gloss: ph.gloss })),
              tutorLines: { opening: c.opening, followUps: c.followUps.map((f) => f.text) },
              objectivePatterns: Object.fromEntries(
                p.objectives.map((o) => [o.id.trim(), patternsOf(c.patterns[o.key])]),
              ),
              culturalNote: c.culturalNote,
            },
          ];
        }),
      ),
    })),
  };
}

// ---- Errors ----

/** The API's field path without the body's `scenario.` prefix (import errors come without it). */
export function scenarioPath(field: string): string {
  return field.startsWith('scenario.') ? field.slice('scenario.'.length) : field;
}

/** The id of the element that shows a path's box (or list), for the error summary's links. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

const PART_NAMES: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  category: 'Category',
  difficulty: 'Difficulty',
  cefr: 'CEFR levels',
  min: 'lowest',
  max: 'highest',
  learnerRole: 'Your role',
  tutorRole: 'Tutor’s role',
  setting: 'Setting',
  estimatedMinutes: 'Minutes',
  visibility: 'Visibility',
  phases: 'Phases',
  id: 'Id',
  name: 'Name',
  goal: 'Goal',
  objectives: 'Objectives',
  successCriteria: 'Success criteria',
  objectivesRequired: 'Objectives required',
  vocabularyRequired: 'Words required',
  vocabulary: 'Words',
  term: 'Term',
  gloss: 'Gloss',
  partOfSpeech: 'Part of speech',
  phrases: 'Phrases',
  text: 'Text',
  tutorLines: 'Tutor lines',
  opening: 'Opening',
  followUps: 'Follow-ups',
  objectivePatterns: 'Patterns',
  culturalNote: 'Cultural note',
};

/** "Phase 1 › Spanish › Words › 3 › Term" for `phases.0.languages.es.vocabulary.2.term`. */
export function describePath(path: string): string {
  const parts = path.split('.');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const prev = parts[i - 1];
    if (part === 'phases' && /^\d+$/.test(parts[i + 1] ?? '')) {
      out.push(`Phase ${Number(parts[i + 1]) + 1}`);
      i += 1;
    } else if (part === 'languages') {
      const code = pick(TARGET_LANGUAGES, parts[i + 1]);
      if (code) {
        out.push(LANGUAGE_NAMES[code]);
        i += 1;
      } else out.push('Languages');
    } else if (prev === 'objectivePatterns') {
      out.push(`“${part}”`);
    } else if (/^\d+$/.test(part)) {
      out.push(String(Number(part) + 1));
    } else {
      out.push(PART_NAMES[part] ?? part);
    }
  }
  return out.join(' › ');
}

/**
 * The API's validation messages in plain words where they are the schema library's generic ones ("Too small:
 * expected string to have >=1 characters" → "Fill this in"); the scenario rules' own messages pass unchanged.
 */
export function humanise(message: string): string {
  const text = message.trim();
  let m = /^Too small: expected string to have >=(\d+) characters?$/i.exec(text);
  if (m) return m[1] === '1' ? 'Fill this in' : `Write at least ${m[1]} characters`;
  m = /^Too big: expected string to have <=(\d+) characters?$/i.exec(text);
  if (m) return `Write at most ${m[1]} characters`;
  m = /^Too small: expected array to have >=(\d+) items?$/i.exec(text);
  if (m) return m[1] === '1' ? 'Add at least one' : `Add at least ${m[1]}`;
  m = /^Too big: expected array to have <=(\d+) items?$/i.exec(text);
  if (m) return `At most ${m[1]}`;
  m = /^Too small: expected number to be >=(\d+)$/i.exec(text);
  if (m) return `At least ${m[1]}`;
  m = /^Too big: expected number to be <=(\d+)$/i.exec(text);
  if (m) return `At most ${m[1]}`;
  if (/^Invalid input: expected (number|int)/i.test(text)) return 'Enter a whole number';
  return text;
}
