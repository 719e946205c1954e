import type { UsageReport } from '../../shared/budget.js';
import { formatUsd } from '../lib/budget-format.js';
import { formatCount, formatDay } from '../lib/format.js';
import { BarChart, type BarDatum } from './BarChart.js';

/** Ticks are round numbers of dollars ("0.005"); the axis starts at a cent so a tiny spend is not a full bar. */
const MIN_SCALE_USD = 0.01;

function spendData(report: UsageReport): BarDatum[] {
  const last = report.groups.length - 1;
  return report.groups.map((day, i) => ({
    key: day.key,
    axisLabel: formatDay(day.key, 'short'),
    label: i === last ? `Today, ${formatDay(day.key, 'long')}` : formatDay(day.key, 'long'),
    value: day.costUsd,
    valueLabel: `${formatUsd(day.costUsd)} (${formatCount(day.calls, 'call', 'calls')})`,
    highlight: i === last,
  }));
}

/** A usage report grouped by day (the API lists every day of the range) as a bar chart of the spend. */
export function SpendChart({ report, title = 'AI spend per day' }: { report: UsageReport; title?: string }) {
  const days = report.groups.length;
  return (
    <BarChart
      title={`${title}, last ${formatCount(days, 'day', 'days')}`}
      summary={`${formatUsd(report.totals.costUsd)} in ${formatCount(report.totals.calls, 'call', 'calls')} over ${formatCount(days, 'day', 'days')}.`}
      data={spendData(report)}
      labelHeader="Day"
      valueHeader="Spend"
      unit="USD"
      minScale={MIN_SCALE_USD}
      minLabelSpacing={30}
    />
  );
}
