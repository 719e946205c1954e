import type { LearningSessionStats } from '../../../shared/learning-sessions.js';
import { EmptyState } from '../../components/EmptyState.js';
import {
  formatAccuracy,
  formatCount,
  formatDuration,
  SESSION_TYPE_LABELS,
  SESSION_TYPE_LIST,
} from '../../lib/format.js';

/** One line per session type: how many completed sessions, their time, items and accuracy. */
export function TypeBreakdown({ stats }: { stats: LearningSessionStats }) {
  const most = Math.max(...SESSION_TYPE_LIST.map((t) => stats.byType[t].count));
  if (most === 0) {
    return (
      <EmptyState title="Nothing completed in the last 30 days" icon="chart">
        <p>
          Completed sessions are counted here by type: scenarios, content study, vocabulary reviews and conversations.
        </p>
      </EmptyState>
    );
  }
  return (
    <ul className="type-list">
      {SESSION_TYPE_LIST.map((type) => {
        const s = stats.byType[type];
        return (
          <li key={type} className="type-item" data-testid={`type-${type}`}>
            <div className="type-item-head">
              <span className="type-name">{SESSION_TYPE_LABELS[type]}</span>
              <span className="type-count">{formatCount(s.count, 'session', 'sessions')}</span>
            </div>
            <div className="meter" aria-hidden="true">
              <span className={`meter-fill meter-${type}`} style={{ width: `${(s.count / most) * 100}%` }} />
            </div>
            <p className="type-meta">
              {s.count === 0
                ? 'None in this period'
                : [
                    formatDuration(s.totalSeconds),
                    formatCount(s.itemsStudied, 'item', 'items'),
                    s.accuracy === null ? null : `${formatAccuracy(s.accuracy)} accuracy`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
