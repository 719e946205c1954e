import type {
  Conversation,
  ConversationListItem,
  ConversationSummary,
  MessageView,
} from '../../../shared/conversations.js';
import type { ScenarioView } from '../../../shared/scenarios.js';
import { scenarioProgress } from '../tutor/offline/offline-tutor.js';
import type { ConversationState, Feedback } from '../tutor/offline/tutor-engine.js';
import type { ConversationRow, MessageRow } from './conversations.repository.js';

export function presentMessage(row: MessageRow): MessageView {
  return {
    id: row.id,
    role: row.role,
    text: row.text,
    engine: row.engine,
    feedback: row.feedback_json ? (JSON.parse(row.feedback_json) as Feedback) : null,
    createdAt: row.created_at,
  };
}

function base(row: ConversationRow) {
  return {
    id: row.id,
    mode: row.mode,
    scenarioId: row.scenario_id,
    scenarioTitle: row.scenario_title,
    topic: row.topic,
    persona: row.persona,
    language: row.language as Conversation['language'],
    level: row.level as Conversation['level'],
    status: row.status,
    learningSessionId: row.learning_session_id,
    startedAt: row.started_at,
    lastActivityAt: row.last_activity_at,
    endedAt: row.ended_at,
    summary: row.summary_json ? (JSON.parse(row.summary_json) as ConversationSummary) : null,
  };
}

/** The whole conversation; its progress needs the scenario (null when it was deleted since). */
export function presentConversation(
  row: ConversationRow,
  messages: MessageRow[],
  scenario: ScenarioView | null,
): Conversation {
  const state = JSON.parse(row.state_json) as ConversationState;
  return {
    ...base(row),
    progress: scenario ? scenarioProgress(scenario, state) : null,
    messages: messages.map(presentMessage),
  };
}

/** A conversation in the list: the same progress as the whole view (null for free talk, or without the scenario). */
export function presentListItem(
  row: ConversationRow,
  lastMessage: string | null,
  scenario: ScenarioView | null,
): ConversationListItem {
  const progress = scenario ? scenarioProgress(scenario, JSON.parse(row.state_json) as ConversationState) : null;
  return { ...base(row), progress, messageCount: row.message_count, lastMessage };
}
