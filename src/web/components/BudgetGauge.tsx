import { useId } from 'react';
import type { BudgetStatus } from '../../shared/budget.js';
import {
  alertTone,
  BUDGET_MODE_EFFECTS,
  BUDGET_MODE_LABELS,
  BUDGET_PERIOD_LABELS,
  formatInstant,
  formatPercent,
  formatPeriodRange,
  formatUsd,
} from '../lib/budget-format.js';

/** "$0.0123 of $0.01 spent (100%)": the gauge in words, for its meter and for anyone who reads rather than looks. */
export function budgetSummary(status: BudgetStatus): string {
  return `${formatUsd(status.spentUsd)} of ${formatUsd(status.limitUsd)} spent (${formatPercent(status.percentUsed)})`;
}

function periodName(status: BudgetStatus, customDays?: number | null): string {
  if (status.period === 'custom') return customDays ? `${customDays}-day period` : 'Custom period';
  return `${BUDGET_PERIOD_LABELS[status.period]} period`;
}

/** What an exhausted budget means for the next call, by mode. */
function exhaustedMessage(status: BudgetStatus, resets: string): string {
  switch (status.mode) {
    case 'block':
      return `New AI calls are refused until it resets on ${resets}.`;
    case 'fallback':
      return `Only free models answer until it resets on ${resets}.`;
    case 'warn':
      return `AI calls go on with a warning until it resets on ${resets}.`;
  }
}

interface BudgetGaugeProps {
  status: BudgetStatus;
  /** The id of the heading that names this budget (the meter's accessible name). */
  labelledBy: string;
  /** The reader's own time zone: times in another zone are shown with its name. */
  viewerZone: string;
  customDays?: number | null;
}

/**
 * A budget's period at a glance: a half-circle gauge of the share spent (a `meter` to assistive technology, with
 * the amounts as its text), the figures beside it, and a clear notice when it is used up.
 */
export function BudgetGauge({ status, labelledBy, viewerZone, customDays }: BudgetGaugeProps) {
  const id = useId();
  const tone = alertTone(status.alertLevel, status.exhausted);
  const shown = Math.min(100, Math.max(0, status.percentUsed));
  const resets = formatInstant(status.periodEnd, status.timezone, viewerZone);
  const reset = status.countedFrom !== status.periodStart;

  return (
    <div className={`budget budget-${tone}`} data-testid="budget-gauge" data-exhausted={status.exhausted || undefined}>
      {status.exhausted && (
        <div className="budget-exhausted" id={`${id}-exhausted`}>
          <svg aria-hidden="true" viewBox="0 0 16 16" width="18" height="18">
            <circle cx="8" cy="8" r="7" fill="currentColor" />
            <rect x="7.1" y="3.6" width="1.8" height="5.6" rx="0.9" fill="#fff" />
            <circle cx="8" cy="11.6" r="1.05" fill="#fff" />
          </svg>
          <p>
            <strong>Budget used up.</strong> {exhaustedMessage(status, resets)}
          </p>
        </div>
      )}
      <div className="budget-body">
        <div
          className="gauge"
          role="meter"
          aria-labelledby={labelledBy}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={shown}
          aria-valuetext={`${budgetSummary(status)}${status.exhausted ? ', used up' : ''}`}
          aria-describedby={status.exhausted ? `${id}-exhausted` : undefined}
        >
          <svg viewBox="0 0 200 112" aria-hidden="true" focusable="false">
            <path className="gauge-track" d="M 16 100 A 84 84 0 0 1 184 100" pathLength={100} />
            {shown > 0 && (
              <path
                className="gauge-fill"
                d="M 16 100 A 84 84 0 0 1 184 100"
                pathLength={100}
                strokeDasharray={`${shown} 100`}
              />
            )}
          </svg>
          <div className="gauge-text" aria-hidden="true">
            <span className="gauge-percent">{formatPercent(status.percentUsed)}</span>
            <span className="gauge-caption">{status.exhausted ? 'used up' : 'used'}</span>
          </div>
        </div>
        <dl className="budget-facts">
          <div>
            <dt>Spent</dt>
            <dd data-testid="budget-spent">
              {formatUsd(status.spentUsd)} <span className="muted">of {formatUsd(status.limitUsd)}</span>
            </dd>
          </div>
          <div>
            <dt>Remaining</dt>
            <dd>
              {formatUsd(status.remainingUsd)}
              {status.reservedUsd > 0 && (
                <span className="muted"> ({formatUsd(status.reservedUsd)} held by calls in progress)</span>
              )}
            </dd>
          </div>
          <div>
            <dt>When the limit is reached</dt>
            <dd data-testid="budget-mode">
              {BUDGET_MODE_LABELS[status.mode]}
              <span className="budget-fact-detail">{BUDGET_MODE_EFFECTS[status.mode]}</span>
            </dd>
          </div>
          <div>
            <dt>{periodName(status, customDays)}</dt>
            <dd>
              {formatPeriodRange(status)}
              <span className="budget-fact-detail">
                Resets on {resets}
                {reset &&
                  `; counted since a reset on ${formatInstant(status.countedFrom, status.timezone, viewerZone)}`}
              </span>
            </dd>
          </div>
          <div>
            <dt>Projected by the end</dt>
            <dd>
              {formatUsd(status.projectedUsd)}
              {status.projectedUsd > status.limitUsd && !status.exhausted && (
                <span className="budget-fact-detail">More than the limit at the current pace.</span>
              )}
            </dd>
          </div>
        </dl>
      </div>
    </div>
  );
}

/** A one-line bar of a budget's share spent, for tables: the text says it all, the bar is decoration. */
export function BudgetBar({ status }: { status: BudgetStatus }) {
  const tone = alertTone(status.alertLevel, status.exhausted);
  const shown = Math.min(100, Math.max(0, status.percentUsed));
  return (
    <div className={`budget-bar budget-${tone}`}>
      <span className="budget-bar-text">
        {formatUsd(status.spentUsd)} of {formatUsd(status.limitUsd)} · {formatPercent(status.percentUsed)}
        {status.exhausted && <strong className="budget-bar-flag"> · used up</strong>}
      </span>
      <span className="meter" aria-hidden="true">
        <span className="meter-fill" style={{ width: `${shown}%` }} />
      </span>
    </div>
  );
}
