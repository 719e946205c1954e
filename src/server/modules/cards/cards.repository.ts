import { type Kysely, type Selectable, sql } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { CardEncountersTable, CardsTable, DB } from '../../db/schema.js';
import { escapeLike } from '../../lib/like.js';

export type CardRow = Selectable<CardsTable>;
export type CardEncounterRow = Selectable<CardEncountersTable>;

export interface CardListFilter {
  userId: string;
  language?: string | undefined;
  state?: CardRow['state'] | undefined;
  suspended?: boolean | undefined;
  /** Already folded with `foldForSearch`; matched anywhere in `search_text`. */
  search?: string | undefined;
  /** Already normalised with `normaliseTag`; matched as one element of the `tags` JSON array. */
  tag?: string | undefined;
  /** Keyset position: only cards strictly after this one in (created_at desc, id desc) order. */
  after?: { at: string; id: string } | undefined;
  limit: number;
}

/** All SQL of cards and their encounters. Every read of cards is scoped to one user. */
export function createCardsRepository(dialect: Dialect) {
  return {
    findById(db: Kysely<DB>, userId: string, id: string): Promise<CardRow | undefined> {
      return db.selectFrom('cards').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    },

    /** As `findById`, locking the row until the transaction ends (PostgreSQL; SQLite's write transaction already holds the lock). */
    findForUpdate(db: Kysely<DB>, userId: string, id: string): Promise<CardRow | undefined> {
      const query = db.selectFrom('cards').selectAll().where('id', '=', id).where('user_id', '=', userId);
      return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
    },

    /**
     * The user's cards with these ids. Looked up by id alone and checked for the user afterwards: with
     * `user_id = ?` in the SQL too, SQLite (which has no ANALYZE statistics here) walks one of the user_id indexes
     * over all of the user's cards instead of making a few primary-key lookups once there are 3 or more ids —
     * 240 ms instead of 0.1 ms for a learner with 100,000 cards (`npm run bench`, review seeding).
     */
    async findByIds(db: Kysely<DB>, userId: string, ids: readonly string[]): Promise<CardRow[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('cards').selectAll().where('id', 'in', ids).execute();
      return rows.filter((row) => row.user_id === userId);
    },

    /**
     * The user's cards whose (language, term_key) is one of `keys`. Answers a superset filtered on both columns
     * separately; the caller matches pairs.
     */
    findByTermKeys(
      db: Kysely<DB>,
      userId: string,
      keys: readonly { language: string; termKey: string }[],
    ): Promise<CardRow[]> {
      return db
        .selectFrom('cards')
        .selectAll()
        .where('user_id', '=', userId)
        .where('language', 'in', [...new Set(keys.map((k) => k.language))])
        .where('term_key', 'in', [...new Set(keys.map((k) => k.termKey))])
        .execute();
    },

    /**
     * Inserts the cards whose (user, language, term_key) is still free and answers the ids it inserted; a card
     * another transaction inserted meanwhile is skipped (ON CONFLICT DO NOTHING) rather than failing the batch.
     */
    async insertNew(db: Kysely<DB>, rows: readonly CardRow[]): Promise<Set<string>> {
      const inserted = await db
        .insertInto('cards')
        .values(rows)
        .onConflict((oc) => oc.columns(['user_id', 'language', 'term_key']).doNothing())
        .returning('id')
        .execute();
      return new Set(inserted.map((r) => r.id));
    },

    /** Adds `by` to the encounter count of each card in `ids`. */
    incrementEncounters(db: Kysely<DB>, ids: readonly string[], by: number, now: string): Promise<unknown> {
      return db
        .updateTable('cards')
        .set((eb) => ({ encounters: eb('encounters', '+', by), updated_at: now }))
        .where('id', 'in', ids)
        .execute();
    },

    addEncounters(db: Kysely<DB>, rows: readonly CardEncounterRow[]): Promise<unknown> {
      return db.insertInto('card_encounters').values(rows).execute();
    },

    /** A card's encounters, oldest first. */
    listEncounters(db: Kysely<DB>, cardId: string): Promise<CardEncounterRow[]> {
      return db
        .selectFrom('card_encounters')
        .selectAll()
        .where('card_id', '=', cardId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    update(db: Kysely<DB>, row: CardRow): Promise<unknown> {
      const { id, user_id: userId, ...changes } = row;
      return db.updateTable('cards').set(changes).where('id', '=', id).where('user_id', '=', userId).execute();
    },

    /** Deletes one of the user's cards (its encounters and review logs go with it); answers whether it did. */
    async delete(db: Kysely<DB>, userId: string, id: string): Promise<boolean> {
      const result = await db.deleteFrom('cards').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    list(db: Kysely<DB>, f: CardListFilter): Promise<CardRow[]> {
      let query = db.selectFrom('cards').selectAll().where('user_id', '=', f.userId);
      if (f.language) query = query.where('language', '=', f.language);
      if (f.state) query = query.where('state', '=', f.state);
      if (f.suspended !== undefined) query = query.where('suspended', '=', f.suspended ? 1 : 0);
      // SQLite has no default LIKE escape character; PostgreSQL's is already the backslash.
      if (f.search) query = query.where(sql<boolean>`search_text like ${`%${escapeLike(f.search)}%`} escape '\\'`);
      if (f.tag) query = query.where(sql<boolean>`tags like ${`%${escapeLike(JSON.stringify(f.tag))}%`} escape '\\'`);
      const after = f.after;
      if (after) {
        query = query.where((eb) =>
          eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]),
        );
      }
      return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
    },
  };
}

export type CardsRepository = ReturnType<typeof createCardsRepository>;
