import type { Activity } from '../../../shared/learning-sessions.js';
import { BarChart } from '../../components/BarChart.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatCount, formatDay, formatDuration, sumBuckets } from '../../lib/format.js';

/** Minutes of study per day, today last and highlighted. */
export function ActivityChart({ activity }: { activity: Activity }) {
  const total = sumBuckets(activity.days);
  if (total.sessions === 0) {
    return (
      <EmptyState title="No study time in these two weeks" icon="chart">
        <p>Finish a session and your minutes show up here, one bar per day.</p>
      </EmptyState>
    );
  }
  const last = activity.days.length - 1;
  const data = activity.days.map((day, i) => ({
    key: day.date,
    axisLabel: formatDay(day.date, 'short'),
    label: i === last ? `Today, ${formatDay(day.date, 'long')}` : formatDay(day.date, 'long'),
    value: day.seconds / 60,
    valueLabel: formatDuration(day.seconds),
    highlight: i === last,
  }));
  return (
    <BarChart
      title={`Minutes studied per day over the last ${activity.days.length} days`}
      summary={`${formatDuration(total.seconds)} in total across ${formatCount(total.sessions, 'session', 'sessions')}; today ${formatDuration(activity.today.seconds)}.`}
      data={data}
      labelHeader="Day"
      valueHeader="Study time"
      unit="min"
      minScale={5}
    />
  );
}
