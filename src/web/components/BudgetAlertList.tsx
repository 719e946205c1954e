import type { BudgetAlert } from '../../shared/budget.js';
import { formatInstant, formatUsd, scopeLabel } from '../lib/budget-format.js';
import { EmptyState } from './EmptyState.js';

/** Budget alert events, newest first: which budget crossed which threshold, with the spend at that moment. */
export function BudgetAlertList({
  alerts,
  viewer,
  timeZone,
  emptyText,
}: {
  alerts: BudgetAlert[];
  viewer: 'learner' | 'admin';
  /** The reader's time zone, for the moments alerts were recorded. */
  timeZone: string;
  emptyText: string;
}) {
  if (alerts.length === 0) {
    return (
      <EmptyState title="No alerts" icon="chart">
        <p>{emptyText}</p>
      </EmptyState>
    );
  }
  return (
    <ul className="alert-list" data-testid="budget-alerts">
      {alerts.map((alert) => (
        <li key={alert.id} className={`alert-item${alert.threshold >= 100 ? ' alert-item-full' : ''}`}>
          <p className="alert-item-title">
            {scopeLabel(alert.scope, viewer)} reached {alert.threshold}%
          </p>
          <p className="alert-item-meta">
            {formatUsd(alert.spentUsd)} of {formatUsd(alert.limitUsd)} ·{' '}
            <time dateTime={alert.createdAt}>{formatInstant(alert.createdAt, timeZone)}</time>
          </p>
        </li>
      ))}
    </ul>
  );
}
