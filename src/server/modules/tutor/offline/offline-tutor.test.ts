import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioPhase } from '../../../../shared/scenarios.js';
import { ValidationError } from '../../../http/errors.js';
import { parseFreeTopics, type FreeTopic } from './free-topics.js';
import { lastQuestion, OfflineTutor, scenarioProgress } from './offline-tutor.js';
import { SpellingService, type SpellChecker } from './spelling.js';
import type { ConversationState, FreeContext, ScenarioContext, TutorScenario, TutorTurn } from './tutor-engine.js';
import { opensWithAcknowledgement } from './tutor-lines.js';

type PhaseSpec = {
  id: string;
  objectives: Record<string, string[]>;
  objectivesRequired: number;
  vocabularyRequired: number;
  vocabulary: string[];
  phrases: string[];
  opening: string;
  followUps: string[];
};

function buildPhase(spec: PhaseSpec): ScenarioPhase {
  return {
    id: spec.id,
    name: spec.id.replace('-', ' '),
    goal: `Goal of ${spec.id}`,
    objectives: Object.keys(spec.objectives).map((id) => ({ id, description: id })),
    successCriteria: {
      description: 'd',
      objectivesRequired: spec.objectivesRequired,
      vocabularyRequired: spec.vocabularyRequired,
    },
    languages: {
      es: {
        vocabulary: spec.vocabulary.map((term) => ({ term, gloss: term })),
        phrases: spec.phrases.map((text) => ({ text, gloss: text })),
        tutorLines: { opening: spec.opening, followUps: spec.followUps },
        objectivePatterns: spec.objectives,
        culturalNote: 'A note.',
      },
    },
  };
}

/** A small two-phase Spanish restaurant scenario; `overrides` replace top-level fields. */
function buildScenario(overrides: Partial<TutorScenario> = {}): TutorScenario {
  return {
    id: 'test-restaurant',
    title: 'Dinner',
    tutorRole: 'Waiter',
    learnerRole: 'Guest',
    phases: [
      buildPhase({
        id: 'arrival',
        objectives: { greet: ['hola', 'buenas noches'], 'party-size': ['para * personas', 'mesa para', 'somos *'] },
        objectivesRequired: 2,
        vocabularyRequired: 1,
        vocabulary: ['la mesa', 'la reserva'],
        phrases: ['¡Buenas noches!', 'Una mesa para dos, por favor.', 'Tenemos una reserva.'],
        opening: '¡Buenas noches! ¿Tienen reserva?',
        followUps: ['Hoy hay mucha gente.', '¿Para cuántas personas?', 'Muy bien. ¿Dentro o fuera?'],
      }),
      buildPhase({
        id: 'the-bill',
        objectives: { 'ask-bill': ['la cuenta'], pay: ['con tarjeta', 'en efectivo', 'pagar'] },
        objectivesRequired: 2,
        vocabularyRequired: 1,
        vocabulary: ['la cuenta', 'la tarjeta', 'pagar'],
        phrases: ['La cuenta, por favor.', '¿Puedo pagar con tarjeta?'],
        opening: 'Muy bien. ¿Algo más?',
        followUps: ['¿Les traigo la cuenta?', '¿Cómo van a pagar?', 'Aquí tienen.'],
      }),
    ],
    ...overrides,
  };
}

function scenarioContext(scenario = buildScenario(), state?: ConversationState): ScenarioContext {
  return { mode: 'scenario', scenario, language: 'es', nativeLanguage: 'en', level: 'A1', state };
}

/** Says each message in turn, each reply's state feeding the next. */
async function converse(tutor: OfflineTutor, context: ScenarioContext, messages: string[]): Promise<TutorTurn[]> {
  const turns: TutorTurn[] = [];
  let state = context.state ?? (await tutor.open(context)).state;
  for (const message of messages) {
    const turn = await tutor.reply({ ...context, state }, message);
    turns.push(turn);
    state = turn.state;
  }
  return turns;
}

describe('OfflineTutor in a scenario', () => {
  const tutor = new OfflineTutor();

  it('opens with the first phase’s opening line and empty progress', async () => {
    const turn = await tutor.open(scenarioContext());
    expect(turn).toEqual({
      engine: 'offline',
      reply: '¡Buenas noches! ¿Tienen reserva?',
      feedback: null,
      progress: {
        phaseIndex: 0,
        completed: false,
        phases: [
          {
            id: 'arrival',
            name: 'arrival',
            objectivesMet: [],
            objectivesRequired: 2,
            vocabularyUsed: [],
            vocabularyRequired: 1,
            phrasesUsed: [],
            completed: false,
          },
          expect.objectContaining({ id: 'the-bill', completed: false }),
        ],
      },
      state: { turn: 0, phaseIndex: 0, phases: [expect.any(Object), expect.any(Object)], completed: false },
    });
  });

  it('plays the whole scenario: follow-ups about unmet objectives, then the next phase, then a closing line', async () => {
    const turns = await converse(tutor, scenarioContext(), [
      '¡Hola!',
      'Somos dos.',
      'Una mesa, por favor.',
      'La cuenta.',
      'Con tarjeta.',
    ]);
    expect(turns.map((t) => t.reply)).toEqual([
      'Perfecto. ¿Para cuántas personas?', // about party-size, the unmet objective (not "Hoy hay mucha gente.")
      'De acuerdo. Intente usar la palabra «la mesa».', // objectives met, a word still missing
      'Muy bien. ¿Algo más?', // phase 2 opens (its line already acknowledges)
      'Muy bien. ¿Cómo van a pagar?', // skips "¿Les traigo la cuenta?": the bill was asked for
      '¡Muchas gracias! ¡Hasta pronto!',
    ]);
    expect(turns[0]!.feedback).toEqual({
      corrections: [],
      objectivesMet: ['greet'],
      vocabularyUsed: [],
      phrasesUsed: [],
    });
    expect(turns[2]!.progress!.phases[0]).toMatchObject({
      objectivesMet: ['greet', 'party-size'],
      vocabularyUsed: ['la mesa'],
      completed: true,
    });
    expect(turns[2]!.progress!.phaseIndex).toBe(1);
    const last = turns[4]!;
    expect(last.progress).toMatchObject({ phaseIndex: 2, completed: true });
    expect(last.progress!.phases[1]).toMatchObject({
      objectivesMet: ['ask-bill', 'pay'],
      vocabularyUsed: ['la cuenta', 'la tarjeta'],
      completed: true,
    });
    expect(last.state.turn).toBe(5);

    const after = await tutor.reply(scenarioContext(undefined, last.state), 'Adiós');
    expect(after.reply).toBe('¡Muchas gracias! ¡Hasta pronto!');
    expect(after.feedback).toMatchObject({ objectivesMet: [], vocabularyUsed: [], phrasesUsed: [] });
  });

  it('moves on at once when one message meets the whole phase', async () => {
    const [turn] = await converse(tutor, scenarioContext(), ['Buenas noches, una mesa para dos, por favor.']);
    expect(turn!.reply).toBe('Muy bien. ¿Algo más?');
    expect(turn!.feedback!.phrasesUsed).toEqual(['¡Buenas noches!', 'Una mesa para dos, por favor.']);
  });

  it('nudges an off-topic message: the question again and a phrase for an unmet objective, a new one each time', async () => {
    const turns = await converse(tutor, scenarioContext(), ['Me gusta el fútbol.', 'Mmm', '']);
    expect(turns.map((t) => t.reply)).toEqual([
      'Perdone, no le he entendido bien. ¿Tienen reserva? Puede decir, por ejemplo: «¡Buenas noches!»',
      'Perdone, no le he entendido bien. ¿Tienen reserva? Puede decir, por ejemplo: «Una mesa para dos, por favor.»',
      'Perdone, no le he entendido bien. ¿Tienen reserva? Puede decir, por ejemplo: «¡Buenas noches!»',
    ]);
    expect(turns[2]!.state.phases[0]).toMatchObject({ nudges: 3, followUpsSaid: [] });
    expect(turns[2]!.feedback).toEqual({ corrections: [], objectivesMet: [], vocabularyUsed: [], phrasesUsed: [] });
  });

  it('repeats the last question the tutor asked, not an earlier one', async () => {
    const turns = await converse(tutor, scenarioContext(), ['Hola', '🙂 ¿?']);
    expect(turns[1]!.reply).toBe(
      'Perdone, no le he entendido bien. ¿Para cuántas personas? Puede decir, por ejemplo: «Una mesa para dos, por favor.»',
    );
  });

  it('suggests a phrase when every follow-up has been said', async () => {
    const turns = await converse(tutor, scenarioContext(), ['Hola', 'Hola', 'Hola', 'Hola']);
    expect(turns.map((t) => t.reply)).toEqual([
      'Perfecto. ¿Para cuántas personas?',
      'De acuerdo. Hoy hay mucha gente.', // about no objective
      'Muy bien. ¿Dentro o fuera?',
      'Muy bien. Puede decir, por ejemplo: «Una mesa para dos, por favor.»',
    ]);
    expect(turns[3]!.state.phases[0]!.followUpsSaid).toEqual([1, 0, 2]);
  });

  it('says a follow-up about a met objective only when nothing else is left', async () => {
    const scenario = buildScenario();
    scenario.phases[0]!.languages.es!.tutorLines.followUps = ['¿Para cuántas personas?', 'Hola de nuevo, ¿qué desean?'];
    const turns = await converse(tutor, scenarioContext(scenario), ['Somos dos', 'Somos dos']);
    expect(turns.map((t) => t.reply)).toEqual([
      'Perfecto. Hola de nuevo, ¿qué desean?', // about the greeting, still unmet
      'De acuerdo. ¿Para cuántas personas?', // about party size, met: said only because nothing else is left
    ]);
  });

  it('takes its choices from an injected function, falling back to the first option when it misbehaves', async () => {
    const choosing = new OfflineTutor({ choose: (count) => count - 1 });
    const [turn] = await converse(choosing, scenarioContext(), ['Hola']);
    expect(turn!.reply).toBe('Estupendo. ¿Para cuántas personas?');
    const wild = new OfflineTutor({ choose: () => 99 });
    const [wildTurn] = await converse(wild, scenarioContext(), ['Hola']);
    expect(wildTurn!.reply).toBe('Muy bien. ¿Para cuántas personas?');
  });

  it('shows progress for a state without phase entries', () => {
    const progress = scenarioProgress(buildScenario(), { turn: 0, phaseIndex: 0, phases: [], completed: false });
    expect(progress.phases.map((p) => p.completed)).toEqual([false, false]);
  });

  it('refuses a language the scenario lacks', async () => {
    await expect(tutor.open({ ...scenarioContext(), language: 'fr' })).rejects.toThrow(ValidationError);
    const state = (await tutor.open(scenarioContext())).state;
    await expect(
      tutor.reply({ ...scenarioContext(undefined, state), language: 'fr' }, 'Bonjour'),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'language', message: 'the scenario has no fr version' }],
    });
  });

  it('fits a state saved with another version of the scenario', async () => {
    const old: ConversationState = { turn: 3, phaseIndex: 7, phases: [], completed: false };
    const turn = await tutor.reply(scenarioContext(undefined, old), 'Hola');
    expect(turn.state).toMatchObject({ turn: 4, phaseIndex: 2, completed: true });
    expect(turn.state.phases).toHaveLength(2);
  });

  it('answers a very long message without trouble', async () => {
    const [turn] = await converse(tutor, scenarioContext(), [`${'bla '.repeat(5000)} hola`]);
    expect(turn!.reply).toMatch(/^Perdone/u); // "hola" lies past the part that is read
  });

  it('keeps talking when the spelling checker fails', async () => {
    const broken: SpellChecker = { check: () => Promise.reject(new Error('worker gone')) };
    const [turn] = await converse(new OfflineTutor({ spelling: broken }), scenarioContext(), ['Hola']);
    expect(turn!.feedback!.corrections).toEqual([]);
    expect(turn!.reply).toBe('Perfecto. ¿Para cuántas personas?');
  });

  describe('with spelling', () => {
    const spelling = new SpellingService();
    afterAll(() => spelling.close());

    it('corrects misspellings towards the scenario’s words, explained in the native language', async () => {
      const withSpelling = new OfflineTutor({ spelling });
      const context = { ...scenarioContext(), nativeLanguage: 'fr' as const };
      const [turn] = await converse(withSpelling, context, [
        'Buenas noches, una mesa para dos, por fabor. Una reserba.',
      ]);
      expect(turn!.feedback!.corrections).toEqual([
        {
          original: 'fabor',
          corrected: 'favor',
          type: 'spelling',
          explanation: '« fabor » est mal orthographié : on écrit « favor ».',
        },
        expect.objectContaining({ original: 'reserba', corrected: 'reserva' }),
      ]);
      // The typos do not stop the tutor from understanding.
      expect(turn!.feedback!.objectivesMet).toEqual(['greet', 'party-size']);
      expect(turn!.feedback!.vocabularyUsed).toEqual(['la mesa', 'la reserva']);
    });
  });
});

describe('tutor lines', () => {
  it('finds the question a line ends with', () => {
    expect(lastQuestion('¡Buenas noches! ¿Tienen reserva?')).toBe('¿Tienen reserva?');
    expect(lastQuestion('Un kilo ? Une livre ?')).toBe('Un kilo ? Une livre ?');
    expect(lastQuestion('Is that all? Here is your change.')).toBe('Is that all?');
    expect(lastQuestion('Aquí tienen.')).toBeNull();
    expect(lastQuestion('')).toBeNull();
  });

  it('knows a line that already opens with an acknowledgement', () => {
    expect(opensWithAcknowledgement('Muy bien. ¿Algo más?')).toBe(true);
    expect(opensWithAcknowledgement('Certo! Quanto ne vuole?')).toBe(true);
    expect(opensWithAcknowledgement('¿Para cuántas personas?')).toBe(false);
    expect(opensWithAcknowledgement('Right, that is all in the bag for you.')).toBe(false);
    expect(opensWithAcknowledgement('No punctuation at all')).toBe(false);
  });
});

function buildTopic(id: string, languages: FreeTopic['languages']): FreeTopic {
  return { id, title: id, languages };
}

describe('OfflineTutor in free mode', () => {
  const tutor = new OfflineTutor();
  const topics = [
    buildTopic('food', { es: { prompt: '¿Qué te gusta comer?', questions: ['¿Cocinas?', '¿Y tu plato favorito?'] } }),
    buildTopic('english-only', { en: { prompt: 'Tell me about your town.', questions: ['Is it big?'] } }),
    buildTopic('travel', { es: { prompt: 'Hablemos de viajes. ¿Adónde fuiste?', questions: ['¿Con quién?'] } }),
  ];
  const context = (state?: ConversationState, topicId?: string): FreeContext => ({
    mode: 'free',
    topics,
    topicId,
    language: 'es',
    nativeLanguage: 'en',
    level: 'A2',
    state,
  });

  it('opens with a topic’s prompt: the one asked for, else the engine’s choice', async () => {
    const chosen = await tutor.open(context(undefined, 'travel'));
    expect(chosen).toMatchObject({ reply: 'Hablemos de viajes. ¿Adónde fuiste?', feedback: null, progress: null });
    expect(chosen.state).toMatchObject({ topicId: 'travel', questionsAsked: 0 });
    expect((await tutor.open(context())).state.topicId).toBe('food');
    const last = new OfflineTutor({ choose: (count) => count - 1 });
    expect((await last.open(context(undefined, 'english-only'))).state.topicId).toBe('travel');
  });

  it('acknowledges and asks the next question, then moves to the next topic', async () => {
    let state = (await tutor.open(context())).state;
    const replies: string[] = [];
    for (const text of ['Me gusta la paella.', 'Sí, mucho.', 'La tortilla.', 'A Roma.']) {
      const turn = await tutor.reply(context(state), text);
      expect(turn.feedback).toEqual({ corrections: [], vocabularyUsed: [], phrasesUsed: [], objectivesMet: [] });
      expect(turn.progress).toBeNull();
      replies.push(turn.reply);
      state = turn.state;
    }
    expect(replies).toEqual([
      'Perfecto. ¿Cocinas?',
      'De acuerdo. ¿Y tu plato favorito?',
      'Estupendo. Hablemos de otra cosa. Hablemos de viajes. ¿Adónde fuiste?',
      'Muy bien. ¿Con quién?',
    ]);
  });

  it('asks for more after an empty message, repeating the current question', async () => {
    const opened = await tutor.open(context());
    const empty = await tutor.reply(context(opened.state), '   ');
    expect(empty.reply).toBe('¿Me cuentas un poco más? ¿Qué te gusta comer?');
    const answered = await tutor.reply(context(empty.state), 'Pizza');
    const emptyAgain = await tutor.reply(context(answered.state), '...');
    expect(emptyAgain.reply).toBe('¿Me cuentas un poco más? ¿Cocinas?');
  });

  it('starts from the first topic when there is no state', async () => {
    const turn = await tutor.reply(context(), 'Hola');
    expect(turn.reply).toBe('Perfecto. ¿Cocinas?');
    expect(turn.state).toMatchObject({ turn: 1, topicId: 'food', questionsAsked: 1 });
  });

  it('refuses a language no topic has', async () => {
    await expect(tutor.open({ ...context(), language: 'it' })).rejects.toThrow(ValidationError);
  });

  it('reads the real free-topics file, and refuses duplicate ids', () => {
    const json: unknown = JSON.parse(
      readFileSync(new URL('../../../../../content/free-topics.json', import.meta.url), 'utf8'),
    );
    const parsed = parseFreeTopics(json);
    expect(parsed.length).toBeGreaterThan(0);
    expect(() => parseFreeTopics({ topics: [parsed[0], parsed[0]] })).toThrow('unique');
    expect(() => parseFreeTopics({ topics: [] })).toThrow();
  });
});
