/**
 * The scenario catalogue and learners' own scenarios (`/api/scenarios`), typed by src/shared/scenarios.ts
 * (types only: importing a value from a schema module would pull zod into the browser bundle).
 */
import type { TargetLanguage } from '../../shared/languages.js';
import type {
  CustomScenarioInput,
  CustomScenarioRecord,
  ScenarioAttempt,
  ScenarioCategory,
  ScenarioDifficulty,
  ScenarioSummary,
  ScenarioView,
} from '../../shared/scenarios.js';
import { request, withQuery } from './client.js';

export type ScenarioVisibility = 'private' | 'public';

/** The filters of `GET /api/scenarios` (see ScenarioListQuerySchema). */
export interface ListScenariosParams {
  category?: ScenarioCategory | undefined;
  difficulty?: ScenarioDifficulty | undefined;
  language?: TargetLanguage | undefined;
}

const customPath = (id: string) => `/scenarios/custom/${encodeURIComponent(id)}`;

export const scenariosApi = {
  /** Built-in scenarios, the learner's own and other learners' public ones, with the learner's attempts. */
  list: (params: ListScenariosParams = {}) => request<ScenarioSummary[]>('GET', withQuery('/scenarios', { ...params })),
  /** With `language`, each phase holds only that language's content (404 when the scenario lacks it). */
  get: (id: string, language?: TargetLanguage) =>
    request<ScenarioView>('GET', withQuery(`/scenarios/${encodeURIComponent(id)}`, { language })),
  /** The learner's finished attempts, newest first. */
  history: (id: string) => request<ScenarioAttempt[]>('GET', `/scenarios/${encodeURIComponent(id)}/history`),

  /** `mine` true: the learner's own; false: other learners' public scenarios. */
  listCustom: (mine: boolean) =>
    request<CustomScenarioRecord[]>('GET', withQuery('/scenarios/custom', { mine: String(mine) })),
  getCustom: (id: string) => request<CustomScenarioRecord>('GET', customPath(id)),
  /** Validation errors name fields as `scenario.phases.0.…`. */
  createCustom: (visibility: ScenarioVisibility, scenario: CustomScenarioInput) =>
    request<CustomScenarioRecord>('POST', '/scenarios/custom', { visibility, scenario }),
  updateCustom: (id: string, visibility: ScenarioVisibility, scenario: CustomScenarioInput) =>
    request<CustomScenarioRecord>('PUT', customPath(id), { visibility, scenario }),
  deleteCustom: (id: string) => request<void>('DELETE', customPath(id)),
  /**
   * A scenario file (the format of the built-in ones and of the export) as a new scenario of the learner's.
   * Validation errors name fields from the file's root (`phases.0.…`).
   */
  importCustom: (file: unknown, visibility: ScenarioVisibility) =>
    request<CustomScenarioRecord>('POST', withQuery('/scenarios/custom/import', { visibility }), file),
  /** The address of the scenario's JSON file; a same-origin GET, so the session cookie goes along. */
  exportUrl: (id: string) => `/api${customPath(id)}/export`,
};
