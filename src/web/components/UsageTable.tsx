import type { UsageGroupRow, UsageReport } from '../../shared/budget.js';
import { formatUsd } from '../lib/budget-format.js';

const count = new Intl.NumberFormat();

/** Input tokens over output tokens; the words are there for screen readers, the layout says it to the eye. */
function Tokens({ input, output }: { input: number; output: number }) {
  return (
    <>
      {count.format(input)}
      <span className="visually-hidden"> in,</span>
      <span className="usage-sub">
        {count.format(output)}
        <span className="visually-hidden"> out</span>
      </span>
    </>
  );
}

interface UsageTableProps {
  report: UsageReport;
  caption: string;
  /** The header of the first column ("Purpose", "Provider"…). */
  groupHeader: string;
  /** The words for a row's key (a purpose's name, a user's email…). */
  labelOf: (row: UsageGroupRow) => string;
  testId?: string;
}

/**
 * A usage report's groups as a table: calls, tokens and cost per group with the totals, and a bar of each group's
 * share of the cost under its name (decoration: the cost column says the same).
 */
export function UsageTable({ report, caption, groupHeader, labelOf, testId }: UsageTableProps) {
  const most = Math.max(0, ...report.groups.map((g) => g.costUsd));
  return (
    <div className="table-scroll">
      <table className="data-table usage-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{groupHeader}</th>
            <th scope="col" className="num">
              Calls
            </th>
            <th scope="col" className="num">
              Tokens <span className="usage-sub">in / out</span>
            </th>
            <th scope="col" className="num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {report.groups.map((row) => (
            <tr key={row.key}>
              <th scope="row">
                <span className="usage-label">{labelOf(row)}</span>
                <span className="meter usage-share" aria-hidden="true">
                  <span className="meter-fill" style={{ width: most > 0 ? `${(row.costUsd / most) * 100}%` : 0 }} />
                </span>
              </th>
              <td className="num">
                {count.format(row.calls)}
                {row.failedCalls > 0 && <span className="usage-sub">{count.format(row.failedCalls)} failed</span>}
                {row.cachedCalls > 0 && <span className="usage-sub">{count.format(row.cachedCalls)} cached</span>}
              </td>
              <td className="num">
                <Tokens input={row.inputTokens} output={row.outputTokens} />
              </td>
              <td className="num">{formatUsd(row.costUsd)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{count.format(report.totals.calls)}</td>
            <td className="num">
              <Tokens input={report.totals.inputTokens} output={report.totals.outputTokens} />
            </td>
            <td className="num">{formatUsd(report.totals.costUsd)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
