import { type FormEvent, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { ErrorDetail } from '../../../shared/errors.js';
import type { TargetLanguage } from '../../../shared/languages.js';
import type { CustomScenarioRecord } from '../../../shared/scenarios.js';
import { ApiError } from '../../api/client.js';
import { scenariosApi, type ScenarioVisibility } from '../../api/scenarios.js';
import { useUser } from '../../auth/AuthProvider.js';
import { ErrorAlert, RetryAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { errorMessage } from '../../lib/form-errors.js';
import { formatDateTime, languageName, sentence } from '../../lib/format.js';
import { CATEGORY_LABELS, DIFFICULTY_LABELS } from '../../lib/scenario-format.js';
import { useQuery } from '../../lib/use-query.js';
import '../scenarios/practice.css';
import type { EditorLocationState } from './CustomScenarioEditorPage.js';
import { describePath, humanise, scenarioPath } from './draft.js';

/** A file the API refused, kept so the learner can open it in the editor and fix it there. */
interface Refused {
  fileName: string;
  file: unknown;
  details: ErrorDetail[];
  message: string;
}

function ImportForm({ onImported }: { onImported: (record: CustomScenarioRecord) => void }) {
  const navigate = useNavigate();
  const fileRef = useRef<HTMLInputElement>(null);
  const [visibility, setVisibility] = useState<ScenarioVisibility>('private');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [refused, setRefused] = useState<Refused | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setFileError(undefined);
    setRefused(null);
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setFileError('Choose a scenario file (.json).');
      fileRef.current?.focus();
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      setFileError(`“${file.name}” is not valid JSON.`);
      fileRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const record = await scenariosApi.importCustom(parsed, visibility);
      if (fileRef.current) fileRef.current.value = '';
      onImported(record);
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0) {
        setRefused({ fileName: file.name, file: parsed, details: err.details, message: sentence(err.message) });
      } else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card section" aria-labelledby="import-heading">
      <h2 id="import-heading">Import a scenario file</h2>
      <p className="muted import-intro">
        The same JSON format as an export (and as the built-in scenarios). It becomes a new scenario of yours.
      </p>
      <form onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={busy}>
        <ErrorAlert>{error}</ErrorAlert>
        <FormField label="Scenario file (.json)" error={fileError}>
          {(control) => (
            <input
              {...control}
              ref={fileRef}
              name="file"
              type="file"
              accept="application/json,.json"
              className="file-input"
            />
          )}
        </FormField>
        <FormField label="Who can use it">
          {(control) => (
            <select
              {...control}
              value={visibility}
              onChange={(e) => setVisibility(e.target.value as ScenarioVisibility)}
            >
              <option value="private">Only me</option>
              <option value="public">Everyone</option>
            </select>
          )}
        </FormField>
        <Button type="submit" variant="secondary" busy={busy} busyLabel="Importing…">
          Import
        </Button>
      </form>
      {refused && (
        <div className="alert alert-error import-refused" role="alert" tabIndex={-1}>
          <p>
            <strong>“{refused.fileName}” was not imported.</strong> {refused.message}
          </p>
          <ul>
            {refused.details.slice(0, 8).map((d, i) => (
              <li key={i}>
                {describePath(scenarioPath(d.field))}: {sentence(humanise(d.message))}
              </li>
            ))}
            {refused.details.length > 8 && <li>…and {refused.details.length - 8} more.</li>}
          </ul>
          <Button
            variant="secondary"
            size="small"
            onClick={() =>
              void navigate('/scenarios/custom/new', {
                state: {
                  draft: refused.file,
                  details: refused.details,
                  fileName: refused.fileName,
                } satisfies EditorLocationState,
              })
            }
          >
            Open it in the editor to fix it
          </Button>
        </div>
      )}
    </section>
  );
}

function languagesOf(record: CustomScenarioRecord): TargetLanguage[] {
  return [...new Set(record.scenario.phases.flatMap((p) => Object.keys(p.languages) as TargetLanguage[]))];
}

function RecordItem({
  record,
  timeZone,
  onDelete,
}: {
  record: CustomScenarioRecord;
  timeZone: string;
  onDelete?: (record: CustomScenarioRecord) => void;
}) {
  const s = record.scenario;
  return (
    <li className="custom-item" data-scenario-id={record.id}>
      <div className="custom-item-main">
        <p className="custom-item-title">
          <Link to={`/scenarios/${record.id}`}>{s.title}</Link>
        </p>
        <p className="custom-item-meta">
          <span className="badge badge-category">{CATEGORY_LABELS[s.category]}</span>
          <span className={`badge badge-difficulty-${s.difficulty}`}>{DIFFICULTY_LABELS[s.difficulty]}</span>
          <span className={record.visibility === 'public' ? 'badge badge-public' : 'badge badge-suspended'}>
            {record.visibility === 'public' ? 'Public' : 'Private'}
          </span>
          <span>{languagesOf(record).map(languageName).join(', ')}</span>
          <span>{s.phases.length} phases</span>
          <span>
            Updated <time dateTime={record.updatedAt}>{formatDateTime(record.updatedAt, timeZone)}</time>
          </span>
        </p>
      </div>
      <div className="custom-item-actions">
        {record.mine && (
          <Link
            to={`/scenarios/custom/${record.id}/edit`}
            className="btn btn-secondary btn-small"
            aria-label={`Edit “${s.title}”`}
          >
            Edit
          </Link>
        )}
        <a
          href={scenariosApi.exportUrl(record.id)}
          download
          className="btn btn-secondary btn-small"
          aria-label={`Export “${s.title}”`}
        >
          Export
        </a>
        {record.mine && onDelete && (
          <Button
            variant="ghost"
            size="small"
            className="btn-danger-outline"
            aria-label={`Delete “${s.title}”`}
            onClick={() => onDelete(record)}
          >
            Delete
          </Button>
        )}
      </div>
    </li>
  );
}

export function CustomScenariosPage() {
  const user = useUser();
  const navigate = useNavigate();
  const location = useLocation();
  const mine = useQuery('custom-scenarios:mine', () => scenariosApi.listCustom(true));
  const others = useQuery('custom-scenarios:public', () => scenariosApi.listCustom(false));
  const [status, setStatus] = useState((location.state as EditorLocationState | null)?.status ?? '');
  const [deleting, setDeleting] = useState<CustomScenarioRecord | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  const onDelete = async () => {
    if (!deleting || deleteBusy) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await scenariosApi.deleteCustom(deleting.id);
      setStatus(`“${deleting.scenario.title}” deleted.`);
      setDeleting(null);
      mine.reload();
    } catch (err) {
      setDeleteError(errorMessage(err));
    } finally {
      setDeleteBusy(false);
    }
  };

  return (
    <Page
      title="Custom scenarios"
      description="Scenarios you wrote, and those other learners share."
      actions={
        <>
          <Link to="/scenarios" className="btn btn-secondary btn-small">
            All scenarios
          </Link>
          <Link to="/scenarios/custom/new" className="btn btn-primary btn-small">
            New scenario
          </Link>
        </>
      }
    >
      <StatusMessage className="custom-status">{status}</StatusMessage>
      <div className="custom-layout">
        <div>
          <section className="card section" aria-labelledby="mine-heading">
            <h2 id="mine-heading">Yours</h2>
            {mine.status === 'error' && <RetryAlert error={mine.error} onRetry={mine.reload} />}
            {mine.status === 'loading' && !mine.data && <PageLoading label="Loading your scenarios…" />}
            {mine.data && mine.data.length === 0 && (
              <EmptyState title="You have not written a scenario yet">
                <p>
                  <Link to="/scenarios/custom/new">Write one</Link> or import a file.
                </p>
              </EmptyState>
            )}
            {mine.data && mine.data.length > 0 && (
              <ul className="custom-list" aria-label="Your scenarios">
                {mine.data.map((r) => (
                  <RecordItem
                    key={r.id}
                    record={r}
                    timeZone={user.timezone}
                    onDelete={(record) => {
                      setDeleteError(null);
                      setDeleting(record);
                    }}
                  />
                ))}
              </ul>
            )}
          </section>
          <section className="card section" aria-labelledby="public-heading">
            <h2 id="public-heading">Shared by other learners</h2>
            {others.status === 'error' && <ErrorAlert>{errorMessage(others.error)}</ErrorAlert>}
            {others.status === 'loading' && !others.data && <PageLoading label="Loading shared scenarios…" />}
            {others.data && others.data.length === 0 && <p className="muted">Nobody has shared a scenario yet.</p>}
            {others.data && others.data.length > 0 && (
              <ul className="custom-list" aria-label="Shared scenarios">
                {others.data.map((r) => (
                  <RecordItem key={r.id} record={r} timeZone={user.timezone} />
                ))}
              </ul>
            )}
          </section>
        </div>
        <ImportForm
          onImported={(record) =>
            void navigate(`/scenarios/custom/${record.id}/edit`, {
              state: { status: `Imported “${record.scenario.title}”.` } satisfies EditorLocationState,
            })
          }
        />
      </div>

      <ConfirmDialog
        open={deleting !== null}
        title="Delete this scenario?"
        confirmLabel="Delete scenario"
        busyLabel="Deleting…"
        busy={deleteBusy}
        error={deleteError}
        onConfirm={() => void onDelete()}
        onCancel={() => setDeleting(null)}
      >
        <p>
          <strong>{deleting?.scenario.title}</strong> will be removed. Your past attempts stay in your history.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
