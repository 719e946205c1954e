import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import type {
  CustomScenario,
  CustomScenarioRecord,
  Scenario,
  ScenarioAttempt,
  ScenarioSummary,
  ScenarioView,
} from '../../../shared/scenarios.js';
import type { CustomScenarioRow, ScenarioAttemptRow } from './scenarios.repository.js';

/** The languages every phase of the scenario has content for. */
export function languagesOf(scenario: Pick<Scenario, 'phases'>): TargetLanguage[] {
  return TARGET_LANGUAGES.filter((l) => scenario.phases.every((p) => p.languages[l] !== undefined));
}

export function presentSummary(
  scenario: ScenarioView,
  attempts: { attempts: number; last: string | null } | undefined,
): ScenarioSummary {
  return {
    id: scenario.id,
    title: scenario.title,
    description: scenario.description,
    category: scenario.category,
    difficulty: scenario.difficulty,
    cefr: scenario.cefr,
    estimatedMinutes: scenario.estimatedMinutes,
    phaseCount: scenario.phases.length,
    languages: languagesOf(scenario),
    source: scenario.source,
    attempts: attempts?.attempts ?? 0,
    lastAttemptAt: attempts?.last ?? null,
  };
}

/** The scenario with only one language's content in each phase. */
export function inLanguage(scenario: ScenarioView, language: TargetLanguage): ScenarioView {
  return {
    ...scenario,
    phases: scenario.phases.map((p) => ({ ...p, languages: { [language]: p.languages[language] } })),
  };
}

export function customView(row: CustomScenarioRow): ScenarioView {
  const body = JSON.parse(row.body_json) as CustomScenario;
  return { ...body, id: row.id, source: 'custom' };
}

export function presentCustom(row: CustomScenarioRow, userId: string): CustomScenarioRecord {
  return {
    id: row.id,
    visibility: row.visibility,
    mine: row.owner_id === userId,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    scenario: customView(row),
  };
}

export function presentAttempt(row: ScenarioAttemptRow): ScenarioAttempt {
  return {
    id: row.id,
    scenarioId: row.scenario_id,
    conversationId: row.conversation_id,
    language: row.language as ScenarioAttempt['language'],
    level: row.level as ScenarioAttempt['level'],
    phasesCompleted: row.phases_completed,
    phasesTotal: row.phases_total,
    vocabularyUsed: JSON.parse(row.vocabulary_used_json) as string[],
    objectivesMet: JSON.parse(row.objectives_met_json) as string[],
    objectivesTotal: row.objectives_total,
    successRate: row.success_rate,
    durationSeconds: row.duration_seconds,
    startedAt: row.started_at,
    completedAt: row.completed_at,
  };
}
