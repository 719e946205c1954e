/** One review as the optimiser reads it from the log. */
export interface LogEntry {
  card_id: string;
  rating: 'again' | 'hard' | 'good' | 'easy';
  state_before: string;
  reviewed_at: string;
}

/** A review as FSRS trains on it: rating 1–4 and whole days since the card's previous review (0 for the first). */
export interface TrainingReview {
  rating: number;
  deltaT: number;
}

/**
 * One FSRS training item: a card's reviews up to and including the one whose recall is predicted, and when that
 * last review happened (to split the items by time).
 */
export interface TrainingItem {
  reviews: TrainingReview[];
  at: string;
}

const RATING_VALUE = { again: 1, hard: 2, good: 3, easy: 4 } as const;
const DAY_MS = 24 * 3600_000;

/**
 * Turns a user's review log (ordered by card, then time) into FSRS training items, oldest first. Only cards
 * whose first logged review was from the new state count: for the others the history before the log is unknown.
 * A card with reviews r1…rn gives the items r1..r2, r1..r3, …, r1..rn, except those whose last review came less
 * than a day after the one before (a learning step): FSRS predicts recall across days, and fsrs-rs's own
 * converter drops those items too. They must not reach the binding: an item with no review a day or more after
 * another makes fsrs-rs panic, which aborts the whole process. Days are whole elapsed 24-hour periods.
 */
export function trainingItems(logs: readonly LogEntry[]): { items: TrainingItem[]; reviews: number } {
  const items: TrainingItem[] = [];
  let reviews = 0;
  let start = 0;
  while (start < logs.length) {
    let end = start;
    while (end < logs.length && logs[end]!.card_id === logs[start]!.card_id) end += 1;
    const card = logs.slice(start, end);
    start = end;
    if (card[0]!.state_before !== 'new') continue;
    reviews += card.length;
    const history: TrainingReview[] = card.map((log, i) => ({
      rating: RATING_VALUE[log.rating],
      deltaT:
        i === 0
          ? 0
          : Math.max(0, Math.floor((Date.parse(log.reviewed_at) - Date.parse(card[i - 1]!.reviewed_at)) / DAY_MS)),
    }));
    for (let k = 2; k <= history.length; k += 1)
      if (history[k - 1]!.deltaT > 0) items.push({ reviews: history.slice(0, k), at: card[k - 1]!.reviewed_at });
  }
  items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { items, reviews };
}

/**
 * Splits items by time: the earlier `trainShare` to fit on, the rest to evaluate on, so the evaluation predicts
 * reviews that happened after everything the fit saw.
 */
export function timeSeriesSplit<T>(items: readonly T[], trainShare = 0.8): { train: T[]; test: T[] } {
  const cut = Math.floor(items.length * trainShare);
  return { train: items.slice(0, cut), test: items.slice(cut) };
}
