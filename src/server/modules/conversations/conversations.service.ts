import type { Kysely } from 'kysely';
import type { Card, CreateCardBody } from '../../../shared/cards.js';
import type {
  Conversation,
  ConversationSummary,
  CreateConversationBody,
  Hint,
  Turn,
} from '../../../shared/conversations.js';
import type { NativeLanguage, TargetLanguage } from '../../../shared/languages.js';
import type { CefrLevel, ScenarioView } from '../../../shared/scenarios.js';
import type { Database } from '../../db/database.js';
import { isUniqueViolation } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { ConflictError, DomainError, NotFoundError } from '../../http/errors.js';
import type { Clock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { IdGenerator } from '../../lib/ids.js';
import { AiFailedError, AiUnavailableError, type AiGateway } from '../ai/gateway.js';
import { BudgetExhaustedError } from '../budget/budget.service.js';
import type { CardService } from '../cards/cards.service.js';
import type { LearningSessionService } from '../learning-sessions/learning-sessions.service.js';
import { languagesOf } from '../scenarios/scenarios.presenter.js';
import type { ScenarioService } from '../scenarios/scenarios.service.js';
import type { LlmTutor } from '../tutor/llm-tutor.js';
import type { FreeTopic } from '../tutor/offline/free-topics.js';
import { compileTerm, matches } from '../tutor/offline/matcher.js';
import { type OfflineTutor, scenarioProgress } from '../tutor/offline/offline-tutor.js';
import { fold, tokenize } from '../tutor/offline/text.js';
import { TUTOR_LINES } from '../tutor/offline/tutor-lines.js';
import type { ConversationState, Feedback, TutorContext, TutorTurn } from '../tutor/offline/tutor-engine.js';
import { presentConversation, presentListItem, presentMessage } from './conversations.presenter.js';
import type { ConversationRow, ConversationsRepository, MessageRow } from './conversations.repository.js';

export class ConversationEndedError extends DomainError {
  constructor() {
    super('conversation_ended', 'this conversation has ended; start a new one');
  }
}

export interface ConversationServiceDeps {
  database: Database;
  repo: ConversationsRepository;
  scenarios: ScenarioService;
  learningSessions: LearningSessionService;
  cards: CardService;
  gateway: AiGateway;
  offline: OfflineTutor;
  llm: LlmTutor;
  freeTopics: FreeTopic[];
  clock: Clock;
  ids: IdGenerator;
}

/** The signed-in learner as the conversation needs them. */
export interface Learner {
  id: string;
  nativeLanguage: NativeLanguage;
}

/** What `sendMessage` yields: the reply's text as it comes, then the whole turn. */
export type TurnEvent =
  | { type: 'token'; text: string }
  | { type: 'feedback'; feedback: Feedback }
  | { type: 'progress'; progress: Turn['progress'] }
  | { type: 'done'; turn: Turn };

const SENTENCE = /[^.!?…]+[.!?…]*/gu;

/**
 * Conversations with the tutor: scenario role-play or free talk. Each learner message gets a reply from the
 * LLM tutor when a model can answer, otherwise from the offline tutor (saying why in `notice`); both read and
 * write the same conversation state, so engines can alternate. Ending a scenario conversation records the
 * attempt, turns the vocabulary met into cards and completes the learning session — all in one transaction.
 */
export class ConversationService {
  constructor(private readonly deps: ConversationServiceDeps) {}

  private get db(): Kysely<DB> {
    return this.deps.database.db;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  async create(learner: Learner, body: CreateConversationBody): Promise<Conversation> {
    const { repo, ids, learningSessions } = this.deps;
    const scenario =
      body.mode === 'scenario' ? await this.deps.scenarios.get(learner.id, body.scenarioId!, body.language) : null;
    const context = this.context(
      learner,
      body.language,
      body.level,
      body.persona ?? null,
      scenario,
      body.topic ?? null,
    );
    const opening = await this.deps.offline.open(context);
    const now = this.now();
    const conversationId = ids.id();
    const row = await this.deps.database.writeTransaction(async (trx) => {
      const session = await learningSessions.startIn(trx, learner.id, {
        type: body.mode === 'scenario' ? 'scenario' : 'conversation',
        language: body.language,
        sourceId: scenario?.id ?? conversationId,
        metadata: { conversationId },
      });
      const row: ConversationRow = {
        id: conversationId,
        user_id: learner.id,
        mode: body.mode,
        scenario_id: scenario?.id ?? null,
        scenario_title: scenario?.title ?? null,
        topic: opening.state.topicId ?? body.topic ?? null,
        persona: body.persona ?? null,
        language: body.language,
        level: body.level,
        status: 'active',
        state_json: JSON.stringify(opening.state),
        learning_session_id: session.id,
        message_count: 1,
        started_at: now,
        last_activity_at: now,
        ended_at: null,
        summary_json: null,
      };
      await repo.insert(trx, row);
      await repo.insertMessages(trx, [this.messageRow(conversationId, 0, 'tutor', opening.reply, now, opening.engine)]);
      return row;
    });
    return this.get(learner.id, row.id);
  }

  async get(userId: string, id: string): Promise<Conversation> {
    const row = await this.find(userId, id);
    const scenario = row.scenario_id ? await this.scenarioOf(userId, row).catch(() => null) : null;
    return presentConversation(row, await this.deps.repo.messages(this.db, id), scenario);
  }

  async list(userId: string, query: { limit: number; cursor?: string | undefined }) {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.deps.repo.list(this.db, userId, query.limit + 1, after);
    const page = rows.slice(0, query.limit);
    const [last, scenarios] = await Promise.all([
      this.deps.repo.lastMessages(
        this.db,
        page.map((r) => r.id),
      ),
      this.scenariosOfPage(userId, page),
    ]);
    const tail = page.at(-1);
    return {
      items: page.map((r) => presentListItem(r, last.get(r.id) ?? null, scenarios.get(r.id) ?? null)),
      nextCursor: rows.length > query.limit && tail ? encodeCursor(tail.started_at, tail.id) : null,
    };
  }

  /**
   * Answers one learner message. Yields the reply's text as it is produced, then the feedback, the progress and
   * the whole turn, which is stored only once complete. With an idempotency key, a retried request answers the
   * turn the first one stored.
   */
  async *sendMessage(
    learner: Learner,
    id: string,
    text: string,
    options: { idempotencyKey?: string | undefined; requestId: string; signal: AbortSignal },
  ): AsyncGenerator<TurnEvent> {
    const row = await this.find(learner.id, id);
    if (options.idempotencyKey) {
      const stored = await this.storedTurn(row, options.idempotencyKey);
      if (stored) {
        yield { type: 'token', text: stored.tutorMessage.text };
        yield { type: 'done', turn: stored };
        return;
      }
    }
    if (row.status === 'ended') throw new ConversationEndedError();
    const scenario = await this.scenarioOf(learner.id, row);
    const context = await this.contextOf(learner, row, scenario);

    let turn: TutorTurn | null = null;
    let notice: string | null = null;
    if (this.deps.gateway.configured) {
      let produced = false;
      try {
        for await (const event of this.deps.llm.reply(
          context,
          text,
          { userId: learner.id, requestId: options.requestId },
          options.signal,
        )) {
          if (event.type === 'token') {
            produced = true;
            yield event;
          } else turn = event.turn;
        }
      } catch (err) {
        // Text already reached the learner: say the answer broke off, never re-answer it silently.
        if (produced || options.signal.aborted || !isFallbackCause(err)) throw err;
        notice = fallbackNotice(err);
      }
    }
    if (!turn) {
      turn = await this.deps.offline.reply(context, text);
      for (const word of turn.reply.match(/\S+\s*/gu) ?? []) yield { type: 'token', text: word };
    }

    const stored = await this.storeTurn(learner.id, row, text, turn, options.idempotencyKey ?? null);
    if (stored.replayed) {
      yield { type: 'done', turn: stored.turn };
      return;
    }
    yield { type: 'feedback', feedback: turn.feedback! };
    if (turn.progress) yield { type: 'progress', progress: turn.progress };
    yield { type: 'done', turn: { ...stored.turn, notice } };
  }

  private async storeTurn(
    userId: string,
    before: ConversationRow,
    text: string,
    turn: TutorTurn,
    idempotencyKey: string | null,
  ): Promise<{ turn: Turn; replayed: boolean }> {
    const { repo, learningSessions } = this.deps;
    const now = this.now();
    const learnerRow = this.messageRow(before.id, before.message_count, 'learner', text, now, null);
    learnerRow.feedback_json = JSON.stringify(turn.feedback);
    learnerRow.idempotency_key = idempotencyKey;
    const tutorRow = this.messageRow(before.id, before.message_count + 1, 'tutor', turn.reply, now, turn.engine);
    try {
      await this.deps.database.writeTransaction(async (trx) => {
        const current = await repo.findForUpdate(trx, userId, before.id);
        if (!current) throw new NotFoundError('conversation');
        if (current.status === 'ended') throw new ConversationEndedError();
        if (current.message_count !== before.message_count) {
          throw new ConflictError(
            'conversation_busy',
            'another message was answered meanwhile; reload the conversation',
          );
        }
        await repo.insertMessages(trx, [learnerRow, tutorRow]);
        const learnerMessages = (current.message_count + 1) / 2;
        const sessionId = await learningSessions.touchIn(trx, userId, current.learning_session_id, {
          metadata: { conversationId: current.id, learnerMessages },
        });
        await repo.update(trx, {
          ...current,
          state_json: JSON.stringify(turn.state),
          message_count: current.message_count + 2,
          last_activity_at: now,
          learning_session_id: sessionId,
        });
      });
    } catch (err) {
      // The same request twice at once: the other copy stored the turn, so answer that one.
      if (idempotencyKey && isUniqueViolation(err)) {
        const stored = await this.storedTurn(before, idempotencyKey);
        if (stored) return { turn: stored, replayed: true };
      }
      throw err;
    }
    return {
      turn: {
        learnerMessage: presentMessage(learnerRow),
        tutorMessage: presentMessage(tutorRow),
        feedback: turn.feedback!,
        progress: turn.progress,
        notice: null,
      },
      replayed: false,
    };
  }

  private async storedTurn(row: ConversationRow, key: string): Promise<Turn | null> {
    const [learner, tutor] = await this.deps.repo.turnByKey(this.db, row.id, key);
    if (!learner || !tutor) return null;
    const state = JSON.parse(row.state_json) as ConversationState;
    const scenario = row.scenario_id ? await this.scenarioOf(row.user_id, row).catch(() => null) : null;
    return {
      learnerMessage: presentMessage(learner),
      tutorMessage: presentMessage(tutor),
      feedback: JSON.parse(learner.feedback_json!) as Feedback,
      progress: scenario ? scenarioProgress(scenario, state) : null,
      notice: null,
    };
  }

  /** 2–3 replies the learner could give now: from the model when one answers, else from the scenario. */
  async hint(learner: Learner, id: string, requestId: string): Promise<Hint> {
    const row = await this.find(learner.id, id);
    if (row.status === 'ended') throw new ConversationEndedError();
    const scenario = await this.scenarioOf(learner.id, row);
    const context = await this.contextOf(learner, row, scenario);
    if (this.deps.gateway.configured) {
      try {
        return { suggestions: await this.deps.llm.hint(context, { userId: learner.id, requestId }), engine: 'llm' };
      } catch (err) {
        if (!isFallbackCause(err)) throw err;
      }
    }
    return { suggestions: offlineHint(scenario, row.language as TargetLanguage, context.state!), engine: 'offline' };
  }

  /**
   * Ends the conversation (a second call answers the same summary). In one transaction: for a scenario, the
   * attempt, the cards for the vocabulary met (with the sentence it was met in) and the `scenario` session
   * completed with itemsStudied = vocabulary + objectives; for free talk, the `conversation` session completed.
   */
  async end(userId: string, id: string): Promise<Conversation> {
    const { repo, learningSessions, cards, scenarios } = this.deps;
    const row = await this.find(userId, id);
    if (row.status === 'ended') return this.get(userId, id);
    const scenario = await this.scenarioOf(userId, row);
    const messages = await repo.messages(this.db, id);
    const state = JSON.parse(row.state_json) as ConversationState;
    const language = row.language as TargetLanguage;
    const now = this.now();
    const durationSeconds = Math.floor((Date.parse(now) - Date.parse(row.started_at)) / 1000);
    const learnerMessages = messages.filter((m) => m.role === 'learner');
    const feedbacks = learnerMessages.map((m) => JSON.parse(m.feedback_json!) as Feedback);
    const correctionCount = feedbacks.reduce((n, f) => n + f.corrections.length, 0);

    await this.deps.database.writeTransaction(async (trx) => {
      const current = await repo.findForUpdate(trx, userId, id);
      if (!current || current.status === 'ended') return;
      let summary: ConversationSummary;
      if (scenario) {
        const phases = scenario.phases;
        const vocabulary = phases.flatMap((p) => p.languages[language]!.vocabulary);
        const objectivesTotal = phases.reduce((n, p) => n + p.objectives.length, 0);
        const used = new Set(state.phases.flatMap((p) => p.vocabularyUsed));
        const objectivesMet = state.phases.flatMap((p) => p.objectivesMet);
        const vocabularyUsed = vocabulary.map((v) => v.term).filter((term) => used.has(term));
        const met = vocabularyMet(language, vocabulary, messages);
        const added =
          met.length > 0
            ? await cards.addManyIn(
                trx,
                userId,
                met.map(({ item, sentence }): CreateCardBody => ({
                  language,
                  term: item.term,
                  translation: item.gloss,
                  partOfSpeech: item.partOfSpeech ?? null,
                  contextSentence: sentence,
                  source: 'scenario',
                  sourceId: scenario.id,
                  tags: ['scenario', scenario.id],
                })),
              )
            : { created: [], existing: [] };
        const phasesCompleted = state.phases.filter((p) => p.completed).length;
        await scenarios.recordAttempt(trx, {
          id: this.deps.ids.id(),
          user_id: userId,
          scenario_id: scenario.id,
          conversation_id: id,
          language,
          level: current.level,
          phases_completed: phasesCompleted,
          phases_total: phases.length,
          vocabulary_used_json: JSON.stringify(vocabularyUsed),
          objectives_met_json: JSON.stringify(objectivesMet),
          objectives_total: objectivesTotal,
          success_rate: objectivesTotal === 0 ? 0 : objectivesMet.length / objectivesTotal,
          duration_seconds: durationSeconds,
          started_at: current.started_at,
          completed_at: now,
        });
        const itemsStudied = vocabulary.length + objectivesTotal;
        const itemsCorrect = vocabularyUsed.length + objectivesMet.length;
        await learningSessions.completeIn(trx, userId, current.learning_session_id, {
          itemsStudied,
          itemsCorrect,
          itemsIncorrect: itemsStudied - itemsCorrect,
          metadata: { conversationId: id, scenarioId: scenario.id, phasesCompleted, phasesTotal: phases.length },
        });
        summary = {
          phasesCompleted,
          phasesTotal: phases.length,
          objectivesMet: objectivesMet.length,
          objectivesTotal,
          vocabularyUsed,
          corrections: correctionCount,
          learnerMessages: learnerMessages.length,
          durationSeconds,
          cards: [
            ...added.created.map((c: Card) => ({ id: c.id, term: c.term, translation: c.translation, created: true })),
            ...added.existing.map((c: Card) => ({
              id: c.id,
              term: c.term,
              translation: c.translation,
              created: false,
            })),
          ],
        };
      } else {
        const withoutCorrections = feedbacks.filter((f) => f.corrections.length === 0).length;
        await learningSessions.completeIn(trx, userId, current.learning_session_id, {
          itemsStudied: learnerMessages.length,
          itemsCorrect: withoutCorrections,
          itemsIncorrect: learnerMessages.length - withoutCorrections,
          metadata: { conversationId: id, topic: current.topic },
        });
        summary = {
          phasesCompleted: 0,
          phasesTotal: 0,
          objectivesMet: 0,
          objectivesTotal: 0,
          vocabularyUsed: [],
          corrections: correctionCount,
          learnerMessages: learnerMessages.length,
          durationSeconds,
          cards: [],
        };
      }
      await repo.update(trx, {
        ...current,
        status: 'ended',
        ended_at: now,
        last_activity_at: now,
        summary_json: JSON.stringify(summary),
      });
    });
    return this.get(userId, id);
  }

  /** Adds a word or correction from the conversation to the flashcards, with its message as the context. */
  async addToCards(
    userId: string,
    id: string,
    body: { term: string; translation?: string | undefined; messageId: string },
  ): Promise<{ card: Card; created: boolean }> {
    const row = await this.find(userId, id);
    const message = await this.deps.repo.findMessage(this.db, id, body.messageId);
    if (!message) throw new NotFoundError('message');
    return this.deps.cards.create(userId, {
      language: row.language as TargetLanguage,
      term: body.term,
      translation: body.translation ?? '',
      contextSentence: sentenceWith(row.language as TargetLanguage, message.text, body.term),
      source: 'conversation',
      sourceId: id,
    });
  }

  private async find(userId: string, id: string): Promise<ConversationRow> {
    const row = await this.deps.repo.find(this.db, userId, id);
    if (!row) throw new NotFoundError('conversation');
    return row;
  }

  /**
   * The scenario of each scenario conversation of a page of the list, by conversation id, for its progress:
   * built-in ones from the catalogue, the custom ones in one query. As for a single conversation (`get`), a
   * scenario the learner can no longer see, or that lost the conversation's language, is left out, and its
   * conversations show no progress.
   */
  private async scenariosOfPage(userId: string, rows: ConversationRow[]): Promise<Map<string, ScenarioView>> {
    const byId = await this.deps.scenarios.getMany(
      userId,
      rows.flatMap((r) => r.scenario_id ?? []),
    );
    const result = new Map<string, ScenarioView>();
    for (const row of rows) {
      const scenario = row.scenario_id === null ? undefined : byId.get(row.scenario_id);
      if (scenario && languagesOf(scenario).includes(row.language as TargetLanguage)) result.set(row.id, scenario);
    }
    return result;
  }

  private async scenarioOf(userId: string, row: ConversationRow): Promise<ScenarioView | null> {
    return row.scenario_id ? this.deps.scenarios.get(userId, row.scenario_id, row.language as TargetLanguage) : null;
  }

  /** The tutor's view of a stored conversation: its state and whole history. */
  private async contextOf(
    learner: Learner,
    row: ConversationRow,
    scenario: ScenarioView | null,
  ): Promise<TutorContext> {
    return this.context(
      learner,
      row.language as TargetLanguage,
      row.level as CefrLevel,
      row.persona,
      scenario,
      row.topic,
      JSON.parse(row.state_json) as ConversationState,
      await this.deps.repo.messages(this.db, row.id),
    );
  }

  private context(
    learner: Learner,
    language: TargetLanguage,
    level: CefrLevel,
    persona: string | null,
    scenario: ScenarioView | null,
    topic: string | null,
    state?: ConversationState,
    history?: MessageRow[],
  ): TutorContext {
    const base = {
      language,
      nativeLanguage: learner.nativeLanguage,
      level,
      ...(persona ? { persona } : {}),
      ...(state ? { state } : {}),
      ...(history ? { history: history.map((m) => ({ role: m.role, text: m.text })) } : {}),
    };
    if (scenario) return { ...base, mode: 'scenario', scenario };
    const known = this.deps.freeTopics.some((t) => t.id === topic);
    return { ...base, mode: 'free', topics: this.deps.freeTopics, ...(topic && known ? { topicId: topic } : {}) };
  }

  private messageRow(
    conversationId: string,
    seq: number,
    role: 'tutor' | 'learner',
    text: string,
    now: string,
    engine: 'offline' | 'llm' | null,
  ): MessageRow {
    return {
      id: this.deps.ids.id(),
      conversation_id: conversationId,
      seq,
      role,
      text,
      engine,
      feedback_json: null,
      idempotency_key: null,
      created_at: now,
    };
  }
}

/** Errors after which the offline tutor answers instead: no model, the budget, every model failed. */
function isFallbackCause(err: unknown): boolean {
  return (
    err instanceof AiUnavailableError ||
    err instanceof BudgetExhaustedError ||
    (err instanceof AiFailedError && !err.interrupted)
  );
}

function fallbackNotice(err: unknown): string {
  if (err instanceof BudgetExhaustedError) return `${err.message} — the offline tutor answered.`;
  if (err instanceof AiUnavailableError) return `${err.message} — the offline tutor answered.`;
  return 'The AI tutor could not answer just now — the offline tutor answered.';
}

/** The sentence of `text` that contains `term` (else the whole text). */
function sentenceWith(language: TargetLanguage, text: string, term: string): string {
  const pattern = compileTerm(language, term);
  const sentences = text.match(SENTENCE)?.map((s) => s.trim()) ?? [];
  const found = pattern ? sentences.find((s) => matches(pattern, tokenize(language, s))) : undefined;
  return (found ?? text).slice(0, 500);
}

/** Each vocabulary item that appears in a message (the learner's or the tutor's), with the first sentence it was in. */
function vocabularyMet(
  language: TargetLanguage,
  vocabulary: { term: string; gloss: string; partOfSpeech?: string | undefined }[],
  messages: MessageRow[],
) {
  const sentences = messages.flatMap((m) => m.text.match(SENTENCE)?.map((s) => s.trim()) ?? []);
  const tokenized = sentences.map((s) => ({ sentence: s, tokens: tokenize(language, s) }));
  const seen = new Set<string>();
  const met: { item: (typeof vocabulary)[number]; sentence: string }[] = [];
  for (const item of vocabulary) {
    const pattern = compileTerm(language, item.term);
    if (!pattern || seen.has(item.term)) continue;
    // A sentence with the very word first; typo-tolerant matching could pick a sentence with a near neighbour.
    const exact = fold(item.term);
    const hit =
      tokenized.find((s) => fold(s.sentence).includes(exact) && matches(pattern, s.tokens)) ??
      tokenized.find((s) => matches(pattern, s.tokens));
    if (hit) {
      seen.add(item.term);
      met.push({ item, sentence: hit.sentence.slice(0, 500) });
    }
  }
  return met;
}

/** Offline hint: essential phrases of the current phase for objectives still unmet (else any), with glosses. */
function offlineHint(
  scenario: ScenarioView | null,
  language: TargetLanguage,
  state: ConversationState,
): { text: string; gloss: string }[] {
  if (!scenario) return [...TUTOR_LINES[language].freeHints];
  const index = Math.min(state.phaseIndex, scenario.phases.length - 1);
  const content = scenario.phases[index]!.languages[language]!;
  const used = new Set(state.phases[index]?.phrasesUsed ?? []);
  const fresh = content.phrases.filter((p) => !used.has(p.text));
  return (fresh.length > 0 ? fresh : content.phrases).slice(0, 3).map((p) => ({ text: p.text, gloss: p.gloss }));
}
