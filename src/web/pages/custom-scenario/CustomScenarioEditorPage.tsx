import { type ChangeEvent, type FormEvent, type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { ErrorDetail } from '../../../shared/errors.js';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import type {
  CefrLevel,
  CustomScenarioRecord,
  ScenarioCategory,
  ScenarioDifficulty,
} from '../../../shared/scenarios.js';
import { ApiError } from '../../api/client.js';
import { scenariosApi, type ScenarioVisibility } from '../../api/scenarios.js';
import { ErrorAlert, RetryAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { errorMessage } from '../../lib/form-errors.js';
import { languageName, sentence } from '../../lib/format.js';
import {
  CATEGORY_LABELS,
  CATEGORY_LIST,
  DIFFICULTY_LABELS,
  DIFFICULTY_LIST,
  LEVEL_LABELS,
  LEVEL_LIST,
} from '../../lib/scenario-format.js';
import { useQuery } from '../../lib/use-query.js';
import { NotFoundPage } from '../not-found/NotFoundPage.js';
import '../scenarios/practice.css';
import {
  type Draft,
  type DraftPhase,
  describePath,
  draftFrom,
  emptyDraft,
  emptyLanguage,
  emptyPhase,
  fieldId,
  humanise,
  MAX_PHASES,
  MIN_PHASES,
  scenarioPath,
  toInput,
} from './draft.js';
import { EditorField, type ErrorLookup } from './EditorField.js';
import { PhaseEditor } from './PhaseEditor.js';
import { Options } from '../../components/options.js';

/** What the custom-scenarios page hands over when an imported file needs fixing. */
export interface EditorLocationState {
  draft?: unknown;
  details?: ErrorDetail[];
  fileName?: string;
  status?: string;
}

interface Problem {
  path: string;
  message: string;
}

function lookup(problems: readonly Problem[]): ErrorLookup {
  const join = (list: Problem[]) =>
    list.length ? list.map((p) => sentence(humanise(p.message))).join(' ') : undefined;
  return {
    at: (path) => join(problems.filter((p) => p.path === path)),
    // A message about one line of a box of lines (a pattern) says which line.
    under: (path) =>
      join(
        problems
          .filter((p) => p.path === path || p.path.startsWith(`${path}.`))
          .map((p) => {
            const rest = p.path.slice(path.length + 1);
            return /^\d+$/.test(rest) ? { ...p, message: `Line ${Number(rest) + 1}: ${humanise(p.message)}` } : p;
          }),
      ),
  };
}

/** Puts the keyboard on the box a path names, or on the closest enclosing part of the form that is shown. */
function focusPath(path: string) {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const element = document.getElementById(fieldId(parts.slice(0, n).join('.')));
    if (element) {
      element.focus();
      element.scrollIntoView({ block: 'center' });
      return;
    }
  }
}

/** How many problems the summary lists before "Show all": each is also shown next to its box. */
const SUMMARY_LIMIT = 8;

function ErrorSummary({ problems, summaryRef }: { problems: Problem[]; summaryRef: RefObject<HTMLDivElement | null> }) {
  const [all, setAll] = useState(false);
  if (problems.length === 0) return null;
  const shown = all ? problems : problems.slice(0, SUMMARY_LIMIT);
  return (
    <div
      ref={summaryRef}
      className="alert alert-error error-summary"
      role="alert"
      tabIndex={-1}
      data-testid="error-summary"
    >
      <p className="error-summary-title">
        The scenario could not be saved: {problems.length === 1 ? 'one thing needs' : `${problems.length} things need`}{' '}
        fixing. Each is marked next to its box.
      </p>
      <ul>
        {shown.map((p, i) => (
          <li key={i}>
            <a
              href={`#${fieldId(p.path)}`}
              onClick={(e) => {
                e.preventDefault();
                focusPath(p.path);
              }}
            >
              {p.path ? `${describePath(p.path)}: ` : ''}
              {sentence(humanise(p.message))}
            </a>
          </li>
        ))}
      </ul>
      {problems.length > SUMMARY_LIMIT && (
        <button type="button" className="link-button error-summary-toggle" onClick={() => setAll((v) => !v)}>
          {all ? 'Show fewer' : `Show all ${problems.length}`}
        </button>
      )}
    </div>
  );
}

function Editor({ initial, record: loaded }: { initial: Draft; record: CustomScenarioRecord | null }) {
  const navigate = useNavigate();
  const [record, setRecord] = useState(loaded);
  const location = useLocation();
  const state = (location.state ?? {}) as EditorLocationState;
  const [draft, setDraft] = useState<Draft>(initial);
  const [problems, setProblems] = useState<Problem[]>(() =>
    (state.details ?? []).map((d) => ({ path: scenarioPath(d.field), message: d.message })),
  );
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState(
    state.status ?? (state.fileName ? `Loaded “${state.fileName}”: fix what is marked, then save.` : ''),
  );
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const focusNewPhase = useRef(false);
  const [failures, setFailures] = useState(0);
  const errors = useMemo(() => lookup(problems), [problems]);

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const updatePhase = (key: string, update: (p: DraftPhase) => DraftPhase) =>
    setDraft((d) => ({ ...d, phases: d.phases.map((p) => (p.key === key ? update(p) : p)) }));

  const toggleLanguage = (language: TargetLanguage, on: boolean) =>
    setDraft((d) => ({
      ...d,
      languages: TARGET_LANGUAGES.filter((l) => (l === language ? on : d.languages.includes(l))),
      // A language ticked again gets back what was written in it.
      phases: on
        ? d.phases.map((p) =>
            p.languages[language] ? p : { ...p, languages: { ...p.languages, [language]: emptyLanguage() } },
          )
        : d.phases,
    }));

  const addPhase = () => {
    setProblems([]);
    focusNewPhase.current = true;
    setDraft((d) => ({ ...d, phases: [...d.phases, emptyPhase(d.phases, d.languages)] }));
  };
  // A phase just added: the keyboard goes to its name.
  const phaseCount = draft.phases.length;
  useEffect(() => {
    if (!focusNewPhase.current) return;
    focusNewPhase.current = false;
    const sections = document.querySelectorAll<HTMLElement>('.phase-editor');
    sections[sections.length - 1]?.querySelector<HTMLInputElement>('input')?.focus();
  }, [phaseCount]);
  // A save the API refused: the keyboard goes to the list of what to fix.
  useEffect(() => {
    if (failures > 0) summaryRef.current?.focus();
  }, [failures]);
  const removePhase = (key: string) => {
    // The API's messages name phases by position, which changes now.
    setProblems([]);
    setDraft((d) => ({ ...d, phases: d.phases.filter((p) => p.key !== key) }));
  };

  const loadFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setFormError(null);
    try {
      const parsed: unknown = JSON.parse(await file.text());
      setDraft((d) => ({ ...draftFrom(parsed, d.visibility) }));
      setProblems([]);
      setStatus(`Loaded “${file.name}”. Check it, then save.`);
    } catch {
      setFormError(`“${file.name}” is not a scenario file: it is not valid JSON.`);
    }
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFormError(null);
    setStatus('');
    try {
      const input = toInput(draft);
      if (record) {
        setRecord(await scenariosApi.updateCustom(record.id, draft.visibility, input));
        setProblems([]);
        setStatus('Saved.');
      } else {
        const created = await scenariosApi.createCustom(draft.visibility, input);
        setProblems([]);
        await navigate(`/scenarios/custom/${created.id}/edit`, {
          replace: true,
          state: { status: 'Saved. You can practise it now, or go on editing.' } satisfies EditorLocationState,
        });
      }
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0) {
        setProblems(err.details.map((d) => ({ path: scenarioPath(d.field), message: d.message })));
        setFailures((n) => n + 1);
      } else {
        setProblems([]);
        setFormError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const onDelete = async () => {
    if (!record || deleteBusy) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await scenariosApi.deleteCustom(record.id);
      await navigate('/scenarios/custom', { replace: true, state: { status: `“${record.scenario.title}” deleted.` } });
    } catch (err) {
      setDeleteError(errorMessage(err));
      setDeleteBusy(false);
    }
  };

  return (
    <Page
      title={record ? `Edit “${record.scenario.title}”` : 'New scenario'}
      description="Write a situation to role-play: 2 to 6 phases, each with its objectives, words and phrases."
      actions={
        <>
          <Link to="/scenarios/custom" className="btn btn-secondary btn-small">
            Your custom scenarios
          </Link>
          {record && (
            <>
              <a href={scenariosApi.exportUrl(record.id)} download className="btn btn-secondary btn-small">
                Export
              </a>
              <Link to={`/scenarios/${record.id}`} className="btn btn-primary btn-small">
                Practise it
              </Link>
            </>
          )}
        </>
      }
    >
      <form className="scenario-editor" onSubmit={onSubmit} noValidate aria-busy={busy}>
        <ErrorSummary problems={problems} summaryRef={summaryRef} />
        <ErrorAlert>{formError}</ErrorAlert>

        <section className="card section" aria-labelledby="editor-about-heading">
          <div className="section-header">
            <h2 id="editor-about-heading">About the scenario</h2>
            <label className="btn btn-secondary btn-small file-button">
              Load from a file…
              <input
                type="file"
                accept="application/json,.json"
                className="visually-hidden"
                onChange={(e) => void loadFile(e)}
              />
            </label>
          </div>
          <EditorField path="title" label="Title" error={errors.at('title')} hint="At least 3 characters.">
            {(control) => (
              <input
                {...control}
                type="text"
                value={draft.title}
                maxLength={120}
                onChange={(e) => set({ title: e.target.value })}
              />
            )}
          </EditorField>
          <EditorField path="description" label="Description" error={errors.at('description')}>
            {(control) => (
              <textarea
                {...control}
                rows={3}
                maxLength={600}
                value={draft.description}
                onChange={(e) => set({ description: e.target.value })}
              />
            )}
          </EditorField>
          <div className="editor-grid">
            <EditorField path="category" label="Category" error={errors.at('category')}>
              {(control) => (
                <select
                  {...control}
                  value={draft.category}
                  onChange={(e) => set({ category: e.target.value as ScenarioCategory })}
                >
                  <Options values={CATEGORY_LIST} label={(c) => CATEGORY_LABELS[c]} />
                </select>
              )}
            </EditorField>
            <EditorField path="difficulty" label="Difficulty" error={errors.at('difficulty')}>
              {(control) => (
                <select
                  {...control}
                  value={draft.difficulty}
                  onChange={(e) => set({ difficulty: e.target.value as ScenarioDifficulty })}
                >
                  <Options values={DIFFICULTY_LIST} label={(d) => DIFFICULTY_LABELS[d]} />
                </select>
              )}
            </EditorField>
            <EditorField path="cefr.min" label="Lowest level" error={errors.at('cefr.min') ?? errors.at('cefr')}>
              {(control) => (
                <select
                  {...control}
                  value={draft.cefrMin}
                  onChange={(e) => set({ cefrMin: e.target.value as CefrLevel })}
                >
                  <Options values={LEVEL_LIST} label={(l) => LEVEL_LABELS[l]} />
                </select>
              )}
            </EditorField>
            <EditorField path="cefr.max" label="Highest level" error={errors.at('cefr.max')}>
              {(control) => (
                <select
                  {...control}
                  value={draft.cefrMax}
                  onChange={(e) => set({ cefrMax: e.target.value as CefrLevel })}
                >
                  <Options values={LEVEL_LIST} label={(l) => LEVEL_LABELS[l]} />
                </select>
              )}
            </EditorField>
          </div>
          <div className="field-row">
            <EditorField
              path="learnerRole"
              label="The learner’s role"
              error={errors.at('learnerRole')}
              hint="e.g. A guest at a restaurant"
            >
              {(control) => (
                <input
                  {...control}
                  type="text"
                  value={draft.learnerRole}
                  maxLength={200}
                  onChange={(e) => set({ learnerRole: e.target.value })}
                />
              )}
            </EditorField>
            <EditorField
              path="tutorRole"
              label="The tutor’s role"
              error={errors.at('tutorRole')}
              hint="e.g. The waiter"
            >
              {(control) => (
                <input
                  {...control}
                  type="text"
                  value={draft.tutorRole}
                  maxLength={200}
                  onChange={(e) => set({ tutorRole: e.target.value })}
                />
              )}
            </EditorField>
          </div>
          <EditorField path="setting" label="Setting" error={errors.at('setting')}>
            {(control) => (
              <textarea
                {...control}
                rows={2}
                maxLength={400}
                value={draft.setting}
                onChange={(e) => set({ setting: e.target.value })}
              />
            )}
          </EditorField>
          <div className="editor-grid">
            <EditorField path="estimatedMinutes" label="Minutes it takes" error={errors.at('estimatedMinutes')}>
              {(control) => (
                <input
                  {...control}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={180}
                  value={draft.estimatedMinutes}
                  onChange={(e) => set({ estimatedMinutes: e.target.value })}
                />
              )}
            </EditorField>
          </div>

          <fieldset className="field field-choices" id={fieldId('visibility')} tabIndex={-1}>
            <legend className="field-label">Who can use it</legend>
            {(['private', 'public'] as ScenarioVisibility[]).map((v) => (
              <label key={v} className="choice">
                <input
                  type="radio"
                  name="visibility"
                  value={v}
                  checked={draft.visibility === v}
                  onChange={() => set({ visibility: v })}
                />
                <span>
                  <span className="choice-title">{v === 'private' ? 'Only me' : 'Everyone'}</span>
                  <span className="choice-detail">
                    {v === 'private' ? 'Private: nobody else sees it.' : 'Public: other learners can practise it too.'}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>

          <fieldset
            className="field language-choices"
            id={fieldId('languages')}
            tabIndex={-1}
            aria-describedby="languages-hint"
          >
            <legend className="field-label">Target languages</legend>
            <p id="languages-hint" className="field-hint">
              Each phase needs its words, phrases and lines in every language ticked.
            </p>
            <div className="checkbox-row">
              {TARGET_LANGUAGES.map((l) => (
                <label key={l} className="checkbox">
                  <input
                    type="checkbox"
                    checked={draft.languages.includes(l)}
                    onChange={(e) => toggleLanguage(l, e.target.checked)}
                  />
                  {languageName(l)}
                </label>
              ))}
            </div>
          </fieldset>
        </section>

        <div id={fieldId('phases')} tabIndex={-1}>
          {errors.at('phases') && (
            <div className="alert alert-error" role="note">
              {errors.at('phases')}
            </div>
          )}
          {draft.phases.map((phase, index) => (
            <PhaseEditor
              key={phase.key}
              phase={phase}
              index={index}
              canRemove={draft.phases.length > MIN_PHASES}
              languages={draft.languages}
              errors={errors}
              onChange={(update) => updatePhase(phase.key, update)}
              onRemove={() => removePhase(phase.key)}
            />
          ))}
          {draft.phases.length < MAX_PHASES ? (
            <Button variant="secondary" className="add-phase" onClick={addPhase}>
              + Add phase {draft.phases.length + 1}
            </Button>
          ) : (
            <p className="muted">A scenario has at most {MAX_PHASES} phases.</p>
          )}
        </div>

        <div className="editor-save-bar">
          <Button type="submit" busy={busy} busyLabel="Saving…">
            {record ? 'Save changes' : 'Create scenario'}
          </Button>
          <StatusMessage>{status}</StatusMessage>
          {record && (
            <Button variant="ghost" className="btn-danger-outline editor-delete" onClick={() => setDeleting(true)}>
              Delete
            </Button>
          )}
        </div>
      </form>

      <ConfirmDialog
        open={deleting}
        title="Delete this scenario?"
        confirmLabel="Delete scenario"
        busyLabel="Deleting…"
        busy={deleteBusy}
        error={deleteError}
        onConfirm={() => void onDelete()}
        onCancel={() => setDeleting(false)}
      >
        <p>
          <strong>{record?.scenario.title}</strong> will be removed for you
          {record?.visibility === 'public' ? ' and everyone else' : ''}. Your past attempts stay in your history.
        </p>
      </ConfirmDialog>
    </Page>
  );
}

function EditExisting({ id }: { id: string }) {
  const record = useQuery(`custom-scenario:${id}`, () => scenariosApi.getCustom(id));
  if (record.status === 'error' && record.error.status === 404) return <NotFoundPage />;
  if (record.status === 'error')
    return (
      <Page title="Edit scenario">
        <RetryAlert error={record.error} onRetry={record.reload} />
      </Page>
    );
  if (record.status !== 'success')
    return (
      <Page title="Edit scenario">
        <PageLoading label="Loading the scenario…" />
      </Page>
    );
  if (!record.data.mine)
    return (
      <Page title="Edit scenario">
        <p>
          Only its author can change “{record.data.scenario.title}”. You can{' '}
          <Link to={`/scenarios/${record.data.id}`}>practise it</Link> or export it and import your own copy.
        </p>
      </Page>
    );
  return <Editor initial={draftFrom(record.data.scenario, record.data.visibility)} record={record.data} />;
}

/** `/scenarios/custom/new` and `/scenarios/custom/:id/edit`. */
export function CustomScenarioEditorPage() {
  const { id } = useParams();
  const location = useLocation();
  if (id) return <EditExisting key={id} id={id} />;
  const state = (location.state ?? {}) as EditorLocationState;
  return <Editor initial={state.draft ? draftFrom(state.draft) : emptyDraft()} record={null} />;
}
