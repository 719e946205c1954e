import { Link } from 'react-router';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import type { ScenarioCategory, ScenarioDifficulty, ScenarioSummary } from '../../../shared/scenarios.js';
import { type ListScenariosParams, scenariosApi } from '../../api/scenarios.js';
import { useUser } from '../../auth/AuthProvider.js';
import { RetryAlert, StatusMessage } from '../../components/Alert.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FilterBar, FilterSelect, LanguageFilterSelect } from '../../components/Filters.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { useSearchParamFilters } from '../../components/search-param-filters.js';
import { formatCount, formatDateTime } from '../../lib/format.js';
import {
  CATEGORY_LABELS,
  CATEGORY_LIST,
  cefrRange,
  DIFFICULTY_LABELS,
  DIFFICULTY_LIST,
  pick,
} from '../../lib/scenario-format.js';
import { useQuery } from '../../lib/use-query.js';
import './practice.css';

type Filters = Pick<ListScenariosParams, 'category' | 'difficulty' | 'language'>;

/** The filters are the page's query string, so a filtered catalogue can be bookmarked and shared. */
function parseFilters(params: URLSearchParams): Filters {
  return {
    category: pick<ScenarioCategory>(CATEGORY_LIST, params.get('category')),
    difficulty: pick<ScenarioDifficulty>(DIFFICULTY_LIST, params.get('difficulty')),
    language: pick<TargetLanguage>(TARGET_LANGUAGES, params.get('language')),
  };
}

function Attempts({ scenario, timeZone }: { scenario: ScenarioSummary; timeZone: string }) {
  if (scenario.attempts === 0) return <span className="muted">Not done yet</span>;
  return (
    <span>
      Done {formatCount(scenario.attempts, 'time', 'times')}
      {scenario.lastAttemptAt && (
        <span className="muted">
          {' '}
          · last <time dateTime={scenario.lastAttemptAt}>{formatDateTime(scenario.lastAttemptAt, timeZone)}</time>
        </span>
      )}
    </span>
  );
}

function ScenarioCard({
  scenario,
  language,
  timeZone,
}: {
  scenario: ScenarioSummary;
  language: TargetLanguage | undefined;
  timeZone: string;
}) {
  const to = language ? `/scenarios/${scenario.id}?language=${language}` : `/scenarios/${scenario.id}`;
  const headingId = `scenario-${scenario.id}`;
  return (
    <li>
      <article className="scenario-card" aria-labelledby={headingId} data-scenario-id={scenario.id}>
        <div className="scenario-card-badges">
          <span className={`badge badge-category badge-category-${scenario.category}`}>
            {CATEGORY_LABELS[scenario.category]}
          </span>
          <span className={`badge badge-difficulty-${scenario.difficulty}`}>
            {DIFFICULTY_LABELS[scenario.difficulty]}
          </span>
          <span className="badge badge-cefr" title="CEFR levels">
            {cefrRange(scenario.cefr)}
          </span>
          {scenario.source === 'custom' && <span className="badge badge-custom">Custom</span>}
        </div>
        <h2 id={headingId} className="scenario-card-title">
          <Link to={to} className="stretched-link">
            {scenario.title}
          </Link>
        </h2>
        <p className="scenario-card-description">{scenario.description}</p>
        <dl className="scenario-card-meta">
          <div>
            <dt>Time</dt>
            <dd>
              {scenario.estimatedMinutes} min · {formatCount(scenario.phaseCount, 'phase', 'phases')}
            </dd>
          </div>
          <div>
            <dt>Past attempts</dt>
            <dd>
              <Attempts scenario={scenario} timeZone={timeZone} />
            </dd>
          </div>
        </dl>
      </article>
    </li>
  );
}

export function ScenariosPage() {
  const user = useUser();
  const { filters, filtered, setFilter, clear } = useSearchParamFilters(parseFilters);
  const key = JSON.stringify(filters);
  const list = useQuery(`scenarios:${key}`, () => scenariosApi.list(filters));
  const items = list.data ?? [];
  const summary =
    list.status === 'success'
      ? items.length === 0
        ? 'No scenarios match these filters.'
        : `${formatCount(items.length, 'scenario', 'scenarios')}.`
      : '';

  return (
    <Page
      title="Scenarios"
      description="Play your part in an everyday situation while the tutor plays the other one."
      actions={
        <>
          <Link to="/conversations" className="btn btn-secondary btn-small">
            Your conversations
          </Link>
          <Link to="/scenarios/custom" className="btn btn-secondary btn-small">
            Custom scenarios
          </Link>
        </>
      }
    >
      <FilterBar label="Filter scenarios" filtered={filtered} onClear={clear}>
        <FilterSelect
          label="Category"
          name="category"
          value={filters.category}
          options={CATEGORY_LIST}
          optionLabel={(c) => CATEGORY_LABELS[c]}
          onChange={setFilter}
        />
        <FilterSelect
          label="Difficulty"
          name="difficulty"
          value={filters.difficulty}
          options={DIFFICULTY_LIST}
          optionLabel={(d) => DIFFICULTY_LABELS[d]}
          onChange={setFilter}
        />
        <LanguageFilterSelect value={filters.language} onChange={setFilter} />
      </FilterBar>

      <section aria-labelledby="scenario-results-heading" aria-busy={list.status === 'loading'}>
        <h2 id="scenario-results-heading" className="visually-hidden">
          Scenarios
        </h2>
        {list.status === 'error' && <RetryAlert error={list.error} onRetry={list.reload} />}
        {list.status === 'loading' && !list.data && <PageLoading label="Loading scenarios…" />}
        {list.data && items.length === 0 && (
          <div className="card">
            <EmptyState title={filtered ? 'No scenarios match these filters' : 'No scenarios yet'} icon="search">
              {filtered ? (
                <p>
                  Try another category or level, or{' '}
                  <button type="button" className="link-button" onClick={clear}>
                    show all scenarios
                  </button>
                  .
                </p>
              ) : (
                <p>
                  <Link to="/scenarios/custom/new">Write your own scenario</Link>.
                </p>
              )}
            </EmptyState>
          </div>
        )}
        {items.length > 0 && (
          <ul
            className={list.status === 'loading' ? 'scenario-grid results-stale' : 'scenario-grid'}
            aria-label="Scenarios"
          >
            {items.map((s) => (
              <ScenarioCard key={s.id} scenario={s} language={filters.language} timeZone={user.timezone} />
            ))}
          </ul>
        )}
        <StatusMessage className="visually-hidden">{summary}</StatusMessage>
      </section>
    </Page>
  );
}
