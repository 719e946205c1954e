import type { TargetLanguage } from '../../../shared/languages.js';
import type { LearningSession, SessionType } from '../../../shared/learning-sessions.js';
import type { LearningSessionRow } from './learning-sessions.repository.js';

export function presentLearningSession(row: LearningSessionRow): LearningSession {
  return {
    id: row.id,
    userId: row.user_id,
    type: row.type as SessionType,
    language: row.language as TargetLanguage,
    sourceId: row.source_id,
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationSeconds: row.duration_seconds,
    itemsStudied: row.items_studied,
    itemsCorrect: row.items_correct,
    itemsIncorrect: row.items_incorrect,
    accuracy: row.accuracy,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    lastActivityAt: row.last_activity_at,
  };
}
