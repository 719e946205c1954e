/**
 * The database as Kysely sees it. Times are ISO-8601 UTC strings (`toISOString()`, fixed width, so they sort
 * as text) on both SQLite and PostgreSQL; JSON is stored as text and parsed by the repositories.
 */
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  display_name: string;
  native_language: string;
  timezone: string;
  role: 'learner' | 'admin';
  created_at: string;
  updated_at: string;
}

export interface AuthSessionsTable {
  /** SHA-256 of the cookie's secret; the secret itself is never stored. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 of the token; the token is shown once and never stored. */
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface LoginFailuresTable {
  id: string;
  /** `email:<address>` or `ip:<address>`. */
  key: string;
  at: string;
}

export interface LearningSessionsTable {
  id: string;
  user_id: string;
  type: string;
  language: string;
  source_id: string | null;
  status: 'active' | 'completed';
  started_at: string;
  ended_at: string | null;
  duration_seconds: number;
  items_studied: number;
  items_correct: number;
  items_incorrect: number;
  accuracy: number;
  /** JSON object as text. */
  metadata: string;
  last_activity_at: string;
  idempotency_key: string | null;
}

export interface DB {
  users: UsersTable;
  auth_sessions: AuthSessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  learning_sessions: LearningSessionsTable;
}
