import { Link } from 'react-router';
import type { LearningSessionStats } from '../../../shared/learning-sessions.js';
import { learningSessionsApi } from '../../api/client.js';
import { useUser } from '../../auth/AuthProvider.js';
import { RetryAlert } from '../../components/Alert.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { SessionTable } from '../../components/SessionTable.js';
import { formatCount, formatDuration, SESSION_TYPE_LIST, sumBuckets } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { ActivityChart } from './ActivityChart.js';
import { StatCard } from './StatCard.js';
import { TypeBreakdown } from './TypeBreakdown.js';

const CHART_DAYS = 14;
const STATS_DAYS = 30;
const RECENT = 5;

function totalOf(stats: LearningSessionStats) {
  return sumBuckets(
    SESSION_TYPE_LIST.map((t) => ({ seconds: stats.byType[t].totalSeconds, sessions: stats.byType[t].count })),
  );
}

export function DashboardPage() {
  const user = useUser();
  const activity = useQuery('activity', () => learningSessionsApi.activity(CHART_DAYS));
  const stats = useQuery('stats', () =>
    learningSessionsApi.stats({ from: new Date(Date.now() - STATS_DAYS * 86_400_000).toISOString() }),
  );
  const recent = useQuery('recent', () => learningSessionsApi.list({ limit: RECENT }));

  const month = stats.data ? totalOf(stats.data) : null;

  return (
    <Page title="Dashboard" description={`Welcome back, ${user.displayName}.`}>
      <section aria-labelledby="totals-heading" className="section">
        <h2 id="totals-heading" className="visually-hidden">
          Study time
        </h2>
        {activity.status === 'error' && <RetryAlert error={activity.error} onRetry={activity.reload} />}
        <div className="stat-grid">
          <StatCard
            label="Today"
            value={activity.data ? formatDuration(activity.data.today.seconds) : '…'}
            detail={activity.data ? formatCount(activity.data.today.sessions, 'session', 'sessions') : ''}
            testId="stat-today"
          />
          <StatCard
            label="This week"
            value={activity.data ? formatDuration(activity.data.week.seconds) : '…'}
            detail={activity.data ? formatCount(activity.data.week.sessions, 'session', 'sessions') : ''}
            testId="stat-week"
          />
          <StatCard
            label={`Last ${STATS_DAYS} days`}
            value={month ? formatDuration(month.seconds) : '…'}
            detail={month ? formatCount(month.sessions, 'session', 'sessions') : ''}
            testId="stat-month"
          />
        </div>
      </section>

      <div className="dashboard-grid">
        <section aria-labelledby="chart-heading" className="card section card-chart">
          <h2 id="chart-heading">Study time, last {CHART_DAYS} days</h2>
          {activity.status === 'loading' && !activity.data && <PageLoading label="Loading your activity…" />}
          {activity.data && <ActivityChart activity={activity.data} />}
        </section>

        <section aria-labelledby="types-heading" className="card section">
          <h2 id="types-heading">Sessions by type, last {STATS_DAYS} days</h2>
          {stats.status === 'error' && <RetryAlert error={stats.error} onRetry={stats.reload} />}
          {stats.status === 'loading' && !stats.data && <PageLoading label="Loading your totals…" />}
          {stats.data && <TypeBreakdown stats={stats.data} />}
        </section>
      </div>

      <section aria-labelledby="recent-heading" className="card section">
        <div className="section-header">
          <h2 id="recent-heading">Recent sessions</h2>
          {recent.data && recent.data.items.length > 0 && <Link to="/history">See all history</Link>}
        </div>
        {recent.status === 'error' && <RetryAlert error={recent.error} onRetry={recent.reload} />}
        {recent.status === 'loading' && !recent.data && <PageLoading label="Loading your sessions…" />}
        {recent.data && recent.data.items.length === 0 && (
          <EmptyState title="No study sessions yet">
            <p>
              Every scenario, reading, vocabulary review and conversation you finish is logged here, with the time you
              spent and how accurate you were.
            </p>
            <p>
              Study apps and scripts record sessions through the API: create a token on your{' '}
              <Link to="/account">Account</Link> page, then see the <a href="/api/docs">API documentation</a>.
            </p>
          </EmptyState>
        )}
        {recent.data && recent.data.items.length > 0 && (
          <SessionTable
            caption="Your five most recent sessions"
            captionHidden
            sessions={recent.data.items}
            timeZone={user.timezone}
          />
        )}
      </section>
    </Page>
  );
}
