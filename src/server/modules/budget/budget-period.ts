import { TZDate } from '@date-fns/tz';
import {
  addDays,
  addMonths,
  addWeeks,
  differenceInCalendarDays,
  format,
  startOfDay,
  startOfMonth,
  startOfWeek,
} from 'date-fns';
import type { BudgetPeriod } from '../../../shared/budget.js';

/** The part of a budget's definition that decides its periods. */
export interface PeriodDefinition {
  period: BudgetPeriod;
  /** Length of a custom period in days. */
  customDays: number | null;
  /** yyyy-MM-dd: the first day of the first custom period. */
  anchorDate: string | null;
}

export interface PeriodWindow {
  start: Date;
  /** Exclusive. */
  end: Date;
}

/**
 * The last window computed per definition and zone. The periods of one definition tile time, so while `now` lies
 * in that window it is the answer; the zone arithmetic it saves costs more than the rest of a budget reservation.
 * Pure arithmetic on the definition (no user data), bounded.
 */
const recentWindows = new Map<string, PeriodWindow>();
const RECENT_WINDOWS_MAX = 1_000;

/**
 * The period of a budget that contains `now`, in `timezone`: the calendar month, the week from Monday, the day,
 * or the run of `customDays` days counted from the anchor date. Periods follow each other by themselves — there is
 * nothing to roll over; a call simply lands in the window its time falls in.
 */
export function periodAt(definition: PeriodDefinition, timezone: string, now: Date): PeriodWindow {
  // A custom period without an anchor is anchored on `now`'s own date: its windows do not tile time.
  const memo = definition.period !== 'custom' || definition.anchorDate !== null;
  const key = `${definition.period}|${definition.customDays ?? ''}|${definition.anchorDate ?? ''}|${timezone}`;
  const at = now.getTime();
  const recent = memo ? recentWindows.get(key) : undefined;
  if (recent && recent.start.getTime() <= at && at < recent.end.getTime()) return copyWindow(recent);
  const window = computePeriod(definition, timezone, now);
  if (memo) {
    if (recentWindows.size >= RECENT_WINDOWS_MAX) recentWindows.delete(recentWindows.keys().next().value!);
    recentWindows.set(key, copyWindow(window));
  }
  return window;
}

function copyWindow(window: PeriodWindow): PeriodWindow {
  return { start: new Date(window.start.getTime()), end: new Date(window.end.getTime()) };
}

function computePeriod(definition: PeriodDefinition, timezone: string, now: Date): PeriodWindow {
  const local = new TZDate(now, timezone);
  let start: Date;
  let end: Date;
  switch (definition.period) {
    case 'monthly':
      start = startOfMonth(local);
      end = addMonths(start, 1);
      break;
    case 'weekly':
      start = startOfWeek(local, { weekStartsOn: 1 });
      end = addWeeks(start, 1);
      break;
    case 'daily':
      start = startOfDay(local);
      end = addDays(start, 1);
      break;
    case 'custom': {
      const days = definition.customDays ?? 30;
      const anchor = anchorStart(definition.anchorDate ?? format(local, 'yyyy-MM-dd'), timezone);
      const index = Math.floor(differenceInCalendarDays(local, anchor) / days);
      start = addDays(anchor, index * days);
      end = addDays(start, days);
      break;
    }
  }
  return { start: new Date(start.getTime()), end: new Date(end.getTime()) };
}

/** Midnight at the start of `date` (yyyy-MM-dd) in `timezone`. */
function anchorStart(date: string, timezone: string): TZDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return startOfDay(TZDate.tz(timezone, y, m - 1, d));
}

/** Today's date (yyyy-MM-dd) in `timezone`. */
export function localDate(now: Date, timezone: string): string {
  return format(new TZDate(now, timezone), 'yyyy-MM-dd');
}

/** "1 Feb 2026, 00:00 (Europe/Berlin)": when a period ends, for messages. */
export function describeInstant(at: Date, timezone: string): string {
  return `${format(new TZDate(at, timezone), 'd MMM yyyy, HH:mm')} (${timezone})`;
}
