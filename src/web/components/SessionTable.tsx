import type { LearningSession } from '../../shared/learning-sessions.js';
import {
  formatAccuracy,
  formatDateTime,
  formatDuration,
  languageName,
  SESSION_STATUS_LABELS,
  SESSION_TYPE_LABELS,
  sessionAccuracy,
} from '../lib/format.js';

interface SessionTableProps {
  caption: string;
  sessions: LearningSession[];
  /** The learner's time zone, in which start times are shown. */
  timeZone: string;
  captionHidden?: boolean;
}

const COLUMNS = ['Started', 'Type', 'Language', 'Status', 'Duration', 'Items', 'Accuracy'] as const;

/**
 * Learning sessions as a table; on narrow screens each row becomes a card (the explicit ARIA roles keep the
 * table semantics when CSS changes the display of its parts).
 */
export function SessionTable({ caption, sessions, timeZone, captionHidden = false }: SessionTableProps) {
  return (
    <table className="session-table" role="table">
      <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
      <thead role="rowgroup">
        <tr role="row">
          {COLUMNS.map((c) => (
            <th
              key={c}
              role="columnheader"
              scope="col"
              className={c === 'Items' || c === 'Accuracy' || c === 'Duration' ? 'num' : undefined}
            >
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {sessions.map((s) => (
          <tr key={s.id} role="row" data-session-id={s.id}>
            <td role="cell" data-label="Started" className="session-started">
              <time dateTime={s.startedAt}>{formatDateTime(s.startedAt, timeZone)}</time>
            </td>
            <td role="cell" data-label="Type" className="session-type">
              {SESSION_TYPE_LABELS[s.type]}
            </td>
            <td role="cell" data-label="Language">
              {languageName(s.language)}
            </td>
            <td role="cell" data-label="Status" className="session-status">
              <span className={`badge badge-${s.status}`}>{SESSION_STATUS_LABELS[s.status]}</span>
            </td>
            <td role="cell" data-label="Duration" className="num">
              {s.status === 'completed' ? formatDuration(s.durationSeconds) : '—'}
            </td>
            <td role="cell" data-label="Items" className="num">
              {s.itemsStudied}
            </td>
            <td role="cell" data-label="Accuracy" className="num">
              {formatAccuracy(sessionAccuracy(s))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
