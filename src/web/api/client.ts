/**
 * The one client of the Language Tutor API for the web UI. Requests and answers are typed by the shared
 * schemas in src/shared, so a change to the API's contract is a type error here and in the pages.
 */
import type {
  AdminUserPage,
  ApiToken,
  CreatedToken,
  LoginBody,
  RegisterBody,
  UpdateMeBody,
  User,
} from '../../shared/auth.js';
import type { Card, CardPage, CardState, CreateCardBody, UpdateCardBody } from '../../shared/cards.js';
import type { ErrorBody, ErrorDetail } from '../../shared/errors.js';
import type { TargetLanguage } from '../../shared/languages.js';
import type {
  Activity,
  CreateLearningSessionBody,
  LearningSession,
  LearningSessionPage,
  LearningSessionStats,
  SessionStatus,
  SessionType,
  UpdateLearningSessionBody,
} from '../../shared/learning-sessions.js';
import type { AnswerBody, PutReviewSettingsBody, Queue, RatingName, ReviewSettings } from '../../shared/review.js';
import type { ExportFormat, ImportFormat, ImportResult } from '../../shared/card-transfer.js';
import type { ReviewStats } from '../../shared/review-stats.js';
import type {
  AdminUsageGroup,
  BudgetAlertList,
  BudgetResetList,
  GlobalBudgetBody,
  GlobalBudgetResponse,
  MyBudgetStatus,
  ResetBody,
  ResetResponse,
  UsageGroup,
  UsageReport,
  UserBudgetBody,
  UserBudgetList,
  UserBudgetResponse,
} from '../../shared/budget.js';
import type { AskAnswer, AskRequest } from '../../shared/ai.js';
import type { AdminProviders } from '../../shared/ai-providers.js';

/** The filters and page of `GET /api/learning-sessions` (see ListLearningSessionsQuerySchema). */
export interface ListSessionsParams {
  type?: SessionType | undefined;
  language?: TargetLanguage | undefined;
  status?: SessionStatus | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** The filters and page of `GET /api/cards` (see ListCardsQuerySchema). */
export interface ListCardsParams {
  language?: TargetLanguage | undefined;
  q?: string | undefined;
  state?: CardState | undefined;
  tag?: string | undefined;
  suspended?: boolean | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** The search and page of `GET /api/admin/users` (see ListUsersQuerySchema). */
export interface ListUsersParams {
  q?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** The range and grouping of a usage report; without `from`/`to`, the 30 days ending today (see UsageQuerySchema). */
export interface UsageParams<G extends string = UsageGroup> {
  /** ISO date-times; the range is [from, to). */
  from?: string | undefined;
  to?: string | undefined;
  groupBy?: G | undefined;
}

/** An error answer of the API, or a failure to reach it (`status` 0, code `network_error`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Dispatched on `window` when the API answers 401, so the app can forget the signed-in user. */
export const UNAUTHENTICATED_EVENT = 'tutor:unauthenticated';

const CSRF_COOKIE = 'csrf_token';
const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The CSRF header a cookie-authenticated POST/PUT/PATCH/DELETE needs (for requests made outside `request`). */
export function csrfHeaders(): Record<string, string> {
  const csrf = readCookie(CSRF_COOKIE);
  return csrf ? { [CSRF_HEADER]: csrf } : {};
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

type Query = Record<string, string | number | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export const NETWORK_ERROR = 'Could not reach the server. Check your connection and try again.';

/** A request whose answer's status matters to the caller (e.g. 201 created vs 200 already there). */
export async function requestWithStatus<T>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // The server refuses a JSON content type with an empty body, so it is only sent with one.
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method)) {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }

  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', NETWORK_ERROR);
  }

  if (response.status === 204) return { status: 204, body: undefined as T };
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok) return { status: response.status, body: payload as T };
  throw errorOf(response, payload);
}

/**
 * The ApiError of a failed answer (`payload` is its parsed body, if any). A 401 `unauthenticated` also tells the app
 * that the session is gone.
 */
export function errorOf(response: Response, payload: unknown): ApiError {
  const error = isErrorBody(payload)
    ? new ApiError(response.status, payload.error.code, payload.error.message, payload.error.details ?? [])
    : new ApiError(
        response.status,
        'http_error',
        `The server answered ${response.status} ${response.statusText}`.trim(),
      );
  if (response.status === 401 && error.code === 'unauthenticated')
    window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
  return error;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await requestWithStatus<T>(method, path, body)).body;
}

export const authApi = {
  register: (body: RegisterBody) => request<{ user: User }>('POST', '/auth/register', body).then((r) => r.user),
  login: (body: LoginBody) => request<{ user: User }>('POST', '/auth/login', body).then((r) => r.user),
  logout: () => request<void>('POST', '/auth/logout'),
  me: () => request<{ user: User }>('GET', '/auth/me').then((r) => r.user),
  updateMe: (body: UpdateMeBody) => request<{ user: User }>('PATCH', '/auth/me', body).then((r) => r.user),
  createToken: (name: string) => request<CreatedToken>('POST', '/auth/tokens', { name }),
  listTokens: () => request<{ items: ApiToken[] }>('GET', '/auth/tokens').then((r) => r.items),
  deleteToken: (id: string) => request<void>('DELETE', `/auth/tokens/${encodeURIComponent(id)}`),
};

export const learningSessionsApi = {
  start: (body: CreateLearningSessionBody) => request<LearningSession>('POST', '/learning-sessions', body),
  get: (id: string) => request<LearningSession>('GET', `/learning-sessions/${encodeURIComponent(id)}`),
  update: (id: string, body: UpdateLearningSessionBody) =>
    request<LearningSession>('PATCH', `/learning-sessions/${encodeURIComponent(id)}`, body),
  complete: (id: string, body?: UpdateLearningSessionBody) =>
    request<LearningSession>('POST', `/learning-sessions/${encodeURIComponent(id)}/complete`, body),
  list: (params: ListSessionsParams = {}) =>
    request<LearningSessionPage>('GET', withQuery('/learning-sessions', { ...params })),
  /** Totals of completed sessions started in [from, to); both ISO date-times. */
  stats: (range: { from?: string; to?: string } = {}) =>
    request<LearningSessionStats>('GET', withQuery('/learning-sessions/stats', range)),
  /** Study time per day over the last `days` days, in the signed-in user's time zone. */
  activity: (days = 14) => request<Activity>('GET', withQuery('/learning-sessions/activity', { days })),
};

export const cardsApi = {
  /** `created` is false when the learner already had the term: the API then records another encounter. */
  create: (body: CreateCardBody) =>
    requestWithStatus<Card>('POST', '/cards', body).then((r) => ({ card: r.body, created: r.status === 201 })),
  list: (params: ListCardsParams = {}) =>
    request<CardPage>(
      'GET',
      withQuery('/cards', {
        ...params,
        suspended: params.suspended === undefined ? undefined : String(params.suspended),
      }),
    ),
  get: (id: string) => request<Card>('GET', `/cards/${encodeURIComponent(id)}`),
  update: (id: string, body: UpdateCardBody) => request<Card>('PATCH', `/cards/${encodeURIComponent(id)}`, body),
  delete: (id: string) => request<void>('DELETE', `/cards/${encodeURIComponent(id)}`),
};

export const reviewApi = {
  queue: (params: { language?: TargetLanguage | undefined; limit?: number | undefined } = {}) =>
    request<Queue>('GET', withQuery('/review/queue', { ...params })),
  /** Repeating an `answerId` answers the first result, so a retry never rates a card twice. */
  answer: (body: AnswerBody) => request<Card>('POST', '/review/answers', body),
  /** Takes back the latest answer of today; an ApiError with code `nothing_to_undo` when there is none. */
  undo: () => request<{ card: Card; undoneRating: RatingName }>('POST', '/review/undo'),
  settings: () => request<ReviewSettings>('GET', '/review/settings'),
  saveSettings: (body: PutReviewSettingsBody) => request<ReviewSettings>('PUT', '/review/settings', body),
  /** Forecast, reviews per day, retention and card counts, in the learner's review days. */
  stats: (params: { language?: TargetLanguage | undefined } = {}) =>
    request<ReviewStats>('GET', withQuery('/review/stats', { ...params })),
};

/** The content type an import file is sent with, by format. */
const IMPORT_CONTENT_TYPES: Record<ImportFormat, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  apkg: 'application/octet-stream',
};

export interface ImportOptions {
  format: ImportFormat;
  language: TargetLanguage;
  /** Called as the file is sent, with the share sent so far (0–1). */
  onProgress?: (sent: number) => void;
  signal?: AbortSignal;
}

export const cardTransferApi = {
  /**
   * Sends the file itself as the body. XMLHttpRequest rather than fetch, because only it reports how much of
   * the body has been sent.
   */
  importFile: (file: Blob, { format, language, onProgress, signal }: ImportOptions) =>
    new Promise<ImportResult>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api${withQuery('/cards/import', { format, language })}`);
      xhr.setRequestHeader('content-type', IMPORT_CONTENT_TYPES[format]);
      xhr.setRequestHeader('accept', 'application/json');
      const csrf = readCookie(CSRF_COOKIE);
      if (csrf) xhr.setRequestHeader(CSRF_HEADER, csrf);
      xhr.responseType = 'text';
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
      };
      xhr.upload.onload = () => onProgress?.(1);
      xhr.onerror = () =>
        reject(new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.'));
      xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled.'));
      xhr.onload = () => {
        let payload: unknown;
        try {
          payload = JSON.parse(xhr.responseText);
        } catch {
          payload = undefined;
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(payload as ImportResult);
          return;
        }
        const error = isErrorBody(payload)
          ? new ApiError(xhr.status, payload.error.code, payload.error.message, payload.error.details ?? [])
          : new ApiError(xhr.status, 'http_error', `The server answered ${xhr.status} ${xhr.statusText}`.trim());
        if (xhr.status === 401 && error.code === 'unauthenticated')
          window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
        reject(error);
      };
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(file);
    }),
  /** The address of a download of one language's cards; a same-origin GET, so the session cookie goes along. */
  exportUrl: (format: ExportFormat, language: TargetLanguage) =>
    `/api${withQuery('/cards/export', { format, language })}`,
};

export const budgetApi = {
  /** The caller's budget this period, the global one when it binds them, and this period's alerts. */
  status: () => request<MyBudgetStatus>('GET', '/budget/status'),
  usage: (params: UsageParams = {}) => request<UsageReport>('GET', withQuery('/budget/usage', { ...params })),
  /** Alert events of every period, newest first (admins also get the global budget's). */
  alerts: (limit = 50) => request<BudgetAlertList>('GET', withQuery('/budget/alerts', { limit })).then((r) => r.items),
};

export const aiApi = {
  /**
   * One question to the tutor. Fails with an ApiError `budget_exhausted` (402, the message says when the budget
   * resets), `ai_unavailable` (503: no model, the offline tutor still works) or `ai_failed` (502).
   */
  ask: (body: AskRequest) => request<AskAnswer>('POST', '/ai/ask', body),
};

const userPath = (userId: string) => `/admin/budgets/users/${encodeURIComponent(userId)}`;

/** Admin only: every call answers 403 `forbidden` to a learner. */
export const adminApi = {
  /** Every account (never a credential), newest first; `q` matches part of the email or display name. */
  users: (params: ListUsersParams = {}) => request<AdminUserPage>('GET', withQuery('/admin/users', { ...params })),
  globalBudget: () => request<GlobalBudgetResponse>('GET', '/admin/budgets/global'),
  saveGlobalBudget: (body: GlobalBudgetBody) => request<GlobalBudgetResponse>('PUT', '/admin/budgets/global', body),
  deleteGlobalBudget: () => request<void>('DELETE', '/admin/budgets/global'),
  userBudgets: () => request<UserBudgetList>('GET', '/admin/budgets/users').then((r) => r.items),
  userBudget: (userId: string) => request<UserBudgetResponse>('GET', userPath(userId)),
  saveUserBudget: (userId: string, body: UserBudgetBody) => request<UserBudgetResponse>('PUT', userPath(userId), body),
  deleteUserBudget: (userId: string) => request<void>('DELETE', userPath(userId)),
  /** Restarts the count of the user's current period; logged with the reason. */
  resetUserBudget: (userId: string, body: ResetBody) =>
    request<ResetResponse>('POST', `${userPath(userId)}/reset`, body),
  resets: (userId: string) => request<BudgetResetList>('GET', `${userPath(userId)}/resets`).then((r) => r.items),
  /** Everyone's usage, or one user's (`userId`); may also group by user. */
  usage: (params: UsageParams<AdminUsageGroup> & { userId?: string | undefined } = {}) =>
    request<UsageReport>('GET', withQuery('/admin/usage', { ...params })),
  /** `probe` also checks each provider's reachability now (no tokens spent). */
  providers: (probe = false) =>
    request<AdminProviders>('GET', withQuery('/admin/ai/providers', { probe: probe ? 'true' : undefined })).then(
      (r) => r.providers,
    ),
};
