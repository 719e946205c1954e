import { fsrs, generatorParameters, type Grade, Rating, type StepUnit, State } from 'ts-fsrs';
import type { CardState } from '../../../shared/cards.js';
import type { RatingName } from '../../../shared/review.js';

/** A card's memory state: the fields FSRS reads and writes, as stored. */
export interface MemoryState {
  state: CardState;
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  last_reviewed_at: string | null;
}

/** The columns of a stored card that hold its memory state, for the repositories that read only those. */
export const MEMORY_COLUMNS = [
  'state',
  'due',
  'stability',
  'difficulty',
  'elapsed_days',
  'scheduled_days',
  'learning_steps',
  'reps',
  'lapses',
  'last_reviewed_at',
] as const satisfies readonly (keyof MemoryState)[];

/** The memory state of a stored card row (the other fields left behind). */
export function memoryOf(row: MemoryState): MemoryState {
  return {
    state: row.state,
    due: row.due,
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: row.elapsed_days,
    scheduled_days: row.scheduled_days,
    learning_steps: row.learning_steps,
    reps: row.reps,
    lapses: row.lapses,
    last_reviewed_at: row.last_reviewed_at,
  };
}

/** The memory state of a card never reviewed, due at `due`. */
export function newMemoryState(due: string): MemoryState {
  return {
    state: 'new',
    due,
    stability: 0,
    difficulty: 0,
    elapsed_days: 0,
    scheduled_days: 0,
    learning_steps: 0,
    reps: 0,
    lapses: 0,
    last_reviewed_at: null,
  };
}

export interface SchedulerSettings {
  desiredRetention: number;
  /** Space-separated steps such as "1m 10m". */
  learningSteps: string;
  relearningSteps: string;
  /** Fitted FSRS weights, or null for the defaults. */
  parameters: number[] | null;
}

export interface Preview {
  due: string;
  intervalSeconds: number;
}

const STATES: Record<CardState, State> = {
  new: State.New,
  learning: State.Learning,
  review: State.Review,
  relearning: State.Relearning,
};
const STATE_NAMES = Object.fromEntries(Object.entries(STATES).map(([name, value]) => [value, name])) as Record<
  State,
  CardState
>;
const GRADES: Record<RatingName, Grade> = {
  again: Rating.Again,
  hard: Rating.Hard,
  good: Rating.Good,
  easy: Rating.Easy,
};

const toSteps = (steps: string) => steps.split(' ').filter(Boolean) as StepUnit[];

/**
 * FSRS-6 (ts-fsrs) configured with one learner's settings. Fuzz is off, so the interval a preview shows is the
 * interval the answer gives.
 */
export function createScheduler(settings: SchedulerSettings) {
  const f = fsrs(
    generatorParameters({
      request_retention: settings.desiredRetention,
      enable_fuzz: false,
      enable_short_term: true,
      learning_steps: toSteps(settings.learningSteps),
      relearning_steps: toSteps(settings.relearningSteps),
      ...(settings.parameters ? { w: settings.parameters } : {}),
    }),
  );

  const toFsrs = (m: MemoryState) => ({
    due: new Date(m.due),
    stability: m.stability,
    difficulty: m.difficulty,
    elapsed_days: m.elapsed_days,
    scheduled_days: m.scheduled_days,
    learning_steps: m.learning_steps,
    reps: m.reps,
    lapses: m.lapses,
    state: STATES[m.state],
    ...(m.last_reviewed_at ? { last_review: new Date(m.last_reviewed_at) } : {}),
  });

  return {
    /** What each rating would do to the card now. */
    preview(m: MemoryState, now: Date): Record<RatingName, Preview> {
      const outcomes = f.repeat(toFsrs(m), now);
      const at = (rating: RatingName): Preview => {
        const due = outcomes[GRADES[rating]].card.due;
        return {
          due: due.toISOString(),
          intervalSeconds: Math.max(0, Math.round((due.getTime() - now.getTime()) / 1000)),
        };
      };
      return { again: at('again'), hard: at('hard'), good: at('good'), easy: at('easy') };
    },

    /** The card's memory state after answering `rating` at `now`. */
    answer(m: MemoryState, rating: RatingName, now: Date): MemoryState {
      const { card } = f.next(toFsrs(m), now, GRADES[rating]);
      return {
        state: STATE_NAMES[card.state],
        due: card.due.toISOString(),
        stability: card.stability,
        difficulty: card.difficulty,
        elapsed_days: card.elapsed_days,
        scheduled_days: card.scheduled_days,
        learning_steps: card.learning_steps,
        reps: card.reps,
        lapses: card.lapses,
        last_reviewed_at: now.toISOString(),
      };
    },

    /** The probability of recalling the card at `now` (0 for cards never reviewed). */
    retrievability(m: MemoryState, now: Date): number {
      if (m.state === 'new') return 0;
      return f.get_retrievability(toFsrs(m), now, false);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
