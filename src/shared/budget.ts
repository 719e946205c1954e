import { z } from 'zod';
import { isValidTimeZone } from './time.js';

/**
 * AI budgets and the usage ledger: request and response schemas shared by the server and the web client.
 * Money is stored as integer micro-dollars; the API speaks USD numbers (at most 6 decimals, so exact).
 */

export const BUDGET_PERIODS = ['monthly', 'weekly', 'daily', 'custom'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** `warn`: the call proceeds with a warning; `fallback`: only zero-cost providers; `block`: 402 budget_exhausted. */
export const BUDGET_MODES = ['warn', 'fallback', 'block'] as const;
export type BudgetMode = (typeof BUDGET_MODES)[number];

/** The band of the share of the limit spent: below 50 %, then 50, 75, 90 and 100 % or more. */
export const ALERT_LEVELS = ['ok', '50', '75', '90', '100'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export const BUDGET_SCOPES = ['user', 'global'] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

export const DEFAULT_THRESHOLDS = [50, 75, 90, 100] as const;

/** The largest limit accepted, so every sum of micro-dollars stays an exact integer. */
export const MAX_LIMIT_USD = 1_000_000;
export const MAX_CUSTOM_DAYS = 366;
/** The longest range a usage report covers. */
export const MAX_USAGE_RANGE_DAYS = 366;

export const USAGE_GROUPS = ['provider', 'model', 'day', 'purpose'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];
/** Admins may also group by user. */
export const ADMIN_USAGE_GROUPS = [...USAGE_GROUPS, 'user'] as const;
export type AdminUsageGroup = (typeof ADMIN_USAGE_GROUPS)[number];

/** USD → integer micro-dollars (rounded to the nearest micro-dollar). */
export function usdToMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

/** Integer micro-dollars → USD. */
export function microsToUsd(micros: number): number {
  return micros / 1_000_000;
}

const limitUsd = z
  .number({ error: 'must be a number of US dollars' })
  .min(0, { error: 'must not be negative' })
  .max(MAX_LIMIT_USD, { error: `must be at most ${MAX_LIMIT_USD}` })
  .refine((v) => Math.abs(v * 1_000_000 - Math.round(v * 1_000_000)) < 1e-3, {
    error: 'must have at most 6 decimals',
  });

const thresholds = z
  .array(
    z
      .number()
      .int({ error: 'must be whole percentages' })
      .min(1, { error: 'must be between 1 and 100' })
      .max(100, { error: 'must be between 1 and 100' }),
  )
  .max(10, { error: 'at most 10 thresholds' })
  .refine((t) => new Set(t).size === t.length, { error: 'must not repeat a threshold' })
  .transform((t) => [...t].sort((a, b) => a - b));

const anchorDate = z.iso.date({ error: 'must be a date such as 2026-01-15' });
const timezone = z.string().refine(isValidTimeZone, { error: 'must be an IANA time zone such as Europe/Paris' });

const budgetFields = {
  period: z.enum(BUDGET_PERIODS),
  /** Length of a `custom` period in days (required for custom, refused otherwise). */
  customDays: z.number().int().min(1).max(MAX_CUSTOM_DAYS).optional(),
  /** First day of the first `custom` period (in the budget's time zone); defaults to today. */
  anchorDate: anchorDate.optional(),
  limitUsd,
  /** Percentages of the limit at which an alert is recorded (once per period); default 50, 75, 90, 100. */
  thresholds: thresholds.optional(),
  mode: z.enum(BUDGET_MODES),
};

function customPeriodRules(
  b: { period: BudgetPeriod; customDays?: number; anchorDate?: string },
  ctx: z.RefinementCtx,
) {
  if (b.period === 'custom' && b.customDays === undefined) {
    ctx.addIssue({ code: 'custom', path: ['customDays'], message: 'is required for a custom period' });
  }
  if (b.period !== 'custom' && b.customDays !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['customDays'], message: 'applies only to a custom period' });
  }
  if (b.period !== 'custom' && b.anchorDate !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['anchorDate'], message: 'applies only to a custom period' });
  }
}

/** PUT /api/admin/budgets/users/:userId — a user's budget runs in the user's own time zone. */
export const UserBudgetBodySchema = z.strictObject(budgetFields).superRefine(customPeriodRules);
export type UserBudgetBody = z.input<typeof UserBudgetBodySchema>;

/** PUT /api/admin/budgets/global — the global budget has its own time zone (default UTC). */
export const GlobalBudgetBodySchema = z
  .strictObject({ ...budgetFields, timezone: timezone.optional() })
  .superRefine(customPeriodRules);
export type GlobalBudgetBody = z.input<typeof GlobalBudgetBodySchema>;

/** What the service takes to create or replace a budget (after parsing). */
export interface BudgetInput {
  period: BudgetPeriod;
  customDays?: number | undefined;
  anchorDate?: string | undefined;
  limitUsd: number;
  thresholds?: number[] | undefined;
  mode: BudgetMode;
  timezone?: string | undefined;
}

export const BudgetSchema = z.object({
  id: z.string(),
  scope: z.enum(BUDGET_SCOPES),
  userId: z.string().nullable(),
  period: z.enum(BUDGET_PERIODS),
  customDays: z.number().int().nullable(),
  anchorDate: z.string().nullable(),
  /** The zone periods are computed in: the global budget's own, or the user's. */
  timezone: z.string(),
  limitUsd: z.number(),
  thresholds: z.array(z.number().int()),
  mode: z.enum(BUDGET_MODES),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});
export type Budget = z.infer<typeof BudgetSchema>;

export const BudgetStatusSchema = z.object({
  scope: z.enum(BUDGET_SCOPES),
  limitUsd: z.number(),
  /** Settled spend counted in this period (since its start, or since an admin reset). */
  spentUsd: z.number(),
  /** Held by calls in flight (expire after a while if never settled). */
  reservedUsd: z.number(),
  /** limit − spent − reserved, never below 0. */
  remainingUsd: z.number(),
  /** spent ÷ limit × 100 (two decimals, rounded down); 100 for a limit of 0. */
  percentUsed: z.number(),
  alertLevel: z.enum(ALERT_LEVELS),
  mode: z.enum(BUDGET_MODES),
  period: z.enum(BUDGET_PERIODS),
  periodStart: z.string(),
  periodEnd: z.string(),
  /** When this period's count started: the period start, or the last admin reset within it. */
  countedFrom: z.string(),
  /** spent extrapolated linearly from `countedFrom` to `periodEnd` (elapsed time taken as at least one hour). */
  projectedUsd: z.number(),
  timezone: z.string(),
  /** True when spent + reserved has reached the limit: new calls are warned, limited to free models, or blocked. */
  exhausted: z.boolean(),
});
export type BudgetStatus = z.infer<typeof BudgetStatusSchema>;

export const BudgetAlertSchema = z.object({
  id: z.string(),
  scope: z.enum(BUDGET_SCOPES),
  userId: z.string().nullable(),
  threshold: z.number().int(),
  percentUsed: z.number(),
  spentUsd: z.number(),
  limitUsd: z.number(),
  periodStart: z.string(),
  periodEnd: z.string(),
  createdAt: z.string(),
});
export type BudgetAlert = z.infer<typeof BudgetAlertSchema>;

/**
 * GET /api/budget/status. `global` is present when a global budget exists and binds the caller: they have no
 * budget of their own, or the global one leaves them less than their own (always for admins). `alerts` are those
 * recorded in the current period of the budgets shown.
 */
export const MyBudgetStatusSchema = z.object({
  user: BudgetStatusSchema.nullable(),
  global: BudgetStatusSchema.nullable(),
  alerts: z.array(BudgetAlertSchema),
});
export type MyBudgetStatus = z.infer<typeof MyBudgetStatusSchema>;

export const AlertsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const BudgetAlertListSchema = z.object({ items: z.array(BudgetAlertSchema) });
export type BudgetAlertList = z.infer<typeof BudgetAlertListSchema>;

/** A warning a call carries when it proceeds under a budget past an alert threshold or its limit. */
export const BudgetWarningSchema = z.object({
  scope: z.enum(BUDGET_SCOPES),
  alertLevel: z.enum(ALERT_LEVELS),
  message: z.string(),
});
export type BudgetWarning = z.infer<typeof BudgetWarningSchema>;

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' });

/** GET /api/budget/usage. Defaults: the 30 calendar days ending with today (in the caller's zone), by day. */
export const UsageQuerySchema = z.strictObject({
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  groupBy: z.enum(USAGE_GROUPS).default('day'),
});
export type UsageQuery = z.input<typeof UsageQuerySchema>;

/** GET /api/admin/usage: all users (or one), and may also group by user. */
export const AdminUsageQuerySchema = z.strictObject({
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  groupBy: z.enum(ADMIN_USAGE_GROUPS).default('day'),
  userId: z.string().min(1).optional(),
});
export type AdminUsageQuery = z.input<typeof AdminUsageQuerySchema>;

export const UsageTotalsSchema = z.object({
  /** Ledger rows: one per attempt (a call that failed over counts each provider it tried). */
  calls: z.number().int(),
  failedCalls: z.number().int(),
  cachedCalls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
});
export type UsageTotals = z.infer<typeof UsageTotalsSchema>;

export const UsageGroupRowSchema = UsageTotalsSchema.extend({
  /** Provider id, model, purpose, user id, or a `yyyy-MM-dd` day in the report's time zone. */
  key: z.string(),
  /** A readable name where the key is not one (the user's email when grouped by user). */
  label: z.string().nullable(),
});
export type UsageGroupRow = z.infer<typeof UsageGroupRowSchema>;

export const UsageReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(ADMIN_USAGE_GROUPS),
  /** The zone days are counted in. */
  timezone: z.string(),
  totals: UsageTotalsSchema,
  /** By cost, highest first; by day, in date order with every day of the range (empty ones as zeros). */
  groups: z.array(UsageGroupRowSchema),
});
export type UsageReport = z.infer<typeof UsageReportSchema>;

export const BudgetUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  timezone: z.string(),
});

export const GlobalBudgetResponseSchema = z.object({
  budget: BudgetSchema.nullable(),
  status: BudgetStatusSchema.nullable(),
});
export type GlobalBudgetResponse = z.infer<typeof GlobalBudgetResponseSchema>;

export const UserBudgetResponseSchema = z.object({
  user: BudgetUserSchema,
  budget: BudgetSchema.nullable(),
  status: BudgetStatusSchema.nullable(),
});
export type UserBudgetResponse = z.infer<typeof UserBudgetResponseSchema>;

export const UserBudgetListSchema = z.object({ items: z.array(UserBudgetResponseSchema) });
export type UserBudgetList = z.infer<typeof UserBudgetListSchema>;

export const ResetBodySchema = z.strictObject({
  reason: z.string().trim().min(1, { error: 'must not be empty' }).max(500, { error: 'at most 500 characters' }),
  /** A new limit to apply from the reset on (the old one stays when absent). */
  limitUsd: limitUsd.optional(),
});
export type ResetBody = z.input<typeof ResetBodySchema>;

export const BudgetResetSchema = z.object({
  id: z.string(),
  userId: z.string(),
  resetBy: z.string(),
  resetAt: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  spentBeforeUsd: z.number(),
  limitBeforeUsd: z.number(),
  limitAfterUsd: z.number(),
  reason: z.string(),
});
export type BudgetReset = z.infer<typeof BudgetResetSchema>;

export const ResetResponseSchema = z.object({ reset: BudgetResetSchema, status: BudgetStatusSchema });
export type ResetResponse = z.infer<typeof ResetResponseSchema>;
export const BudgetResetListSchema = z.object({ items: z.array(BudgetResetSchema) });
export type BudgetResetList = z.infer<typeof BudgetResetListSchema>;
