import { useState } from 'react';
import type { ApiToken, CreatedToken } from '../../../shared/auth.js';
import { authApi } from '../../api/client.js';
import { useUser } from '../../auth/AuthProvider.js';
import { ErrorAlert, RetryAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { FormField } from '../../components/FormField.js';
import { PageLoading } from '../../components/PageLoading.js';
import { errorMessage } from '../../lib/form-errors.js';
import { formatDateTime } from '../../lib/format.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';
import { useQuery } from '../../lib/use-query.js';
import { NewTokenPanel } from './NewTokenPanel.js';

const NAME_FIELD = ['name'] as const;

export function TokensSection() {
  const user = useUser();
  const tokens = useQuery('tokens', () => authApi.listTokens());
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  const {
    formRef,
    busy: creating,
    errors,
    onSubmit: onCreate,
  } = useFormSubmit(NAME_FIELD, async (value, form) => {
    setStatus('');
    setCreated(await authApi.createToken(value('name')));
    form.reset();
    tokens.reload();
  });

  const onRevoke = async () => {
    if (!revoking || revokeBusy) return;
    setRevokeBusy(true);
    setRevokeError(null);
    try {
      await authApi.deleteToken(revoking.id);
      setStatus(`Token “${revoking.name}” revoked. Programs using it can no longer sign in with it.`);
      if (created?.id === revoking.id) setCreated(null);
      setRevoking(null);
      tokens.reload();
    } catch (err) {
      setRevokeError(errorMessage(err));
    } finally {
      setRevokeBusy(false);
    }
  };

  const items = tokens.data ?? [];

  return (
    <section className="card section" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="muted">
        Tokens let your own scripts and study apps use the API as you: send{' '}
        <code>Authorization: Bearer &lt;token&gt;</code>. See the <a href="/api/docs">API documentation</a>.
      </p>

      <form ref={formRef} className="inline-form" onSubmit={onCreate} noValidate aria-busy={creating}>
        <ErrorAlert>{errors.form}</ErrorAlert>
        <FormField label="Token name" error={errors.fields.name} hint="What will use it, e.g. “Anki sync”.">
          {(control) => <input {...control} name="name" type="text" maxLength={100} required autoComplete="off" />}
        </FormField>
        <Button type="submit" busy={creating} busyLabel="Creating…">
          Create token
        </Button>
      </form>

      {created && <NewTokenPanel token={created} onDone={() => setCreated(null)} />}

      <StatusMessage>{status}</StatusMessage>

      {tokens.status === 'error' && <RetryAlert error={tokens.error} onRetry={tokens.reload} />}
      {tokens.status === 'loading' && !tokens.data && <PageLoading label="Loading your tokens…" />}
      {tokens.data && items.length === 0 && <p className="muted token-empty">You have no API tokens.</p>}
      {items.length > 0 && (
        <ul className="token-list" aria-label="Your API tokens">
          {items.map((token) => (
            <li key={token.id} className="token-item">
              <div className="token-info">
                <p className="token-name">{token.name}</p>
                <p className="token-meta">
                  Created {formatDateTime(token.createdAt, user.timezone)} ·{' '}
                  {token.lastUsedAt ? `last used ${formatDateTime(token.lastUsedAt, user.timezone)}` : 'never used'}
                </p>
              </div>
              <Button
                variant="secondary"
                size="small"
                className="btn-danger-outline"
                aria-label={`Revoke token ${token.name}`}
                onClick={() => {
                  setRevokeError(null);
                  setRevoking(token);
                }}
              >
                Revoke
              </Button>
            </li>
          ))}
        </ul>
      )}

      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        busyLabel="Revoking…"
        busy={revokeBusy}
        error={revokeError}
        onConfirm={onRevoke}
        onCancel={() => setRevoking(null)}
      >
        <p>
          Anything using <strong>{revoking?.name}</strong> will stop working at once. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
