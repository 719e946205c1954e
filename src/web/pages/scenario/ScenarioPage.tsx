import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import type { CefrLevel, ScenarioAttempt, ScenarioView } from '../../../shared/scenarios.js';
import { conversationsApi } from '../../api/conversations.js';
import { scenariosApi } from '../../api/scenarios.js';
import { useUser } from '../../auth/AuthProvider.js';
import { ErrorAlert, RetryAlert } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { errorMessage } from '../../lib/form-errors.js';
import { formatAccuracy, formatDateTime, formatDuration, languageName } from '../../lib/format.js';
import {
  CATEGORY_LABELS,
  cefrRange,
  DIFFICULTY_LABELS,
  LEVEL_LABELS,
  LEVEL_LIST,
  pick,
} from '../../lib/scenario-format.js';
import { useQuery } from '../../lib/use-query.js';
import { NotFoundPage } from '../not-found/NotFoundPage.js';
import '../scenarios/practice.css';
import { LearnStep } from './LearnStep.js';
import { Options } from '../../components/options.js';

/** The languages the scenario has content in, in the app's order. */
function languagesOf(scenario: ScenarioView): TargetLanguage[] {
  const present = new Set(scenario.phases.flatMap((p) => Object.keys(p.languages)));
  return TARGET_LANGUAGES.filter((l) => present.has(l));
}

function StartForm({
  scenario,
  languages,
  language,
  onLanguage,
}: {
  scenario: ScenarioView;
  languages: TargetLanguage[];
  language: TargetLanguage;
  onLanguage: (language: TargetLanguage) => void;
}) {
  const navigate = useNavigate();
  const [level, setLevel] = useState<CefrLevel>(scenario.cefr.min);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const conversation = await conversationsApi.create({
        mode: 'scenario',
        scenarioId: scenario.id,
        language,
        level,
      });
      await navigate(`/conversations/${conversation.id}`);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <section className="card section start-card" aria-labelledby="start-heading">
      <h2 id="start-heading">Practise it</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
        aria-busy={busy}
      >
        <ErrorAlert>{error}</ErrorAlert>
        <div className="start-fields">
          <FormField label="Language">
            {(control) => (
              <select
                {...control}
                name="language"
                value={language}
                onChange={(e) => onLanguage(e.target.value as TargetLanguage)}
              >
                <Options values={languages} label={(l) => languageName(l)} />
              </select>
            )}
          </FormField>
          <FormField label="Your level" hint={`This scenario suits ${cefrRange(scenario.cefr)}.`}>
            {(control) => (
              <select {...control} name="level" value={level} onChange={(e) => setLevel(e.target.value as CefrLevel)}>
                <Options values={LEVEL_LIST} label={(l) => LEVEL_LABELS[l]} />
              </select>
            )}
          </FormField>
        </div>
        <Button type="submit" className="btn-block" busy={busy} busyLabel="Starting…">
          Start the conversation
        </Button>
      </form>
    </section>
  );
}

function PastAttempts({ scenarioId, timeZone }: { scenarioId: string; timeZone: string }) {
  const history = useQuery(`scenario-history:${scenarioId}`, () => scenariosApi.history(scenarioId));
  return (
    <section className="card section" aria-labelledby="attempts-heading">
      <h2 id="attempts-heading">Past attempts</h2>
      {history.status === 'error' && <RetryAlert error={history.error} onRetry={history.reload} />}
      {history.status === 'loading' && <PageLoading label="Loading your attempts…" />}
      {history.data && history.data.length === 0 && (
        <p className="muted">You have not finished this scenario yet. Your attempts will appear here.</p>
      )}
      {history.data && history.data.length > 0 && (
        <ul className="attempt-list">
          {history.data.map((a) => (
            <AttemptItem key={a.id} attempt={a} timeZone={timeZone} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AttemptItem({ attempt, timeZone }: { attempt: ScenarioAttempt; timeZone: string }) {
  return (
    <li className="attempt-item">
      <p className="attempt-head">
        <Link to={`/conversations/${attempt.conversationId}`}>
          <time dateTime={attempt.completedAt}>{formatDateTime(attempt.completedAt, timeZone)}</time>
        </Link>
        <span className="muted">
          {languageName(attempt.language)} · {attempt.level}
        </span>
      </p>
      <p className="attempt-meta">
        {attempt.phasesCompleted}/{attempt.phasesTotal} phases · {attempt.objectivesMet.length}/
        {attempt.objectivesTotal} goals · {formatAccuracy(attempt.successRate)} ·{' '}
        {formatDuration(attempt.durationSeconds)}
      </p>
    </li>
  );
}

export function ScenarioPage() {
  const { id = '' } = useParams();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const scenario = useQuery(`scenario:${id}`, () => scenariosApi.get(id));

  if (scenario.status === 'error' && scenario.error.status === 404) return <NotFoundPage />;
  const data = scenario.data;
  const languages = data ? languagesOf(data) : [];
  const language = pick(languages, params.get('language')) ?? languages[0];
  const setLanguage = (l: TargetLanguage) => setParams({ language: l }, { replace: true });

  return (
    <Page
      title={data?.title ?? 'Scenario'}
      description={data?.description}
      actions={
        <Link to="/scenarios" className="btn btn-secondary btn-small">
          All scenarios
        </Link>
      }
    >
      {scenario.status === 'error' && <RetryAlert error={scenario.error} onRetry={scenario.reload} />}
      {!data && scenario.status === 'loading' && <PageLoading label="Loading the scenario…" />}
      {data && (
        <div className="scenario-layout">
          <section className="card section scenario-about" aria-labelledby="about-heading">
            <h2 id="about-heading" className="visually-hidden">
              About this scenario
            </h2>
            <div className="scenario-card-badges">
              <span className={`badge badge-category badge-category-${data.category}`}>
                {CATEGORY_LABELS[data.category]}
              </span>
              <span className={`badge badge-difficulty-${data.difficulty}`}>{DIFFICULTY_LABELS[data.difficulty]}</span>
              <span className="badge badge-cefr" title="CEFR levels">
                {cefrRange(data.cefr)}
              </span>
              {data.source === 'custom' && <span className="badge badge-custom">Custom</span>}
            </div>
            <dl className="facts scenario-facts">
              <div>
                <dt>You are</dt>
                <dd>{data.learnerRole}</dd>
              </div>
              <div>
                <dt>The tutor is</dt>
                <dd>{data.tutorRole}</dd>
              </div>
              <div className="scenario-setting">
                <dt>Setting</dt>
                <dd>{data.setting}</dd>
              </div>
              <div>
                <dt>Time</dt>
                <dd>
                  About {data.estimatedMinutes} min, {data.phases.length} phases
                </dd>
              </div>
            </dl>
          </section>
          <div className="scenario-start">
            {language ? (
              <StartForm scenario={data} languages={languages} language={language} onLanguage={setLanguage} />
            ) : (
              <p className="card section muted">This scenario has no content in any language yet.</p>
            )}
          </div>
          {language && (
            <div className="scenario-learn">
              <LearnStep scenario={data} language={language} />
            </div>
          )}
          <div className="scenario-attempts">
            <PastAttempts scenarioId={data.id} timeZone={user.timezone} />
          </div>
        </div>
      )}
    </Page>
  );
}
