import { Link } from 'react-router';
import { useUser } from '../../auth/AuthProvider.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatAccuracy, formatCount, formatDateTime, formatDueIn, formatDuration } from '../../lib/format.js';
import { StatCard } from '../dashboard/StatCard.js';
import type { SessionSummary } from './use-review-session.js';

/** The end of a sitting: what was done, or that there was nothing to do. */
export function ReviewSummary({ summary }: { summary: SessionSummary }) {
  const user = useUser();
  if (summary.reviewed === 0) {
    return (
      <EmptyState title="Nothing to review right now">
        <p>
          Cards you add appear here when they are due. <Link to="/cards">Add or browse your cards</Link>.
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="review-summary" data-testid="review-summary">
      <h2>All done for now</h2>
      <div className="stat-grid">
        <StatCard
          label="Reviewed"
          value={String(summary.reviewed)}
          detail={formatCount(summary.reviewed, 'answer', 'answers')}
        />
        <StatCard label="Accuracy" value={formatAccuracy(summary.accuracy)} detail="Hard, good and easy" />
        <StatCard
          label="Time spent"
          value={formatDuration(Math.round(summary.spentMs / 1000))}
          detail="From each card to its answer"
        />
      </div>
      {summary.nextDue && (
        <p className="review-next-due">
          Next due <strong>{formatDueIn(summary.nextDue)}</strong> (
          <time dateTime={summary.nextDue}>{formatDateTime(summary.nextDue, user.timezone)}</time>).
        </p>
      )}
      <p className="muted">
        Your answers are recorded as a vocabulary review in your <Link to="/history">history</Link>.
      </p>
    </div>
  );
}
