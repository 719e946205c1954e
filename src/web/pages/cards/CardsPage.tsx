import { useState } from 'react';
import { Link } from 'react-router';
import type { Card, CardState } from '../../../shared/cards.js';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import { cardsApi, type ListCardsParams } from '../../api/client.js';
import { useUser } from '../../auth/AuthProvider.js';
import { ErrorAlert, RetryAlert, StatusMessage } from '../../components/Alert.js';
import { LoadMore } from '../../components/LoadMore.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FilterBar, FilterSelect, LanguageFilterSelect } from '../../components/Filters.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { useSearchParamFilters } from '../../components/search-param-filters.js';
import { errorMessage } from '../../lib/form-errors.js';
import { CARD_STATE_LABELS, CARD_STATE_LIST, formatCount } from '../../lib/format.js';
import { pick } from '../../lib/scenario-format.js';
import { useDebouncedSearch } from '../../lib/use-debounced-search.js';
import { useQuery } from '../../lib/use-query.js';
import { AddCardForm } from './AddCardForm.js';
import { CardList } from './CardList.js';
import { EditCardDialog } from './EditCardDialog.js';

const PAGE_SIZE = 20;

type Filters = Pick<ListCardsParams, 'q' | 'language' | 'state' | 'suspended'>;

const SUSPENDED_OPTIONS = ['false', 'true'] as const;
const SUSPENDED_LABELS = { false: 'Active only', true: 'Suspended only' } as const;

/** The filters are the page's query string, as on the history page. */
function parseFilters(params: URLSearchParams): Filters {
  const suspended = params.get('suspended');
  return {
    q: params.get('q')?.trim() || undefined,
    language: pick<TargetLanguage>(TARGET_LANGUAGES, params.get('language')),
    state: pick<CardState>(CARD_STATE_LIST, params.get('state')),
    suspended: suspended === 'true' ? true : suspended === 'false' ? false : undefined,
  };
}

interface Loaded {
  key: string;
  /** Pages fetched with "Load more". */
  items: Card[];
  nextCursor: string | null;
  /** Cards changed or deleted (null) on this page since the list was fetched. */
  changed: Record<string, Card | null>;
}

function describeResults(count: number, more: boolean, filtered: boolean): string {
  if (count === 0) return filtered ? 'No cards match.' : 'No cards yet.';
  if (more) return `Showing the ${formatCount(count, 'newest card', 'newest cards')}.`;
  return `${formatCount(count, 'card', 'cards')}, that’s all of them.`;
}

export function CardsPage() {
  const user = useUser();
  const filterState = useSearchParamFilters(parseFilters);
  const { filters, filtered } = filterState;
  const key = JSON.stringify(filters);
  const first = useQuery(`cards:${key}`, () => cardsApi.list({ ...filters, limit: PAGE_SIZE }));
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  const [editing, setEditing] = useState<Card | null>(null);
  const [deleting, setDeleting] = useState<Card | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [suspending, setSuspending] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);

  // What was loaded or changed belongs to one filter and one fetch of its first page.
  const own = loaded?.key === key && first.status === 'success' ? loaded : null;
  const changed = own?.changed ?? {};
  const items = first.data
    ? [...first.data.items, ...(own?.items ?? [])]
        .map((card) => (card.id in changed ? changed[card.id] : card))
        .filter((card): card is Card => Boolean(card))
    : [];
  const nextCursor = own && own.items.length > 0 ? own.nextCursor : (first.data?.nextCursor ?? null);
  const summary =
    first.data && first.status !== 'loading' ? describeResults(items.length, Boolean(nextCursor), filtered) : '';

  const base = (): Loaded => own ?? { key, items: [], nextCursor: first.data?.nextCursor ?? null, changed: {} };
  const remember = (card: Card, value: Card | null) =>
    setLoaded(() => {
      const current = base();
      return { ...current, changed: { ...current.changed, [card.id]: value } };
    });

  const setFilter = (name: keyof Filters, value: string) => {
    setLoaded(null);
    filterState.setFilter(name, value);
  };
  const search = useDebouncedSearch(filters.q ?? '', (q) => setFilter('q', q));
  const clear = () => {
    search.clear();
    setLoaded(null);
    filterState.clear();
  };

  const loadMore = async () => {
    if (!nextCursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await cardsApi.list({ ...filters, limit: PAGE_SIZE, cursor: nextCursor });
      const current = base();
      setLoaded({ ...current, items: [...current.items, ...page.items], nextCursor: page.nextCursor });
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };

  const onAdded = () => {
    setLoaded(null);
    first.reload();
  };

  const toggleSuspended = async (card: Card) => {
    if (suspending) return;
    setSuspending(card.id);
    setActionError(null);
    setStatus('');
    try {
      const saved = await cardsApi.update(card.id, { suspended: !card.suspended });
      remember(saved, saved);
      setStatus(
        saved.suspended
          ? `“${saved.term}” is suspended: it will not come up for review.`
          : `“${saved.term}” is back in your reviews.`,
      );
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setSuspending(null);
    }
  };

  const onDelete = async () => {
    if (!deleting || deleteBusy) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await cardsApi.delete(deleting.id);
      remember(deleting, null);
      setStatus(`“${deleting.term}” deleted.`);
      setDeleting(null);
    } catch (err) {
      setDeleteError(errorMessage(err));
    } finally {
      setDeleteBusy(false);
    }
  };

  return (
    <Page
      title="Cards"
      description="Words and phrases you are learning. Due cards come up on the review page."
      actions={
        <>
          <Link to="/cards/transfer" className="btn btn-secondary btn-small">
            Import / export
          </Link>
          <Link to="/review/stats" className="btn btn-secondary btn-small">
            Statistics
          </Link>
          <Link to="/review" className="btn btn-primary btn-small">
            Review now
          </Link>
        </>
      }
    >
      <AddCardForm defaultLanguage={filters.language ?? 'es'} onAdded={onAdded} />

      <FilterBar label="Find cards" className="cards-filters" filtered={filtered} onClear={clear}>
        <FormField label="Search">
          {(control) => (
            <input
              {...control}
              name="q"
              type="search"
              value={search.text}
              placeholder="Term, translation or context"
              autoComplete="off"
              onChange={(e) => search.onChange(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  search.now();
                }
              }}
            />
          )}
        </FormField>
        <LanguageFilterSelect value={filters.language} onChange={setFilter} />
        <FilterSelect
          label="State"
          name="state"
          value={filters.state}
          options={CARD_STATE_LIST}
          optionLabel={(s) => CARD_STATE_LABELS[s]}
          onChange={setFilter}
        />
        <FilterSelect
          label="Suspended"
          name="suspended"
          value={filters.suspended?.toString()}
          options={SUSPENDED_OPTIONS}
          optionLabel={(s) => SUSPENDED_LABELS[s]}
          allLabel="All cards"
          onChange={setFilter}
        />
      </FilterBar>

      <section className="card section" aria-labelledby="cards-heading" aria-busy={first.status === 'loading'}>
        <h2 id="cards-heading" className="visually-hidden">
          Your cards
        </h2>
        <StatusMessage className="cards-status">{status}</StatusMessage>
        {actionError && <ErrorAlert>{actionError}</ErrorAlert>}
        {first.status === 'error' && <RetryAlert error={first.error} onRetry={first.reload} />}
        {first.status === 'loading' && !first.data && <PageLoading label="Loading cards…" />}
        {first.data && items.length === 0 && filtered && (
          <EmptyState title="No cards match" icon="search">
            <p>
              Try other words or filters, or{' '}
              <button type="button" className="link-button" onClick={clear}>
                show all cards
              </button>
              .
            </p>
          </EmptyState>
        )}
        {first.data && items.length === 0 && !filtered && (
          <EmptyState title="No cards yet">
            <p>Add the words you want to remember with the form above; they come up for review when due.</p>
          </EmptyState>
        )}
        {items.length > 0 && (
          <>
            <div className={first.status === 'loading' ? 'results results-stale' : 'results'}>
              <CardList
                cards={items}
                timeZone={user.timezone}
                suspending={suspending}
                onEdit={setEditing}
                onToggleSuspended={(card) => void toggleSuspended(card)}
                onDelete={(card) => {
                  setDeleteError(null);
                  setDeleting(card);
                }}
              />
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

      {editing && (
        <EditCardDialog
          key={editing.id}
          card={editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            remember(saved, saved);
            setStatus(`“${saved.term}” saved.`);
            setEditing(null);
          }}
        />
      )}

      <ConfirmDialog
        open={deleting !== null}
        title="Delete this card?"
        confirmLabel="Delete card"
        busyLabel="Deleting…"
        busy={deleteBusy}
        error={deleteError}
        onConfirm={onDelete}
        onCancel={() => setDeleting(null)}
      >
        <p>
          <strong>{deleting?.term}</strong> and its review history will be removed. This cannot be undone.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
