import { useEffect, useRef } from 'react';
import type { QueueItem, RatingName } from '../../../shared/review.js';
import { Button } from '../../components/Button.js';
import { CARD_STATE_LABELS, formatInterval, languageName, RATING_LABELS, RATING_LIST } from '../../lib/format.js';
import { SpeakButton } from '../../components/SpeakButton.js';

interface FlashcardProps {
  item: QueueItem;
  revealed: boolean;
  busy: boolean;
  onReveal: () => void;
  onAnswer: (rating: RatingName) => void;
}

/**
 * One card of the queue: the term (and its context) first, then the answer and the four ratings, each with the
 * interval it would schedule. Mounted afresh for every card shown.
 */
export function Flashcard({ item, revealed, busy, onReveal, onAnswer }: FlashcardProps) {
  const { card, previews } = item;
  const cardRef = useRef<HTMLElement>(null);
  const answerRef = useRef<HTMLDivElement>(null);

  // The button just used disappears with the card or the reveal; keep the keyboard (and screen reader) here.
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) cardRef.current?.focus();
  }, []);
  useEffect(() => {
    if (revealed) answerRef.current?.focus();
  }, [revealed]);

  return (
    <section
      ref={cardRef}
      className="card flashcard"
      aria-labelledby="flashcard-term"
      tabIndex={-1}
      data-card-id={card.id}
    >
      <div className="flashcard-meta">
        <span className={`badge badge-state-${card.state}`}>{CARD_STATE_LABELS[card.state]}</span>
        <span className="muted">{languageName(card.language)}</span>
      </div>
      <div className="flashcard-front">
        <div className="flashcard-term-row">
          <h2 id="flashcard-term" className="flashcard-term" lang={card.language}>
            {card.term}
          </h2>
          <SpeakButton text={card.term} language={card.language} />
        </div>
        {card.partOfSpeech && <p className="muted flashcard-pos">{card.partOfSpeech}</p>}
        {card.contextSentence && (
          <p className="flashcard-context" lang={card.language}>
            {card.contextSentence}
          </p>
        )}
      </div>

      {revealed && (
        <div ref={answerRef} className="flashcard-back" tabIndex={-1} role="group" aria-label="Answer">
          <p className="flashcard-translation" data-testid="flashcard-translation">
            {card.translation}
          </p>
          {card.contextTranslation && <p className="flashcard-context">{card.contextTranslation}</p>}
          {card.notes && <p className="flashcard-notes">{card.notes}</p>}
        </div>
      )}

      <div className="flashcard-actions">
        {!revealed ? (
          <Button className="flashcard-reveal" onClick={onReveal} aria-keyshortcuts="Space">
            Show answer
          </Button>
        ) : (
          <div className="rating-buttons" role="group" aria-label="How well did you remember?">
            {RATING_LIST.map((rating, index) => (
              <button
                key={rating}
                type="button"
                className={`btn rating rating-${rating}`}
                aria-keyshortcuts={String(index + 1)}
                aria-disabled={busy || undefined}
                data-busy={busy || undefined}
                onClick={() => onAnswer(rating)}
              >
                <span className="rating-label">{RATING_LABELS[rating]}</span>
                <span className="rating-interval">{formatInterval(previews[rating].intervalSeconds)}</span>
              </button>
            ))}
          </div>
        )}
      </div>
    </section>
  );
}
