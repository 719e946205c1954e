import type { ProgressView } from '../../shared/conversations.js';
import { formatCount } from '../lib/format.js';

/** The phase under way (its index), or -1 once every phase is done. */
export function currentPhaseIndex(progress: ProgressView): number {
  return progress.completed ? -1 : Math.min(progress.phaseIndex, progress.phases.length - 1);
}

/**
 * A scenario's progress as a bar: one segment per phase, filled when the phase is done and, for the phase under way,
 * as far as its objectives are met. An accessible progress bar counting the phases completed.
 */
export function PhaseBar({
  progress,
  label,
  className,
}: {
  progress: ProgressView;
  label: string;
  className?: string;
}) {
  const total = progress.phases.length;
  const done = progress.phases.filter((p) => p.completed).length;
  const current = currentPhaseIndex(progress);
  return (
    <span
      className={className ? `phase-bar ${className}` : 'phase-bar'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-valuetext={`${done} of ${formatCount(total, 'phase', 'phases')} completed`}
    >
      {progress.phases.map((p, i) => {
        const share = p.completed
          ? 1
          : i === current
            ? Math.min(1, p.objectivesMet.length / Math.max(1, p.objectivesRequired))
            : 0;
        return (
          <span key={p.id} className="phase-bar-segment">
            <span className="phase-bar-fill" style={{ width: `${Math.round(share * 100)}%` }} />
          </span>
        );
      })}
    </span>
  );
}
