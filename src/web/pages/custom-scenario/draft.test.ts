import { describe, expect, it } from 'vitest';
import {
  describePath,
  draftFrom,
  emptyDraft,
  emptyObjective,
  fieldId,
  humanise,
  patchRow,
  removeRow,
  scenarioPath,
  toInput,
} from './draft.js';

const SCENARIO = {
  id: 'custom-1',
  title: 'At the bakery',
  description: 'Buy bread.',
  category: 'shopping',
  difficulty: 'beginner',
  cefr: { min: 'A1', max: 'A2' },
  learnerRole: 'A customer',
  tutorRole: 'The baker',
  setting: 'A bakery in the morning',
  estimatedMinutes: 8,
  phases: [
    {
      id: 'greet',
      name: 'Greeting',
      goal: 'Say hello',
      objectives: [{ id: 'hello', description: 'Greet the baker' }],
      successCriteria: { description: 'Greet', objectivesRequired: 1, vocabularyRequired: 0 },
      languages: {
        es: {
          vocabulary: [{ term: 'el pan', gloss: 'bread', partOfSpeech: 'noun' }],
          phrases: [{ text: 'Buenos días.', gloss: 'Good morning.' }],
          tutorLines: { opening: '¡Buenos días!', followUps: ['¿Qué le pongo?'] },
          objectivePatterns: { hello: ['hola', 'buenos dias'] },
          culturalNote: 'Say hello first.',
        },
      },
    },
  ],
};

describe('draftFrom and toInput', () => {
  it('give back the scenario they were made from (without its id)', () => {
    const draft = draftFrom(SCENARIO, 'public');
    expect(draft.languages).toEqual(['es']);
    expect(draft.visibility).toBe('public');
    expect(draft.phases[0]!.languages.es!.patterns[draft.phases[0]!.objectives[0]!.key]).toBe('hola\nbuenos dias');
    const { id: _id, ...rest } = SCENARIO;
    expect(toInput(draft)).toEqual(rest);
  });

  it('make empty boxes of what a file lacks or has of the wrong type', () => {
    const draft = draftFrom({ title: 42, phases: [{ languages: { xx: {}, fr: { vocabulary: 'no' } } }] });
    expect(draft.title).toBe('42');
    expect(draft.category).toBe('daily_life');
    expect(draft.languages).toEqual(['fr']);
    expect(draft.phases[0]!.id).toBe('phase-1');
    expect(draft.phases[0]!.languages.fr!.vocabulary).toEqual([]);
    expect(draftFrom(null).phases).toEqual([]);
  });

  it('send numbers as numbers, other text as typed, and only the languages ticked', () => {
    const draft = emptyDraft();
    draft.estimatedMinutes = 'ten';
    draft.phases[0]!.objectivesRequired = ' 2 ';
    draft.phases[0]!.languages.fr = draft.phases[0]!.languages.es;
    const input = toInput(draft);
    expect(input.estimatedMinutes).toBe('ten');
    expect(input.phases[0]!.successCriteria.objectivesRequired).toBe(2);
    expect(Object.keys(input.phases[0]!.languages)).toEqual(['es']);
    expect(input.phases[0]!.languages.es!.vocabulary).toHaveLength(3);
    expect(input.phases[0]!.languages.es!.objectivePatterns).toEqual({ 'objective-1': [] });
  });
});

describe('list rows', () => {
  const rows = [
    { key: 'a', text: 'one', gloss: '1' },
    { key: 'b', text: 'two', gloss: '2' },
  ];

  it('change one row by its key and leave the others (and the list given) as they were', () => {
    const changed = patchRow(rows, 'b', { gloss: 'II' });
    expect(changed).toEqual([rows[0], { key: 'b', text: 'two', gloss: 'II' }]);
    expect(changed[0]).toBe(rows[0]);
    expect(rows[1]!.gloss).toBe('2');
    expect(patchRow(rows, 'zz', { text: 'x' })).toEqual(rows);
  });

  it('remove a row by its key', () => {
    expect(removeRow(rows, 'a')).toEqual([rows[1]]);
    expect(removeRow(rows, 'zz')).toEqual(rows);
    expect(rows).toHaveLength(2);
  });

  it('give a new objective an id the phase does not use yet, and a key of its own', () => {
    const first = emptyObjective([]);
    expect(first).toMatchObject({ id: 'objective-1', description: '' });
    const taken = [first, { key: 'x', id: 'objective-3', description: '' }];
    const next = emptyObjective(taken);
    expect(next.id).toBe('objective-4');
    expect(next.key).not.toBe(first.key);
  });
});

describe('error paths', () => {
  it('strip the body’s scenario prefix', () => {
    expect(scenarioPath('scenario.phases.0.name')).toBe('phases.0.name');
    expect(scenarioPath('visibility')).toBe('visibility');
  });

  it('are described in words, counting from 1', () => {
    expect(describePath('phases.0.languages.es.vocabulary.2.term')).toBe('Phase 1 › Spanish › Words › 3 › Term');
    expect(describePath('phases.1.languages.fr.objectivePatterns.ask-for-menu')).toBe(
      'Phase 2 › French › Patterns › “ask-for-menu”',
    );
    expect(describePath('cefr')).toBe('CEFR levels');
  });

  it('make element ids', () => {
    expect(fieldId('phases.0.languages.es.objectivePatterns.greet waiter')).toBe(
      'f-phases-0-languages-es-objectivePatterns-greet-waiter',
    );
  });
});

describe('humanise', () => {
  it('rewords the generic messages and keeps the rest', () => {
    expect(humanise('Too small: expected string to have >=1 characters')).toBe('Fill this in');
    expect(humanise('Too small: expected string to have >=3 characters')).toBe('Write at least 3 characters');
    expect(humanise('Too small: expected array to have >=1 items')).toBe('Add at least one');
    expect(humanise('Invalid input: expected number, received string')).toBe('Enter a whole number');
    expect(humanise('at least 3 vocabulary items')).toBe('at least 3 vocabulary items');
  });
});
