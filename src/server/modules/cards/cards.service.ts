import type { Kysely } from 'kysely';
import type {
  BulkCardsResult,
  Card,
  CardPage,
  CardState,
  CreateCardBody,
  UpdateCardBody,
} from '../../../shared/cards.js';
import { type Database, isUniqueViolation } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { ConflictError, NotFoundError } from '../../http/errors.js';
import type { Clock } from '../../lib/clock.js';
import { newMemoryState } from '../review/scheduler.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { IdGenerator } from '../../lib/ids.js';
import { presentCard } from './cards.presenter.js';
import {
  type CardEncounterRow,
  type CardRow,
  type CardsRepository,
  createCardsRepository,
} from './cards.repository.js';
import { foldForSearch, normaliseTag, normaliseTags, searchText, termKey } from './term-key.js';

export interface CardServiceDeps {
  database: Database;
  clock: Clock;
  ids: IdGenerator;
}

export interface ListCardsOptions {
  language?: string | undefined;
  q?: string | undefined;
  state?: CardState | undefined;
  tag?: string | undefined;
  suspended?: boolean | undefined;
  limit: number;
  cursor?: string | undefined;
}

export class CardExistsError extends ConflictError {
  constructor(term: string) {
    super('card_exists', `you already have another card for "${term}" in this language`, [
      { field: 'term', message: 'another of your cards in this language has this term' },
    ]);
  }
}

/** Cards with the same (language, folded term) are one card. */
function identity(language: string, key: string): string {
  return JSON.stringify([language, key]);
}

/** Optional text as stored: absent, null and "" are all null. */
function text(value: string | null | undefined): string | null {
  return value ? value : null;
}

interface TermGroup {
  language: string;
  termKey: string;
  /** Every occurrence of the term in one request, in order; each is one encounter. */
  inputs: CreateCardBody[];
}

/**
 * The learner's vocabulary cards: one card per (user, language, folded term). Adding a term the learner already
 * has records another encounter with it instead of making a second card.
 */
export class CardService {
  /** Public so the review module can read and schedule cards with the same SQL. */
  readonly repo: CardsRepository;

  constructor(private readonly deps: CardServiceDeps) {
    this.repo = createCardsRepository(deps.database.dialect);
  }

  private get db(): Kysely<DB> {
    return this.deps.database.db;
  }

  /** Adds one card, or records an encounter with the card the learner already has for the term (`created: false`). */
  async create(userId: string, input: CreateCardBody): Promise<{ card: Card; created: boolean }> {
    const { created, existing } = await this.addMany(userId, [input]);
    return { card: [...created, ...existing][0]!, created: created.length === 1 };
  }

  /**
   * Adds many cards in one transaction: all or nothing. Occurrences of one term (in the batch, or already a
   * card) fold into one card, each occurrence recorded as an encounter.
   */
  async addMany(userId: string, inputs: readonly CreateCardBody[]): Promise<BulkCardsResult> {
    return this.deps.database.writeTransaction((trx) => this.addManyIn(trx, userId, inputs));
  }

  /**
   * `addMany` inside the caller's write transaction, for callers that write more in the same transaction (the
   * card import). Keep `inputs` to at most BULK_MAX per call: each call inserts its new cards in one statement.
   */
  async addManyIn(trx: Kysely<DB>, userId: string, inputs: readonly CreateCardBody[]): Promise<BulkCardsResult> {
    const groups = new Map<string, TermGroup>();
    for (const input of inputs) {
      const key = termKey(input.term, input.language);
      const id = identity(input.language, key);
      const group = groups.get(id) ?? { language: input.language, termKey: key, inputs: [] };
      group.inputs.push(input);
      groups.set(id, group);
    }
    const { clock, ids } = this.deps;
    const repo = this.repo;
    const now = clock.now().toISOString();
    const cards = new Map<string, CardRow>();
    for (const row of await repo.findByTermKeys(trx, userId, [...groups.values()])) {
      cards.set(identity(row.language, row.term_key), row);
    }

    const fresh = [...groups].filter(([id]) => !cards.has(id)).map(([, group]) => this.newCardRow(userId, group, now));
    const inserted = fresh.length > 0 ? await repo.insertNew(trx, fresh) : new Set<string>();
    // A term missing from `inserted` was added by a concurrent request after our lookup: fold into its card.
    const raced = fresh.filter((row) => !inserted.has(row.id));
    if (raced.length > 0) {
      const keys = raced.map((row) => ({ language: row.language, termKey: row.term_key }));
      for (const row of await repo.findByTermKeys(trx, userId, keys)) {
        cards.set(identity(row.language, row.term_key), row);
      }
    }
    for (const row of fresh) {
      if (inserted.has(row.id)) cards.set(identity(row.language, row.term_key), row);
    }

    const encounters: CardEncounterRow[] = [];
    const increments = new Map<number, string[]>();
    for (const [id, group] of groups) {
      const card = cards.get(id)!;
      for (const input of group.inputs) {
        encounters.push({
          id: ids.id(),
          card_id: card.id,
          source: input.source ?? 'manual',
          source_id: text(input.sourceId),
          context_sentence: text(input.contextSentence),
          created_at: now,
        });
      }
      if (!inserted.has(card.id)) {
        increments.set(group.inputs.length, [...(increments.get(group.inputs.length) ?? []), card.id]);
      }
    }
    await repo.addEncounters(trx, encounters);
    for (const [by, cardIds] of increments) await repo.incrementEncounters(trx, cardIds, by, now);
    // Read back what the increments left, which includes encounters concurrent requests recorded.
    const existingIds = [...increments.values()].flat();
    const updated = existingIds.length > 0 ? await repo.findByIds(trx, userId, existingIds) : [];
    for (const row of updated) cards.set(identity(row.language, row.term_key), row);

    const result: BulkCardsResult = { created: [], existing: [] };
    for (const id of groups.keys()) {
      const card = cards.get(id)!;
      (inserted.has(card.id) ? result.created : result.existing).push(presentCard(card));
    }
    return result;
  }

  private newCardRow(userId: string, group: TermGroup, now: string): CardRow {
    const first = group.inputs[0]!;
    return {
      id: this.deps.ids.id(),
      user_id: userId,
      language: first.language,
      term: first.term,
      term_key: group.termKey,
      translation: first.translation,
      part_of_speech: text(first.partOfSpeech),
      context_sentence: text(first.contextSentence),
      context_translation: text(first.contextTranslation),
      notes: text(first.notes),
      tags: JSON.stringify(normaliseTags(first.tags ?? [])),
      source: first.source ?? 'manual',
      source_id: text(first.sourceId),
      search_text: searchText([first.term, first.translation, first.contextSentence, first.contextTranslation]),
      suspended: 0,
      encounters: group.inputs.length,
      ...newMemoryState(now),
      created_at: now,
      updated_at: now,
    };
  }

  async get(userId: string, id: string): Promise<Card> {
    const row = await this.repo.findById(this.db, userId, id);
    if (!row) throw new NotFoundError('card');
    return presentCard(row);
  }

  /**
   * Changes the fields given. A new term gets a new key; if another of the learner's cards in the language
   * already has that key the change is refused with `card_exists`.
   */
  async update(userId: string, id: string, changes: UpdateCardBody): Promise<Card> {
    const { database, clock } = this.deps;
    try {
      const row = await database.writeTransaction(async (trx) => {
        const row = await this.repo.findForUpdate(trx, userId, id);
        if (!row) throw new NotFoundError('card');
        const next: CardRow = { ...row, updated_at: clock.now().toISOString() };
        if (changes.term !== undefined) {
          next.term = changes.term;
          next.term_key = termKey(changes.term, row.language);
        }
        if (changes.translation !== undefined) next.translation = changes.translation;
        if (changes.partOfSpeech !== undefined) next.part_of_speech = text(changes.partOfSpeech);
        if (changes.contextSentence !== undefined) next.context_sentence = text(changes.contextSentence);
        if (changes.contextTranslation !== undefined) next.context_translation = text(changes.contextTranslation);
        if (changes.notes !== undefined) next.notes = text(changes.notes);
        if (changes.tags !== undefined) next.tags = JSON.stringify(normaliseTags(changes.tags));
        if (changes.suspended !== undefined) next.suspended = changes.suspended ? 1 : 0;
        next.search_text = searchText([next.term, next.translation, next.context_sentence, next.context_translation]);
        await this.repo.update(trx, next);
        return next;
      });
      return presentCard(row);
    } catch (err) {
      // Only the unique (user, language, term_key) index can refuse this update.
      if (isUniqueViolation(err)) throw new CardExistsError(changes.term!);
      throw err;
    }
  }

  async delete(userId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(this.db, userId, id))) throw new NotFoundError('card');
  }

  /** The learner's cards, newest first, one page at a time. `q` ignores case and accents. */
  async list(userId: string, options: ListCardsOptions): Promise<CardPage> {
    const rows = await this.repo.list(this.db, {
      userId,
      language: options.language,
      state: options.state,
      suspended: options.suspended,
      search: options.q === undefined ? undefined : foldForSearch(options.q),
      tag: options.tag === undefined ? undefined : normaliseTag(options.tag),
      after: options.cursor === undefined ? undefined : decodeCursor(options.cursor),
      limit: options.limit + 1,
    });
    const page = rows.slice(0, options.limit);
    return {
      items: page.map(presentCard),
      nextCursor:
        rows.length > options.limit ? encodeCursor(page[page.length - 1]!.created_at, page[page.length - 1]!.id) : null,
    };
  }
}
