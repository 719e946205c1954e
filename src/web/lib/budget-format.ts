/**
 * How the UI words AI budgets and usage. Formatting only: every amount, share and period is computed by the API.
 * The lists come from label maps (whose Record types make a new period or mode a compile error here) rather than
 * from src/shared/budget.ts, whose values would pull zod into the browser bundle.
 */
import { TZDate } from '@date-fns/tz';
import type {
  AdminUsageGroup,
  AlertLevel,
  BudgetMode,
  BudgetPeriod,
  BudgetScope,
  BudgetStatus,
} from '../../shared/budget.js';

export const BUDGET_PERIOD_LABELS: Record<BudgetPeriod, string> = {
  monthly: 'Monthly',
  weekly: 'Weekly',
  daily: 'Daily',
  custom: 'Custom length',
};
export const BUDGET_PERIOD_LIST = Object.keys(BUDGET_PERIOD_LABELS) as BudgetPeriod[];

export const BUDGET_MODE_LABELS: Record<BudgetMode, string> = {
  warn: 'Warn',
  fallback: 'Free models only',
  block: 'Block',
};

/** What happens once the limit is reached, in one sentence. */
export const BUDGET_MODE_EFFECTS: Record<BudgetMode, string> = {
  warn: 'AI calls go on past the limit, each with a warning.',
  fallback: 'Only free (local) models answer; without one, the offline tutor takes over.',
  block: 'AI calls are refused until the period resets.',
};
export const BUDGET_MODE_LIST = Object.keys(BUDGET_MODE_LABELS) as BudgetMode[];

export const DEFAULT_THRESHOLDS_TEXT = '50, 75, 90, 100';

export const USAGE_GROUP_LABELS: Record<AdminUsageGroup, string> = {
  day: 'Day',
  provider: 'Provider',
  model: 'Model',
  purpose: 'Purpose',
  user: 'User',
};
export const ADMIN_USAGE_GROUP_LIST = Object.keys(USAGE_GROUP_LABELS) as AdminUsageGroup[];

/** The purposes the gateway records (`AiPurpose` on the server); an unknown one is shown as it is. */
const PURPOSE_LABELS: Record<string, string> = {
  conversation: 'Conversation',
  correction: 'Corrections',
  hint: 'Hints',
  translation: 'Translations',
  content_generation: 'Study material',
  other: 'Questions and other',
};

export function purposeLabel(purpose: string): string {
  return PURPOSE_LABELS[purpose] ?? purpose;
}

export function scopeLabel(scope: BudgetScope, viewer: 'learner' | 'admin'): string {
  if (scope === 'global') return viewer === 'admin' ? 'Global budget' : 'Shared budget';
  return viewer === 'admin' ? 'User budget' : 'Your budget';
}

const usdCents = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const usdSmall = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});
const usdMicros = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 6,
});

/**
 * A USD amount: cents from a dollar up ("$12.40"), finer below it, where single calls are counted ("$0.0123"),
 * and to the micro-dollar below a hundredth of a cent ("$0.000042"), so a small spend never reads as $0.00.
 */
export function formatUsd(usd: number): string {
  const size = Math.abs(usd);
  if (size >= 1 || size === 0) return usdCents.format(usd);
  if (size >= 0.0001) return usdSmall.format(usd);
  return usdMicros.format(usd);
}

const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** A share given in percent (the API's `percentUsed`, 0–100 or more) as "12.5%". */
export function formatPercent(percent: number): string {
  return percentFormat.format(percent / 100);
}

/** The colour band of a budget's gauge. */
export function alertTone(level: AlertLevel, exhausted: boolean): 'ok' | 'notice' | 'warning' | 'danger' {
  if (exhausted || level === '100') return 'danger';
  if (level === '90') return 'warning';
  if (level === '50' || level === '75') return 'notice';
  return 'ok';
}

/** "1 Nov – 30 Nov 2026": the days a period covers (its end is exclusive), in the budget's zone. */
export function formatPeriodRange(status: Pick<BudgetStatus, 'periodStart' | 'periodEnd' | 'timezone'>): string {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: status.timezone });
  const start = new Date(status.periodStart);
  const lastInstant = new Date(Date.parse(status.periodEnd) - 1);
  return format.formatRange(start, lastInstant);
}

/** An instant as date and time in a zone, with the zone named when it is not the reader's own. */
export function formatInstant(iso: string, timeZone: string, viewerZone?: string): string {
  const text = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
  return viewerZone && viewerZone !== timeZone ? `${text} (${timeZone.replaceAll('_', ' ')})` : text;
}

/** The `days` calendar days ending with today in `timeZone`, as the [from, to) of a usage report. */
export function lastDays(days: number, timeZone: string, now: Date = new Date()): { from: string; to: string } {
  const today = new TZDate(now.getTime(), timeZone);
  const y = today.getFullYear();
  const m = today.getMonth();
  const d = today.getDate();
  return {
    from: new TZDate(y, m, d - (days - 1), timeZone).toISOString(),
    to: new TZDate(y, m, d + 1, timeZone).toISOString(),
  };
}

/**
 * Alert thresholds as typed ("50, 75 90"): numbers, or null when a part is not one. Empty means no alerts.
 * The API checks the values themselves (whole percentages, 1–100, no repeats).
 */
export function parseThresholds(text: string): number[] | null {
  const parts = text
    .split(/[\s,;%]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const numbers = parts.map(Number);
  return numbers.some((n) => !Number.isFinite(n)) ? null : numbers;
}

/** A typed number, or undefined when the field is empty (the API then says what is missing). */
export function parseAmount(text: string): number | undefined {
  const trimmed = text.trim().replace(/^\$/, '');
  if (trimmed === '') return undefined;
  return Number(trimmed);
}
