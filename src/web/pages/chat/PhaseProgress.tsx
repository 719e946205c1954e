import type { ProgressView } from '../../../shared/conversations.js';
import type { ScenarioPhase } from '../../../shared/scenarios.js';
import { currentPhaseIndex, PhaseBar } from '../../components/PhaseBar.js';
import { formatCount } from '../../lib/format.js';

type PhaseDetail = Pick<ScenarioPhase, 'id' | 'objectives' | 'goal'>;

/**
 * Where the scenario stands: one segment per phase (filled when done, partly filled by the goals met in the
 * phase under way), and the goals of the current phase as a checklist.
 */
export function PhaseProgress({ progress, phases }: { progress: ProgressView; phases: PhaseDetail[] | null }) {
  const total = progress.phases.length;
  const currentIndex = currentPhaseIndex(progress);

  return (
    <section className="card section phase-progress" aria-labelledby="progress-heading" data-testid="phase-progress">
      <div className="phase-progress-head">
        <h2 id="progress-heading">Progress</h2>
        <span className="muted" data-testid="phase-count">
          {progress.completed ? 'All phases done' : `Phase ${currentIndex + 1} of ${total}`}
        </span>
      </div>
      <PhaseBar progress={progress} label="Phases completed" />
      <ol className="phase-steps">
        {progress.phases.map((p, i) => {
          const state = p.completed ? 'done' : i === currentIndex ? 'current' : 'upcoming';
          const detail = phases?.find((d) => d.id === p.id);
          const met = Math.min(p.objectivesMet.length, p.objectivesRequired);
          return (
            <li
              key={p.id}
              className={`phase-step phase-step-${state}`}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              <div className="phase-step-head">
                <span className="phase-step-marker" aria-hidden="true">
                  {state === 'done' ? '✓' : i + 1}
                </span>
                <span className="phase-step-name">{p.name}</span>
                <span className="phase-step-count">
                  {state === 'done' ? (
                    'Done'
                  ) : (
                    <>
                      {met} of {formatCount(p.objectivesRequired, 'goal', 'goals')}
                    </>
                  )}
                  <span className="visually-hidden">
                    {state === 'current' ? ', under way' : state === 'upcoming' ? ', to come' : ''}
                  </span>
                </span>
              </div>
              {state === 'current' && detail && (
                <>
                  <p className="phase-step-goal">{detail.goal}</p>
                  <ul className="objective-list" aria-label="Goals of this phase">
                    {detail.objectives.map((o) => {
                      const isMet = p.objectivesMet.includes(o.id);
                      return (
                        <li key={o.id} className={isMet ? 'objective objective-met' : 'objective'}>
                          <span className="objective-check" aria-hidden="true">
                            {isMet ? '✓' : ''}
                          </span>
                          {o.description}
                          <span className="visually-hidden">{isMet ? ' (done)' : ' (not yet)'}</span>
                        </li>
                      );
                    })}
                  </ul>
                  {p.vocabularyRequired > 0 && (
                    <p className="phase-step-vocab muted">
                      Words from the list used: {Math.min(p.vocabularyUsed.length, p.vocabularyRequired)} of{' '}
                      {p.vocabularyRequired}
                    </p>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
