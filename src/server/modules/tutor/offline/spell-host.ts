import { memoryUsage } from 'node:process';
import { loadModule, type Hunspell, type HunspellFactory } from 'hunspell-asm';
import type { TargetLanguage } from '../../../../shared/languages.js';

/**
 * What runs inside the spelling worker thread: Hunspell (compiled to WebAssembly by `hunspell-asm`) with the
 * `dictionary-*` packages, one checker per language, each loaded on first use and kept for the life of the
 * thread. Kept free of `worker_threads` so tests can drive it in-process; `spell-worker.ts` only wires it to
 * the thread's message port.
 */

type Dictionary = { aff: Uint8Array; dic: Uint8Array };

/**
 * The dictionary packages of each language. English has two: the scenarios are written in British English and
 * learners may write American English, so a word is right when either knows it, and British suggestions come
 * first. `dictionary-pt` is Brazilian Portuguese, as the scenarios are.
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
   * Hunspell's n-gram suggestions (a scan of the whole word list for each misspelled word) find words with
   * bigger mistakes but make one suggestion cost 100–500 ms in French or Portuguese. Off by default: edit-based
   * suggestions (one or two typos, the affix file's REP and MAP rules) still run.
   */
  ngramSuggestions?: boolean;
}

/** How long a language took to load and what it added to the process's resident memory. */
export interface LanguageLoad {
  language: TargetLanguage;
  loadMs: number;
  rssDeltaBytes: number;
}

export interface SpellHostStats {
  loaded: LanguageLoad[];
  /** The whole process's resident set (every thread, the WebAssembly memory included). */
  rssBytes: number;
  /** This thread's JavaScript heap. */
  heapUsedBytes: number;
}

export type SpellRequest =
  | { type: 'load'; languages: TargetLanguage[] }
  | { type: 'check'; language: TargetLanguage; words: string[] }
  | { type: 'suggest'; language: TargetLanguage; words: string[] }
  | { type: 'stats' };

/** Switches n-gram suggestions off in an affix file: drops its own setting and appends ours. */
export function withoutNgramSuggestions(aff: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(aff).replace(/^(MAXNGRAMSUGS|MAXCPDSUGS)\b.*$/gmu, '');
  return new TextEncoder().encode(`${text}\nMAXNGRAMSUGS 0\nMAXCPDSUGS 0\n`);
}

export class SpellHost {
  private factory: Promise<HunspellFactory> | null = null;
  private readonly checkers = new Map<TargetLanguage, Promise<Hunspell[]>>();
  private readonly loads: LanguageLoad[] = [];

  constructor(private readonly options: SpellHostOptions = {}) {}

  /** Loads each language not loaded yet, one after the other so each one's time and memory can be told apart. */
  async load(languages: TargetLanguage[]): Promise<LanguageLoad[]> {
    for (const language of languages) await this.checker(language);
    return this.loads.filter((l) => languages.includes(l.language));
  }

  /** For each word, whether the dictionary knows it. */
  async check(language: TargetLanguage, words: string[]): Promise<boolean[]> {
    const checkers = await this.checker(language);
    return words.map((w) => checkers.some((c) => c.spell(w)));
  }

  /** For each word, Hunspell's suggestions, best first (empty for a word it knows). */
  async suggest(language: TargetLanguage, words: string[]): Promise<string[][]> {
    const checkers = await this.checker(language);
    return words.map((w) => {
      // A word one dictionary knows needs no suggestion (the other would "correct" its spelling variant).
      if (checkers.some((c) => c.spell(w))) return [];
      return [...new Set(checkers.flatMap((c) => c.suggest(w)))];
    });
  }

  stats(): SpellHostStats {
    const memory = memoryUsage();
    return { loaded: [...this.loads], rssBytes: memory.rss, heapUsedBytes: memory.heapUsed };
  }

  handle(request: SpellRequest): Promise<unknown> {
    switch (request.type) {
      case 'load':
        return this.load(request.languages);
      case 'check':
        return this.check(request.language, request.words);
      case 'suggest':
        return this.suggest(request.language, request.words);
      case 'stats':
        return Promise.resolve(this.stats());
    }
  }

  private checker(language: TargetLanguage): Promise<Hunspell[]> {
    let checker = this.checkers.get(language);
    if (!checker) {
      checker = this.create(language);
      this.checkers.set(language, checker);
      // A failed load may be retried by the next caller.
      checker.catch(() => this.checkers.delete(language));
    }
    return checker;
  }

  private async create(language: TargetLanguage): Promise<Hunspell[]> {
    const rssBefore = memoryUsage.rss();
    const started = performance.now();
    this.factory ??= loadModule();
    const factory = await this.factory;
    const checkers: Hunspell[] = [];
    for (const [i, name] of DICTIONARIES[language].entries()) {
      const { default: dictionary } = (await import(name)) as { default: Dictionary };
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
    return checkers;
  }
}
