import type { TargetLanguage } from '../../../../shared/languages.js';
import type { PhaseLanguage, ScenarioPhase } from '../../../../shared/scenarios.js';
import { isLeadingArticle, isStopWord } from './stop-words.js';
import { damerauLevenshtein, tokenize, typoBudget, withinTypos, type Token } from './text.js';

/**
 * Recognising what the learner did: objective patterns (the syntax is documented on `ObjectivePatternSchema`),
 * vocabulary terms and essential phrases, all case- and accent-insensitive, stemmed and typo-tolerant.
 *
 * One word of a pattern matches one word of the message when their keys are equal or — for pattern words of
 * four letters or more — their stems are equal, or they differ by no more than the typos `typoBudget` allows (on
 * the whole word or on the stems). Two neighbouring pattern words also match one written word that is exactly
 * both joined ("c'est" ~ "cest",
 * "week-end" ~ "weekend", "por favor" ~ "porfavor"), and one pattern word matches two written words that join
 * into it exactly ("wieviel" ~ "wie viel"). In German a word of 4+ letters also matches a compound ending in it
 * ("Risiko" ~ "Thromboserisiko").
 */

/** Up to this many other words may stand between two words of an objective pattern. */
export const MAX_GAP = 2;

type WordElement = { key: string; stem: string; compoundHead?: boolean };

type Element = ({ kind: 'word' } & WordElement) | { kind: 'prefix'; key: string } | { kind: 'any' };

export interface CompiledPattern {
  source: string;
  elements: Element[];
  /** Words in between consecutive elements. */
  maxGap: number;
}

export class PatternError extends Error {
  constructor(readonly pattern: string) {
    super(`the pattern "${pattern}" has no words`);
    this.name = 'PatternError';
  }
}

const MIN_STEM = 3;

/** German writes compounds as one word: "Risiko" is used in "Thromboserisiko", "Preis" in "Eintrittspreis". */
const MIN_COMPOUND_HEAD = 4;

function wordElement(language: TargetLanguage, token: Token): WordElement & { kind: 'word' } {
  const compoundHead = language === 'de' && Array.from(token.key).length >= MIN_COMPOUND_HEAD;
  return { kind: 'word', key: token.key, stem: token.stem, ...(compoundHead ? { compoundHead } : {}) };
}

function wordMatches(element: WordElement, token: Token): boolean {
  if (element.key === token.key) return true;
  if (element.compoundHead && (token.key.endsWith(element.key) || token.stem.endsWith(element.stem))) return true;
  // Words of up to three letters must be exact: the stemmer makes "tem" of both "tem" and "tema".
  if (Array.from(element.key).length <= 3) return false;
  if (element.stem.length >= MIN_STEM && element.stem === token.stem) return true;
  // A word the scenario itself uses is meant as written, not a typo of a neighbour ("plait" is not "plat").
  if (token.real) return false;
  if (withinTypos(element.key, token.key)) return true;
  return element.stem.length > MIN_STEM && token.stem.length > MIN_STEM && withinTypos(element.stem, token.stem);
}

function prefixMatches(prefix: string, token: Token): boolean {
  if (token.key.startsWith(prefix)) return true;
  if (token.real) return false;
  const length = Array.from(prefix).length;
  const budget = typoBudget(length);
  if (budget === 0) return false;
  // A typo may lengthen or shorten the written prefix by one letter.
  for (const delta of [0, -1, 1]) {
    const head = Array.from(token.key)
      .slice(0, length + delta)
      .join('');
    if (damerauLevenshtein(prefix, head, budget) <= budget) return true;
  }
  return false;
}

function elementMatches(element: Element, token: Token): boolean {
  if (element.kind === 'any') return true;
  if (element.kind === 'prefix') return prefixMatches(element.key, token);
  return wordMatches(element, token);
}

/** `element` against two written words joined ("wie" + "viel" for "wieviel"). */
function matchesJoinedTokens(element: Element, first: Token, second: Token | undefined): boolean {
  if (element.kind !== 'word' || !second) return false;
  return first.key + second.key === element.key;
}

/** Two pattern words against one written word ("c'" + "est" for "cest"). */
function joinedElementsMatch(first: Element, second: Element | undefined, token: Token): boolean {
  if (first.kind !== 'word' || second?.kind !== 'word') return false;
  return token.key === first.key + second.key;
}

/** Whether elements[e..] match tokens starting exactly at `t`. */
function matchFrom(elements: Element[], e: number, tokens: Token[], t: number, maxGap: number): boolean {
  if (e === elements.length) return true;
  const element = elements[e]!;
  const token = tokens[t]!; // callers only start within the tokens
  const next = (nextE: number, nextT: number): boolean => {
    if (nextE === elements.length) return true;
    for (let gap = 0; gap <= maxGap && nextT + gap < tokens.length; gap++) {
      if (matchFrom(elements, nextE, tokens, nextT + gap, maxGap)) return true;
    }
    return false;
  };
  if (elementMatches(element, token) && next(e + 1, t + 1)) return true;
  if (joinedElementsMatch(element, elements[e + 1], token) && next(e + 2, t + 1)) return true;
  return matchesJoinedTokens(element, token, tokens[t + 1]) && next(e + 1, t + 2);
}

/** Whether `pattern` occurs in `tokens`: its words in order, at most `maxGap` other words between two. */
export function matches(pattern: CompiledPattern, tokens: Token[]): boolean {
  for (let t = 0; t < tokens.length; t++) {
    if (matchFrom(pattern.elements, 0, tokens, t, pattern.maxGap)) return true;
  }
  return false;
}

/**
 * Compiles an objective pattern such as `mesa para *`, `cuanto cuesta*` or `avez-vous`. Throws `PatternError`
 * when it has no word at all.
 */
export function compilePattern(language: TargetLanguage, pattern: string): CompiledPattern {
  const elements: Element[] = [];
  for (const part of pattern.trim().split(/\s+/u)) {
    if (part === '*') {
      elements.push({ kind: 'any' });
      continue;
    }
    const isPrefix = part.endsWith('*');
    const words = tokenize(language, isPrefix ? part.slice(0, -1) : part);
    words.forEach((word, i) => {
      elements.push(
        isPrefix && i === words.length - 1 ? { kind: 'prefix', key: word.key } : wordElement(language, word),
      );
    });
  }
  if (!elements.some((e) => e.kind !== 'any')) throw new PatternError(pattern);
  return { source: pattern, elements, maxGap: MAX_GAP };
}

/**
 * Compiles a vocabulary term: its words in order and next to each other, without a leading article ("la
 * cuenta" is used when the learner writes "cuenta", "cuentas" or "la cuenta"; "to pay" when they write "pay").
 * Returns null for a term with no words.
 */
export function compileTerm(language: TargetLanguage, term: string): CompiledPattern | null {
  const words = tokenize(language, term);
  while (words.length > 1 && isLeadingArticle(language, words[0]!.key)) words.shift();
  if (words.length === 0) return null;
  return { source: term, elements: words.map((w) => wordElement(language, w)), maxGap: 0 };
}

/**
 * An essential phrase, as the words that carry its meaning. The rule: a phrase counts as used when at least
 * two thirds (rounded up) of its content words appear in the message, each matched to a different written word,
 * in any order. Content words are the phrase's words that are not function words (`stop-words.ts`) — so
 * "¿Cuánto cuesta el kilo de naranjas?" needs three of "cuánto cuesta kilo naranjas", and a phrase of one or
 * two content words needs all of them. A phrase made only of function words needs all its words.
 */
export interface CompiledPhrase {
  source: string;
  words: WordElement[];
  required: number;
}

export function compilePhrase(language: TargetLanguage, text: string): CompiledPhrase {
  const tokens = tokenize(language, text);
  const content = tokens.filter((t) => !isStopWord(language, t.key));
  const words = (content.length > 0 ? content : tokens).map((t) => {
    const { kind: _kind, ...word } = wordElement(language, t);
    return word;
  });
  return { source: text, words, required: Math.ceil((words.length * 2) / 3) };
}

/** Whether the learner used `phrase` in `tokens` (see `CompiledPhrase` for the rule). */
export function phraseUsed(phrase: CompiledPhrase, tokens: Token[]): boolean {
  if (phrase.words.length === 0) return false;
  const taken = new Set<number>();
  let found = 0;
  for (const word of phrase.words) {
    const index = tokens.findIndex((token, i) => !taken.has(i) && wordMatches(word, token));
    if (index >= 0) {
      taken.add(index);
      found++;
    }
  }
  return found >= phrase.required;
}

/** A phase's patterns, vocabulary and phrases for one language, compiled once. */
export interface PhaseMatcher {
  language: TargetLanguage;
  objectives: { id: string; patterns: CompiledPattern[] }[];
  vocabulary: { term: string; pattern: CompiledPattern | null }[];
  /** Each phrase with the objectives its own words meet (used to suggest a phrase for an unmet objective). */
  phrases: { text: string; phrase: CompiledPhrase; objectiveIds: string[] }[];
  /** For each follow-up line, the objectives it is about (see `lineTargets`). */
  followUpTargets: string[][];
}

export interface MessageAnalysis {
  /** Objective ids whose patterns occur in the message, in the phase's order. */
  objectivesMet: string[];
  /** Vocabulary terms as written in the scenario. */
  vocabularyUsed: string[];
  /** Essential phrases as written in the scenario. */
  phrasesUsed: string[];
}

const compiledPhases = new WeakMap<PhaseLanguage, PhaseMatcher>();

/**
 * The compiled matcher of `phase` in `language` (cached per scenario object, so a scenario held in memory is
 * compiled once). Throws `PatternError` for a pattern without words and an Error when the phase has no content
 * in `language`.
 */
export function compilePhase(phase: ScenarioPhase, language: TargetLanguage): PhaseMatcher {
  const content = phase.languages[language];
  if (!content) throw new Error(`phase "${phase.id}" has no ${language} content`);
  const cached = compiledPhases.get(content);
  if (cached) return cached;
  const objectives = phase.objectives.map((o) => ({
    id: o.id,
    patterns: (content.objectivePatterns[o.id] ?? []).map((p) => compilePattern(language, p)),
  }));
  const phrases = content.phrases.map((p) => {
    const tokens = tokenize(language, p.text);
    return {
      text: p.text,
      phrase: compilePhrase(language, p.text),
      objectiveIds: objectives.filter((o) => o.patterns.some((pattern) => matches(pattern, tokens))).map((o) => o.id),
    };
  });
  const signatures = objectives.map((o) => ({
    id: o.id,
    words: [
      ...o.patterns.flatMap((p) => p.elements),
      ...phrases
        .filter((p) => p.objectiveIds.includes(o.id))
        .flatMap((p) => p.phrase.words.map((w) => ({ kind: 'word' as const, ...w }))),
    ].filter((e): e is Exclude<Element, { kind: 'any' }> => e.kind !== 'any' && !isStopWord(language, e.key)),
  }));
  const matcher: PhaseMatcher = {
    language,
    objectives,
    vocabulary: content.vocabulary.map((v) => ({ term: v.term, pattern: compileTerm(language, v.term) })),
    phrases,
    followUpTargets: content.tutorLines.followUps.map((line) => lineTargets(language, line, signatures)),
  };
  compiledPhases.set(content, matcher);
  return matcher;
}

/**
 * The objectives a tutor line is about: those sharing a content word (same key or stem, or the pattern's
 * prefix) with the line — taken from the objective's patterns and from the essential phrases that meet it. A
 * line asking "¿Para cuántas personas?" is about the objective whose pattern is "para * personas".
 */
function lineTargets(
  language: TargetLanguage,
  line: string,
  signatures: { id: string; words: Exclude<Element, { kind: 'any' }>[] }[],
): string[] {
  const tokens = tokenize(language, line).filter((t) => !isStopWord(language, t.key));
  const shares = (e: Exclude<Element, { kind: 'any' }>, t: Token) =>
    e.kind === 'prefix' ? t.key.startsWith(e.key) : e.key === t.key || (e.stem.length >= MIN_STEM && e.stem === t.stem);
  return signatures.filter((s) => s.words.some((e) => tokens.some((t) => shares(e, t)))).map((s) => s.id);
}

/**
 * What the learner's message (already tokenised) did in the phase. `realWords` (keys of words known to exist,
 * e.g. every word of the scenario in that language) switches typo tolerance off for those written words.
 */
export function analyseMessage(
  matcher: PhaseMatcher,
  written: Token[],
  realWords: ReadonlySet<string> = new Set(),
): MessageAnalysis {
  const tokens = written.map((t) => (realWords.has(t.key) ? { ...t, real: true } : t));
  return {
    objectivesMet: matcher.objectives.filter((o) => o.patterns.some((p) => matches(p, tokens))).map((o) => o.id),
    vocabularyUsed: matcher.vocabulary.filter((v) => v.pattern && matches(v.pattern, tokens)).map((v) => v.term),
    phrasesUsed: matcher.phrases.filter((p) => phraseUsed(p.phrase, tokens)).map((p) => p.text),
  };
}
