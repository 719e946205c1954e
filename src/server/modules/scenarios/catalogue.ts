import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuiltInScenarioSchema, type Scenario } from '../../../shared/scenarios.js';
import { type FreeTopic, FreeTopicsFileSchema } from '../tutor/offline/free-topics.js';

export class CatalogueError extends Error {
  constructor(readonly problems: string[]) {
    super(`The scenario catalogue is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogueError';
  }
}

/** The built-in scenarios, validated once at start-up and then read-only. */
export class Catalogue {
  private readonly byId: Map<string, Scenario>;

  constructor(readonly scenarios: readonly Scenario[]) {
    this.byId = new Map(scenarios.map((s) => [s.id, s]));
  }

  get(id: string): Scenario | undefined {
    return this.byId.get(id);
  }
}

/**
 * Reads every `<dir>/scenarios/*.json` and validates it; any problem in any file stops the app (and fails the
 * test suite) with every problem listed by file and field — a scenario is never silently dropped.
 */
export function loadCatalogue(contentDir: string): Catalogue {
  const dir = join(contentDir, 'scenarios');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const problems: string[] = [];
  const scenarios: Scenario[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (err) {
      problems.push(`${file}: not valid JSON (${(err as Error).message})`);
      continue;
    }
    const parsed = BuiltInScenarioSchema.safeParse(data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      continue;
    }
    const scenario = parsed.data;
    if (`${scenario.id}.json` !== file) problems.push(`${file}: id "${scenario.id}" does not match the file name`);
    const other = seen.get(scenario.id);
    if (other) problems.push(`${file}: id "${scenario.id}" is already used by ${other}`);
    seen.set(scenario.id, file);
    scenarios.push(scenario);
  }
  if (problems.length > 0) throw new CatalogueError(problems);
  return new Catalogue(scenarios);
}

/** Reads `<dir>/free-topics.json` (the offline tutor's topics for free conversation); a bad file stops the app. */
export function loadFreeTopics(contentDir: string): FreeTopic[] {
  const file = join(contentDir, 'free-topics.json');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CatalogueError([`free-topics.json: ${(err as Error).message}`]);
  }
  const parsed = FreeTopicsFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new CatalogueError(
      parsed.error.issues.map((i) => `free-topics.json: ${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return parsed.data.topics;
}
