import { useSearchParams } from 'react-router';
import type { AdminUsageGroup, UsageGroupRow, UsageReport } from '../../../shared/budget.js';
import { adminApi } from '../../api/client.js';
import { useUser } from '../../auth/AuthProvider.js';
import { RetryAlert } from '../../components/Alert.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { SpendChart } from '../../components/SpendChart.js';
import { UsageTable } from '../../components/UsageTable.js';
import {
  ADMIN_USAGE_GROUP_LIST,
  formatUsd,
  lastDays,
  purposeLabel,
  USAGE_GROUP_LABELS,
} from '../../lib/budget-format.js';
import { formatCount } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { StatCard } from '../dashboard/StatCard.js';
import { Options } from '../../components/options.js';

const RANGES = [7, 30, 90, 365] as const;
type Range = (typeof RANGES)[number];

function labelOf(groupBy: AdminUsageGroup): (row: UsageGroupRow) => string {
  if (groupBy === 'purpose') return (row) => purposeLabel(row.key);
  if (groupBy === 'user') return (row) => row.label ?? row.key;
  return (row) => row.key;
}

function Results({ report, days }: { report: UsageReport; days: number }) {
  const { totals } = report;
  return (
    <>
      <div className="stat-grid stats-summary">
        <StatCard
          label="Spend"
          value={formatUsd(totals.costUsd)}
          detail={`last ${formatCount(days, 'day', 'days')}`}
          testId="usage-total-cost"
        />
        <StatCard
          label="Calls"
          value={new Intl.NumberFormat().format(totals.calls)}
          detail={[
            totals.failedCalls > 0 ? `${totals.failedCalls} failed` : 'none failed',
            totals.cachedCalls > 0 ? `${totals.cachedCalls} cached` : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        />
        <StatCard
          label="Tokens"
          value={new Intl.NumberFormat(undefined, { notation: 'compact' }).format(
            totals.inputTokens + totals.outputTokens,
          )}
          detail={`${new Intl.NumberFormat().format(totals.inputTokens)} in · ${new Intl.NumberFormat().format(totals.outputTokens)} out`}
        />
      </div>
      <section
        className={report.groupBy === 'day' ? 'card section card-chart' : 'card section'}
        aria-labelledby="usage-groups-heading"
      >
        <div className="section-header">
          <h2 id="usage-groups-heading">By {USAGE_GROUP_LABELS[report.groupBy].toLowerCase()}</h2>
          <p className="muted">Days counted in {report.timezone.replaceAll('_', ' ')}</p>
        </div>
        {totals.calls === 0 ? (
          <EmptyState title="No AI calls in this range" icon="chart">
            <p>Calls of every learner are counted here as they happen.</p>
          </EmptyState>
        ) : report.groupBy === 'day' ? (
          <SpendChart report={report} />
        ) : (
          <UsageTable
            report={report}
            caption={`AI usage by ${USAGE_GROUP_LABELS[report.groupBy].toLowerCase()}`}
            groupHeader={USAGE_GROUP_LABELS[report.groupBy]}
            labelOf={labelOf(report.groupBy)}
            testId="admin-usage-table"
          />
        )}
      </section>
    </>
  );
}

/** The AI usage of every learner (or one), over a range of days, grouped as the learner's page does, or by user. */
export function AdminUsagePage() {
  const admin = useUser();
  const [params, setParams] = useSearchParams();
  const days: Range = RANGES.find((r) => String(r) === params.get('days')) ?? 30;
  const groupBy: AdminUsageGroup = ADMIN_USAGE_GROUP_LIST.find((g) => g === params.get('group')) ?? 'day';
  const userId = params.get('user') ?? '';

  const users = useQuery('admin-usage-users', () =>
    adminApi.usage({ groupBy: 'user', ...lastDays(365, admin.timezone) }),
  );
  const report = useQuery(`admin-usage:${days}:${groupBy}:${userId}`, () =>
    adminApi.usage({ groupBy, ...lastDays(days, admin.timezone), userId: userId || undefined }),
  );

  const setParam = (name: string, value: string, fallback: string) => {
    const next = new URLSearchParams(params);
    if (value === fallback) next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  };

  return (
    <Page title="Usage" description="What the AI tutor has cost, for everyone or one user.">
      <form className="filters usage-filters" aria-label="Usage filter" onSubmit={(e) => e.preventDefault()}>
        <FormField label="Range">
          {(control) => (
            <select {...control} name="days" value={days} onChange={(e) => setParam('days', e.target.value, '30')}>
              {RANGES.map((r) => (
                <option key={r} value={r}>
                  Last {r} days
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label="Group by">
          {(control) => (
            <select
              {...control}
              name="group"
              value={groupBy}
              onChange={(e) => setParam('group', e.target.value, 'day')}
            >
              <Options values={ADMIN_USAGE_GROUP_LIST} label={(g) => USAGE_GROUP_LABELS[g]} />
            </select>
          )}
        </FormField>
        <FormField label="User">
          {(control) => (
            <select {...control} name="user" value={userId} onChange={(e) => setParam('user', e.target.value, '')}>
              <option value="">All users</option>
              {users.data?.groups.map((g) => (
                <option key={g.key} value={g.key}>
                  {g.label ?? g.key}
                </option>
              ))}
              {userId && !users.data?.groups.some((g) => g.key === userId) && <option value={userId}>{userId}</option>}
            </select>
          )}
        </FormField>
      </form>

      {report.status === 'error' && <RetryAlert error={report.error} onRetry={report.reload} />}
      {report.status === 'loading' && !report.data && <PageLoading label="Loading usage…" />}
      {report.data && (
        <div
          className={report.status === 'loading' ? 'results results-stale' : 'results'}
          aria-busy={report.status === 'loading'}
        >
          <Results report={report.data} days={days} />
        </div>
      )}
    </Page>
  );
}
