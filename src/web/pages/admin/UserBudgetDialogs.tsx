import type { BudgetReset, UserBudgetResponse } from '../../../shared/budget.js';
import { adminApi } from '../../api/client.js';
import { ErrorAlert } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormField } from '../../components/FormField.js';
import { PageLoading } from '../../components/PageLoading.js';
import { formatInstant, formatUsd, parseAmount } from '../../lib/budget-format.js';
import { errorMessage } from '../../lib/form-errors.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';
import { useQuery } from '../../lib/use-query.js';
import { BudgetForm } from './BudgetForm.js';

/** "Lucía (lucia@example.com)", or the email alone when the name is the same. */
export function userName(user: Pick<UserBudgetResponse['user'], 'displayName' | 'email'>): string {
  return user.displayName && user.displayName !== user.email ? `${user.displayName} (${user.email})` : user.email;
}

/** Creates or edits one user's budget. It loads the user first, so it also works for someone without a budget. */
export function EditBudgetDialog({
  userId,
  onSaved,
  onClose,
}: {
  userId: string;
  onSaved: () => void;
  onClose: () => void;
}) {
  const current = useQuery(`admin-user-budget:${userId}`, () => adminApi.userBudget(userId));
  const data = current.data;
  return (
    <Dialog title={data ? `Budget of ${data.user.displayName || data.user.email}` : 'Budget'} onClose={onClose} wide>
      {current.status === 'error' && <ErrorAlert>{errorMessage(current.error)}</ErrorAlert>}
      {current.status === 'loading' && !data && <PageLoading label="Loading the user’s budget…" />}
      {data && (
        <>
          <p className="dialog-body">
            {data.user.email}
            {data.budget ? '' : ' has no budget of their own yet.'}
          </p>
          <BudgetForm
            budget={data.budget}
            scope="user"
            userTimezone={data.user.timezone}
            submitLabel={data.budget ? 'Save budget' : 'Create budget'}
            onSave={async ({ timezone: _zone, ...body }) => {
              await adminApi.saveUserBudget(userId, body);
              onSaved();
            }}
            onCancel={onClose}
          />
        </>
      )}
      {!data && (
        <div className="dialog-actions">
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
        </div>
      )}
    </Dialog>
  );
}

const RESET_FIELDS = ['reason', 'limitUsd'] as const;

/** Restarts the count of a user's current period, with a reason for the log and optionally a new limit. */
export function ResetBudgetDialog({
  entry,
  onDone,
  onClose,
}: {
  entry: UserBudgetResponse;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const { formRef, busy, errors, onSubmit } = useFormSubmit(RESET_FIELDS, async (value) => {
    const limitUsd = parseAmount(value('limitUsd'));
    await adminApi.resetUserBudget(entry.user.id, {
      reason: value('reason'),
      ...(limitUsd === undefined ? {} : { limitUsd }),
    });
    onDone(`The budget of ${entry.user.email} counts from zero again.`);
  });
  const status = entry.status;
  return (
    <Dialog title={`Reset the budget of ${entry.user.displayName || entry.user.email}?`} onClose={onClose} busy={busy}>
      <p className="dialog-body">
        {status ? `${formatUsd(status.spentUsd)} of ${formatUsd(status.limitUsd)} spent so far this period. ` : ''}
        Spending counts from zero from now until the period ends. The reset is logged with your reason.
      </p>
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
        <ErrorAlert>{errors.form}</ErrorAlert>
        <FormField label="Reason" error={errors.fields.reason} hint="Kept in the reset history.">
          {(control) => <textarea {...control} name="reason" rows={2} maxLength={500} required />}
        </FormField>
        <FormField
          label="New limit (USD)"
          optional
          error={errors.fields.limitUsd}
          hint={`Leave empty to keep ${status ? formatUsd(status.limitUsd) : 'the current limit'}.`}
        >
          {(control) => <input {...control} name="limitUsd" type="text" inputMode="decimal" autoComplete="off" />}
        </FormField>
        <div className="dialog-actions">
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" busy={busy} busyLabel="Resetting…">
            Reset budget
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ResetList({ resets, adminId, timeZone }: { resets: BudgetReset[]; adminId: string; timeZone: string }) {
  return (
    <ol className="reset-list" data-testid="reset-history">
      {resets.map((r) => (
        <li key={r.id} className="reset-item">
          <p className="reset-when">
            <time dateTime={r.resetAt}>{formatInstant(r.resetAt, timeZone)}</time>,{' '}
            {r.resetBy === adminId ? 'by you' : 'by another admin'}
          </p>
          <p className="reset-figures">
            {formatUsd(r.spentBeforeUsd)} spent of {formatUsd(r.limitBeforeUsd)}
            {r.limitAfterUsd !== r.limitBeforeUsd && `; new limit ${formatUsd(r.limitAfterUsd)}`}
          </p>
          <p className="reset-reason">“{r.reason}”</p>
        </li>
      ))}
    </ol>
  );
}

/** A user's budget resets, newest first: when, by whom, the spend and limit before, and why. */
export function ResetHistoryDialog({
  entry,
  adminId,
  timeZone,
  onClose,
}: {
  entry: UserBudgetResponse;
  adminId: string;
  timeZone: string;
  onClose: () => void;
}) {
  const resets = useQuery(`admin-resets:${entry.user.id}`, () => adminApi.resets(entry.user.id));
  return (
    <Dialog title={`Resets of ${entry.user.displayName || entry.user.email}`} onClose={onClose} wide>
      {resets.status === 'error' && <ErrorAlert>{errorMessage(resets.error)}</ErrorAlert>}
      {resets.status === 'loading' && !resets.data && <PageLoading label="Loading the history…" />}
      {resets.data &&
        (resets.data.length === 0 ? (
          <EmptyState title="Never reset" icon="search">
            <p>Resets of this user’s budget are listed here with their reason.</p>
          </EmptyState>
        ) : (
          <ResetList resets={resets.data} adminId={adminId} timeZone={timeZone} />
        ))}
      <div className="dialog-actions">
        <Button variant="secondary" onClick={onClose} autoFocus>
          Close
        </Button>
      </div>
    </Dialog>
  );
}
