import { newStemmer, type Stemmer } from 'snowball-stemmers';
import type { TargetLanguage } from '../../../../shared/languages.js';

/**
 * Text folding and tokenising for the offline tutor: what makes "¿CUÁNTO cuesta?" and "cuanto cuesta" the same
 * words, "l'addition" the two words "l'" + "addition", and "reservamos" a form of "reservar".
 */

const COMBINING_MARKS = /\p{M}/gu;
const APOSTROPHES = /['’ʼ‘`´]/gu;
// A word: letters, marks and digits, with apostrophes inside ("that's", "l'addition", "aujourd'hui").
// Hyphens separate words ("avez-vous" → "avez" "vous"); the matcher joins neighbours back when needed.
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’ʼ][\p{L}\p{M}\p{N}]+)*/gu;
const SENTENCE_END = /[.!?¿¡…;:]/u;
const DIGITS_ONLY = /^\p{N}+$/u;

/** French and Italian elide before a vowel ("l'addition", "dell'acqua", "quant'è"): split after the apostrophe. */
const ELIDING_LANGUAGES: ReadonlySet<TargetLanguage> = new Set(['fr', 'it']);
/** Words of those languages whose apostrophe is not an elision. */
const UNSPLIT_WORDS: ReadonlySet<string> = new Set(["aujourd'hui", "prud'homme", "prud'hommes"]);

const SNOWBALL_NAMES: Record<TargetLanguage, string> = {
  es: 'spanish',
  fr: 'french',
  de: 'german',
  it: 'italian',
  pt: 'portuguese',
  en: 'english',
};

export interface Token {
  /** As written (NFC), apostrophes included: "L'", "Addition", "2". */
  text: string;
  /** Lower-cased with accents kept; apostrophes unified to `'`. */
  lower: string;
  /** Lower-cased, accents removed, ß → ss, œ → oe, æ → ae: "cuánto" → "cuanto". */
  folded: string;
  /** `folded` without apostrophes: what words are compared by ("l'" → "l", "that's" → "thats"). */
  key: string;
  /** The Snowball stem of the word, folded: "reservamos" → "reserv". */
  stem: string;
  /** Offsets in the original text. */
  start: number;
  end: number;
  /** Only digits. */
  isNumber: boolean;
  /** First word of the text or of a sentence (proper-noun detection must not trust its capital). */
  sentenceStart: boolean;
  /** Set by the matcher for a word known to exist as written: it is never taken as a typo of another. */
  real?: boolean;
}

/**
 * Case- and accent-insensitive form of `text`: NFD with the combining marks removed, lower case, ß → ss,
 * œ → oe, æ → ae, every apostrophe as `'`.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/ß/gu, 'ss')
    .replace(/œ/gu, 'oe')
    .replace(/æ/gu, 'ae')
    .replace(APOSTROPHES, "'");
}

/** `fold` without apostrophes: the comparison key of one word. */
export function wordKey(word: string): string {
  return fold(word).replace(/'/gu, '');
}

// Snowball stemmers are pure functions with a scratch buffer: one per language, made on first use.
const stemmers = new Map<TargetLanguage, Stemmer>();

/** The folded Snowball stem of one word (`word` in lower case, accents kept: the stemmers expect them). */
export function stem(language: TargetLanguage, word: string): string {
  let stemmer = stemmers.get(language);
  if (!stemmer) {
    stemmer = newStemmer(SNOWBALL_NAMES[language]);
    stemmers.set(language, stemmer);
  }
  return wordKey(stemmer.stem(word));
}

/** Splits an elided French/Italian word after each apostrophe: "qu'il" → ["qu'", "il"]. */
function splitElision(language: TargetLanguage, word: string, start: number): { text: string; start: number }[] {
  const unified = word.replace(APOSTROPHES, "'");
  if (!ELIDING_LANGUAGES.has(language) || !unified.includes("'") || UNSPLIT_WORDS.has(fold(unified))) {
    return [{ text: word, start }];
  }
  const parts: { text: string; start: number }[] = [];
  let from = 0;
  for (let i = 0; i < unified.length; i++) {
    if (unified[i] === "'") {
      parts.push({ text: word.slice(from, i + 1), start: start + from });
      from = i + 1;
    }
  }
  parts.push({ text: word.slice(from), start: start + from });
  return parts;
}

/**
 * The words of `text` in `language`, in order, with their folded forms, keys and stems. Punctuation (¿ ¡ « » …)
 * and hyphens separate words; French and Italian elisions are split after the apostrophe.
 */
export function tokenize(language: TargetLanguage, text: string): Token[] {
  const source = text.normalize('NFC');
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const match of source.matchAll(WORD)) {
    const sentenceStart = tokens.length === 0 || SENTENCE_END.test(source.slice(previousEnd, match.index));
    previousEnd = match.index + match[0].length;
    splitElision(language, match[0], match.index).forEach((part, i) => {
      const lower = part.text.toLocaleLowerCase(language).replace(APOSTROPHES, "'");
      const folded = fold(part.text);
      const key = folded.replace(/'/gu, '');
      const isNumber = DIGITS_ONLY.test(part.text);
      tokens.push({
        text: part.text,
        lower,
        folded,
        key,
        stem: isNumber || lower.endsWith("'") ? key : stem(language, lower),
        start: part.start,
        end: part.start + part.text.length,
        isNumber,
        sentenceStart: sentenceStart && i === 0,
      });
    });
  }
  return tokens;
}

/**
 * How many typing mistakes a word of `length` letters may have and still count: none up to 3 letters, one for
 * 4–7, two from 8.
 */
export function typoBudget(length: number): number {
  if (length <= 3) return 0;
  return length <= 7 ? 1 : 2;
}

/**
 * The restricted Damerau–Levenshtein distance (optimal string alignment) between `a` and `b`, counted in code
 * points: insertions, deletions, substitutions and swaps of two neighbours each cost one. With `max`, gives up
 * early and answers `max + 1` once the distance must exceed `max`.
 */
export function damerauLevenshtein(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (Math.abs(s.length - t.length) > max) return max + 1;
  if (s.length === 0 || t.length === 0) return Math.max(s.length, t.length);
  let twoBack: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        value = Math.min(value, twoBack[j - 2]! + 1);
      }
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    twoBack = previous;
    previous = current;
  }
  return Math.min(previous[t.length]!, max + 1);
}

/** Whether `written` is `expected` with at most the typos `typoBudget` allows for `expected`'s length. */
export function withinTypos(expected: string, written: string): boolean {
  const budget = typoBudget(Array.from(expected).length);
  return damerauLevenshtein(expected, written, budget) <= budget;
}
