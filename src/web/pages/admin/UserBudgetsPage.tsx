import { type FormEvent, useState } from 'react';
import type { UserBudgetResponse } from '../../../shared/budget.js';
import { adminApi } from '../../api/client.js';
import { useUser } from '../../auth/AuthProvider.js';
import { ErrorAlert, RetryAlert, StatusMessage } from '../../components/Alert.js';
import { BudgetBar } from '../../components/BudgetGauge.js';
import { Button } from '../../components/Button.js';
import { LoadMore } from '../../components/LoadMore.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { BUDGET_MODE_LABELS, BUDGET_PERIOD_LABELS, formatInstant, formatUsd } from '../../lib/budget-format.js';
import { errorMessage } from '../../lib/form-errors.js';
import { formatCount } from '../../lib/format.js';
import { useDebouncedSearch } from '../../lib/use-debounced-search.js';
import { usePagedQuery } from '../../lib/use-paged-query.js';
import { useQuery } from '../../lib/use-query.js';
import { EditBudgetDialog, ResetBudgetDialog, ResetHistoryDialog, userName } from './UserBudgetDialogs.js';

type Open =
  | { kind: 'edit'; userId: string }
  | { kind: 'reset'; entry: UserBudgetResponse }
  | { kind: 'history'; entry: UserBudgetResponse }
  | { kind: 'remove'; entry: UserBudgetResponse };

function describeBudget(entry: UserBudgetResponse): string {
  const b = entry.budget;
  if (!b) return '—';
  const period =
    b.period === 'custom' ? `every ${b.customDays ?? '?'} days` : BUDGET_PERIOD_LABELS[b.period].toLowerCase();
  return `${formatUsd(b.limitUsd)} ${period} · ${BUDGET_MODE_LABELS[b.mode]}`;
}

const USER_PAGE_SIZE = 20;

/**
 * Picks someone to give a budget: any account, found by part of the email or name, newest first. Someone who
 * has a budget already is offered too (marked), and picking them edits it.
 */
function AddBudget({ onPick, withBudget }: { onPick: (userId: string) => void; withBudget: Set<string> }) {
  const [q, setQ] = useState('');
  const {
    first,
    items: users,
    nextCursor,
    loadMore,
    loadingMore,
    moreError,
    reset,
  } = usePagedQuery(`admin-users:${q}`, (cursor) =>
    adminApi.users({ q: q || undefined, limit: USER_PAGE_SIZE, cursor }),
  );
  const search = useDebouncedSearch('', (query) => {
    reset();
    setQ(query);
  });
  const [picked, setPicked] = useState('');

  const selected = users.some((u) => u.id === picked) ? picked : (users[0]?.id ?? '');
  const summary =
    first.status !== 'success'
      ? ''
      : users.length === 0
        ? q
          ? `No user matches “${q}”.`
          : 'There are no users yet.'
        : nextCursor
          ? `Showing the ${formatCount(users.length, 'newest user', 'newest users')}${q ? ' that match' : ''}.`
          : `${formatCount(users.length, 'user', 'users')}${q ? (users.length === 1 ? ' matches' : ' match') : ''}, that’s all of them.`;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (selected) onPick(selected);
  };

  return (
    <section className="card section" aria-labelledby="add-budget-heading">
      <h2 id="add-budget-heading">Give a user a budget</h2>
      <form
        className="inline-form"
        role="search"
        aria-label="Find a user"
        onSubmit={(e) => {
          e.preventDefault();
          search.now();
        }}
      >
        <FormField label="Find a user" hint="Part of an email address or a name.">
          {(control) => (
            <input
              {...control}
              name="q"
              type="search"
              value={search.text}
              maxLength={200}
              autoComplete="off"
              onChange={(e) => search.onChange(e.target.value)}
            />
          )}
        </FormField>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {first.status === 'error' && <ErrorAlert>{errorMessage(first.error)}</ErrorAlert>}
      {first.status === 'loading' && !first.data && <PageLoading label="Loading users…" />}
      {first.status === 'success' && users.length === 0 && <p className="muted">{summary}</p>}
      {users.length > 0 && (
        <form className="inline-form" onSubmit={onSubmit}>
          <FormField
            label="User"
            hint="Newest accounts first. Picking someone who has a budget already opens it to edit."
          >
            {(control) => (
              <select {...control} name="user" value={selected} onChange={(e) => setPicked(e.target.value)}>
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {withBudget.has(u.id) ? `${userName(u)} · has a budget` : userName(u)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <Button type="submit">Set budget…</Button>
        </form>
      )}
      {users.length > 0 && (
        <LoadMore
          summary={summary}
          hasMore={Boolean(nextCursor)}
          loading={loadingMore}
          onLoadMore={() => void loadMore()}
          label="Load more users"
          size="small"
        />
      )}
      {moreError && <ErrorAlert>{moreError}</ErrorAlert>}
      <StatusMessage className="visually-hidden">{summary}</StatusMessage>
    </section>
  );
}

function BudgetRow({
  entry,
  viewerZone,
  onOpen,
}: {
  entry: UserBudgetResponse;
  viewerZone: string;
  onOpen: (o: Open) => void;
}) {
  const who = entry.user.displayName || entry.user.email;
  return (
    <tr data-testid={`user-budget-${entry.user.email}`}>
      <th scope="row" className="ub-user">
        <span className="ub-name">{entry.user.displayName}</span>
        <span className="ub-email">{entry.user.email}</span>
      </th>
      <td className="ub-budget" data-label="Budget">
        {describeBudget(entry)}
      </td>
      <td className="ub-status" data-label="This period">
        {entry.status ? (
          <>
            <BudgetBar status={entry.status} />
            <span className="usage-sub">
              Resets {formatInstant(entry.status.periodEnd, entry.status.timezone, viewerZone)}
            </span>
          </>
        ) : (
          '—'
        )}
      </td>
      <td className="ub-actions">
        <div className="row-actions">
          <Button
            variant="secondary"
            size="small"
            aria-label={`Edit the budget of ${who}`}
            onClick={() => onOpen({ kind: 'edit', userId: entry.user.id })}
          >
            Edit
          </Button>
          <Button
            variant="secondary"
            size="small"
            aria-label={`Reset the budget of ${who}`}
            onClick={() => onOpen({ kind: 'reset', entry })}
          >
            Reset…
          </Button>
          <Button
            variant="secondary"
            size="small"
            aria-label={`Reset history of ${who}`}
            onClick={() => onOpen({ kind: 'history', entry })}
          >
            History
          </Button>
          <Button
            variant="secondary"
            size="small"
            className="btn-danger-outline"
            aria-label={`Remove the budget of ${who}`}
            onClick={() => onOpen({ kind: 'remove', entry })}
          >
            Remove
          </Button>
        </div>
      </td>
    </tr>
  );
}

/** Every user's own budget: its state this period, and edit, reset (with a reason) and the reset history. */
export function UserBudgetsPage() {
  const admin = useUser();
  const list = useQuery('admin-user-budgets', () => adminApi.userBudgets());
  const [open, setOpen] = useState<Open | null>(null);
  const [message, setMessage] = useState('');
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);

  const close = () => {
    setOpen(null);
    setRemoveError(null);
  };
  const changed = (text: string) => {
    setOpen(null);
    setMessage(text);
    list.reload();
  };
  const remove = async (entry: UserBudgetResponse) => {
    setRemoving(true);
    setRemoveError(null);
    try {
      await adminApi.deleteUserBudget(entry.user.id);
      changed(`The budget of ${entry.user.email} was removed.`);
    } catch (err) {
      setRemoveError(errorMessage(err));
    } finally {
      setRemoving(false);
    }
  };

  const items = list.data ?? [];
  const withBudget = new Set(items.map((i) => i.user.id));

  return (
    <Page title="User budgets" description="Limits on the AI spend of individual users, in each user’s time zone.">
      <AddBudget withBudget={withBudget} onPick={(userId) => setOpen({ kind: 'edit', userId })} />

      <section className="card section" aria-labelledby="user-budgets-heading">
        <div className="section-header">
          <h2 id="user-budgets-heading">Budgets</h2>
          <StatusMessage>{message}</StatusMessage>
        </div>
        {list.status === 'error' && <RetryAlert error={list.error} onRetry={list.reload} />}
        {list.status === 'loading' && !list.data && <PageLoading label="Loading budgets…" />}
        {list.data &&
          (items.length === 0 ? (
            <EmptyState title="No user has a budget" icon="chart">
              <p>Users without one are limited only by the global budget, if there is one.</p>
            </EmptyState>
          ) : (
            <table className="data-table user-budgets" aria-labelledby="user-budgets-heading">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Budget</th>
                  <th scope="col">This period</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((entry) => (
                  <BudgetRow key={entry.user.id} entry={entry} viewerZone={admin.timezone} onOpen={setOpen} />
                ))}
              </tbody>
            </table>
          ))}
      </section>

      {open?.kind === 'edit' && (
        <EditBudgetDialog userId={open.userId} onClose={close} onSaved={() => changed('Budget saved.')} />
      )}
      {open?.kind === 'reset' && <ResetBudgetDialog entry={open.entry} onClose={close} onDone={changed} />}
      {open?.kind === 'history' && (
        <ResetHistoryDialog entry={open.entry} adminId={admin.id} timeZone={admin.timezone} onClose={close} />
      )}
      <ConfirmDialog
        open={open?.kind === 'remove'}
        title="Remove this budget?"
        confirmLabel="Remove budget"
        busyLabel="Removing…"
        busy={removing}
        error={removeError}
        onConfirm={() => open?.kind === 'remove' && void remove(open.entry)}
        onCancel={close}
      >
        <p>
          {open?.kind === 'remove' ? userName(open.entry.user) : 'This user'} will be limited only by the global budget,
          if there is one. The reset history is kept.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
