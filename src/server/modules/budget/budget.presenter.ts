import {
  type AlertLevel,
  type Budget,
  type BudgetAlert,
  type BudgetPeriod,
  type BudgetReset,
  type BudgetScope,
  type BudgetStatus,
  microsToUsd,
} from '../../../shared/budget.js';
import type { AlertRow, BudgetRow, BudgetUserRow, ResetRow } from './budget.repository.js';

/** A budget's figures for its current period, in micro-dollars, as the service computed them. */
export interface BudgetSnapshot {
  scope: BudgetScope;
  budget: BudgetRow;
  timezone: string;
  periodStart: Date;
  periodEnd: Date;
  countedFrom: Date;
  spentMicros: number;
  reservedMicros: number;
  percentUsed: number;
  alertLevel: AlertLevel;
  projectedMicros: number;
  exhausted: boolean;
}

export function scopeOf(budgetId: string): BudgetScope {
  return budgetId === 'global' ? 'global' : 'user';
}

export function presentBudget(row: BudgetRow, timezone: string): Budget {
  return {
    id: row.id,
    scope: scopeOf(row.id),
    userId: row.user_id,
    period: row.period as BudgetPeriod,
    customDays: row.custom_days,
    anchorDate: row.anchor_date,
    timezone,
    limitUsd: microsToUsd(row.limit_micros),
    thresholds: JSON.parse(row.thresholds) as number[],
    mode: row.mode,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export function presentStatus(s: BudgetSnapshot): BudgetStatus {
  const limit = s.budget.limit_micros;
  return {
    scope: s.scope,
    limitUsd: microsToUsd(limit),
    spentUsd: microsToUsd(s.spentMicros),
    reservedUsd: microsToUsd(s.reservedMicros),
    remainingUsd: microsToUsd(Math.max(0, limit - s.spentMicros - s.reservedMicros)),
    percentUsed: s.percentUsed,
    alertLevel: s.alertLevel,
    mode: s.budget.mode,
    period: s.budget.period,
    periodStart: s.periodStart.toISOString(),
    periodEnd: s.periodEnd.toISOString(),
    countedFrom: s.countedFrom.toISOString(),
    projectedUsd: microsToUsd(s.projectedMicros),
    timezone: s.timezone,
    exhausted: s.exhausted,
  };
}

export function presentAlert(row: AlertRow): BudgetAlert {
  return {
    id: row.id,
    scope: scopeOf(row.budget_id),
    userId: row.user_id,
    threshold: row.threshold,
    percentUsed: row.limit_micros > 0 ? Math.floor((row.spent_micros * 10_000) / row.limit_micros) / 100 : 100,
    spentUsd: microsToUsd(row.spent_micros),
    limitUsd: microsToUsd(row.limit_micros),
    periodStart: row.period_start,
    periodEnd: row.period_end,
    createdAt: row.created_at,
  };
}

export function presentReset(row: ResetRow): BudgetReset {
  return {
    id: row.id,
    userId: row.user_id,
    resetBy: row.reset_by,
    resetAt: row.reset_at,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    spentBeforeUsd: microsToUsd(row.spent_before_micros),
    limitBeforeUsd: microsToUsd(row.limit_before_micros),
    limitAfterUsd: microsToUsd(row.limit_after_micros),
    reason: row.reason,
  };
}

export function presentBudgetUser(row: BudgetUserRow): {
  id: string;
  email: string;
  displayName: string;
  timezone: string;
} {
  return { id: row.id, email: row.email, displayName: row.display_name, timezone: row.timezone };
}
