// The synthetic learner of the `optimizer` and `quality` scenarios, the SM-2 baseline, and the two metrics for
// predictions the FSRS binding cannot score itself (SM-2's).
//
// The learner's memory follows FSRS-6 with KNOWN parameters (TRUE_PARAMETERS, not the defaults); the noise is in
// the draws. Each card is introduced on its day and reviewed when an FSRS scheduler (ts-fsrs) with the true
// parameters says it is due (learning steps 1m 10m, relearning 10m, desired retention 0.9, fuzz on), usually
// within a few hours of that, sometimes days late. At each review:
// - recall is drawn from the true retrievability R = (1 + factor · t / S)^-decay, S the card's true stability and
//   t the whole 24-hour periods since the previous review (what the optimiser sees; the fractional days for a
//   same-day learning step);
// - a failure is rated Again; a success Hard (10 %), Good (78 %) or Easy (12 %); a card's first rating is drawn
//   from Again 20 %, Hard 10 %, Good 55 %, Easy 15 %;
// - the true memory state then moves by FSRS-6's own update with the true parameters.
// Everything random comes from a seeded PRNG, so a run reproduces the same history.
import { createEmptyCard, fsrs, generatorParameters, Rating, State } from 'ts-fsrs';
import { prng } from './figures.mjs';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/**
 * The simulated learner's FSRS-6 weights: plausible for a real learner but well away from the defaults (steeper
 * forgetting curve, w20 = 0.3 against 0.1542; slower stability growth, w8 = 1.5 against 1.87; higher initial
 * stabilities), so defaults, fit and truth are told apart.
 */
export const TRUE_PARAMETERS = Object.freeze([
  0.5, 1.1, 4.0, 14.0, 7.0, 0.6, 2.4, 0.02, 1.5, 0.25, 1.1, 1.7, 0.09, 0.35, 2.0, 0.45, 2.5, 0.6, 0.2, 0.1, 0.3,
]);

const RATING_NAME = { [Rating.Again]: 'again', [Rating.Hard]: 'hard', [Rating.Good]: 'good', [Rating.Easy]: 'easy' };
const STATE_NAME = {
  [State.New]: 'new',
  [State.Learning]: 'learning',
  [State.Review]: 'review',
  [State.Relearning]: 'relearning',
};

/**
 * Simulates `cards` cards introduced evenly over the first 80 % of `days` days and reviewed until the end, then
 * keeps the earliest `reviews` answers (a cut in time, as if the log were read on that day). Answers the log in
 * the optimiser's shape (card, rating, state before, time), ordered by card and then time, and counts.
 */
export function simulateLearner({ cards = 10_000, days = 720, reviews = 100_000, seed = 11 } = {}) {
  const random = prng(seed);
  const truth = fsrs(generatorParameters({ w: [...TRUE_PARAMETERS], enable_short_term: true }));
  const scheduler = fsrs(
    generatorParameters({
      w: [...TRUE_PARAMETERS],
      request_retention: 0.9,
      enable_fuzz: true,
      enable_short_term: true,
      learning_steps: ['1m', '10m'],
      relearning_steps: ['10m'],
    }),
  );
  const start = Date.UTC(2024, 0, 1);
  const end = start + days * DAY_MS;
  const all = [];
  for (let c = 0; c < cards; c++) {
    const cardId = `sim-${String(c).padStart(5, '0')}`;
    let at = start + Math.floor((c * days * 0.8) / cards) * DAY_MS + (8 + random() * 14) * HOUR_MS;
    let card = createEmptyCard(new Date(at));
    let memory = null;
    let previous = 0;
    while (at < end) {
      let rating;
      let t = 0;
      if (memory === null) {
        const u = random();
        rating = u < 0.2 ? Rating.Again : u < 0.3 ? Rating.Hard : u < 0.85 ? Rating.Good : Rating.Easy;
      } else {
        const elapsed = at - previous;
        t = Math.floor(elapsed / DAY_MS);
        const r = truth.forgetting_curve(t >= 1 ? t : elapsed / DAY_MS, memory.stability);
        if (random() >= r) rating = Rating.Again;
        else {
          const u = random();
          rating = u < 0.1 ? Rating.Hard : u < 0.88 ? Rating.Good : Rating.Easy;
        }
      }
      memory = truth.next_state(memory, t, rating);
      all.push({ card_id: cardId, rating: RATING_NAME[rating], state_before: STATE_NAME[card.state], at });
      card = scheduler.next(card, new Date(at), rating).card;
      previous = at;
      const due = card.due.getTime();
      if (due - at < DAY_MS) at = due + random() * 5 * MINUTE_MS;
      else if (random() < 0.8) at = due + random() * 8 * HOUR_MS;
      else
        at =
          due + (1 + Math.floor(random() * Math.max(1, (0.3 * (due - at)) / DAY_MS))) * DAY_MS + random() * 8 * HOUR_MS;
    }
  }
  // The earliest `reviews` answers, then back in the optimiser's order (card, then time).
  all.sort((a, b) => a.at - b.at);
  const kept = all.slice(0, reviews);
  kept.sort((a, b) => (a.card_id < b.card_id ? -1 : a.card_id > b.card_id ? 1 : a.at - b.at));
  const logs = kept.map((r) => ({ ...r, reviewed_at: new Date(r.at).toISOString() }));
  return {
    logs,
    cards: new Set(logs.map((l) => l.card_id)).size,
    reviews: logs.length,
    from: logs.length ? new Date(all[0].at).toISOString() : null,
    to: logs.length ? new Date(all[kept.length - 1].at).toISOString() : null,
    simulatedReviews: all.length,
  };
}

/**
 * SM-2's interval after a history of FSRS ratings (1–4), exactly as the FSRS benchmark scores SM-2
 * (srs-benchmark, models/sm2.py): rating r is SM-2 grade q = r + 1; q ≥ 3 is a success (intervals 1, 6, then
 * × EF), a failure restarts at 1; EF moves by 0.1 − (5 − q)(0.08 + (5 − q) · 0.02), never below 1.3; intervals are
 * rounded, at least 1 day, at most 36,500.
 */
export function sm2Interval(ratings) {
  let interval = 0;
  let ease = 2.5;
  let reps = 0;
  for (const rating of ratings) {
    const q = rating + 1;
    if (q > 2) {
      if (reps === 0) {
        interval = 1;
        reps = 1;
      } else if (reps === 1) {
        interval = 6;
        reps = 2;
      } else {
        interval *= ease;
        reps += 1;
      }
    } else {
      interval = 1;
      reps = 0;
    }
    ease = Math.max(1.3, ease + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)));
    interval = Math.min(Math.max(1, Math.round(interval + 0.01)), 36_500);
  }
  return interval;
}

/** SM-2's predicted recall for each item: R = 0.9^(t / I), I its SM-2 interval after the earlier reviews. */
export function sm2Predictions(items) {
  return items.map((item) => {
    const history = item.reviews.slice(0, -1).map((r) => r.rating);
    return 0.9 ** (item.reviews.at(-1).deltaT / sm2Interval(history));
  });
}

/**
 * FSRS-6's predicted recall for each item under `parameters`, computed here with ts-fsrs (the binding only gives
 * the aggregate metrics). Used to check that logLoss and rmseBins below score exactly as the binding does.
 */
export function fsrsPredictions(items, parameters) {
  const f = fsrs(generatorParameters({ w: [...parameters], enable_short_term: true }));
  return items.map((item) => {
    let memory = null;
    for (const review of item.reviews.slice(0, -1)) memory = f.next_state(memory, review.deltaT, review.rating);
    return f.forgetting_curve(item.reviews.at(-1).deltaT, memory.stability);
  });
}

const recalled = (item) => (item.reviews.at(-1).rating > 1 ? 1 : 0);

/** Mean binary cross-entropy of the predictions against recall (any rating but Again). */
export function logLoss(items, predictions) {
  let sum = 0;
  items.forEach((item, i) => {
    const p = Math.min(Math.max(predictions[i], 1e-7), 1 - 1e-7);
    sum -= recalled(item) ? Math.log(p) : Math.log(1 - p);
  });
  return sum / items.length;
}

/**
 * The FSRS benchmark's RMSE(bins), as fsrs-rs computes it in `evaluate` (FSRSItem::r_matrix_index): items are
 * binned by the days since the previous review (bins growing ×3.62), the number of reviews a day or more apart
 * (×1.89) and the lapses among them (×1.73); the result is the square root of the count-weighted mean of
 * (mean prediction − recall rate)² over the bins.
 */
export function rmseBins(items, predictions) {
  const bins = new Map();
  items.forEach((item, i) => {
    const key = binOf(item.reviews);
    const bin = bins.get(key) ?? { predicted: 0, recalled: 0, count: 0 };
    bin.predicted += predictions[i];
    bin.recalled += recalled(item);
    bin.count += 1;
    bins.set(key, bin);
  });
  let sum = 0;
  let count = 0;
  for (const bin of bins.values()) {
    sum += (bin.predicted / bin.count - bin.recalled / bin.count) ** 2 * bin.count;
    count += bin.count;
  }
  return Math.sqrt(sum / count);
}

/** fsrs-rs's r_matrix_index: (delta_t bin, length bin, lapse bin) of an item's last review. */
function binOf(reviews) {
  const deltaT = reviews.at(-1).deltaT;
  // Rust's f64::log(x, base) is ln(x) / ln(base); 0 days gives -inf and so bin 0, as there.
  const deltaBin = Math.round(2.48 * 3.62 ** Math.floor(Math.log(deltaT) / Math.log(3.62)) * 100);
  const length = reviews.filter((r) => r.deltaT > 0).length + 1;
  const lengthBin = Math.round(1.99 * 1.89 ** Math.floor(Math.log(length) / Math.log(1.89)));
  const lapses = reviews.slice(0, -1).filter((r) => r.rating === 1 && r.deltaT > 0).length;
  const lapseBin = lapses === 0 ? 0 : Math.round(1.65 * 1.73 ** Math.floor(Math.log(lapses) / Math.log(1.73)));
  return `${deltaBin},${lengthBin},${lapseBin}`;
}
