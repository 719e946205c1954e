import type { Card, CardSource } from '../../../shared/cards.js';
import type { TargetLanguage } from '../../../shared/languages.js';
import type { CardRow } from './cards.repository.js';

export function presentCard(row: CardRow): Card {
  return {
    id: row.id,
    language: row.language as TargetLanguage,
    term: row.term,
    translation: row.translation,
    partOfSpeech: row.part_of_speech,
    contextSentence: row.context_sentence,
    contextTranslation: row.context_translation,
    notes: row.notes,
    tags: JSON.parse(row.tags) as string[],
    source: row.source as CardSource,
    sourceId: row.source_id,
    state: row.state,
    suspended: row.suspended === 1,
    due: row.due,
    stability: row.stability,
    difficulty: row.difficulty,
    reps: row.reps,
    lapses: row.lapses,
    lastReviewedAt: row.last_reviewed_at,
    createdAt: row.created_at,
    encounters: row.encounters,
  };
}
