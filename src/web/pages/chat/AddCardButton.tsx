import type { AddCardState } from './use-add-card.js';

/**
 * "Add to flashcards" for one word; afterwards it says whether the card is new or was already there. `compact`
 * shows only a plus sign (inside a word chip); the accessible name always names the word.
 */
export function AddCardButton({
  term,
  state,
  compact = false,
  onAdd,
}: {
  term: string;
  state: AddCardState | undefined;
  compact?: boolean;
  onAdd: () => void;
}) {
  const done = state?.status === 'added' || state?.status === 'exists';
  const busy = state?.status === 'busy';
  const text = busy
    ? 'Adding…'
    : state?.status === 'added'
      ? 'Added'
      : state?.status === 'exists'
        ? 'In your cards'
        : state?.status === 'error'
          ? 'Try again'
          : 'Add to flashcards';
  const label = done ? `“${term}”: ${text.toLowerCase()}` : `Add “${term}” to flashcards`;
  return (
    <button
      type="button"
      className={`add-card-button${compact ? ' add-card-compact' : ''}${done ? ' add-card-done' : ''}`}
      aria-label={label}
      aria-disabled={done || busy || undefined}
      data-busy={busy || undefined}
      onClick={() => {
        if (!done && !busy) onAdd();
      }}
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14" fill="none" stroke="currentColor">
        {done ? (
          <path d="M3 8.5 6.5 12 13 4.5" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        ) : (
          <path d="M8 3v10M3 8h10" strokeWidth="2" strokeLinecap="round" />
        )}
      </svg>
      {!compact && <span>{text}</span>}
    </button>
  );
}
