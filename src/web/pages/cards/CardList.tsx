import type { Card } from '../../../shared/cards.js';
import { Button } from '../../components/Button.js';
import { CARD_STATE_LABELS, formatDateTime, formatDueIn, languageName } from '../../lib/format.js';

interface CardListProps {
  cards: Card[];
  timeZone: string;
  /** The id of the card whose suspension is being changed. */
  suspending: string | null;
  onEdit: (card: Card) => void;
  onToggleSuspended: (card: Card) => void;
  onDelete: (card: Card) => void;
}

function Due({ card, timeZone }: { card: Card; timeZone: string }) {
  if (card.state === 'new') return <span>Not studied yet</span>;
  return (
    <span>
      Due{' '}
      <time dateTime={card.due} title={formatDateTime(card.due, timeZone)}>
        {formatDueIn(card.due)}
      </time>
    </span>
  );
}

/** The learner's cards, each with its schedule and its actions. */
export function CardList({ cards, timeZone, suspending, onEdit, onToggleSuspended, onDelete }: CardListProps) {
  return (
    <ul className="card-list" aria-label="Your cards">
      {cards.map((card) => (
        <li key={card.id} className="card-item" data-card-id={card.id}>
          <div className="card-item-main">
            <p className="card-item-words">
              <span className="card-item-term" lang={card.language}>
                {card.term}
              </span>
              <span className="card-item-translation">{card.translation}</span>
            </p>
            {card.contextSentence && (
              <p className="card-item-context" lang={card.language}>
                {card.contextSentence}
              </p>
            )}
            <p className="card-item-meta">
              <span className={`badge badge-state-${card.state}`}>{CARD_STATE_LABELS[card.state]}</span>
              {card.suspended && <span className="badge badge-suspended">Suspended</span>}
              <span>{languageName(card.language)}</span>
              <Due card={card} timeZone={timeZone} />
              {card.tags.length > 0 && (
                <span className="tag-list">
                  <span className="visually-hidden">Tags:</span>
                  {card.tags.map((tag) => (
                    <span key={tag} className="tag">
                      {tag}
                    </span>
                  ))}
                </span>
              )}
            </p>
          </div>
          <div className="card-item-actions">
            <Button variant="secondary" size="small" aria-label={`Edit ${card.term}`} onClick={() => onEdit(card)}>
              Edit
            </Button>
            <Button
              variant="secondary"
              size="small"
              aria-label={`${card.suspended ? 'Unsuspend' : 'Suspend'} ${card.term}`}
              busy={suspending === card.id}
              onClick={() => onToggleSuspended(card)}
            >
              {card.suspended ? 'Unsuspend' : 'Suspend'}
            </Button>
            <Button
              variant="secondary"
              size="small"
              className="btn-danger-outline"
              aria-label={`Delete ${card.term}`}
              onClick={() => onDelete(card)}
            >
              Delete
            </Button>
          </div>
        </li>
      ))}
    </ul>
  );
}
