import { memoryUsage } from 'node:process';
import { loadModule, type Hunspell, type HunspellFactory } from 'hunspell-asm';
import type { TargetLanguage } from '../../../../shared/languages.js';
import { parseSuggestRules, suggestAll, type SuggestRules } from './spell-suggest.js';

/**
 * What runs inside the spelling worker thread: Hunspell (compiled to WebAssembly by `hunspell-asm`) with the
 * `dictionary-*` packages, one checker per language, each loaded on first use and kept for the life of the
 * thread. Corrections come from our own time-bounded suggester (`spell-suggest.ts`), which asks Hunspell only
 * whether a candidate is a word; Hunspell's own `suggest()` (in French ~70 ms a word at p50, ~300 ms at p99 in
 * French and Portuguese) stays available for comparison but is not used to answer learners. Kept free of `worker_threads` so tests can drive
 * it in-process; `spell-worker.ts` only wires it to the thread's message port.
 */

type Dictionary = { aff: Uint8Array; dic: Uint8Array };

/**
 * The dictionary packages of each language. English has two: the scenarios are written in British English and
 * learners may write American English, so a word is right when either knows it (and a correction may be in either
 * spelling; the scenario's own words, British, are preferred before any search). `dictionary-pt` is Brazilian
 * Portuguese, as the scenarios are.
 */
const DICTIONARIES: Record<TargetLanguage, string[]> = {
  es: ['dictionary-es'],
  fr: ['dictionary-fr'],
  de: ['dictionary-de'],
  it: ['dictionary-it'],
  pt: ['dictionary-pt'],
  en: ['dictionary-en-gb', 'dictionary-en'],
};

export interface SpellHostOptions {
  /**
   * Hunspell's n-gram suggestions (a scan of the whole word list for each misspelled word) in its own
   * `suggest()`, which only `SpellHost.suggest` (a comparison, not the learners' path) uses. Off by default.
   */
  ngramSuggestions?: boolean;
  /** Complete suggestion searches remembered, per language and word (a learner repeats a typo). Default 5,000. */
  cacheEntries?: number;
}

/** How long a language took to load and what it added to the process's resident memory. */
export interface LanguageLoad {
  language: TargetLanguage;
  loadMs: number;
  rssDeltaBytes: number;
}

/** How the suggestion searches went since the thread started. */
export interface SuggestStats {
  /** Misspelled words a correction was searched for. */
  words: number;
  /** Of those, answered from the cache of complete searches. */
  cacheHits: number;
  /** Searches (one per message) the deadline cut short, and the words they left incomplete. */
  cutShort: number;
  incompleteWords: number;
  /** Candidates checked in all. */
  checks: number;
}

export interface SpellHostStats {
  loaded: LanguageLoad[];
  suggest: SuggestStats;
  /** The whole process's resident set (every thread, the WebAssembly memory included). */
  rssBytes: number;
  /** This thread's JavaScript heap. */
  heapUsedBytes: number;
}

/** Corrections for misspelled words, each given as the forms to correct (e.g. "Bonjur" and "bonjur"). */
export interface CorrectRequest {
  type: 'correct';
  language: TargetLanguage;
  words: string[][];
  /** `preciseNow()` by which to answer: the search stops there (see `suggestAll`). Default: no limit. */
  deadline?: number;
  /** Candidates checked whatever the deadline (default 200). */
  minChecks?: number;
}

export type SpellRequest =
  | { type: 'load'; languages: TargetLanguage[] }
  | { type: 'check'; language: TargetLanguage; words: string[] }
  | { type: 'suggest'; language: TargetLanguage; words: string[] }
  | CorrectRequest
  | { type: 'stats' };

interface Loaded {
  checkers: Hunspell[];
  rules: SuggestRules;
}

/** Switches n-gram suggestions off in an affix file: drops its own setting and appends ours. */
export function withoutNgramSuggestions(aff: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(aff).replace(/^(MAXNGRAMSUGS|MAXCPDSUGS)\b.*$/gmu, '');
  return new TextEncoder().encode(`${text}\nMAXNGRAMSUGS 0\nMAXCPDSUGS 0\n`);
}

export class SpellHost {
  private factory: Promise<HunspellFactory> | null = null;
  private readonly checkers = new Map<TargetLanguage, Promise<Loaded>>();
  /** Loads run one at a time, so each one's time and memory can be told apart. */
  private loadQueue: Promise<unknown> = Promise.resolve();
  private readonly loads: LanguageLoad[] = [];
  private readonly cache = new Map<string, string[]>();
  private readonly counts: SuggestStats = { words: 0, cacheHits: 0, cutShort: 0, incompleteWords: 0, checks: 0 };

  constructor(private readonly options: SpellHostOptions = {}) {}

  /** Loads each language not loaded yet, one after the other so each one's time and memory can be told apart. */
  async load(languages: TargetLanguage[]): Promise<LanguageLoad[]> {
    for (const language of languages) await this.checker(language);
    return this.loads.filter((l) => languages.includes(l.language));
  }

  /** For each word, whether the dictionary knows it. */
  async check(language: TargetLanguage, words: string[]): Promise<boolean[]> {
    const { checkers } = await this.checker(language);
    return words.map((w) => checkers.some((c) => c.spell(w)));
  }

  /**
   * For each misspelled word, its corrections, best first, from `suggestAll` within the request's deadline.
   * A word whose search was complete is remembered and answered at once the next time.
   */
  async correct(request: Omit<CorrectRequest, 'type'>): Promise<string[][]> {
    const { checkers, rules } = await this.checker(request.language);
    const key = (forms: string[]) => `${request.language}\u0000${forms.join('\u0000')}`;
    const answers = request.words.map((forms) => this.cache.get(key(forms)));
    const missing = request.words.filter((_, i) => answers[i] === undefined);
    this.counts.words += request.words.length;
    this.counts.cacheHits += request.words.length - missing.length;
    if (missing.length > 0) {
      const options = { minChecks: request.minChecks ?? 200, deadline: request.deadline ?? Number.POSITIVE_INFINITY };
      const result = suggestAll(rules, (w) => checkers.some((c) => c.spell(w)), missing, options);
      this.counts.checks += result.checks;
      if (result.cutShort) this.counts.cutShort++;
      let next = 0;
      request.words.forEach((forms, i) => {
        if (answers[i] !== undefined) return;
        const at = next++;
        const words = result.suggestions[at]!.map((s) => s.word);
        answers[i] = words;
        if (result.complete[at]) this.remember(key(forms), words);
        else this.counts.incompleteWords++;
      });
    }
    return answers as string[][];
  }

  /**
   * For each word, Hunspell's own suggestions, best first (empty for a word it knows). Thorough but slow (up to
   * ~300 ms a word in French or Portuguese, uninterruptible): for comparisons, not for answering learners.
   */
  async suggest(language: TargetLanguage, words: string[]): Promise<string[][]> {
    const { checkers } = await this.checker(language);
    return words.map((w) => {
      // A word one dictionary knows needs no suggestion (the other would "correct" its spelling variant).
      if (checkers.some((c) => c.spell(w))) return [];
      return [...new Set(checkers.flatMap((c) => c.suggest(w)))];
    });
  }

  stats(): SpellHostStats {
    const memory = memoryUsage();
    return {
      loaded: [...this.loads],
      suggest: { ...this.counts },
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    };
  }

  handle(request: SpellRequest): Promise<unknown> {
    switch (request.type) {
      case 'load':
        return this.load(request.languages);
      case 'check':
        return this.check(request.language, request.words);
      case 'suggest':
        return this.suggest(request.language, request.words);
      case 'correct':
        return this.correct(request);
      case 'stats':
        return Promise.resolve(this.stats());
    }
  }

  private remember(key: string, words: string[]): void {
    const limit = this.options.cacheEntries ?? 5_000;
    if (limit <= 0) return;
    if (this.cache.size >= limit) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, words);
  }

  private checker(language: TargetLanguage): Promise<Loaded> {
    let checker = this.checkers.get(language);
    if (!checker) {
      checker = this.loadQueue.then(() => this.create(language));
      this.loadQueue = checker.catch(() => undefined);
      this.checkers.set(language, checker);
      // A failed load may be retried by the next caller.
      checker.catch(() => this.checkers.delete(language));
    }
    return checker;
  }

  private async create(language: TargetLanguage): Promise<Loaded> {
    const rssBefore = memoryUsage.rss();
    const started = performance.now();
    this.factory ??= loadModule();
    const factory = await this.factory;
    const checkers: Hunspell[] = [];
    let rules: SuggestRules | null = null;
    for (const [i, name] of DICTIONARIES[language].entries()) {
      const { default: dictionary } = (await import(name)) as { default: Dictionary };
      // The first dictionary's rules (British English's for English); both dictionaries' NOSUGGEST words.
      const own = parseSuggestRules(language, decode(dictionary.aff), decode(dictionary.dic));
      if (rules) for (const word of own.noSuggest) rules.noSuggest.add(word);
      rules ??= own;
      const aff = this.options.ngramSuggestions ? dictionary.aff : withoutNgramSuggestions(dictionary.aff);
      const affPath = factory.mountBuffer(aff, `${language}-${i}.aff`);
      const dicPath = factory.mountBuffer(dictionary.dic, `${language}-${i}.dic`);
      checkers.push(factory.create(affPath, dicPath));
      // Hunspell has read both files into its own tables: free the copies in the virtual file system.
      factory.unmount(affPath);
      factory.unmount(dicPath);
    }
    this.loads.push({
      language,
      loadMs: Math.round(performance.now() - started),
      rssDeltaBytes: Math.max(0, memoryUsage.rss() - rssBefore),
    });
    return { checkers, rules: rules! };
  }
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
