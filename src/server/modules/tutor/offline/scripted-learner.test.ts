import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../../shared/languages.js';
import { BuiltInScenarioSchema, type Scenario } from '../../../../shared/scenarios.js';
import { parseFreeTopics } from './free-topics.js';
import { OfflineTutor } from './offline-tutor.js';
import { SpellingService } from './spelling.js';
import { TUTOR_LINES } from './tutor-lines.js';
import type { ScenarioContext, TutorTurn } from './tutor-engine.js';

// A scripted learner plays the built-in scenarios from content/ with the offline tutor, in every language.

const content = new URL('../../../../../content/', import.meta.url);
const readJson = (path: string): unknown => JSON.parse(readFileSync(new URL(path, content), 'utf8'));
const scenario = (id: string): Scenario => BuiltInScenarioSchema.parse(readJson(`scenarios/${id}.json`));

const beginnerScenarios = readdirSync(new URL('scenarios/', content))
  .filter((f) => f.endsWith('.json'))
  .map((f) => scenario(f.replace(/\.json$/u, '')))
  .filter((s) => s.difficulty === 'beginner');

const spelling = new SpellingService();
afterAll(() => spelling.close());
const tutor = new OfflineTutor({ spelling });

/**
 * Says the current phase's essential phrases one by one until the tutor moves on, for every phase; returns every
 * turn. Fails when a phase's phrases run out before the phase is done.
 */
async function playThrough(context: ScenarioContext, first: TutorTurn): Promise<TutorTurn[]> {
  const turns: TutorTurn[] = [];
  let state = first.state;
  for (const [index, phase] of context.scenario.phases.entries()) {
    const phrases = phase.languages[context.language]!.phrases.map((p) => p.text);
    for (const phrase of phrases) {
      if (state.phaseIndex !== index) break;
      const turn = await tutor.reply({ ...context, state }, phrase);
      expect(turn.feedback!.corrections, phrase).toEqual([]);
      turns.push(turn);
      state = turn.state;
    }
    expect(state.phaseIndex, `${context.scenario.id} ${context.language}: phase ${phase.id} not done`).toBe(index + 1);
  }
  return turns;
}

describe('a scripted learner completes the beginner restaurant scenario', () => {
  const restaurant = scenario('restaurant-ordering-dinner');

  it.each(TARGET_LANGUAGES)('in %s, after an off-topic remark is nudged', async (language) => {
    const context: ScenarioContext = {
      mode: 'scenario',
      scenario: restaurant,
      language,
      nativeLanguage: 'en',
      level: 'A1',
    };
    const opening = await tutor.open(context);
    expect(opening.reply).toBe(restaurant.phases[0]!.languages[language]!.tutorLines.opening);

    const offTopic = await tutor.reply({ ...context, state: opening.state }, '12345 ?!');
    expect(offTopic.reply.startsWith(TUTOR_LINES[language].notUnderstood)).toBe(true);
    const suggested = restaurant.phases[0]!.languages[language]!.phrases.map((p) => p.text);
    expect(suggested.some((phrase) => offTopic.reply.includes(phrase))).toBe(true);
    expect(offTopic.state.phaseIndex).toBe(0);

    const turns = await playThrough(context, offTopic);
    const last = turns[turns.length - 1]!;
    expect(last.reply).toBe(TUTOR_LINES[language].closing);
    expect(last.progress!.completed).toBe(true);
    for (const [i, phase] of last.progress!.phases.entries()) {
      expect(phase.completed).toBe(true);
      expect(phase.objectivesMet.length).toBeGreaterThanOrEqual(
        restaurant.phases[i]!.successCriteria.objectivesRequired,
      );
      expect(phase.vocabularyUsed.length).toBeGreaterThanOrEqual(
        restaurant.phases[i]!.successCriteria.vocabularyRequired,
      );
    }
  });
});

describe('a scripted learner completes every beginner scenario', () => {
  const cases = beginnerScenarios.flatMap((s) => TARGET_LANGUAGES.map((language) => [s.id, language, s] as const));

  it.each(cases)('%s in %s', async (_id, language: TargetLanguage, s) => {
    const context: ScenarioContext = { mode: 'scenario', scenario: s, language, nativeLanguage: 'es', level: 'A1' };
    const turns = await playThrough(context, await tutor.open(context));
    expect(turns[turns.length - 1]!.state.completed).toBe(true);
  });
});

describe('misspellings in a scenario get corrections', () => {
  it.each<[TargetLanguage, string, string, string]>([
    ['es', 'Una mesa para dos, por fabor.', 'fabor', 'favor'],
    ['en', 'A tabel for two, please.', 'tabel', 'table'],
  ])('in %s', async (language, message, original, corrected) => {
    const restaurant = scenario('restaurant-ordering-dinner');
    const context: ScenarioContext = {
      mode: 'scenario',
      scenario: restaurant,
      language,
      nativeLanguage: 'de',
      level: 'A1',
    };
    const turn = await tutor.reply({ ...context, state: (await tutor.open(context)).state }, message);
    expect(turn.feedback!.corrections).toEqual([expect.objectContaining({ original, corrected, type: 'spelling' })]);
    expect(turn.feedback!.corrections[0]!.explanation).toContain('„');
    expect(turn.feedback!.objectivesMet).toContain('party-size');
  });
});

describe('free conversation from content/free-topics.json', () => {
  const topics = parseFreeTopics(readJson('free-topics.json'));

  it.each(TARGET_LANGUAGES)('in %s: a prompt, then questions', async (language) => {
    const context = { mode: 'free' as const, topics, language, nativeLanguage: 'en' as const, level: 'A2' as const };
    let turn = await tutor.open(context);
    const topic = topics.find((t) => t.id === turn.state.topicId)!.languages[language]!;
    expect(turn.reply).toBe(topic.prompt);
    for (const question of topic.questions) {
      // Numbers are never spell-checked: this test needs no dictionary.
      turn = await tutor.reply({ ...context, state: turn.state }, '42');
      expect(turn.reply.endsWith(question)).toBe(true);
    }
    turn = await tutor.reply({ ...context, state: turn.state }, '7');
    expect(turn.reply).toContain(TUTOR_LINES[language].newTopic);
    expect(turn.state.topicId).not.toBe(topics[0]!.id);
  });
});

describe('the spelling service', () => {
  it('loaded only what these conversations needed (French loads in spelling.test.ts alone)', async () => {
    const stats = await spelling.stats();
    expect(stats.loaded.map((l) => l.language).sort()).toEqual(['en', 'es']);
  });
});
