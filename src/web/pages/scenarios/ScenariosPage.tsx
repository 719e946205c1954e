import { Link, useSearchParams } from 'react-router';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import type { ScenarioCategory, ScenarioDifficulty, ScenarioSummary } from '../../../shared/scenarios.js';
import { type ListScenariosParams, scenariosApi } from '../../api/scenarios.js';
import { useUser } from '../../auth/AuthProvider.js';
import { ErrorAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { errorMessage } from '../../lib/form-errors.js';
import { formatCount, formatDateTime, languageName } from '../../lib/format.js';
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

type FilterName = 'category' | 'difficulty' | 'language';

/** The filters are the page's query string, so a filtered catalogue can be bookmarked and shared. */
function useFilters() {
  const [params, setParams] = useSearchParams();
  const filters: ListScenariosParams = {
    category: pick<ScenarioCategory>(CATEGORY_LIST, params.get('category')),
    difficulty: pick<ScenarioDifficulty>(DIFFICULTY_LIST, params.get('difficulty')),
    language: pick<TargetLanguage>(TARGET_LANGUAGES, params.get('language')),
  };
  const setFilter = (name: FilterName, value: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  };
  const clear = () => setParams(new URLSearchParams(), { replace: true });
  return { filters, setFilter, clear };
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
  const { filters, setFilter, clear } = useFilters();
  const key = JSON.stringify(filters);
  const list = useQuery(`scenarios:${key}`, () => scenariosApi.list(filters));
  const filtered = Boolean(filters.category || filters.difficulty || filters.language);
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
      <form className="card filters" role="search" aria-label="Filter scenarios" onSubmit={(e) => e.preventDefault()}>
        <FormField label="Category">
          {(control) => (
            <select
              {...control}
              name="category"
              value={filters.category ?? ''}
              onChange={(e) => setFilter('category', e.target.value)}
            >
              <option value="">All</option>
              {CATEGORY_LIST.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABELS[c]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label="Difficulty">
          {(control) => (
            <select
              {...control}
              name="difficulty"
              value={filters.difficulty ?? ''}
              onChange={(e) => setFilter('difficulty', e.target.value)}
            >
              <option value="">All</option>
              {DIFFICULTY_LIST.map((d) => (
                <option key={d} value={d}>
                  {DIFFICULTY_LABELS[d]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label="Language">
          {(control) => (
            <select
              {...control}
              name="language"
              value={filters.language ?? ''}
              onChange={(e) => setFilter('language', e.target.value)}
            >
              <option value="">All</option>
              {TARGET_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {languageName(l)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        {filtered && (
          <Button variant="ghost" className="filters-clear" onClick={clear}>
            Clear filters
          </Button>
        )}
      </form>

      <section aria-labelledby="scenario-results-heading" aria-busy={list.status === 'loading'}>
        <h2 id="scenario-results-heading" className="visually-hidden">
          Scenarios
        </h2>
        {list.status === 'error' && (
          <ErrorAlert>
            <span>{errorMessage(list.error)}</span>{' '}
            <Button variant="secondary" size="small" onClick={list.reload}>
              Try again
            </Button>
          </ErrorAlert>
        )}
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
