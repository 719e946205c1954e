import { TARGET_LANGUAGES, type TargetLanguage } from '../../shared/languages.js';
import type { CustomScenarioInput, PhaseLanguage, Scenario, ScenarioPhase } from '../../shared/scenarios.js';

/** Synthetic phase content in one language: every objective matched by one of the phase's phrases. */
export function buildPhaseLanguage(language: TargetLanguage, phase: number, objectiveIds: string[]): PhaseLanguage {
  const w = (n: number) => `${language}word${phase}x${n}`;
  return {
    vocabulary: Array.from({ length: 6 }, (_, n) => ({ term: w(n), gloss: `gloss ${n}`, partOfSpeech: 'noun' })),
    phrases: objectiveIds
      .map((o, n) => ({ text: `${language} say ${o} ${w(n)}`, gloss: `say ${o}` }))
      .concat(
        Array.from({ length: Math.max(0, 3 - objectiveIds.length) }, (_, n) => ({ text: `extra ${n}`, gloss: 'x' })),
      ),
    tutorLines: {
      opening: `${language} opening ${phase}`,
      followUps: [1, 2, 3].map((n) => `${language} follow ${phase}.${n}`),
    },
    objectivePatterns: Object.fromEntries(objectiveIds.map((o) => [o, [`say ${o}`]])),
    culturalNote: `${language} note`,
  };
}

function buildPhase(n: number, languages: readonly TargetLanguage[]): ScenarioPhase {
  const objectiveIds = [`goal-${n}-a`, `goal-${n}-b`];
  return {
    id: `phase-${n}`,
    name: `Phase ${n}`,
    goal: `Do phase ${n}`,
    objectives: objectiveIds.map((id) => ({ id, description: `Do ${id}` })),
    successCriteria: { description: 'Both objectives', objectivesRequired: 2, vocabularyRequired: 0 },
    languages: Object.fromEntries(languages.map((l) => [l, buildPhaseLanguage(l, n, objectiveIds)])),
  };
}

/** A valid built-in scenario (all six languages, three phases). */
export function buildScenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    id: 'test-scenario',
    title: 'Test scenario',
    description: 'A scenario made by the tests.',
    category: 'restaurant',
    difficulty: 'beginner',
    cefr: { min: 'A1', max: 'A2' },
    learnerRole: 'A guest',
    tutorRole: 'A waiter',
    setting: 'A test restaurant',
    estimatedMinutes: 10,
    phases: [1, 2, 3].map((n) => buildPhase(n, TARGET_LANGUAGES)),
    ...overrides,
  };
}

/** A valid custom scenario in the given languages (default Spanish only), two phases. */
export function buildCustomScenario(
  overrides: Partial<CustomScenarioInput> = {},
  languages: readonly TargetLanguage[] = ['es'],
): CustomScenarioInput {
  const { id: _id, ...base } = buildScenario({
    title: 'My own scenario',
    phases: [1, 2].map((n) => buildPhase(n, languages)),
  });
  return { ...base, ...overrides };
}

/** A free-topics file: one topic in every language. */
export function buildFreeTopics() {
  return {
    topics: [
      {
        id: 'food',
        title: 'Food',
        languages: Object.fromEntries(
          TARGET_LANGUAGES.map((l) => [
            l,
            { prompt: `${l} what do you like to eat?`, questions: [1, 2, 3].map((n) => `${l} food question ${n}?`) },
          ]),
        ),
      },
    ],
  };
}
