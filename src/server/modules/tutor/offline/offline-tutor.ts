import type { TargetLanguage } from '../../../../shared/languages.js';
import type { PhaseLanguage, ScenarioPhase } from '../../../../shared/scenarios.js';
import { ValidationError } from '../../../http/errors.js';
import type { FreeTopic } from './free-topics.js';
import { analyseMessage, compilePhase, type MessageAnalysis, type PhaseMatcher } from './matcher.js';
import type { SpellChecker } from './spelling.js';
import { tokenize } from './text.js';
import { opensWithAcknowledgement, TUTOR_LINES } from './tutor-lines.js';
import type {
  ConversationState,
  Correction,
  FreeContext,
  PhaseState,
  ScenarioContext,
  ScenarioProgress,
  TutorContext,
  TutorEngine,
  TutorScenario,
  TutorTurn,
} from './tutor-engine.js';

/**
 * The offline tutor: plays the tutor's role from the scenario's own lines, recognises what the learner did from
 * the phase's patterns, vocabulary and phrases (`matcher.ts`), and moves through the phases. A turn:
 *
 * 1. The learner's message is matched against the current phase; what it used is added to the phase's state.
 * 2. Nothing recognised (off-topic, empty, unintelligible): a nudge — "didn't catch that", the last question
 *    again, and an essential phrase that meets an unmet objective (a different one on each nudge).
 * 3. The phase's success criteria met (objectives and vocabulary): an acknowledgement and the next phase's
 *    opening line, or after the last phase a closing line.
 * 4. Otherwise an acknowledgement and the first unsaid follow-up about an unmet objective (else the first unsaid
 *    one about no objective, else the first unsaid one); when none is left, a suggested phrase — or, when only
 *    vocabulary is missing, a suggested word.
 *
 * Spelling corrections come from the injected `SpellChecker`; a failing checker costs the feedback, never the
 * reply. Deterministic: choices rotate with the turn number unless a `choose` function is injected.
 */

export interface OfflineTutorOptions {
  /** Spelling feedback; without one, `corrections` stays empty. */
  spelling?: SpellChecker | null;
  /**
   * Picks one of `count` options (an acknowledgement, a first topic) on turn `turn`; must return an integer in
   * [0, count). Defaults to `turn % count`. Inject a seeded random choice for variety.
   */
  choose?: (count: number, turn: number) => number;
}

/** Longer messages are read up to this many characters (the API caps messages well before). */
const MAX_MESSAGE_CHARS = 4000;

// A sentence: optionally opened by ¿ or ¡, closed by . ! ? or … (or the end of the line).
const SENTENCE = /[¿¡]?[^.!?¿¡…]+(?:[.!?…]+|$)/gu;

function emptyPhaseState(): PhaseState {
  return { vocabularyUsed: [], phrasesUsed: [], objectivesMet: [], followUpsSaid: [], nudges: 0, completed: false };
}

/** Adds `added` to `list`, keeping the order of `order` (the scenario's order) and no duplicates. */
function merged(list: string[], added: string[], order: string[]): string[] {
  const all = new Set([...list, ...added]);
  return order.filter((item) => all.has(item));
}

function phaseContent(phase: ScenarioPhase, language: TargetLanguage): PhaseLanguage {
  const content = phase.languages[language];
  if (!content) {
    throw new ValidationError([{ field: 'language', message: `the scenario has no ${language} version` }]);
  }
  return content;
}

function phaseDone(phase: ScenarioPhase, state: PhaseState): boolean {
  return (
    state.objectivesMet.length >= phase.successCriteria.objectivesRequired &&
    state.vocabularyUsed.length >= phase.successCriteria.vocabularyRequired
  );
}

/** The scenario's progress as the API shows it. */
export function scenarioProgress(scenario: TutorScenario, state: ConversationState): ScenarioProgress {
  return {
    phaseIndex: state.phaseIndex,
    completed: state.completed,
    phases: scenario.phases.map((phase, i) => {
      const s = state.phases[i] ?? emptyPhaseState();
      return {
        id: phase.id,
        name: phase.name,
        objectivesMet: [...s.objectivesMet],
        objectivesRequired: phase.successCriteria.objectivesRequired,
        vocabularyUsed: [...s.vocabularyUsed],
        vocabularyRequired: phase.successCriteria.vocabularyRequired,
        phrasesUsed: [...s.phrasesUsed],
        completed: s.completed,
      };
    }),
  };
}

/** A copy of `state` fitted to `scenario` (a state from an older version of the scenario gets fresh phases). */
function scenarioState(scenario: TutorScenario, state: ConversationState | undefined): ConversationState {
  const copy: ConversationState = state
    ? structuredClone(state)
    : { turn: 0, phaseIndex: 0, phases: [], completed: false };
  copy.phases = scenario.phases.map((_, i) => copy.phases[i] ?? emptyPhaseState());
  copy.phaseIndex = Math.min(Math.max(0, copy.phaseIndex), scenario.phases.length);
  copy.completed = copy.completed || copy.phaseIndex === scenario.phases.length;
  return copy;
}

interface ScenarioWords {
  /** Every text of the scenario in the language: right by definition (names like "Pix" included). */
  texts: string[];
  /** The comparison keys of all their words (see `analyseMessage`). */
  keys: ReadonlySet<string>;
}

const scenarioWordsCache = new WeakMap<TutorScenario, Map<TargetLanguage, ScenarioWords>>();

function scenarioWords(scenario: TutorScenario, language: TargetLanguage): ScenarioWords {
  let byLanguage = scenarioWordsCache.get(scenario);
  if (!byLanguage) {
    byLanguage = new Map();
    scenarioWordsCache.set(scenario, byLanguage);
  }
  let words = byLanguage.get(language);
  if (!words) {
    const texts = scenario.phases.flatMap((phase) => {
      const content = phase.languages[language];
      if (!content) return [];
      return [
        ...content.vocabulary.map((v) => v.term),
        ...content.phrases.map((p) => p.text),
        content.tutorLines.opening,
        ...content.tutorLines.followUps,
      ];
    });
    const keys = new Set(texts.flatMap((text) => tokenize(language, text).map((t) => t.key)));
    words = { texts, keys };
    byLanguage.set(language, words);
  }
  return words;
}

/**
 * The question a tutor line ends with — the run of question sentences at its end, or else its last question:
 * "¡Buenos días! ¿Qué le pongo?" → "¿Qué le pongo?", "Un kilo ? Une livre ?" → both. Null without a question.
 */
export function lastQuestion(line: string): string | null {
  const sentences = (line.match(SENTENCE) ?? []).map((s) => s.trim());
  const isQuestion = (s: string) => s.endsWith('?');
  let end = sentences.length;
  while (end > 0 && !isQuestion(sentences[end - 1]!)) end--;
  let start = end;
  while (start > 0 && isQuestion(sentences[start - 1]!)) start--;
  return end > 0 ? sentences.slice(start, end).join(' ') : null;
}

export class OfflineTutor implements TutorEngine {
  private readonly spelling: SpellChecker | null;
  private readonly choose: (count: number, turn: number) => number;

  constructor(options: OfflineTutorOptions = {}) {
    this.spelling = options.spelling ?? null;
    this.choose = options.choose ?? ((count, turn) => turn % count);
  }

  async open(context: TutorContext): Promise<TutorTurn> {
    return context.mode === 'scenario' ? this.openScenario(context) : this.openFree(context);
  }

  async reply(context: TutorContext, text: string): Promise<TutorTurn> {
    const message = text.slice(0, MAX_MESSAGE_CHARS);
    return context.mode === 'scenario' ? this.replyScenario(context, message) : this.replyFree(context, message);
  }

  // ——— scenario mode ———

  private openScenario(context: ScenarioContext): TutorTurn {
    const { scenario, language } = context;
    for (const phase of scenario.phases) phaseContent(phase, language);
    const state = scenarioState(scenario, undefined);
    return {
      engine: 'offline',
      reply: phaseContent(scenario.phases[0]!, language).tutorLines.opening,
      feedback: null,
      progress: scenarioProgress(scenario, state),
      state,
    };
  }

  private async replyScenario(context: ScenarioContext, text: string): Promise<TutorTurn> {
    const { scenario, language } = context;
    const state = scenarioState(scenario, context.state);
    state.turn += 1;
    const words = scenarioWords(scenario, language);
    const corrections = await this.corrections(context, text, words.texts);
    const lines = TUTOR_LINES[language];
    const finish = (reply: string, analysis: MessageAnalysis): TutorTurn => ({
      engine: 'offline',
      reply,
      feedback: { corrections, ...analysis },
      progress: scenarioProgress(scenario, state),
      state,
    });
    if (state.completed) return finish(lines.closing, { objectivesMet: [], vocabularyUsed: [], phrasesUsed: [] });

    const phase = scenario.phases[state.phaseIndex]!;
    const content = phaseContent(phase, language);
    const matcher = compilePhase(phase, language);
    const analysis = analyseMessage(matcher, tokenize(language, text), words.keys);
    const phaseState = state.phases[state.phaseIndex]!;
    phaseState.objectivesMet = merged(
      phaseState.objectivesMet,
      analysis.objectivesMet,
      phase.objectives.map((o) => o.id),
    );
    phaseState.vocabularyUsed = merged(
      phaseState.vocabularyUsed,
      analysis.vocabularyUsed,
      content.vocabulary.map((v) => v.term),
    );
    phaseState.phrasesUsed = merged(
      phaseState.phrasesUsed,
      analysis.phrasesUsed,
      content.phrases.map((p) => p.text),
    );

    const recognised = analysis.objectivesMet.length + analysis.vocabularyUsed.length + analysis.phrasesUsed.length > 0;
    if (!recognised) {
      const reply = this.nudge(language, content, matcher, phaseState);
      phaseState.nudges += 1;
      return finish(reply, analysis);
    }

    const ack = this.acknowledgement(language, state.turn);
    if (phaseDone(phase, phaseState)) {
      phaseState.completed = true;
      state.phaseIndex += 1;
      const next = scenario.phases[state.phaseIndex];
      if (!next) {
        state.completed = true;
        return finish(lines.closing, analysis);
      }
      return finish(withAck(ack, phaseContent(next, language).tutorLines.opening), analysis);
    }

    const objectivesLeft = phaseState.objectivesMet.length < phase.successCriteria.objectivesRequired;
    const followUp = objectivesLeft ? this.nextFollowUp(matcher, phaseState) : null;
    if (followUp !== null) {
      phaseState.followUpsSaid.push(followUp);
      return finish(withAck(ack, content.tutorLines.followUps[followUp]!), analysis);
    }
    if (!objectivesLeft) {
      const unused = content.vocabulary.filter((v) => !phaseState.vocabularyUsed.includes(v.term));
      const word = unused[this.choose(unused.length, state.turn)]!.term;
      return finish(`${ack} ${lines.suggestWord.replace('{phrase}', word)}`, analysis);
    }
    const phrase = this.suggestedPhrase(matcher, phaseState);
    return finish(`${ack} ${lines.suggestPhrase.replace('{phrase}', phrase)}`, analysis);
  }

  /** The first unsaid follow-up about an unmet objective, else about no objective, else any unsaid one. */
  private nextFollowUp(matcher: PhaseMatcher, state: PhaseState): number | null {
    const unmet = matcher.objectives.map((o) => o.id).filter((id) => !state.objectivesMet.includes(id));
    const unsaid = matcher.followUpTargets
      .map((targets, i) => ({ targets, i }))
      .filter((f) => !state.followUpsSaid.includes(f.i));
    const pick =
      unsaid.find((f) => f.targets.some((id) => unmet.includes(id))) ??
      unsaid.find((f) => f.targets.length === 0) ??
      unsaid[0];
    return pick ? pick.i : null;
  }

  /** An essential phrase for an unmet objective (rotating with each nudge), else an unused one, else any. */
  private suggestedPhrase(matcher: PhaseMatcher, state: PhaseState): string {
    const unmet = matcher.objectives.map((o) => o.id).filter((id) => !state.objectivesMet.includes(id));
    const forUnmet = matcher.phrases.filter((p) => p.objectiveIds.some((id) => unmet.includes(id)));
    const unused = matcher.phrases.filter((p) => !state.phrasesUsed.includes(p.text));
    const candidates = [forUnmet, unused, matcher.phrases].find((list) => list.length > 0)!;
    return candidates[state.nudges % candidates.length]!.text;
  }

  private nudge(language: TargetLanguage, content: PhaseLanguage, matcher: PhaseMatcher, state: PhaseState): string {
    const lines = TUTOR_LINES[language];
    const said = [...state.followUpsSaid].reverse().map((i) => content.tutorLines.followUps[i]!);
    const question = [...said, content.tutorLines.opening].map(lastQuestion).find((q) => q !== null);
    const phrase = this.suggestedPhrase(matcher, state);
    return [lines.notUnderstood, question, lines.suggestPhrase.replace('{phrase}', phrase)].filter(Boolean).join(' ');
  }

  // ——— free mode ———

  private availableTopics(context: FreeContext): FreeTopic[] {
    const topics = context.topics.filter((t) => t.languages[context.language]);
    if (topics.length === 0) {
      throw new ValidationError([{ field: 'language', message: `no free topic has a ${context.language} version` }]);
    }
    return topics;
  }

  private openFree(context: FreeContext): TutorTurn {
    const topics = this.availableTopics(context);
    const topic = topics.find((t) => t.id === context.topicId) ?? topics[this.choose(topics.length, 0)]!;
    const state: ConversationState = {
      turn: 0,
      phaseIndex: 0,
      phases: [],
      completed: false,
      topicId: topic.id,
      questionsAsked: 0,
    };
    return {
      engine: 'offline',
      reply: topic.languages[context.language]!.prompt,
      feedback: null,
      progress: null,
      state,
    };
  }

  private async replyFree(context: FreeContext, text: string): Promise<TutorTurn> {
    const { language } = context;
    const topics = this.availableTopics(context);
    const state: ConversationState = context.state
      ? structuredClone(context.state)
      : { turn: 0, phaseIndex: 0, phases: [], completed: false };
    state.turn += 1;
    let index = Math.max(
      0,
      topics.findIndex((t) => t.id === state.topicId),
    );
    let topic = topics[index]!.languages[language]!;
    const asked = Math.min(state.questionsAsked ?? 0, topic.questions.length);
    const corrections = await this.corrections(context, text, [topic.prompt, ...topic.questions]);
    const lines = TUTOR_LINES[language];
    let reply: string;
    if (tokenize(language, text).length === 0) {
      const current = asked > 0 ? topic.questions[asked - 1]! : topic.prompt;
      reply = `${lines.sayMore} ${current}`;
    } else if (asked < topic.questions.length) {
      reply = withAck(this.acknowledgement(language, state.turn), topic.questions[asked]!);
      state.questionsAsked = asked + 1;
    } else {
      index = (index + 1) % topics.length;
      topic = topics[index]!.languages[language]!;
      reply = `${this.acknowledgement(language, state.turn)} ${lines.newTopic} ${topic.prompt}`;
      state.questionsAsked = 0;
    }
    state.topicId = topics[index]!.id;
    return {
      engine: 'offline',
      reply,
      feedback: { corrections, vocabularyUsed: [], phrasesUsed: [], objectivesMet: [] },
      progress: null,
      state,
    };
  }

  // ——— shared ———

  private acknowledgement(language: TargetLanguage, turn: number): string {
    const acks = TUTOR_LINES[language].acknowledgements;
    return acks[this.choose(acks.length, turn)] ?? acks[0]!;
  }

  private async corrections(context: TutorContext, text: string, knownWords: string[]): Promise<Correction[]> {
    if (!this.spelling) return [];
    try {
      return await this.spelling.check(context.language, text, { nativeLanguage: context.nativeLanguage, knownWords });
    } catch {
      // Spelling is a bonus: the conversation goes on without it.
      return [];
    }
  }
}

function withAck(ack: string, line: string): string {
  return opensWithAcknowledgement(line) ? line : `${ack} ${line}`;
}
