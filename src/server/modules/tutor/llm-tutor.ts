import { z } from 'zod';
import { LANGUAGE_NAMES } from '../../../shared/languages.js';
import { CORRECTION_TYPES } from '../../../shared/conversations.js';
import type { ChatMessage } from '../ai/ai.types.js';
import type { AiGateway } from '../ai/gateway.js';
import { scenarioProgress, type OfflineTutor } from './offline/offline-tutor.js';
import { TUTOR_LINES } from './offline/tutor-lines.js';
import type { Correction, ScenarioContext, TutorContext, TutorTurn } from './offline/tutor-engine.js';

/** Who is calling, for the gateway's budget and ledger. */
export interface CallerContext {
  userId: string;
  requestId: string;
}

export type EngineEvent = { type: 'token'; text: string } | { type: 'turn'; turn: TutorTurn };

const FeedbackOutput = z.object({
  corrections: z
    .array(
      z.object({
        original: z.string(),
        corrected: z.string(),
        type: z.enum(CORRECTION_TYPES),
        explanation: z.string(),
      }),
    )
    .max(10),
  objectivesMet: z.array(z.string()).max(10),
});

const HintOutput = z.object({
  suggestions: z
    .array(z.object({ text: z.string().min(1), gloss: z.string() }))
    .min(1)
    .max(3),
});

/** The tutor's replies are short, like a person's in a conversation. */
const REPLY_MAX_TOKENS = 300;
const FEEDBACK_MAX_TOKENS = 700;

/**
 * The LLM tutor: the reply comes from a model through the AI gateway, in character and at the learner's level;
 * a second, structured call (run at the same time) finds grammar and word-choice mistakes and judges the phase's
 * objectives. The offline tutor's analysis of the same message (patterns, vocabulary, phrases, spelling) is the
 * base the model's judgement is added to, so the scenario's progress is kept by one set of rules whichever
 * engine answers, and a conversation can switch engines without losing anything.
 */
export class LlmTutor {
  constructor(
    private readonly gateway: AiGateway,
    private readonly offline: OfflineTutor,
  ) {}

  async *reply(
    context: TutorContext,
    text: string,
    caller: CallerContext,
    signal: AbortSignal,
  ): AsyncGenerator<EngineEvent> {
    const base = await this.offline.reply(context, text);
    const feedbackCall = this.judge(context, text, caller, signal).catch(() => null);
    let reply = '';
    for await (const event of this.gateway.stream(
      {
        userId: caller.userId,
        purpose: 'conversation',
        requestId: caller.requestId,
        language: context.language,
        system: rolePlayPrompt(context),
        messages: [...chatHistory(context), { role: 'user', content: text }],
        maxTokens: REPLY_MAX_TOKENS,
      },
      signal,
    )) {
      if (event.type === 'token') {
        reply += event.text;
        yield event;
      }
    }
    const judged = await feedbackCall;
    const turn = mergeJudgement(context, base, judged);
    const before = context.state?.phaseIndex ?? 0;
    let transition = '';
    if (context.mode === 'scenario' && turn.state.phaseIndex > before) {
      const next = context.scenario.phases[turn.state.phaseIndex];
      transition = next ? next.languages[context.language]!.tutorLines.opening : TUTOR_LINES[context.language].closing;
      const joined = `\n\n${transition}`;
      yield { type: 'token', text: joined };
      reply += joined;
    }
    yield { type: 'turn', turn: { ...turn, engine: 'llm', reply: reply.trim() } };
  }

  /** 2–3 things the learner could say next, at their level, with glosses in their language. */
  async hint(context: TutorContext, caller: CallerContext): Promise<{ text: string; gloss: string }[]> {
    const answer = await this.gateway.complete({
      userId: caller.userId,
      purpose: 'hint',
      requestId: caller.requestId,
      language: context.language,
      system:
        `${rolePlayPrompt(context)}\n\nNow step out of the role. Suggest 2 or 3 short replies the LEARNER could say ` +
        `next, in ${LANGUAGE_NAMES[context.language]} at CEFR ${context.level}, each with a gloss in ` +
        `${LANGUAGE_NAMES[context.nativeLanguage]}. Answer JSON only.`,
      messages: [...chatHistory(context), { role: 'user', content: '(What could I say now?)' }],
      maxTokens: 300,
      temperature: 0.5,
      output: { name: 'hint', schema: HintOutput },
    });
    return answer.data!.suggestions;
  }

  private async judge(
    context: TutorContext,
    text: string,
    caller: CallerContext,
    signal: AbortSignal,
  ): Promise<z.infer<typeof FeedbackOutput>> {
    const answer = await this.gateway.complete(
      {
        userId: caller.userId,
        purpose: 'correction',
        requestId: caller.requestId,
        language: context.language,
        system: feedbackPrompt(context),
        messages: [{ role: 'user', content: text }],
        maxTokens: FEEDBACK_MAX_TOKENS,
        temperature: 0,
        output: { name: 'feedback', schema: FeedbackOutput },
      },
      signal,
    );
    return answer.data!;
  }
}

/** The conversation so far as chat messages: the tutor is the assistant, the learner the user. */
function chatHistory(context: TutorContext): ChatMessage[] {
  return (context.history ?? []).map((m) => ({ role: m.role === 'tutor' ? 'assistant' : 'user', content: m.text }));
}

function currentPhase(context: ScenarioContext) {
  const index = Math.min(context.state?.phaseIndex ?? 0, context.scenario.phases.length - 1);
  return context.scenario.phases[index]!;
}

/** The role-play instructions: scenario, phase, both roles, level, persona, and the learner's language. */
export function rolePlayPrompt(context: TutorContext): string {
  const target = LANGUAGE_NAMES[context.language];
  const native = LANGUAGE_NAMES[context.nativeLanguage];
  const lines = [
    `You are a language tutor holding a conversation in ${target} with a learner at CEFR level ${context.level}.`,
    `Always answer in ${target} only, in 1 to 3 short sentences a ${context.level} learner understands, and end ` +
      'with a question or a prompt that keeps the conversation going. Never correct the learner in your reply: ' +
      'corrections are given separately.',
    `The learner's native language is ${native}.`,
  ];
  if (context.persona) lines.push(`Your persona: ${context.persona}.`);
  if (context.mode === 'scenario') {
    const { scenario } = context;
    const phase = currentPhase(context);
    lines.push(
      `Role-play "${scenario.title}". You play ${scenario.tutorRole}; the learner plays ${scenario.learnerRole}. ` +
        'Stay in character.',
      `Current phase: ${phase.name} — ${phase.goal}. Steer the learner towards: ` +
        phase.objectives.map((o) => o.description).join('; ') +
        '.',
    );
  } else {
    lines.push('This is a free conversation: be a friendly conversation partner and ask about the learner’s life.');
  }
  return lines.join('\n');
}

function feedbackPrompt(context: TutorContext): string {
  const native = LANGUAGE_NAMES[context.nativeLanguage];
  const lines = [
    `You check one message a ${context.level} learner wrote in ${LANGUAGE_NAMES[context.language]}.`,
    'List its mistakes as corrections: `original` (the learner’s words), `corrected`, `type` (spelling, grammar, ' +
      `vocabulary or word_choice) and a one-sentence \`explanation\` written in ${native}. No mistakes: an empty list.`,
  ];
  if (context.mode === 'scenario') {
    const phase = currentPhase(context);
    lines.push(
      'Also list in `objectivesMet` the ids of these objectives the message achieves: ' +
        phase.objectives.map((o) => `${o.id} (${o.description})`).join('; ') +
        '.',
    );
  } else {
    lines.push('Leave `objectivesMet` empty.');
  }
  lines.push('Answer with JSON only.');
  return lines.join('\n');
}

/**
 * Adds the model's judgement to the offline analysis: its corrections (after the spelling ones, skipping words
 * already corrected) and the objectives it saw met — only ids of the phase's objectives count — which may
 * complete the phase.
 */
function mergeJudgement(
  context: TutorContext,
  base: TutorTurn,
  judged: z.infer<typeof FeedbackOutput> | null,
): TutorTurn {
  if (!judged || !base.feedback) return base;
  const seen = new Set(base.feedback.corrections.map((c) => c.original.toLowerCase()));
  const corrections: Correction[] = [
    ...base.feedback.corrections,
    ...judged.corrections.filter((c) => c.original !== c.corrected && !seen.has(c.original.toLowerCase())),
  ];
  if (context.mode !== 'scenario') return { ...base, feedback: { ...base.feedback, corrections } };

  const state = structuredClone(base.state);
  const index = Math.min(context.state?.phaseIndex ?? 0, context.scenario.phases.length - 1);
  const phase = context.scenario.phases[index]!;
  const phaseState = state.phases[index]!;
  const valid = phase.objectives.map((o) => o.id);
  const added = judged.objectivesMet.filter((id) => valid.includes(id));
  const met = valid.filter((id) => phaseState.objectivesMet.includes(id) || added.includes(id));
  phaseState.objectivesMet = met;
  if (
    !phaseState.completed &&
    met.length >= phase.successCriteria.objectivesRequired &&
    phaseState.vocabularyUsed.length >= phase.successCriteria.vocabularyRequired
  ) {
    phaseState.completed = true;
    state.phaseIndex = index + 1;
    state.completed = state.phaseIndex === context.scenario.phases.length;
  }
  const objectivesMet = valid.filter((id) => base.feedback!.objectivesMet.includes(id) || added.includes(id));
  return {
    ...base,
    feedback: { ...base.feedback, corrections, objectivesMet },
    progress: scenarioProgress(context.scenario, state),
    state,
  };
}
