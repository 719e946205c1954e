/**
 * Our own spelling suggester, in place of Hunspell's `suggest()`. Hunspell's is thorough but slow: with the French
 * or Portuguese dictionary one misspelled word can cost 300 ms of CPU (it tries every letter of the affix file's
 * TRY string at every position, each try a full affix analysis), and it cannot be interrupted from JavaScript.
 * This one makes the likely corrections of a typo itself, from the same affix file's rules, asks Hunspell only
 * whether each candidate is a word (`spell()`, 2–25 µs), and can stop between any two candidates: the caller
 * gives it a deadline.
 *
 * The candidates of a word, most likely first:
 * 1. "sure" ones: accent variants (the affix file's MAP groups and the language's accented letters: "telefono" →
 *    "teléfono", "mochte" → "möchte"), the REP table ("kiero" → "quiero", "ss" → "ß"), an apostrophe ("Dont" →
 *    "Don't"), two neighbours swapped, a letter that sounds alike ("grasias" → "gracias", "cerbeza" →
 *    "cerveza"), one letter too many, a double letter typed once;
 * 2. then: two accents; a letter left out (letter by letter in TRY's order, the most frequent first); a letter
 *    replaced by a keyboard neighbour (the affix file's KEY, else QWERTY), then by any letter of TRY.
 * Every candidate Hunspell accepts gets the cost of its edit (an accent 0.1 … any letter replaced 1, plus 0.2 at
 * the first letter, which people rarely mistype); the cheapest wins, ties go to the one found first. So a word's
 * search ends as soon as no candidate left can cost less than the best found (a typo fixed by an accent, a swap
 * or a double letter takes a few dozen checks); a search for a word with no correction near runs to its end or
 * its deadline — after at least `minChecks` candidates. Words the dictionary marks NOSUGGEST (slurs, vulgar
 * words, rare or foreign ones) are never offered.
 *
 * Compared with Hunspell's `suggest()` on 40 typos per language of the scenario catalogue's words (searched to the
 * end; `bench/tutor.mjs`), the intended word came first as often in Spanish (73 %) and more often elsewhere (French
 * 80 % against 75 %, German 83/73, Italian 80/68, Portuguese 68/60, English 93/80), in 0.4–3 ms per word at p50
 * where Hunspell took 1–70 ms (300 ms at p99 in French and Portuguese).
 */

/** What the affix file says about making suggestions. */
export interface SuggestRules {
  /** Letters to add or to replace with, most frequent first (TRY, lower case). */
  letters: string[];
  /** REP: a common misspelling and its correction; `start`/`end`: only at the word's start or end. */
  replacements: { from: string; to: string; start: boolean; end: boolean }[];
  /** For each letter, its variants: the same letter with other accents (MAP, and TRY letters folding alike). */
  variants: Map<string, string[]>;
  /** For each letter, its neighbours on the keyboard (KEY, else QWERTY). */
  neighbours: Map<string, string[]>;
  /** Whether an apostrophe may be added (the language writes them inside words: en, fr, it). */
  apostrophe: boolean;
  /** Lower-case stems the dictionary flags NOSUGGEST (offensive, rare or foreign words): never suggested. */
  noSuggest: Set<string>;
}

export interface Suggestion {
  word: string;
  /** The edit's cost: 0.1 an accent, 0.4 a REP rule, 0.5 a swap or a double letter … 1 a letter replaced. */
  cost: number;
}

const DEFAULT_KEY = 'qwertyuiop|asdfghjkl|zxcvbnm';
const APOSTROPHE_LANGUAGES = new Set(['en', 'fr', 'it']);
const COMBINING_MARKS = /\p{M}/gu;
const LETTER = /^\p{L}$/u;

const COST = {
  accent: 0.1,
  twoAccents: 0.2,
  apostrophe: 0.3,
  replacement: 0.4,
  swap: 0.5,
  doubled: 0.5,
  strayKey: 0.6,
  soundAlike: 0.6,
  added: 0.65,
  neighbourKey: 0.7,
  dropped: 0.8,
  vowel: 0.85,
  replaced: 1,
  /** Added to an edit of the first letter: people rarely mistype it. */
  firstLetter: 0.2,
} as const;

const VOWELS = new Set(Array.from('aeiouy'));

/** Letters learners confuse because they sound alike in one of the six languages ("grasias" → "gracias"). */
const SOUND_ALIKE = new Map<string, string[]>();
for (const group of [
  ['s', 'c', 'z', 'ç'],
  ['b', 'v'],
  ['g', 'j'],
  ['c', 'k', 'q'],
  ['i', 'y'],
  ['m', 'n'],
]) {
  for (const letter of group) {
    const others = group.filter((other) => other !== letter);
    SOUND_ALIKE.set(letter, [...new Set([...(SOUND_ALIKE.get(letter) ?? []), ...others])]);
  }
}

/** Case-insensitive, accent-insensitive form of one letter. */
function baseLetter(letter: string): string {
  return letter.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** Splits a MAP group into its members: single characters, or several in parentheses ("(ss)ß"). */
function mapMembers(group: string): string[] {
  const members: string[] = [];
  for (const match of group.matchAll(/\(([^)]+)\)|(.)/gu)) members.push(match[1] ?? match[2]!);
  return members;
}

/** The suggestion rules of a Hunspell affix file (`.aff`, UTF-8) and its word list's NOSUGGEST stems. */
export function parseSuggestRules(language: string, aff: string, dic = ''): SuggestRules {
  const lines = aff.split(/\r?\n/u).map((line) => line.replace(/\s+#.*$/u, '').trim());
  const fields = (line: string) => line.split(/\s+/u);
  const value = (name: string) =>
    lines.filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}\t`)).map((l) => fields(l).slice(1));

  const tryLetters = Array.from(value('TRY')[0]?.[0] ?? '');
  const lower = [...new Set(tryLetters.filter((c) => LETTER.test(c) && c === c.toLowerCase()))];
  // Plain letters first: a missing accent is tried among the sure candidates already.
  const letters = [...lower.filter((c) => baseLetter(c) === c), ...lower.filter((c) => baseLetter(c) !== c)];

  const replacements: SuggestRules['replacements'] = [];
  for (const [from, to] of value('REP')) {
    if (to === undefined || from === undefined) continue; // the count line "REP 20"
    const start = from.startsWith('^');
    const end = from.endsWith('$');
    const bare = from.replace(/^\^|\$$/gu, '');
    // "_" stands for a space: a split into two words is never offered as a correction.
    if (bare === '' || to.includes('_') || bare.includes('_')) continue;
    replacements.push({ from: bare, to, start, end });
  }

  const variants = new Map<string, Set<string>>();
  const addVariants = (members: string[]) => {
    for (const a of members) {
      for (const b of members) {
        if (a === b || (a.toLowerCase() === a) !== (b.toLowerCase() === b)) continue; // same case only
        if (a.toLowerCase() === b.toLowerCase()) continue; // a case change is not an accent
        let set = variants.get(a);
        if (!set) variants.set(a, (set = new Set()));
        set.add(b);
      }
    }
  };
  for (const [group] of value('MAP')) if (group && !/^\d+$/u.test(group)) addVariants(mapMembers(group));
  // The language's accented letters, grouped by their base letter (German has no MAP, but ä, ö, ü in TRY).
  const byBase = new Map<string, string[]>();
  for (const letter of letters) {
    const base = baseLetter(letter);
    if (base.length !== 1) continue;
    byBase.set(base, [...(byBase.get(base) ?? [base]), letter]);
  }
  for (const members of byBase.values()) {
    const unique = [...new Set(members)];
    addVariants(unique);
    addVariants(unique.map((m) => m.toUpperCase()));
  }

  const neighbours = new Map<string, string[]>();
  const key = value('KEY')[0]?.[0] ?? DEFAULT_KEY;
  for (const row of key.split('|')) {
    const chars = Array.from(row);
    chars.forEach((c, i) => {
      const near = [chars[i - 1], chars[i + 1]].filter((n): n is string => n !== undefined && n !== c);
      neighbours.set(c, [...new Set([...(neighbours.get(c) ?? []), ...near])]);
    });
  }

  return {
    letters,
    replacements,
    variants: new Map([...variants].map(([k, v]) => [k, [...v]])),
    neighbours,
    apostrophe: APOSTROPHE_LANGUAGES.has(language),
    noSuggest: noSuggestStems(dic, value('FLAG')[0]?.[0], value('NOSUGGEST')[0]?.[0]),
  };
}

/** The stems of `dic` that carry the NOSUGGEST flag (flags written as `FLAG` says: chars, pairs or numbers). */
function noSuggestStems(dic: string, flagType: string | undefined, flag: string | undefined): Set<string> {
  const stems = new Set<string>();
  if (!flag || !dic) return stems;
  for (const line of dic.split('\n')) {
    const slash = line.indexOf('/');
    if (slash <= 0) continue;
    const flags = line.slice(slash + 1).split(/\s/u)[0]!;
    let has: boolean;
    if (flagType === 'long') has = (flags.match(/../gu) ?? ([] as string[])).includes(flag);
    else if (flagType === 'num') has = flags.split(',').includes(flag);
    else has = Array.from(flags).includes(flag);
    if (has) stems.add(line.slice(0, slash).toLowerCase());
  }
  return stems;
}

/** Whether `word` is one of the dictionary's NOSUGGEST words or, roughly, an inflection of one. */
function unsuggestable(rules: SuggestRules, word: string): boolean {
  if (rules.noSuggest.size === 0) return false;
  const lower = word.toLowerCase();
  if (rules.noSuggest.has(lower)) return true;
  // "fucking" from "fuck": a stem of 4 letters or more with up to 3 letters of ending.
  for (let cut = 1; cut <= 3 && lower.length - cut >= 4; cut++) {
    if (rules.noSuggest.has(lower.slice(0, -cut))) return true;
  }
  return false;
}

/** A candidate and its cost; or, with no word, a floor: every later candidate of the generator costs at least this. */
type Candidate = [word: string, cost: number] | [word: null, floor: number];

const isUpper = (c: string) => c !== c.toLowerCase();
const at0 = (i: number, cost: number) => (i === 0 ? cost + COST.firstLetter : cost);

function splice(chars: string[], at: number, remove: number, insert?: string): string {
  const copy = [...chars];
  if (insert === undefined) copy.splice(at, remove);
  else copy.splice(at, remove, insert);
  return copy.join('');
}

/** The sure candidates of `word` (as code points), most likely first. */
function* sureCandidates(rules: SuggestRules, chars: string[]): Generator<Candidate> {
  const word = chars.join('');
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    for (const v of rules.variants.get(chars[i]!) ?? []) yield [splice(chars, i, 1, v), COST.accent];
  }
  yield [null, COST.apostrophe];
  for (const rule of rules.replacements) {
    let at = word.indexOf(rule.from);
    while (at !== -1) {
      const fits = (!rule.start || at === 0) && (!rule.end || at + rule.from.length === word.length);
      if (fits) yield [word.slice(0, at) + rule.to + word.slice(at + rule.from.length), COST.replacement];
      at = word.indexOf(rule.from, at + 1);
    }
  }
  if (rules.apostrophe) for (let i = 1; i < n; i++) yield [splice(chars, i, 0, "'"), COST.apostrophe];
  for (let i = 0; i + 1 < n; i++) {
    if (chars[i] === chars[i + 1]) continue;
    const copy = [...chars];
    [copy[i], copy[i + 1]] = [copy[i + 1]!, copy[i]!];
    yield [copy.join(''), at0(i, COST.swap)];
  }
  for (let i = 0; i < n; i++) {
    const c = chars[i]!;
    for (const alike of SOUND_ALIKE.get(c.toLowerCase()) ?? []) {
      yield [splice(chars, i, 1, isUpper(c) ? alike.toUpperCase() : alike), at0(i, COST.soundAlike)];
    }
  }
  // One letter too many: typed twice, or a key next to its neighbour's, or any.
  for (let i = 0; i < n; i++) {
    const c = chars[i]!;
    if (c === chars[i - 1]) continue; // the same deletion as at i - 1
    const near = rules.neighbours.get(c.toLowerCase()) ?? [];
    const stray = [chars[i - 1], chars[i + 1]].some((x) => x !== undefined && near.includes(x.toLowerCase()));
    const cost = c === chars[i + 1] ? COST.doubled : stray ? COST.strayKey : COST.dropped;
    yield [splice(chars, i, 1), at0(i, cost)];
  }
  // A double letter typed once.
  for (let i = 0; i < n; i++) {
    if (LETTER.test(chars[i]!) && chars[i] !== chars[i + 1]) {
      yield [splice(chars, i + 1, 0, chars[i]!.toLowerCase()), COST.doubled];
    }
  }
}

/** The candidates tried while time is left, most likely first. */
function* moreCandidates(rules: SuggestRules, chars: string[]): Generator<Candidate> {
  const n = chars.length;
  const cased = (letter: string, i: number) => (i === 0 && isUpper(chars[0]!) ? letter.toUpperCase() : letter);
  // Two accents missing ("repetition" → "répétition").
  yield [null, COST.twoAccents];
  const accented = chars.flatMap((c, i) => ((rules.variants.get(c)?.length ?? 0) > 0 ? [i] : []));
  for (let a = 0; a < accented.length; a++) {
    for (let b = a + 1; b < accented.length; b++) {
      const i = accented[a]!;
      const j = accented[b]!;
      for (const vi of rules.variants.get(chars[i]!)!) {
        for (const vj of rules.variants.get(chars[j]!)!) {
          const copy = [...chars];
          copy[i] = vi;
          copy[j] = vj;
          yield [copy.join(''), COST.twoAccents];
        }
      }
    }
  }
  // A letter left out (the commonest typo), letter by letter, the most frequent first.
  yield [null, COST.added];
  for (const letter of rules.letters) {
    for (let i = 0; i <= n; i++) {
      if (chars[i]?.toLowerCase() === letter || chars[i - 1]?.toLowerCase() === letter) continue; // doubled: tried
      yield [splice(chars, i, 0, cased(letter, i)), at0(i, COST.added)];
    }
  }
  // A letter replaced: by a keyboard neighbour, then by any letter, the most frequent first.
  yield [null, COST.neighbourKey];
  for (let i = 0; i < n; i++) {
    const lower = chars[i]!.toLowerCase();
    for (const near of rules.neighbours.get(lower) ?? []) {
      yield [splice(chars, i, 1, cased(near, i)), at0(i, COST.neighbourKey)];
    }
  }
  yield [null, COST.vowel];
  for (const letter of rules.letters) {
    for (let i = 0; i < n; i++) {
      const current = chars[i]!.toLowerCase();
      if (baseLetter(current) === baseLetter(letter)) continue; // itself, or an accent: tried
      if ((rules.neighbours.get(current) ?? []).includes(letter)) continue; // a neighbour: tried
      const cost = VOWELS.has(baseLetter(current)) && VOWELS.has(baseLetter(letter)) ? COST.vowel : COST.replaced;
      yield [splice(chars, i, 1, cased(letter, i)), at0(i, cost)];
    }
  }
}

/** Wall-clock milliseconds comparable across threads (each thread's `timeOrigin` is its own start). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export interface SuggestOptions {
  /** `preciseNow()` after which the search stops (once `minChecks` candidates were checked). Default: none. */
  deadline?: number;
  /** Candidates checked whatever the deadline, so a plain typo is corrected on a busy machine too. Default 200. */
  minChecks?: number;
  /** Never more than this many candidates (for tests). */
  maxChecks?: number;
}

export interface SuggestResult {
  /** For each word, its corrections, best first (empty: none found). */
  suggestions: Suggestion[][];
  /** For each word, whether every candidate was tried (its suggestions cannot get better with more time). */
  complete: boolean[];
  /** Candidates checked. */
  checks: number;
  /** Whether the deadline (or `maxChecks`) stopped the search before every candidate was tried. */
  cutShort: boolean;
}

/**
 * Corrections for misspelled words (each given as the forms to correct, e.g. "Bonjur" and "bonjur"), one search
 * for all of them: first the sure candidates of every word, then the others word by word, until the deadline —
 * but never fewer than `minChecks` candidates. `isWord` is the dictionary's check.
 */
export function suggestAll(
  rules: SuggestRules,
  isWord: (candidate: string) => boolean,
  words: string[][],
  options: SuggestOptions = {},
): SuggestResult {
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const minChecks = options.minChecks ?? 200;
  const maxChecks = options.maxChecks ?? Number.POSITIVE_INFINITY;
  const found = words.map(() => new Map<string, number>());
  const tried = words.map((forms) => new Set(forms));
  const complete = words.map(() => false);
  let checks = 0;
  let cutShort = false;
  const stop = () => {
    if (checks >= maxChecks) return true;
    // Reading the clock costs about as much as a cheap check: every 16 candidates is often enough.
    return checks >= minChecks && checks % 16 === 0 && preciseNow() > deadline;
  };
  /**
   * Tries the candidates of word `w` until they run out, the search must stop (false), or none left can beat the
   * best found so far (a later candidate of equal cost would rank after it): `later` is the lowest cost the
   * candidates of the phases after this one can have.
   */
  const search = (
    w: number,
    candidates: (rules: SuggestRules, chars: string[]) => Generator<Candidate>,
    later: number,
  ) => {
    const best = () => Math.min(...found[w]!.values());
    for (const form of words[w]!) {
      let floor = 0;
      for (const [candidate, cost] of candidates(rules, Array.from(form))) {
        if (candidate === null) {
          floor = cost;
        } else if (!tried[w]!.has(candidate)) {
          if (stop()) return false;
          tried[w]!.add(candidate);
          checks++;
          if (isWord(candidate) && !unsuggestable(rules, candidate)) {
            const before = found[w]!.get(candidate);
            if (before === undefined || cost < before) found[w]!.set(candidate, cost);
          }
        }
        if (found[w]!.size > 0 && best() <= Math.min(floor, later)) return true;
      }
    }
    return true;
  };
  // The sure candidates of every word first (the others cost 0.2 at least: two accents).
  for (let w = 0; w < words.length && !cutShort; w++) cutShort = !search(w, sureCandidates, COST.twoAccents);
  for (let w = 0; w < words.length && !cutShort; w++) {
    cutShort = !search(w, moreCandidates, Number.POSITIVE_INFINITY);
    complete[w] = !cutShort;
  }
  const suggestions = found.map((map) =>
    [...map].map(([word, cost]) => ({ word, cost })).sort((a, b) => a.cost - b.cost),
  );
  return { suggestions, complete, checks, cutShort };
}
