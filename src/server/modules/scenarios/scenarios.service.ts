import type { Kysely } from 'kysely';
import type { TargetLanguage } from '../../../shared/languages.js';
import type {
  CustomScenario,
  CustomScenarioRecord,
  ScenarioAttempt,
  ScenarioListQuery,
  ScenarioSummary,
  ScenarioView,
} from '../../../shared/scenarios.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { NotFoundError } from '../../http/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { IdGenerator } from '../../lib/ids.js';
import type { Catalogue } from './catalogue.js';
import {
  customView,
  inLanguage,
  languagesOf,
  presentAttempt,
  presentCustom,
  presentSummary,
} from './scenarios.presenter.js';
import type { ScenarioAttemptRow, ScenariosRepository } from './scenarios.repository.js';

export interface ScenarioServiceDeps {
  database: Database;
  repo: ScenariosRepository;
  catalogue: Catalogue;
  clock: Clock;
  ids: IdGenerator;
}

/** Other learners' public scenarios listed at most (newest first). */
const PUBLIC_LIST_LIMIT = 200;

/** The scenario catalogue (built-in and the learners' own), and each learner's attempts at them. */
export class ScenarioService {
  private readonly builtInViews = new Map<string, ScenarioView>();

  constructor(private readonly deps: ScenarioServiceDeps) {}

  /** The built-in scenarios. */
  get catalogue(): Catalogue {
    return this.deps.catalogue;
  }

  private get db(): Kysely<DB> {
    return this.deps.database.db;
  }

  /** Built-in scenarios, then the caller's own, then other learners' public ones; filtered. */
  async list(userId: string, query: ScenarioListQuery): Promise<ScenarioSummary[]> {
    const { repo } = this.deps;
    const [counts, own, others] = await Promise.all([
      repo.attemptCounts(this.db, userId),
      repo.listOwn(this.db, userId),
      repo.listPublicOfOthers(this.db, userId, PUBLIC_LIST_LIMIT),
    ]);
    const attempts = new Map(
      counts.map((c) => [c.scenario_id, { attempts: Number(c.attempts), last: (c.last as string | null) ?? null }]),
    );
    const all: ScenarioView[] = [
      ...this.deps.catalogue.scenarios.map((s) => ({ ...s, source: 'builtin' as const })),
      ...[...own, ...others].map(customView),
    ];
    return all
      .filter(
        (s) =>
          (!query.category || s.category === query.category) &&
          (!query.difficulty || s.difficulty === query.difficulty) &&
          (!query.language || languagesOf(s).includes(query.language)),
      )
      .map((s) => presentSummary(s, attempts.get(s.id)));
  }

  /**
   * Several scenarios at once (a page of conversations): built-in ones from the catalogue, the custom ones the user
   * may see in one query. Ids the user may not see (deleted, made private) are simply missing from the answer.
   */
  async getMany(userId: string, ids: Iterable<string>): Promise<Map<string, ScenarioView>> {
    const found = new Map<string, ScenarioView>();
    const customIds: string[] = [];
    for (const id of new Set(ids)) {
      if (this.deps.catalogue.get(id)) found.set(id, await this.get(userId, id));
      else customIds.push(id);
    }
    for (const row of await this.deps.repo.findVisibleMany(this.db, userId, customIds))
      found.set(row.id, customView(row));
    return found;
  }

  /** A built-in scenario, or a custom one the user may see; 404 otherwise (also when it lacks `language`). */
  async get(userId: string, id: string, language?: TargetLanguage): Promise<ScenarioView> {
    const builtIn = this.deps.catalogue.get(id);
    if (builtIn) {
      // Built-in views are made once and shared: the tutor caches what it derives from a scenario per object.
      const key = `${id}:${language ?? ''}`;
      let view = this.builtInViews.get(key);
      if (!view) {
        const full: ScenarioView = { ...builtIn, source: 'builtin' };
        if (language && !languagesOf(full).includes(language)) throw new NotFoundError(`scenario in ${language}`);
        view = language ? inLanguage(full, language) : full;
        this.builtInViews.set(key, view);
      }
      return view;
    }
    const row = await this.deps.repo.findVisible(this.db, userId, id);
    if (!row) throw new NotFoundError('scenario');
    const scenario = customView(row);
    if (!language) return scenario;
    if (!languagesOf(scenario).includes(language)) throw new NotFoundError(`scenario in ${language}`);
    return inLanguage(scenario, language);
  }

  async createCustom(
    userId: string,
    scenario: CustomScenario,
    visibility: 'private' | 'public',
  ): Promise<CustomScenarioRecord> {
    const now = this.deps.clock.now().toISOString();
    const id = `custom-${this.deps.ids.id()}`;
    const row = {
      id,
      owner_id: userId,
      visibility,
      title: scenario.title,
      category: scenario.category,
      difficulty: scenario.difficulty,
      body_json: JSON.stringify({ ...scenario, id }),
      created_at: now,
      updated_at: now,
    };
    await this.deps.repo.insertCustom(this.db, row);
    return presentCustom(row, userId);
  }

  async getCustom(userId: string, id: string): Promise<CustomScenarioRecord> {
    const row = await this.deps.repo.findVisible(this.db, userId, id);
    if (!row) throw new NotFoundError('scenario');
    return presentCustom(row, userId);
  }

  /** Only the owner may change it; anyone else (even when it is public) gets a 404. */
  async updateCustom(
    userId: string,
    id: string,
    scenario: CustomScenario,
    visibility: 'private' | 'public',
  ): Promise<CustomScenarioRecord> {
    const changed = await this.deps.repo.updateCustom(this.db, userId, id, {
      visibility,
      title: scenario.title,
      category: scenario.category,
      difficulty: scenario.difficulty,
      body_json: JSON.stringify({ ...scenario, id }),
      updated_at: this.deps.clock.now().toISOString(),
    });
    if (!changed) throw new NotFoundError('scenario');
    return this.getCustom(userId, id);
  }

  async deleteCustom(userId: string, id: string): Promise<void> {
    if (!(await this.deps.repo.deleteCustom(this.db, userId, id))) throw new NotFoundError('scenario');
  }

  async listCustom(userId: string, mine: boolean): Promise<CustomScenarioRecord[]> {
    const rows = mine
      ? await this.deps.repo.listOwn(this.db, userId)
      : await this.deps.repo.listPublicOfOthers(this.db, userId, PUBLIC_LIST_LIMIT);
    return rows.map((row) => presentCustom(row, userId));
  }

  /** The scenario file, in the catalogue's format, as the owner (or anyone, when public) may download it. */
  async exportCustom(userId: string, id: string): Promise<CustomScenario> {
    const { scenario } = await this.getCustom(userId, id);
    const { source: _source, ...file } = scenario;
    return file as CustomScenario;
  }

  async history(userId: string, scenarioId: string): Promise<ScenarioAttempt[]> {
    await this.get(userId, scenarioId);
    return (await this.deps.repo.listAttempts(this.db, userId, scenarioId)).map(presentAttempt);
  }

  /** Records a finished attempt inside the caller's transaction (the conversation's completion). */
  async recordAttempt(trx: Kysely<DB>, row: ScenarioAttemptRow): Promise<void> {
    await this.deps.repo.insertAttempt(trx, row);
  }
}
