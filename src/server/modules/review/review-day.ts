import { TZDate } from '@date-fns/tz';
import { addDays, subDays } from 'date-fns';

/**
 * The review day `now` falls in, as in Anki: days run from `boundaryHour` (e.g. 4 am) to the same hour the next
 * day, in the learner's time zone, so a review at 3 am counts for the day before.
 */
export function reviewDay(now: Date, timezone: string, boundaryHour: number): { start: Date; end: Date } {
  const local = new TZDate(now, timezone);
  let start = new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), boundaryHour, 0, 0, 0, timezone);
  if (local < start) start = subDays(start, 1);
  return { start: new Date(start.getTime()), end: new Date(addDays(start, 1).getTime()) };
}
