import { useCallback, useRef, useState } from 'react';
import { conversationsApi } from '../../api/conversations.js';
import { errorMessage } from '../../lib/form-errors.js';

export type AddCardState = { status: 'busy' } | { status: 'added' } | { status: 'exists' } | { status: 'error' };

export interface AddCardRequest {
  term: string;
  translation?: string | undefined;
  /** The message the term came from; its sentence becomes the card's context. */
  messageId: string;
}

export const addCardKey = (messageId: string, term: string) => `${messageId}\u0000${term}`;

/**
 * "Add to flashcards" for the words and corrections of one conversation: the state of each (by message and
 * term), so a button shows "Added" afterwards, and one status line for screen readers.
 */
export function useAddCard(conversationId: string) {
  const [states, setStates] = useState<Record<string, AddCardState>>({});
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(new Set<string>());

  const add = useCallback(
    async ({ term, translation, messageId }: AddCardRequest) => {
      const key = addCardKey(messageId, term);
      if (inFlight.current.has(key)) return;
      inFlight.current.add(key);
      setStates((s) => ({ ...s, [key]: { status: 'busy' } }));
      setError(null);
      setStatus('');
      try {
        const { card, created } = await conversationsApi.addCard(conversationId, { term, translation, messageId });
        setStates((s) => ({ ...s, [key]: { status: created ? 'added' : 'exists' } }));
        setStatus(
          created
            ? `Added “${card.term}” to your flashcards.`
            : `“${card.term}” is already in your cards — encounter recorded.`,
        );
      } catch (err) {
        setStates((s) => ({ ...s, [key]: { status: 'error' } }));
        setError(`Could not add “${term}”: ${errorMessage(err)}`);
      } finally {
        inFlight.current.delete(key);
      }
    },
    [conversationId],
  );

  const stateOf = useCallback(
    (messageId: string, term: string): AddCardState | undefined => states[addCardKey(messageId, term)],
    [states],
  );

  return { add, stateOf, status, error } as const;
}
