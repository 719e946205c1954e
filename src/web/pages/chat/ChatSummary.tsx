import type { Ref } from 'react';
import { Link } from 'react-router';
import type { Conversation, ConversationSummary } from '../../../shared/conversations.js';
import { formatCount, formatDuration, languageName } from '../../lib/format.js';
import { StatCard } from '../dashboard/StatCard.js';

/**
 * The end of a conversation: phases and goals reached, the words used, and the flashcards it made (new ones and
 * ones the learner already had), with the way to review them.
 */
export function ChatSummary({
  conversation,
  summary,
  headingRef,
}: {
  conversation: Conversation;
  summary: ConversationSummary;
  /** The heading, to put the keyboard on when the conversation has just ended. */
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  const created = summary.cards.filter((c) => c.created).length;
  const scenario = conversation.mode === 'scenario';
  return (
    <section className="card section chat-summary" aria-labelledby="summary-heading" data-testid="chat-summary">
      <h2 id="summary-heading" ref={headingRef} tabIndex={-1}>
        {scenario && summary.phasesCompleted === summary.phasesTotal ? 'Scenario complete' : 'Conversation ended'}
      </h2>
      <div className="stat-grid summary-stats">
        {scenario ? (
          <StatCard
            label="Phases"
            value={`${summary.phasesCompleted} / ${summary.phasesTotal}`}
            detail={`${summary.objectivesMet} of ${formatCount(summary.objectivesTotal, 'goal', 'goals')} met`}
            testId="summary-phases"
          />
        ) : (
          <StatCard
            label="Messages"
            value={String(summary.learnerMessages)}
            detail="written by you"
            testId="summary-messages"
          />
        )}
        <StatCard
          label="Corrections"
          value={String(summary.corrections)}
          detail={scenario ? formatCount(summary.learnerMessages, 'message', 'messages') : 'to learn from'}
        />
        <StatCard
          label="Time"
          value={formatDuration(summary.durationSeconds)}
          detail={languageName(conversation.language)}
        />
      </div>

      {summary.vocabularyUsed.length > 0 && (
        <>
          <h3 className="summary-subheading">Words you used</h3>
          <ul className="chip-list summary-words">
            {summary.vocabularyUsed.map((term) => (
              <li key={term} className="chip" lang={conversation.language}>
                {term}
              </li>
            ))}
          </ul>
        </>
      )}

      <h3 className="summary-subheading">Flashcards from this conversation</h3>
      {summary.cards.length === 0 ? (
        <p className="muted">No new flashcards this time.</p>
      ) : (
        <>
          <p className="muted">
            {created > 0
              ? `${formatCount(created, 'new card', 'new cards')} will come up in your reviews.`
              : 'You had all of these already: each got another encounter.'}
          </p>
          <ul className="summary-cards" aria-label="Flashcards">
            {summary.cards.map((c) => (
              <li key={c.id} className="summary-card">
                <span className="summary-card-term" lang={conversation.language}>
                  {c.term}
                </span>
                <span className="summary-card-translation">{c.translation}</span>
                <span className={c.created ? 'badge badge-state-new' : 'badge badge-suspended'}>
                  {c.created ? 'New' : 'Already had'}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="form-actions summary-actions">
        {summary.cards.length > 0 && (
          <Link to={`/review?language=${conversation.language}`} className="btn btn-primary">
            Review your new cards
          </Link>
        )}
        {conversation.scenarioId && (
          <Link
            to={`/scenarios/${conversation.scenarioId}?language=${conversation.language}`}
            className="btn btn-secondary"
          >
            Back to the scenario
          </Link>
        )}
        <Link to="/conversations" className="btn btn-secondary">
          All conversations
        </Link>
      </div>
    </section>
  );
}
