import { Link } from 'react-router';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import type { SessionStatus, SessionType } from '../../../shared/learning-sessions.js';
import { learningSessionsApi, type ListSessionsParams } from '../../api/client.js';
import { useUser } from '../../auth/AuthProvider.js';
import { ErrorAlert, RetryAlert, StatusMessage } from '../../components/Alert.js';
import { LoadMore } from '../../components/LoadMore.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FilterBar, FilterSelect, LanguageFilterSelect } from '../../components/Filters.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { useSearchParamFilters } from '../../components/search-param-filters.js';
import { SessionTable } from '../../components/SessionTable.js';
import {
  formatCount,
  SESSION_STATUS_LABELS,
  SESSION_STATUS_LIST,
  SESSION_TYPE_LABELS,
  SESSION_TYPE_LIST,
} from '../../lib/format.js';
import { pick } from '../../lib/scenario-format.js';
import { usePagedQuery } from '../../lib/use-paged-query.js';

const PAGE_SIZE = 20;

type Filters = Pick<ListSessionsParams, 'type' | 'language' | 'status'>;

/** The filters are the page's query string, so a filtered view can be bookmarked and shared. */
function parseFilters(params: URLSearchParams): Filters {
  return {
    type: pick<SessionType>(SESSION_TYPE_LIST, params.get('type')),
    language: pick<TargetLanguage>(TARGET_LANGUAGES, params.get('language')),
    status: pick<SessionStatus>(SESSION_STATUS_LIST, params.get('status')),
  };
}

function describeResults(count: number, more: boolean, filtered: boolean): string {
  if (count === 0) return filtered ? 'No sessions match these filters.' : 'No study sessions yet.';
  if (more) return `Showing the ${formatCount(count, 'newest session', 'newest sessions')}.`;
  return `${formatCount(count, 'session', 'sessions')}, that’s all of them.`;
}

export function HistoryPage() {
  const user = useUser();
  const filterState = useSearchParamFilters(parseFilters);
  const { filters, filtered } = filterState;
  const key = JSON.stringify(filters);
  const { first, items, nextCursor, loadMore, loadingMore, moreError, reset } = usePagedQuery(
    `history:${key}`,
    (cursor) => learningSessionsApi.list({ ...filters, limit: PAGE_SIZE, cursor }),
  );
  // Read out when the results change (a new filter, another page); the visible text says the same.
  const summary =
    first.data && first.status !== 'loading' ? describeResults(items.length, Boolean(nextCursor), filtered) : '';

  // Coming back to a filter later starts from its first page again.
  const setFilter = (name: keyof Filters, value: string) => {
    reset();
    filterState.setFilter(name, value);
  };
  const clear = () => {
    reset();
    filterState.clear();
  };

  return (
    <Page title="History" description="Every study session you have recorded, newest first.">
      <FilterBar label="Filter sessions" filtered={filtered} onClear={clear}>
        <FilterSelect
          label="Type"
          name="type"
          value={filters.type}
          options={SESSION_TYPE_LIST}
          optionLabel={(t) => SESSION_TYPE_LABELS[t]}
          onChange={setFilter}
        />
        <LanguageFilterSelect value={filters.language} onChange={setFilter} />
        <FilterSelect
          label="Status"
          name="status"
          value={filters.status}
          options={SESSION_STATUS_LIST}
          optionLabel={(s) => SESSION_STATUS_LABELS[s]}
          onChange={setFilter}
        />
      </FilterBar>

      <section className="card section" aria-labelledby="results-heading" aria-busy={first.status === 'loading'}>
        <h2 id="results-heading" className="visually-hidden">
          Sessions
        </h2>
        {first.status === 'error' && <RetryAlert error={first.error} onRetry={first.reload} />}
        {first.status === 'loading' && !first.data && <PageLoading label="Loading sessions…" />}
        {first.data && items.length === 0 && filtered && (
          <EmptyState title="No sessions match these filters" icon="search">
            <p>
              Try another type or language, or{' '}
              <button type="button" className="link-button" onClick={clear}>
                show all sessions
              </button>
              .
            </p>
          </EmptyState>
        )}
        {first.data && items.length === 0 && !filtered && (
          <EmptyState title="No study sessions yet">
            <p>
              Sessions you finish appear here, newest first. See your <Link to="/">dashboard</Link> for how to get
              started.
            </p>
          </EmptyState>
        )}
        {items.length > 0 && (
          <>
            <div className={first.status === 'loading' ? 'results results-stale' : 'results'}>
              <SessionTable caption="Your learning sessions" captionHidden sessions={items} timeZone={user.timezone} />
            </div>
            <LoadMore
              summary={summary}
              hasMore={Boolean(nextCursor)}
              loading={loadingMore}
              onLoadMore={() => void loadMore()}
            />
          </>
        )}
        {moreError && <ErrorAlert>{moreError}</ErrorAlert>}
        <StatusMessage className="visually-hidden">{summary}</StatusMessage>
      </section>
    </Page>
  );
}
