import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { NativeLanguage, TargetLanguage } from '../../../../shared/languages.js';
import { explainSpelling } from './explanations.js';
import type { LanguageLoad, SpellHostOptions, SpellHostStats, SpellRequest } from './spell-host.js';
import { preciseNow } from './spell-suggest.js';
import { fold, typoBudget, damerauLevenshtein } from './text.js';
import type { Correction } from './tutor-engine.js';

/**
 * Spelling feedback from Hunspell dictionaries. The dictionaries live in one worker thread, loaded on first
 * use of each language and kept until `close()`: loading and suggesting are CPU work that must not stall the
 * event loop, and the WebAssembly Hunspell (which installs process-level handlers) stays out of the main thread.
 *
 * Time budget: the tutor's reply waits for its spelling feedback, so one message's check has `budgetMs`
 * (default 10 ms) once its language is loaded. Which words are wrong is known at once (Hunspell's check costs
 * 2–25 µs a word); corrections come first from the scenario's own words, then from the suggester in the worker
 * (`spell-suggest.ts`), which tries the likeliest corrections first and stops at the deadline — after at least
 * `minChecks` candidates, so a plain typo is corrected on a busy machine too. A misspelled word whose correction
 * was not found in time is left out of that message's feedback (never a wrong guess instead); the worker
 * remembers complete searches, so a typo the learner repeats is answered at once. While the worker loads another
 * language's dictionary (about 1 s for Portuguese, blocking it), messages in loaded languages get no spelling feedback rather
 * than wait; and no message waits for the worker longer than `waitMs` (50 ms), a safety net for a worker
 * starved of CPU.
 */

export interface SpellCheckOptions {
  /** The language of the explanations (English when omitted or without templates). */
  nativeLanguage?: NativeLanguage;
  /**
   * Words known to be right in this context — the scenario's vocabulary, phrases and tutor lines. A word
   * written exactly like one (ignoring case) is never flagged, and a misspelled word close to one is corrected
   * to it before Hunspell is asked.
   */
  knownWords?: Iterable<string>;
}

/** The part of the spelling service the tutor needs. */
export interface SpellChecker {
  check(language: TargetLanguage, text: string, options?: SpellCheckOptions): Promise<Correction[]>;
}

export interface SpellingServiceOptions extends SpellHostOptions {
  /** At most this many distinct words of one message are checked (the rest are ignored). Default 60. */
  maxWords?: number;
  /**
   * Milliseconds one message's spelling check may take once its language is loaded; corrections not found by
   * then are left out. Default 10 (the offline tutor's reply must stay within 20 ms at p99). `Infinity`: none.
   */
  budgetMs?: number;
  /** Candidate corrections checked whatever the budget (see `suggestAll`). Default 200. */
  minChecks?: number;
  /**
   * The longest one message waits for the worker once its language is loaded, in milliseconds: past it the
   * message goes without the spelling feedback still missing. A safety net for a worker starved of CPU or
   * stuck — the budget is what keeps the worker's own work short. Default `budgetMs` + 40 (50). `Infinity`: none.
   */
  waitMs?: number;
}

export interface SpellingStats extends SpellHostStats {
  /** Whether the worker thread is running. */
  running: boolean;
  /** Messages answered without spelling feedback because the worker was loading another language. */
  skippedWhileLoading: number;
  /** Messages whose worker answer did not come within `waitMs` (their feedback lacks what was missing). */
  timedOut: number;
}

/** The worker did not answer within the wait limit. */
class SpellingTimeout extends Error {
  constructor() {
    super('the spelling worker did not answer in time');
  }
}

// A word as Hunspell sees it: letters and digits, joined by apostrophes or hyphens ("l'addition", "avez-vous").
const SPELL_WORD = /[\p{L}\p{M}\p{N}]+(?:[-'’ʼ][\p{L}\p{M}\p{N}]+)*/gu;
const HAS_DIGIT = /\p{N}/u;
const SENTENCE_END = /[.!?¿¡…:;]/u;

interface WrittenWord {
  text: string;
  /** Sent to Hunspell: apostrophes unified to '. */
  query: string;
  sentenceStart: boolean;
}

/** The words of `text` worth checking: no numbers, no acronyms, no capitalised names inside a sentence. */
export function wordsToCheck(language: TargetLanguage, text: string, known: ReadonlySet<string>): WrittenWord[] {
  const words: WrittenWord[] = [];
  const seen = new Set<string>();
  let previousEnd = 0;
  for (const match of text.normalize('NFC').matchAll(SPELL_WORD)) {
    const sentenceStart = previousEnd === 0 || SENTENCE_END.test(text.slice(previousEnd, match.index));
    previousEnd = match.index + match[0].length;
    const word = match[0];
    const query = word.replace(/[’ʼ]/gu, "'");
    const first = Array.from(word)[0]!;
    const capitalised = first !== first.toLowerCase();
    if (seen.has(query) || HAS_DIGIT.test(word)) continue;
    if (Array.from(word).length > 1 && word === word.toUpperCase()) continue; // an acronym: DNI, OK
    // Inside a sentence a capital marks a name — except in German, where every noun has one.
    if (capitalised && !sentenceStart && language !== 'de') continue;
    if (known.has(query.toLowerCase())) continue;
    seen.add(query);
    words.push({ text: word, query, sentenceStart });
  }
  return words;
}

/** The known word a misspelling most likely meant: same letters but accents or case, else the closest within typos. */
export function closestKnownWord(written: string, known: readonly string[]): string | null {
  const target = fold(written);
  let best: { word: string; distance: number } | null = null;
  for (const word of known) {
    const folded = fold(word);
    if (folded === target) return word;
    const budget = typoBudget(Array.from(folded).length);
    const distance = damerauLevenshtein(folded, target, budget);
    if (distance <= budget && (!best || distance < best.distance)) best = { word, distance };
  }
  return best?.word ?? null;
}

/**
 * The forms to ask Hunspell about: a capital only there because the word starts a sentence is dropped first
 * (Hunspell suggests "Torei" for "Vorei" but "vorrei" for "vorei"; `matchCase` puts the capital back). German
 * nouns need the capital: Hunspell finds "Tisch" for "Tish" and nothing for "tish".
 */
function suggestionQueries(language: TargetLanguage, word: WrittenWord): string[] {
  const lower = word.query.charAt(0).toLowerCase() + word.query.slice(1);
  const forms = word.sentenceStart && lower !== word.query ? [lower, word.query] : [word.query];
  if (language === 'de') forms.push(capitalise(word.query));
  return [...new Set(forms)];
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const APOSTROPHE = /['’ʼ]/gu;
const HYPHEN_OR_SPACE = /[-\s]/gu;

/**
 * The suggestion to show, from Hunspell's list (best first):
 * - one that only adds, drops or swaps hyphens or spaces is no correction: Hunspell offers "tele trabajar",
 *   "contra-oferta", "Berg-abgehen" for every compound it does not know (a run-together "porfavor" goes
 *   uncorrected — a wrong correction costs more trust than a missed one);
 * - one that differs only by apostrophes, accents or case ("dont" → "don't", "telefono" → "teléfono") wins;
 * - otherwise Hunspell's order stands: it already weighs its replacement table ("kiero" → "quiero", not "fiero").
 * Null when nothing is left.
 */
export function bestSuggestion(written: string, suggestions: readonly string[]): string | null {
  const bare = (s: string) => fold(s).replace(APOSTROPHE, '');
  const joined = (s: string) => bare(s).replace(HYPHEN_OR_SPACE, '');
  const kept = suggestions.filter((s) => bare(s) === bare(written) || joined(s) !== joined(written));
  return kept.find((s) => bare(s) === bare(written)) ?? kept[0] ?? null;
}

/** Gives `suggestion` the learner's capital when they started a sentence with the word. */
function matchCase(written: WrittenWord, suggestion: string): string {
  const first = Array.from(written.text)[0]!;
  if (written.sentenceStart && first !== first.toLowerCase()) {
    return capitalise(suggestion);
  }
  return suggestion;
}

function knownWordList(knownWords: Iterable<string> | undefined): string[] {
  const words = new Set<string>();
  for (const entry of knownWords ?? []) {
    for (const match of entry.normalize('NFC').matchAll(SPELL_WORD)) words.add(match[0].replace(/[’ʼ]/gu, "'"));
  }
  return [...words];
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export class SpellingService implements SpellChecker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** Languages the running worker has loaded, and those it is loading. */
  private readonly loaded = new Set<TargetLanguage>();
  private readonly loading = new Map<TargetLanguage, Promise<LanguageLoad[]>>();
  private skippedWhileLoading = 0;
  private timedOut = 0;

  constructor(private readonly options: SpellingServiceOptions = {}) {}

  /** Loads the dictionaries of `languages` now (e.g. at start-up) instead of on first use, one after the other. */
  async preload(languages: TargetLanguage[]): Promise<LanguageLoad[]> {
    const loads = await Promise.all([...new Set(languages)].map((language) => this.load(language)));
    return loads.flat();
  }

  /** Load times and memory, for the benchmark and health checks. Starts the worker if it is not running. */
  async stats(): Promise<SpellingStats> {
    const stats = await this.request<SpellHostStats>({ type: 'stats' });
    return {
      ...stats,
      running: this.worker !== null,
      skippedWhileLoading: this.skippedWhileLoading,
      timedOut: this.timedOut,
    };
  }

  /**
   * The spelling mistakes of `text`, each with the closest known word or the suggester's best correction, and
   * an explanation in the learner's language. Words without a correction (none found, or not in time) are not
   * reported. The first check in a language waits for its dictionary to load; after that the budget holds.
   */
  async check(language: TargetLanguage, text: string, options: SpellCheckOptions = {}): Promise<Correction[]> {
    const known = knownWordList(options.knownWords);
    const knownLower = new Set(known.map((w) => w.toLowerCase()));
    const words = wordsToCheck(language, text, knownLower).slice(0, this.options.maxWords ?? 60);
    if (words.length === 0) return [];
    if (!this.loaded.has(language)) {
      await this.load(language);
    } else if (this.loading.size > 0) {
      // The worker is busy loading another dictionary for a second or two: answer without spelling feedback.
      this.skippedWhileLoading++;
      return [];
    }
    const started = preciseNow();
    const budgetMs = this.options.budgetMs ?? 10;
    const deadline = started + budgetMs;
    const waitUntil = started + (this.options.waitMs ?? budgetMs + 40);
    const correct = await this.request<boolean[]>(
      { type: 'check', language, words: words.map((w) => w.query) },
      waitUntil,
    ).catch((err: unknown) => this.onTimeout(err, null));
    if (!correct) return [];
    const misspelled = words.filter((_, i) => !correct[i]);
    const corrected = new Map<WrittenWord, string>();
    const toSearch: WrittenWord[] = [];
    for (const word of misspelled) {
      const closest = closestKnownWord(word.query, known);
      if (closest) corrected.set(word, closest);
      else toSearch.push(word);
    }
    if (toSearch.length > 0) {
      const request: SpellRequest = {
        type: 'correct',
        language,
        words: toSearch.map((w) => suggestionQueries(language, w)),
        deadline,
        minChecks: this.options.minChecks ?? 200,
      };
      const suggestions = await this.request<string[][]>(request, waitUntil).catch((err: unknown) =>
        this.onTimeout(
          err,
          toSearch.map(() => []),
        ),
      );
      toSearch.forEach((word, i) => {
        const best = bestSuggestion(word.query, suggestions[i]!);
        if (best) corrected.set(word, best);
      });
    }
    const nativeLanguage = options.nativeLanguage ?? 'en';
    return misspelled.flatMap((word) => {
      const suggestion = corrected.get(word);
      if (!suggestion) return [];
      const fixed = matchCase(word, suggestion);
      if (fixed === word.query) return [];
      return [
        {
          original: word.text,
          corrected: fixed,
          type: 'spelling' as const,
          explanation: explainSpelling(nativeLanguage, word.text, fixed),
        },
      ];
    });
  }

  private load(language: TargetLanguage): Promise<LanguageLoad[]> {
    let loading = this.loading.get(language);
    if (!loading) {
      const worker = this.startedWorker();
      loading = this.request<LanguageLoad[]>({ type: 'load', languages: [language] });
      this.loading.set(language, loading);
      const settle = () => {
        // Only the worker that loaded it has it (a new worker starts empty).
        if (this.loading.get(language) === loading) this.loading.delete(language);
      };
      loading.then(() => {
        settle();
        if (this.worker === worker) this.loaded.add(language);
      }, settle);
    }
    return loading;
  }

  /** Stops the worker (and frees every dictionary). Requests still waiting fail; later ones are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.loaded.clear();
    this.loading.clear();
    this.failPending(new Error('the spelling service was closed'));
    if (worker) await worker.terminate();
  }

  /** A timed-out request answers `fallback`; any other failure is passed on. */
  private onTimeout<T>(err: unknown, fallback: T): T {
    if (!(err instanceof SpellingTimeout)) throw err;
    this.timedOut++;
    return fallback;
  }

  /** Sends `request` to the worker; with `waitUntil` (a `preciseNow()` time), fails with SpellingTimeout after it. */
  private request<T>(request: SpellRequest, waitUntil = Number.POSITIVE_INFINITY): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the spelling service is closed'));
    const worker = this.startedWorker();
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = () => {
        clearTimeout(timer);
        this.pending.delete(id);
        if (this.pending.size === 0) worker.unref();
      };
      this.pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value as T);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      if (Number.isFinite(waitUntil)) {
        // Deferred to the check phase: an answer already waiting in the port is delivered first (poll phase).
        const giveUp = () => setImmediate(() => this.pending.get(id)?.reject(new SpellingTimeout()));
        timer = setTimeout(giveUp, Math.max(0, waitUntil - preciseNow()));
      }
    });
    worker.ref();
    worker.postMessage({ id, request });
    return answer;
  }

  private startedWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = createWorker(this.options);
    worker.on('message', (message: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      // Unknown ids are answers that came after their request gave up waiting. Once nothing is pending, the
      // idle worker is unref'd: it must not keep the process alive (a forgotten close() would hang a CLI or a test).
      const pending = this.pending.get(message.id);
      if (message.ok) pending?.resolve(message.result);
      else pending?.reject(new Error(message.error));
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.loaded.clear();
      this.loading.clear();
      this.failPending(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the spelling worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private failPending(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }
}

/**
 * Starts `spell-worker`. Built code (`dist/…/spelling.js`) runs `spell-worker.js` directly; from TypeScript
 * sources (tests, `npm run dev`) the thread first registers tsx, which `execArgv` cannot do for a worker.
 */
type TsxManifest = { exports: { './esm/api': { import: { default: string } } } };

function createWorker(options: SpellHostOptions): Worker {
  const self = import.meta.url;
  const workerData = { ngramSuggestions: options.ngramSuggestions ?? false };
  if (!self.endsWith('.ts')) return new Worker(new URL('./spell-worker.js', self), { workerData });
  const entry = new URL('./spell-worker.ts', self).href;
  // tsx's ESM entry (its CommonJS one cannot register hooks from here), found through its package.json.
  const manifestPath = createRequire(self).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as TsxManifest;
  const tsx = pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api'].import.default)).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData });
}
