import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { TARGET_LANGUAGES } from '../../../shared/languages.js';
import { SCENARIO_CATEGORIES, SCENARIO_DIFFICULTIES } from '../../../shared/scenarios.js';
import { buildScenario } from '../../test/scenario-factory.js';
import { compilePattern } from '../tutor/offline/matcher.js';
import { CatalogueError, loadCatalogue, loadFreeTopics } from './catalogue.js';

function contentDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalogue-test-'));
  mkdirSync(join(dir, 'scenarios'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'scenarios', name), text);
  return dir;
}

function problemsOf(dir: string): string[] {
  try {
    loadCatalogue(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(CatalogueError);
    return (err as CatalogueError).problems;
  }
  throw new Error('the catalogue loaded');
}

describe('the built-in catalogue (content/scenarios)', () => {
  const catalogue = loadCatalogue(loadConfig({}).contentDir);

  it('loads every file: at least 25 scenarios, every category, every difficulty', () => {
    expect(catalogue.scenarios.length).toBeGreaterThanOrEqual(25);
    expect(new Set(catalogue.scenarios.map((s) => s.category))).toEqual(new Set(SCENARIO_CATEGORIES));
    expect(new Set(catalogue.scenarios.map((s) => s.difficulty))).toEqual(new Set(SCENARIO_DIFFICULTIES));
  });

  it('has every phase complete in all six languages, with glossed vocabulary and phrases', () => {
    for (const scenario of catalogue.scenarios) {
      for (const phase of scenario.phases) {
        for (const language of TARGET_LANGUAGES) {
          const content = phase.languages[language];
          expect(content, `${scenario.id}/${phase.id}/${language}`).toBeDefined();
          expect(content!.vocabulary.length).toBeGreaterThanOrEqual(6);
          expect(content!.vocabulary.every((v) => v.gloss.length > 0)).toBe(true);
          expect(content!.phrases.every((p) => p.gloss.length > 0)).toBe(true);
        }
      }
    }
  });
});

describe('the built-in catalogue’s patterns', () => {
  const catalogue = loadCatalogue(loadConfig({}).contentDir);

  it('compile for the offline tutor, every one in every language', () => {
    let compiled = 0;
    for (const scenario of catalogue.scenarios) {
      for (const phase of scenario.phases) {
        for (const language of TARGET_LANGUAGES) {
          for (const patterns of Object.values(phase.languages[language]!.objectivePatterns)) {
            for (const pattern of patterns) {
              expect(() => compilePattern(language, pattern), `${scenario.id} ${language} "${pattern}"`).not.toThrow();
              compiled += 1;
            }
          }
        }
      }
    }
    expect(compiled).toBeGreaterThan(1000);
  });

  it('has unique scenario ids', () => {
    const ids = catalogue.scenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('loadCatalogue', () => {
  it('loads valid files', () => {
    const dir = contentDir({ 'test-scenario.json': JSON.stringify(buildScenario()) });
    expect(loadCatalogue(dir).get('test-scenario')?.title).toBe('Test scenario');
  });

  it('refuses the whole catalogue, naming the file and field, when one file is invalid', () => {
    const broken = buildScenario({ id: 'broken' }) as unknown as { phases: { languages: Record<string, unknown> }[] };
    delete broken.phases[1]!.languages.fr;
    const problems = problemsOf(
      contentDir({
        'test-scenario.json': JSON.stringify(buildScenario()),
        'broken.json': JSON.stringify(broken),
        'garbage.json': '{ not json',
      }),
    );
    expect(problems).toContain('broken.json: phases.1.languages.fr: missing fr');
    expect(problems.some((p) => p.startsWith('garbage.json: not valid JSON'))).toBe(true);
  });

  it('refuses a pattern that does not compile', () => {
    const scenario = buildScenario();
    scenario.phases[0]!.languages.es!.objectivePatterns['goal-1-a'] = ['¿mesa?'];
    const problems = problemsOf(contentDir({ 'test-scenario.json': JSON.stringify(scenario) }));
    expect(problems[0]).toMatch(/^test-scenario\.json: phases\.0\.languages\.es\.objectivePatterns\.goal-1-a\.0: /);
  });

  it('refuses an id that does not match its file name, and a duplicate id', () => {
    const problems = problemsOf(
      contentDir({
        'test-scenario.json': JSON.stringify(buildScenario()),
        'copy.json': JSON.stringify(buildScenario()),
      }),
    );
    expect(problems).toEqual([
      'copy.json: id "test-scenario" does not match the file name',
      'test-scenario.json: id "test-scenario" is already used by copy.json',
    ]);
  });
});

describe('loadFreeTopics', () => {
  it('loads the built-in topics: ten, each in all six languages', () => {
    const topics = loadFreeTopics(loadConfig({}).contentDir);
    expect(topics).toHaveLength(10);
    for (const topic of topics) expect(Object.keys(topic.languages).sort()).toEqual([...TARGET_LANGUAGES].sort());
  });

  it('refuses a file that is not JSON or not topics, naming the field', () => {
    const broken = contentDir({});
    writeFileSync(join(broken, 'free-topics.json'), '{ nope');
    expect(() => loadFreeTopics(broken)).toThrow(/free-topics\.json: /);
    const wrong = contentDir({});
    writeFileSync(join(wrong, 'free-topics.json'), JSON.stringify({ topics: [{ id: 'x', title: '' }] }));
    expect(() => loadFreeTopics(wrong)).toThrow(/free-topics\.json: topics\.0\./);
  });
});
