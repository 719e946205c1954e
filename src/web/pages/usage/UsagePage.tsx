import { useCallback } from 'react';
import type { User } from '../../../shared/auth.js';
import type { BudgetStatus, UsageReport } from '../../../shared/budget.js';
import { budgetApi } from '../../api/client.js';
import { useUser } from '../../auth/AuthProvider.js';
import { RetryAlert } from '../../components/Alert.js';
import { BudgetAlertList } from '../../components/BudgetAlertList.js';
import { BudgetGauge } from '../../components/BudgetGauge.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { UsageTable } from '../../components/UsageTable.js';
import { formatUsd, purposeLabel, scopeLabel } from '../../lib/budget-format.js';
import { formatCount } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { AskTutor } from './AskTutor.js';
import { SpendChart } from '../../components/SpendChart.js';

function BudgetCard({ status, viewer }: { status: BudgetStatus; viewer: User }) {
  const headingId = `budget-${status.scope}-heading`;
  const role = viewer.role === 'admin' ? 'admin' : 'learner';
  return (
    <section className="card section" aria-labelledby={headingId}>
      <div className="section-header">
        <h2 id={headingId}>{status.scope === 'user' ? 'Your budget' : scopeLabel(status.scope, role)}</h2>
        {status.scope === 'global' && (
          <p className="muted">{role === 'admin' ? 'Shared by everyone' : 'Set by your administrator for everyone'}</p>
        )}
      </div>
      <BudgetGauge status={status} labelledBy={headingId} viewerZone={viewer.timezone} />
    </section>
  );
}

function PurposeSection({ report }: { report: UsageReport }) {
  return (
    <section className="card section" aria-labelledby="purpose-heading">
      <div className="section-header">
        <h2 id="purpose-heading">By purpose</h2>
        <p className="muted">Last 30 days</p>
      </div>
      {report.totals.calls === 0 ? (
        <EmptyState title="Nothing yet" icon="chart">
          <p>Conversations, corrections, hints and translations are counted here once you use them.</p>
        </EmptyState>
      ) : (
        <UsageTable
          report={report}
          caption="AI spend by purpose, last 30 days"
          groupHeader="Purpose"
          labelOf={(row) => purposeLabel(row.key)}
          testId="usage-by-purpose"
        />
      )}
    </section>
  );
}

/** The learner's AI budget this period, what they spent on which days and for what, its alerts, and a question box. */
export function UsagePage() {
  const user = useUser();
  const status = useQuery('budget-status', () => budgetApi.status());
  const daily = useQuery('usage-by-day', () => budgetApi.usage({ groupBy: 'day' }));
  const purposes = useQuery('usage-by-purpose', () => budgetApi.usage({ groupBy: 'purpose' }));
  const alerts = useQuery('budget-alerts', () => budgetApi.alerts(20));
  const { reload: reloadStatus } = status;
  const { reload: reloadDaily } = daily;
  const { reload: reloadPurposes } = purposes;
  const { reload: reloadAlerts } = alerts;

  const reloadAll = useCallback(() => {
    reloadStatus();
    reloadDaily();
    reloadPurposes();
    reloadAlerts();
  }, [reloadStatus, reloadDaily, reloadPurposes, reloadAlerts]);

  const budgets = status.data ? [status.data.user, status.data.global].filter((s) => s !== null) : [];

  return (
    <Page title="Usage & budget" description="What the AI tutor has cost you, and how much of your budget is left.">
      <div className="usage-grid">
        <div>
          {status.status === 'error' && <RetryAlert error={status.error} onRetry={status.reload} />}
          {status.status === 'loading' && !status.data && <PageLoading label="Loading your budget…" />}
          {status.data && budgets.length === 0 && (
            <section className="card section" aria-labelledby="budget-none-heading">
              <h2 id="budget-none-heading">Your budget</h2>
              <EmptyState title="No budget limits your AI use" icon="chart">
                <p>Your spend is still counted below.</p>
              </EmptyState>
            </section>
          )}
          {budgets.map((s) => (
            <BudgetCard key={s.scope} status={s} viewer={user} />
          ))}
        </div>
        <AskTutor onAsked={reloadAll} />
      </div>

      <section className="card section card-chart" aria-labelledby="daily-heading">
        <div className="section-header">
          <h2 id="daily-heading">Spend per day</h2>
          {daily.data && daily.data.totals.calls > 0 && (
            <p className="muted">
              {formatUsd(daily.data.totals.costUsd)} in {formatCount(daily.data.totals.calls, 'call', 'calls')}, last 30
              days
            </p>
          )}
        </div>
        {daily.status === 'error' && <RetryAlert error={daily.error} onRetry={daily.reload} />}
        {daily.status === 'loading' && !daily.data && <PageLoading label="Loading your usage…" />}
        {daily.data &&
          (daily.data.totals.calls === 0 ? (
            <EmptyState title="No AI calls in the last 30 days" icon="chart">
              <p>Each day’s spend shows here once you use the tutor.</p>
            </EmptyState>
          ) : (
            <SpendChart report={daily.data} />
          ))}
      </section>

      <div className="stats-grid">
        <div>
          {purposes.status === 'error' && <RetryAlert error={purposes.error} onRetry={purposes.reload} />}
          {purposes.data && <PurposeSection report={purposes.data} />}
        </div>
        <section className="card section" aria-labelledby="alerts-heading">
          <h2 id="alerts-heading">Alerts</h2>
          {alerts.status === 'error' && <RetryAlert error={alerts.error} onRetry={alerts.reload} />}
          {alerts.data && (
            <BudgetAlertList
              alerts={alerts.data}
              viewer={user.role === 'admin' ? 'admin' : 'learner'}
              timeZone={user.timezone}
              emptyText="You are told here when your spend passes one of your budget’s alert thresholds, such as 75% or 100%."
            />
          )}
        </section>
      </div>
    </Page>
  );
}
