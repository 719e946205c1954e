import type { CORRECTION_TYPES, CorrectionView, FeedbackView } from '../../../../shared/conversations.js';
import type { NativeLanguage, TargetLanguage } from '../../../../shared/languages.js';
import type { CefrLevel, ScenarioPhase } from '../../../../shared/scenarios.js';
import type { FreeTopic } from './free-topics.js';

/**
 * The contract between the conversation service and a tutor engine (the offline one here, the LLM one later).
 * Everything is plain JSON-serialisable data, so the caller can persist the state between turns and switch
 * engines mid-conversation without losing progress.
 */

export type CorrectionType = (typeof CORRECTION_TYPES)[number];

/** A correction and the feedback on one learner message: the API's shapes (`src/shared/conversations.ts`). */
export type Correction = CorrectionView;
/** What the tutor noticed in one learner message (the current phase's items; empty lists in free mode). */
export type Feedback = FeedbackView;

/** Where one phase stands. */
export interface PhaseProgress {
  id: string;
  name: string;
  objectivesMet: string[];
  objectivesRequired: number;
  vocabularyUsed: string[];
  vocabularyRequired: number;
  phrasesUsed: string[];
  completed: boolean;
}

export interface ScenarioProgress {
  /** The phase under way; equals `phases.length` once the scenario is completed. */
  phaseIndex: number;
  phases: PhaseProgress[];
  completed: boolean;
}

/** What the tutor remembers about one phase: cumulative over the phase's messages. */
export interface PhaseState {
  vocabularyUsed: string[];
  phrasesUsed: string[];
  objectivesMet: string[];
  /** Indexes into the phase's `followUps` the tutor has said, in the order said. */
  followUpsSaid: number[];
  /** How many times the tutor nudged in this phase (it suggests a different phrase each time). */
  nudges: number;
  completed: boolean;
}

/** The conversation state a tutor engine reads and returns; the caller stores it with the conversation. */
export interface ConversationState {
  /** Learner messages answered so far. */
  turn: number;
  /** Scenario mode: the phase under way (`phases.length` once completed). Free mode: 0. */
  phaseIndex: number;
  /** Scenario mode: one entry per phase. Free mode: empty. */
  phases: PhaseState[];
  completed: boolean;
  /** Free mode: the topic under way and how many of its questions were asked. */
  topicId?: string;
  questionsAsked?: number;
}

/** The scenario as the tutor needs it: a built-in scenario or a learner's own (whose id is optional). */
export interface TutorScenario {
  id?: string;
  title: string;
  tutorRole: string;
  learnerRole: string;
  phases: ScenarioPhase[];
}

interface BaseContext {
  language: TargetLanguage;
  nativeLanguage: NativeLanguage;
  level: CefrLevel;
  /** Free text describing the tutor's persona (used by the LLM engine; the offline tutor ignores it). */
  persona?: string;
  /** The state returned by the previous turn; omit to start (`open`). */
  state?: ConversationState;
  /** The conversation so far, oldest first (the LLM engine needs it; the offline tutor keeps its own state). */
  history?: { role: 'tutor' | 'learner'; text: string }[];
}

export interface ScenarioContext extends BaseContext {
  mode: 'scenario';
  scenario: TutorScenario;
}

export interface FreeContext extends BaseContext {
  mode: 'free';
  /** The topics to talk about (see `free-topics.ts`); those without the target language are skipped. */
  topics: FreeTopic[];
  /** Start with this topic (by id) instead of the engine's choice. */
  topicId?: string;
}

export type TutorContext = ScenarioContext | FreeContext;

/** One tutor message with everything that goes with it. */
export interface TutorTurn {
  /** Which engine produced the message, to be recorded with it. */
  engine: 'offline' | 'llm';
  reply: string;
  /** About the learner's message; null for the opening. */
  feedback: Feedback | null;
  /** Scenario mode only. */
  progress: ScenarioProgress | null;
  /** Pass it back in the next turn's context. */
  state: ConversationState;
}

/**
 * A tutor engine. `open` gives the tutor's first message; `reply` answers one learner message. Both may be
 * asynchronous (an LLM engine calls a model for either). Implementations must not throw on odd learner input:
 * empty, off-topic or very long messages get an answer.
 */
export interface TutorEngine {
  open(context: TutorContext): Promise<TutorTurn>;
  reply(context: TutorContext, text: string): Promise<TutorTurn>;
}
