import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AdminUserPage, ApiToken, CreatedToken, User } from '../../../shared/auth.js';
import type { NativeLanguage } from '../../../shared/languages.js';
import { isUniqueViolation } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { ConflictError, DomainError, NotFoundError, RateLimitedError, ValidationError } from '../../http/errors.js';
import type { Clock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { IdGenerator } from '../../lib/ids.js';
import { authRepository as repo, type UserRow } from './auth.repository.js';
import { presentAdminUser, presentToken, presentUser } from './auth.presenter.js';
import type { PasswordHasher } from './password.js';

export const SESSION_LIFETIME_MS = 30 * 24 * 3600_000;
export const LOGIN_WINDOW_MS = 60_000;
export const MAX_LOGIN_FAILURES = 10;
const TOKEN_PREFIX = 'lt_';
/** A token's last use is written at most this often, so reading with a token is not a write every time. */
const TOKEN_TOUCH_INTERVAL_MS = 60_000;

export interface BrowserSession {
  /** The cookie's secret; stored only as a hash. */
  secret: string;
  csrfToken: string;
  expiresAt: string;
}

/** Who is calling, and how they proved it. */
export interface Principal {
  user: User;
  via: 'cookie' | 'token';
  /** The browser session's id (cookie callers only). */
  sessionId: string | null;
  csrfToken: string | null;
}

export interface AuthServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdGenerator;
  passwords: PasswordHasher;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('invalid_credentials', 'wrong email or password');
  }
}

/** Accounts: registration, sign-in, browser sessions, API tokens and admins. */
export class AuthService {
  /** Verified against when the email is unknown, so both failures take the same time. */
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: AuthServiceDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  async register(input: {
    email: string;
    password: string;
    displayName?: string | undefined;
    nativeLanguage?: NativeLanguage | undefined;
    timezone?: string | undefined;
  }): Promise<{ user: User; session: BrowserSession }> {
    const user = await this.createUser({ ...input, role: 'learner' });
    return { user, session: await this.openSession(user.id) };
  }

  private async createUser(input: {
    email: string;
    password: string;
    displayName?: string | undefined;
    nativeLanguage?: NativeLanguage | undefined;
    timezone?: string | undefined;
    role: 'learner' | 'admin';
  }): Promise<User> {
    const now = this.now();
    const row: UserRow = {
      id: this.deps.ids.id(),
      email: input.email,
      password_hash: await this.deps.passwords.hash(input.password),
      display_name: input.displayName ?? input.email.split('@')[0]!,
      native_language: input.nativeLanguage ?? 'en',
      timezone: input.timezone ?? 'UTC',
      role: input.role,
      created_at: now,
      updated_at: now,
    };
    try {
      await repo.insertUser(this.deps.db, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('email_taken', 'an account with this email already exists');
      throw err;
    }
    return presentUser(row);
  }

  /**
   * Signs in with email and password. More than MAX_LOGIN_FAILURES failures within a minute for one email or
   * one address are refused before the password is even checked.
   */
  async login(
    input: { email: string; password: string },
    ip: string,
  ): Promise<{ user: User; session: BrowserSession }> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const keys = [`email:${input.email}`, `ip:${ip}`];
    const since = new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString();
    const recent = await repo.recentLoginFailures(db, keys, since);
    const blocked = recent.filter((r) => r.count >= MAX_LOGIN_FAILURES);
    if (blocked.length > 0) {
      const freesAt = Math.max(...blocked.map((r) => new Date(r.oldest!).getTime() + LOGIN_WINDOW_MS));
      throw new RateLimitedError(Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000)));
    }

    const row = await repo.findUserByEmail(db, input.email);
    const ok = row
      ? await this.deps.passwords.verify(input.password, row.password_hash)
      : await this.deps.passwords.verify(input.password, await this.getDummyHash()).then(() => false);
    if (!row || !ok) {
      await repo.insertLoginFailures(
        db,
        keys.map((key) => ({ id: this.deps.ids.id(), key, at: now.toISOString() })),
      );
      await repo.deleteOldLoginFailures(db, new Date(now.getTime() - 3600_000).toISOString());
      throw new InvalidCredentialsError();
    }
    await repo.deleteLoginFailures(db, keys[0]!);
    if (this.deps.passwords.needsRehash(row.password_hash)) {
      await repo.updateUser(db, row.id, { password_hash: await this.deps.passwords.hash(input.password) });
    }
    return { user: presentUser(row), session: await this.openSession(row.id) };
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.deps.passwords.hash('not-a-real-password');
    return this.dummyHash;
  }

  private async openSession(userId: string): Promise<BrowserSession> {
    const secret = this.deps.ids.secret();
    const now = this.deps.clock.now();
    const session = {
      id: sha256(secret),
      user_id: userId,
      csrf_token: this.deps.ids.secret(24),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_LIFETIME_MS).toISOString(),
    };
    await repo.insertSession(this.deps.db, session);
    return { secret, csrfToken: session.csrf_token, expiresAt: session.expires_at };
  }

  async logout(sessionId: string): Promise<void> {
    await repo.deleteSession(this.deps.db, sessionId);
  }

  /** The caller behind a session cookie's secret, or null when it is unknown, revoked or expired. */
  async resolveSession(secret: string): Promise<Principal | null> {
    const row = await repo.findLiveSession(this.deps.db, sha256(secret), this.now());
    if (!row) return null;
    return { user: presentUser(row), via: 'cookie', sessionId: row.session_id, csrfToken: row.csrf_token };
  }

  /** The caller behind an API token, or null when there is no such token. */
  async resolveToken(token: string): Promise<Principal | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const row = await repo.findTokenByHash(this.deps.db, sha256(token));
    if (!row) return null;
    const now = this.deps.clock.now();
    if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > TOKEN_TOUCH_INTERVAL_MS) {
      await repo.touchToken(this.deps.db, row.token_id, now.toISOString());
    }
    return { user: presentUser(row), via: 'token', sessionId: null, csrfToken: null };
  }

  async getUser(userId: string): Promise<User> {
    const row = await repo.findUserById(this.deps.db, userId);
    if (!row) throw new NotFoundError('user');
    return presentUser(row);
  }

  /** Every user, newest first, for admins: `q` matches part of the email or display name in any case. */
  async listUsers(query: {
    q?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<AdminUserPage> {
    const rows = await repo.listUsers(this.deps.db, {
      search: query.q || undefined,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const tail = page.at(-1);
    return {
      items: page.map(presentAdminUser),
      nextCursor: rows.length > query.limit && tail ? encodeCursor(tail.created_at, tail.id) : null,
    };
  }

  /**
   * Updates the profile. A password change needs the current password, signs out every browser session of
   * the user, and (for a browser caller) opens a fresh one so the caller stays signed in.
   */
  async updateMe(
    principal: Principal,
    changes: {
      displayName?: string | undefined;
      nativeLanguage?: NativeLanguage | undefined;
      timezone?: string | undefined;
      currentPassword?: string | undefined;
      newPassword?: string | undefined;
    },
  ): Promise<{ user: User; session: BrowserSession | null }> {
    const { db } = this.deps;
    const row = await repo.findUserById(db, principal.user.id);
    if (!row) throw new NotFoundError('user');
    const update: Partial<UserRow> = { updated_at: this.now() };
    if (changes.displayName !== undefined) update.display_name = changes.displayName;
    if (changes.nativeLanguage !== undefined) update.native_language = changes.nativeLanguage;
    if (changes.timezone !== undefined) update.timezone = changes.timezone;
    let session: BrowserSession | null = null;
    if (changes.newPassword !== undefined) {
      if (!(await this.deps.passwords.verify(changes.currentPassword ?? '', row.password_hash))) {
        throw new ValidationError([{ field: 'currentPassword', message: 'is not your current password' }]);
      }
      update.password_hash = await this.deps.passwords.hash(changes.newPassword);
    }
    await db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, row.id, update);
      if (update.password_hash) await repo.deleteSessionsOfUser(trx, row.id);
    });
    if (update.password_hash && principal.via === 'cookie') session = await this.openSession(row.id);
    return { user: await this.getUser(row.id), session };
  }

  async createToken(userId: string, name: string): Promise<CreatedToken> {
    const token = `${TOKEN_PREFIX}${this.deps.ids.secret()}`;
    const row = {
      id: this.deps.ids.id(),
      user_id: userId,
      name,
      token_hash: sha256(token),
      created_at: this.now(),
      last_used_at: null,
    };
    await repo.insertToken(this.deps.db, row);
    return { id: row.id, name, token, createdAt: row.created_at };
  }

  async listTokens(userId: string): Promise<ApiToken[]> {
    return (await repo.listTokens(this.deps.db, userId)).map(presentToken);
  }

  async deleteToken(userId: string, tokenId: string): Promise<void> {
    if (!(await repo.deleteToken(this.deps.db, userId, tokenId))) throw new NotFoundError('token');
  }

  /**
   * Makes `email` an admin with this password: creates the account, or promotes and re-keys an existing one.
   * Used by the CLI; `ensureFirstAdmin` is the start-up variant that does nothing once any admin exists.
   */
  async createAdmin(email: string, password: string): Promise<{ user: User; created: boolean }> {
    const { db } = this.deps;
    const existing = await repo.findUserByEmail(db, email.toLowerCase());
    if (existing) {
      await repo.updateUser(db, existing.id, {
        role: 'admin',
        password_hash: await this.deps.passwords.hash(password),
        updated_at: this.now(),
      });
      await repo.deleteSessionsOfUser(db, existing.id);
      return { user: await this.getUser(existing.id), created: false };
    }
    return { user: await this.createUser({ email: email.toLowerCase(), password, role: 'admin' }), created: true };
  }

  /** Creates the configured admin when the database has no admin yet; answers whether it did. */
  async ensureFirstAdmin(email: string, password: string): Promise<boolean> {
    if (await repo.anyAdminExists(this.deps.db)) return false;
    await this.createAdmin(email, password);
    return true;
  }

  async deleteExpiredSessions(): Promise<void> {
    await repo.deleteExpiredSessions(this.deps.db, this.now());
  }
}
