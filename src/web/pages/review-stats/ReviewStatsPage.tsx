import { Link, useSearchParams } from 'react-router';
import type { CardState } from '../../../shared/cards.js';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import type { RatingName } from '../../../shared/review.js';
import type { ReviewStats } from '../../../shared/review-stats.js';
import { reviewApi } from '../../api/client.js';
import { RetryAlert } from '../../components/Alert.js';
import { BarChart, type BarDatum } from '../../components/BarChart.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { StackedBarChart, type StackedDatum, type StackSeries } from '../../components/StackedBarChart.js';
import {
  CARD_STATE_LABELS,
  CARD_STATE_LIST,
  formatAccuracy,
  formatCount,
  formatDay,
  languageName,
} from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { StatCard } from '../dashboard/StatCard.js';
import { Options } from '../../components/options.js';

const RATING_SERIES: readonly StackSeries<RatingName>[] = [
  { key: 'again', label: 'Again', className: 'chart-seg-again' },
  { key: 'hard', label: 'Hard', className: 'chart-seg-hard' },
  { key: 'good', label: 'Good', className: 'chart-seg-good' },
  { key: 'easy', label: 'Easy', className: 'chart-seg-easy' },
];

const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
function shortDate(date: string): string {
  return monthDay.format(new Date(`${date}T00:00:00Z`));
}

function forecastData(stats: ReviewStats): BarDatum[] {
  return stats.forecast.map((day, i) => ({
    key: day.date,
    axisLabel: i === 0 ? 'Today' : formatDay(day.date, 'short'),
    label: i === 0 ? `Today, ${formatDay(day.date, 'long')}` : formatDay(day.date, 'long'),
    value: day.due,
    valueLabel: formatCount(day.due, 'card', 'cards'),
    highlight: i === 0,
  }));
}

function reviewData(stats: ReviewStats): StackedDatum<RatingName>[] {
  return stats.reviewsPerDay.map((day) => ({
    key: day.date,
    axisLabel: shortDate(day.date),
    label: formatDay(day.date, 'long'),
    values: { again: day.again, hard: day.hard, good: day.good, easy: day.easy },
  }));
}

function StatsView({ stats, language }: { stats: ReviewStats; language: TargetLanguage | undefined }) {
  const { counts } = stats;
  const dueSoon = stats.forecast.reduce((sum, d) => sum + d.due, 0);
  const dueToday = stats.forecast[0]?.due ?? 0;
  const answered = stats.reviewsPerDay.reduce((sum, d) => sum + d.total, 0);
  const activeDays = stats.reviewsPerDay.filter((d) => d.total > 0).length;

  if (counts.total === 0) {
    return (
      <section className="card section">
        <EmptyState title={language ? `No ${languageName(language)} cards yet` : 'No cards yet'} icon="chart">
          <p>
            Statistics appear once you have cards to review. <Link to="/cards">Add cards</Link> or{' '}
            <Link to="/cards/transfer">import a file</Link>.
          </p>
        </EmptyState>
      </section>
    );
  }

  return (
    <>
      <div className="stat-grid stats-summary">
        <StatCard
          label="Due today"
          value={String(dueToday)}
          detail={`${formatCount(dueSoon, 'card', 'cards')} in 30 days`}
          testId="stat-due-today"
        />
        <StatCard
          label="Cards"
          value={String(counts.total)}
          detail={counts.suspended > 0 ? `${counts.suspended} suspended` : 'none suspended'}
          testId="stat-cards"
        />
        <StatCard
          label="Retrievability"
          value={formatAccuracy(stats.averageRetrievability)}
          detail={stats.averageRetrievability === null ? 'no cards in review yet' : 'average chance of recall now'}
          testId="stat-retrievability"
        />
      </div>

      <section className="card section card-chart" aria-labelledby="forecast-heading">
        <div className="section-header">
          <h2 id="forecast-heading">Due in the next 30 days</h2>
        </div>
        {dueSoon === 0 ? (
          <EmptyState title="Nothing scheduled yet" icon="chart">
            <p>Cards you have answered at least once are scheduled here.</p>
          </EmptyState>
        ) : (
          <BarChart
            title="Cards due per day, next 30 days"
            summary={`${formatCount(dueSoon, 'card', 'cards')} due in the next 30 days, ${dueToday} today.`}
            data={forecastData(stats)}
            labelHeader="Day"
            valueHeader="Cards due"
            unit="cards"
            minScale={4}
            labelFrom="start"
            minLabelSpacing={30}
          />
        )}
      </section>

      <section className="card section card-chart" aria-labelledby="reviews-heading">
        <div className="section-header">
          <h2 id="reviews-heading">Answers in the last 90 days</h2>
          {answered > 0 && (
            <p className="muted">
              {formatCount(answered, 'answer', 'answers')} on {formatCount(activeDays, 'day', 'days')}
            </p>
          )}
        </div>
        {answered === 0 ? (
          <EmptyState title="No answers yet" icon="chart">
            <p>
              Your daily answers show here after your first <Link to="/review">review</Link>.
            </p>
          </EmptyState>
        ) : (
          <StackedBarChart
            title="Answers per day by rating, last 90 days"
            summary={`${formatCount(answered, 'answer', 'answers')} on ${formatCount(activeDays, 'day', 'days')} in the last 90 days.`}
            series={RATING_SERIES}
            data={reviewData(stats)}
            labelHeader="Day"
            unit="answers"
          />
        )}
      </section>

      <div className="stats-grid">
        <section className="card section" aria-labelledby="retention-heading">
          <div className="section-header">
            <h2 id="retention-heading">Retention</h2>
          </div>
          <p className="muted stats-note">
            Share of review answers that were not “Again”, by time since the card’s previous review (last 90 days).
          </p>
          <div className="table-scroll">
            <table className="data-table" data-testid="retention-table">
              <thead>
                <tr>
                  <th scope="col">Interval</th>
                  <th scope="col" className="num">
                    Answers
                  </th>
                  <th scope="col" className="num">
                    Recalled
                  </th>
                  <th scope="col" className="num">
                    Retention
                  </th>
                </tr>
              </thead>
              <tbody>
                {stats.retention.map((band) => (
                  <tr key={band.band}>
                    <th scope="row">{band.label}</th>
                    <td className="num">{band.reviews}</td>
                    <td className="num">{band.passed}</td>
                    <td className="num">{formatAccuracy(band.retention)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        <section className="card section" aria-labelledby="counts-heading">
          <div className="section-header">
            <h2 id="counts-heading">Cards by state</h2>
          </div>
          <table className="data-table" data-testid="state-counts">
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Cards
                </th>
              </tr>
            </thead>
            <tbody>
              {CARD_STATE_LIST.map((state: CardState) => (
                <tr key={state}>
                  <th scope="row">{CARD_STATE_LABELS[state]}</th>
                  <td className="num">{counts[state]}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Suspended</th>
                <td className="num">{counts.suspended}</td>
              </tr>
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td className="num">{counts.total}</td>
              </tr>
            </tfoot>
          </table>
        </section>
      </div>
    </>
  );
}

export function ReviewStatsPage() {
  const [params, setParams] = useSearchParams();
  const language = TARGET_LANGUAGES.find((l) => l === params.get('language'));
  const stats = useQuery(`review-stats:${language ?? ''}`, () => reviewApi.stats({ language }));

  const setLanguage = (value: string) =>
    setParams(value ? new URLSearchParams({ language: value }) : new URLSearchParams(), { replace: true });

  return (
    <Page
      title="Statistics"
      description="What is coming up, how your answers went and how well you remember."
      actions={
        <Link to="/review" className="btn btn-primary btn-small">
          Review now
        </Link>
      }
    >
      <form className="stats-toolbar" aria-label="Statistics filter" onSubmit={(e) => e.preventDefault()}>
        <FormField label="Language">
          {(control) => (
            <select {...control} name="language" value={language ?? ''} onChange={(e) => setLanguage(e.target.value)}>
              <option value="">All languages</option>
              <Options values={TARGET_LANGUAGES} label={(l) => languageName(l)} />
            </select>
          )}
        </FormField>
      </form>

      {stats.status === 'error' && <RetryAlert error={stats.error} onRetry={stats.reload} />}
      {stats.status === 'loading' && !stats.data && <PageLoading label="Loading statistics…" />}
      {stats.data && (
        <div
          className={stats.status === 'loading' ? 'results results-stale' : 'results'}
          aria-busy={stats.status === 'loading'}
        >
          <StatsView stats={stats.data} language={language} />
        </div>
      )}
    </Page>
  );
}
