import type { ColumnType } from 'kysely';

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

export interface CardsTable {
  id: string;
  user_id: string;
  language: string;
  term: string;
  term_key: string;
  translation: string;
  part_of_speech: string | null;
  context_sentence: string | null;
  context_translation: string | null;
  notes: string | null;
  /** JSON array of strings. */
  tags: string;
  source: string;
  source_id: string | null;
  search_text: string;
  /** 0 or 1 (SQLite has no boolean). */
  suspended: number;
  encounters: number;
  state: 'new' | 'learning' | 'review' | 'relearning';
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  last_reviewed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CardEncountersTable {
  id: string;
  card_id: string;
  source: string;
  source_id: string | null;
  context_sentence: string | null;
  created_at: string;
}

export interface ReviewLogsTable {
  id: string;
  user_id: string;
  card_id: string;
  answer_id: string;
  seq: number;
  language: string;
  rating: 'again' | 'hard' | 'good' | 'easy';
  state_before: string;
  elapsed_days: number;
  scheduled_days: number;
  reviewed_at: string;
  duration_ms: number;
  /** JSON of the card's scheduling fields before the answer. */
  card_before: string;
  /** JSON of the card's scheduling fields after the answer. */
  card_after: string;
  learning_session_id: string | null;
}

export interface ReviewSettingsTable {
  user_id: string;
  desired_retention: number;
  new_per_day: number;
  max_reviews_per_day: number;
  /** Space-separated steps such as "1m 10m". */
  learning_steps: string;
  relearning_steps: string;
  day_boundary_hour: number;
  /** JSON array of fitted FSRS weights, or null for the defaults. */
  parameters: string | null;
  updated_at: string;
}

export interface OptimizerJobsTable {
  user_id: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'skipped';
  /** 0 to 1. */
  progress: number;
  started_at: string;
  finished_at: string | null;
  message: string | null;
  /** JSON of the optimisation result once done. */
  result_json: string | null;
}

export interface CustomScenariosTable {
  id: string;
  owner_id: string;
  visibility: 'private' | 'public';
  title: string;
  category: string;
  difficulty: string;
  body_json: string;
  created_at: string;
  updated_at: string;
}

export interface ScenarioAttemptsTable {
  id: string;
  user_id: string;
  scenario_id: string;
  conversation_id: string;
  language: string;
  level: string;
  phases_completed: number;
  phases_total: number;
  vocabulary_used_json: string;
  objectives_met_json: string;
  objectives_total: number;
  success_rate: number;
  duration_seconds: number;
  started_at: string;
  completed_at: string;
}

/** PostgreSQL answers `bigint` columns as strings, SQLite as numbers: repositories convert with Number(). */
export type BigIntColumn = ColumnType<number | string, number, number>;

/** The AI usage ledger: one row per attempt at a model. Money in integer micro-dollars. */
export interface AiUsageTable {
  id: string;
  user_id: string;
  purpose: string;
  provider_id: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  /** 0 or 1: tokens estimated from the text because the vendor reported no usage. */
  tokens_estimated: number;
  cost_micros: BigIntColumn;
  ttft_ms: number | null;
  total_ms: number;
  /** `ok` or a failure class. */
  outcome: string;
  fallback: number;
  cached: number;
  request_id: string;
  reservation_id: string | null;
  created_at: string;
}

/** A budget: id `global` (at most one) or `user:<user id>`. */
export interface BudgetsTable {
  id: string;
  user_id: string | null;
  period: 'monthly' | 'weekly' | 'daily' | 'custom';
  custom_days: number | null;
  /** yyyy-MM-dd: the first day of the first custom period. */
  anchor_date: string | null;
  /** The global budget's zone; null for a user's budget (it follows the user's zone). */
  timezone: string | null;
  limit_micros: BigIntColumn;
  /** JSON array of whole percentages. */
  thresholds: string;
  mode: 'warn' | 'fallback' | 'block';
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

/** The settled spend of one budget in one period. */
export interface BudgetPeriodsTable {
  budget_id: string;
  period_start: string;
  period_end: string;
  user_id: string | null;
  spent_micros: BigIntColumn;
  /** The period start, or the last admin reset within the period. */
  counted_from: string;
}

export interface BudgetReservationsTable {
  id: string;
  user_id: string;
  request_id: string;
  created_at: string;
  expires_at: string;
  settled_at: string | null;
}

/** What a reservation holds against one budget period until settled (or expired). */
export interface BudgetHoldsTable {
  reservation_id: string;
  budget_id: string;
  period_start: string;
  amount_micros: BigIntColumn;
  expires_at: string;
}

export interface BudgetAlertsTable {
  id: string;
  budget_id: string;
  user_id: string | null;
  period_start: string;
  period_end: string;
  counted_from: string;
  threshold: number;
  spent_micros: BigIntColumn;
  limit_micros: BigIntColumn;
  created_at: string;
}

export interface BudgetResetsTable {
  id: string;
  budget_id: string;
  user_id: string;
  reset_by: string;
  reset_at: string;
  period_start: string;
  period_end: string;
  spent_before_micros: BigIntColumn;
  limit_before_micros: BigIntColumn;
  limit_after_micros: BigIntColumn;
  reason: string;
}

export interface ConversationsTable {
  id: string;
  user_id: string;
  mode: 'scenario' | 'free';
  scenario_id: string | null;
  scenario_title: string | null;
  topic: string | null;
  persona: string | null;
  language: string;
  level: string;
  status: 'active' | 'ended';
  state_json: string;
  learning_session_id: string;
  message_count: number;
  started_at: string;
  last_activity_at: string;
  ended_at: string | null;
  summary_json: string | null;
}

export interface ConversationMessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  role: 'tutor' | 'learner';
  text: string;
  engine: 'offline' | 'llm' | null;
  feedback_json: string | null;
  idempotency_key: string | null;
  created_at: string;
}

export interface DB {
  users: UsersTable;
  auth_sessions: AuthSessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  learning_sessions: LearningSessionsTable;
  cards: CardsTable;
  card_encounters: CardEncountersTable;
  review_logs: ReviewLogsTable;
  review_settings: ReviewSettingsTable;
  optimizer_jobs: OptimizerJobsTable;
  ai_usage: AiUsageTable;
  budgets: BudgetsTable;
  budget_periods: BudgetPeriodsTable;
  budget_reservations: BudgetReservationsTable;
  budget_holds: BudgetHoldsTable;
  budget_alerts: BudgetAlertsTable;
  budget_resets: BudgetResetsTable;
  custom_scenarios: CustomScenariosTable;
  scenario_attempts: ScenarioAttemptsTable;
  conversations: ConversationsTable;
  conversation_messages: ConversationMessagesTable;
}
