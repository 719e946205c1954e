import { useCallback, useEffect, useRef, useState } from 'react';
import type { TargetLanguage } from '../../../shared/languages.js';
import type { Queue, QueueItem, RatingName } from '../../../shared/review.js';
import { ApiError, reviewApi } from '../../api/client.js';
import { errorMessage } from '../../lib/form-errors.js';
import { RATING_LABELS } from '../../lib/format.js';

/** How many due cards one request fetches; the queue is fetched again after every answer. */
const QUEUE_SIZE = 50;
/** The server refuses longer answers (AnswerBodySchema). */
const MAX_DURATION_MS = 3_600_000;
/** Time on one card beyond this is counted as this: the learner most likely walked away. */
const MAX_COUNTED_MS = 5 * 60_000;

/** One answer given on this page, kept for the end-of-session summary. */
export interface Answered {
  cardId: string;
  rating: RatingName;
  /** When the card is due again after this answer. */
  due: string;
  spentMs: number;
}

export interface SessionSummary {
  reviewed: number;
  /** Hard, good and easy count as correct; null when nothing was answered. */
  accuracy: number | null;
  spentMs: number;
  /** The earliest time a card reviewed here is due again, if any. */
  nextDue: string | null;
}

/** Puts the card with `cardId` first (after an undo, the learner sees the card they took back). */
function withFirst(queue: Queue, cardId: string | undefined): Queue {
  const index = cardId ? queue.items.findIndex((item) => item.card.id === cardId) : -1;
  if (index <= 0) return queue;
  const items = [...queue.items];
  const [item] = items.splice(index, 1);
  return { ...queue, items: [item!, ...items] };
}

export function summarise(answers: readonly Answered[]): SessionSummary {
  const correct = answers.filter((a) => a.rating !== 'again').length;
  const lastDue = new Map<string, string>();
  for (const a of answers) lastDue.set(a.cardId, a.due);
  const nextDue = [...lastDue.values()].sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? null;
  return {
    reviewed: answers.length,
    accuracy: answers.length > 0 ? correct / answers.length : null,
    spentMs: answers.reduce((sum, a) => sum + a.spentMs, 0),
    nextDue,
  };
}

/**
 * One sitting of reviews: the due queue, revealing and rating its first card, and undo. An answer or undo
 * that is running makes every further one a no-op until it settles, so a double key press rates once; a
 * failed answer is retried with the same answerId, which the API answers idempotently.
 */
export function useReviewSession(language: TargetLanguage | undefined) {
  const [queue, setQueue] = useState<Queue | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [answers, setAnswers] = useState<Answered[]>([]);
  const [busy, setBusy] = useState<'answer' | 'undo' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  /** Counts the cards shown, so a card shown again (after an undo) is a new turn. */
  const [turn, setTurn] = useState(0);

  const busyRef = useRef(false);
  const loadSeq = useRef(0);
  const shownAt = useRef(0);
  const revealedAt = useRef(0);
  // Read by key handlers that may still hold the previous render's state: a card answered is no longer
  // revealed from that moment, so a second key press cannot rate it again before the next card renders.
  const revealedRef = useRef(false);
  const answerId = useRef<string | null>(null);

  /** Fetches the queue; an answer to a request that a later one superseded is dropped. */
  const load = useCallback(
    (first?: string): Promise<void> => {
      const seq = ++loadSeq.current;
      return reviewApi.queue({ language, limit: QUEUE_SIZE }).then(
        (next) => {
          if (seq !== loadSeq.current) return;
          setQueue(withFirst(next, first));
          setLoadError(null);
          setRevealed(false);
          revealedRef.current = false;
          setTurn((t) => t + 1);
          answerId.current = null;
          shownAt.current = performance.now();
        },
        (err: unknown) => {
          if (seq === loadSeq.current) setLoadError(errorMessage(err));
        },
      );
    },
    [language],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const current: QueueItem | null = queue?.items[0] ?? null;

  const reveal = useCallback(() => {
    if (!current || revealed || busyRef.current) return;
    revealedAt.current = performance.now();
    revealedRef.current = true;
    setRevealed(true);
  }, [current, revealed]);

  const answer = useCallback(
    async (rating: RatingName) => {
      if (!current || !revealed || !revealedRef.current || busyRef.current) return;
      busyRef.current = true;
      setBusy('answer');
      setActionError(null);
      setMessage('');
      const now = performance.now();
      const durationMs = Math.min(MAX_DURATION_MS, Math.max(0, Math.round(now - revealedAt.current)));
      const spentMs = Math.min(MAX_COUNTED_MS, Math.max(0, now - shownAt.current));
      answerId.current ??= crypto.randomUUID();
      try {
        const card = await reviewApi.answer({
          answerId: answerId.current,
          cardId: current.card.id,
          rating,
          durationMs,
        });
        answerId.current = null;
        revealedRef.current = false;
        setAnswers((prev) => [...prev, { cardId: card.id, rating, due: card.due, spentMs }]);
        await load();
      } catch (err) {
        setActionError(errorMessage(err));
      } finally {
        busyRef.current = false;
        setBusy(null);
      }
    },
    [current, revealed, load],
  );

  const undo = useCallback(async () => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy('undo');
    setActionError(null);
    setMessage('');
    try {
      const { card, undoneRating } = await reviewApi.undo();
      // The undone answer may be from an earlier sitting today; then this page has nothing to take back.
      setAnswers((prev) => {
        const index = prev.findLastIndex((a) => a.cardId === card.id && a.rating === undoneRating);
        return index === -1 ? prev : [...prev.slice(0, index), ...prev.slice(index + 1)];
      });
      setMessage(`Took back “${RATING_LABELS[undoneRating]}” for “${card.term}”. Rate it again.`);
      await load(card.id);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'nothing_to_undo')
        setMessage('There is no answer from today to undo.');
      else setActionError(errorMessage(err));
    } finally {
      busyRef.current = false;
      setBusy(null);
    }
  }, [load]);

  const counts = queue?.counts;
  const due = counts ? counts.new + counts.learning + counts.review : 0;
  // Learning cards shown ahead of time are not yet counted as due, but they are still to do.
  const remaining = Math.max(due, queue?.items.length ?? 0);

  return {
    status: queue ? 'ready' : loadError ? 'error' : 'loading',
    current,
    turn,
    revealed,
    busy,
    answers,
    progress: { done: answers.length, total: answers.length + remaining },
    loadError,
    actionError,
    message,
    reload: () => void load(),
    reveal,
    answer,
    undo,
  } as const;
}
