import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { ApiTokensTable, AuthSessionsTable, DB, UsersTable } from '../../db/schema.js';
import { escapeLike } from '../../lib/like.js';

type Executor = Kysely<DB> | Transaction<DB>;
export type UserRow = Selectable<UsersTable>;
export type AuthSessionRow = Selectable<AuthSessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
/** What an admin's user list reads of a user: no password hash, nothing secret. */
export type UserListRow = Pick<UserRow, 'id' | 'email' | 'display_name' | 'role' | 'created_at'>;

export interface UserListFilter {
  /** Matched anywhere in the email or the display name, ignoring case. */
  search?: string | undefined;
  /** Keyset position: only users strictly after this one in (created_at desc, id desc) order. */
  after?: { at: string; id: string } | undefined;
  limit: number;
}

/** All SQL of accounts: users, browser sessions, API tokens and failed-login records. */
export const authRepository = {
  insertUser(db: Executor, row: UserRow): Promise<unknown> {
    return db.insertInto('users').values(row).execute();
  },

  findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },

  findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  },

  async anyAdminExists(db: Executor): Promise<boolean> {
    const row = await db.selectFrom('users').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst();
    return row !== undefined;
  },

  /**
   * Users newest first, in (created_at desc, id desc) order. Case is ignored through `lower()`, which on SQLite
   * folds ASCII letters only (PostgreSQL folds all), so "ÉLODIE" finds "Élodie" on PostgreSQL alone.
   */
  listUsers(db: Executor, f: UserListFilter): Promise<UserListRow[]> {
    let query = db.selectFrom('users').select(['id', 'email', 'display_name', 'role', 'created_at']);
    if (f.search) {
      const pattern = `%${escapeLike(f.search.toLowerCase())}%`;
      // SQLite has no default LIKE escape character; PostgreSQL's is already the backslash.
      query = query.where((eb) =>
        eb.or([
          sql<boolean>`lower(email) like ${pattern} escape '\\'`,
          sql<boolean>`lower(display_name) like ${pattern} escape '\\'`,
        ]),
      );
    }
    const after = f.after;
    if (after) {
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]),
      );
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  },

  updateUser(db: Executor, id: string, changes: Partial<Omit<UserRow, 'id' | 'created_at'>>): Promise<unknown> {
    return db.updateTable('users').set(changes).where('id', '=', id).execute();
  },

  insertSession(db: Executor, row: AuthSessionRow): Promise<unknown> {
    return db.insertInto('auth_sessions').values(row).execute();
  },

  /** The live session with this id, joined to its user; expired sessions are not found. */
  findLiveSession(db: Executor, id: string, now: string) {
    return db
      .selectFrom('auth_sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id as session_id', 's.csrf_token', 's.expires_at'])
      .selectAll('u')
      .where('s.id', '=', id)
      .where('s.expires_at', '>', now)
      .executeTakeFirst();
  },

  deleteSession(db: Executor, id: string): Promise<unknown> {
    return db.deleteFrom('auth_sessions').where('id', '=', id).execute();
  },

  deleteSessionsOfUser(db: Executor, userId: string): Promise<unknown> {
    return db.deleteFrom('auth_sessions').where('user_id', '=', userId).execute();
  },

  deleteExpiredSessions(db: Executor, now: string): Promise<unknown> {
    return db.deleteFrom('auth_sessions').where('expires_at', '<=', now).execute();
  },

  insertToken(db: Executor, row: ApiTokenRow): Promise<unknown> {
    return db.insertInto('api_tokens').values(row).execute();
  },

  listTokens(db: Executor, userId: string): Promise<ApiTokenRow[]> {
    return db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  },

  /** The token with this hash, joined to its owner. */
  findTokenByHash(db: Executor, tokenHash: string) {
    return db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['t.id as token_id', 't.last_used_at'])
      .selectAll('u')
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst();
  },

  touchToken(db: Executor, id: string, at: string): Promise<unknown> {
    return db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  },

  /** Deletes the user's token; answers whether there was one. */
  async deleteToken(db: Executor, userId: string, id: string): Promise<boolean> {
    const result = await db
      .deleteFrom('api_tokens')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  insertLoginFailures(db: Executor, rows: { id: string; key: string; at: string }[]): Promise<unknown> {
    return db.insertInto('login_failures').values(rows).execute();
  },

  /** How many failures each key had since `since`, and the oldest of them. */
  async recentLoginFailures(
    db: Executor,
    keys: string[],
    since: string,
  ): Promise<{ count: number; oldest: string | null }[]> {
    const rows = await db
      .selectFrom('login_failures')
      .select((eb) => ['key', eb.fn.countAll().as('count'), eb.fn.min('at').as('oldest')])
      .where('key', 'in', keys)
      .where('at', '>', since)
      .groupBy('key')
      .execute();
    return rows.map((r) => ({ count: Number(r.count), oldest: r.oldest as string | null }));
  },

  deleteLoginFailures(db: Executor, key: string): Promise<unknown> {
    return db.deleteFrom('login_failures').where('key', '=', key).execute();
  },

  deleteOldLoginFailures(db: Executor, before: string): Promise<unknown> {
    return db.deleteFrom('login_failures').where('at', '<', before).execute();
  },
};
