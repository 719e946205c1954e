/**
 * How the UI words and formats what the API answers. Formatting only: every number shown is computed by the
 * API; dates are shown in the learner's time zone from their profile, in the browser's locale.
 */
import type { CardState } from '../../shared/cards.js';
import { LANGUAGE_NAMES, type NativeLanguage, type TargetLanguage } from '../../shared/languages.js';
import type { LearningSession, SessionStatus, SessionType } from '../../shared/learning-sessions.js';
import type { RatingName } from '../../shared/review.js';

export const SESSION_TYPE_LABELS: Record<SessionType, string> = {
  scenario: 'Scenario',
  content_study: 'Content study',
  vocabulary_review: 'Vocabulary review',
  conversation: 'Conversation',
};

export const SESSION_STATUS_LABELS: Record<SessionStatus, string> = {
  active: 'In progress',
  completed: 'Completed',
};

/*
 * The lists of types and statuses, in the API's order. They come from the label maps (whose Record types make
 * a new type or status a compile error here) rather than from SESSION_TYPES in src/shared, because importing a
 * value from a schema module would pull zod into the browser bundle.
 */
export const SESSION_TYPE_LIST = Object.keys(SESSION_TYPE_LABELS) as SessionType[];
export const SESSION_STATUS_LIST = Object.keys(SESSION_STATUS_LABELS) as SessionStatus[];

export function languageName(code: NativeLanguage): string {
  return LANGUAGE_NAMES[code];
}

/** "0 min", "45 s", "12 min", "1 h 5 min". */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return '0 min';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });

/** A 0–1 ratio as a percentage; null (nothing answered) reads as a dash. */
export function formatAccuracy(ratio: number | null): string {
  return ratio === null ? '—' : percent.format(ratio);
}

/** A session's accuracy, or null when it has no answers yet (the API then reports 0). */
export function sessionAccuracy(session: LearningSession): number | null {
  return session.itemsCorrect + session.itemsIncorrect > 0 ? session.accuracy : null;
}

export function formatDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
}

export function formatCount(n: number, one: string, many: string): string {
  return `${new Intl.NumberFormat().format(n)} ${n === 1 ? one : many}`;
}

/** A calendar day ('YYYY-MM-DD', already in the learner's zone) in words. */
export function formatDay(date: string, style: 'short' | 'long'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'short'
      ? { day: 'numeric', timeZone: 'UTC' }
      : { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(undefined, options).format(new Date(`${date}T00:00:00Z`));
}

/** The weekday's initial of a calendar day ('YYYY-MM-DD'). */
export function formatWeekday(date: string): string {
  return new Intl.DateTimeFormat(undefined, { weekday: 'narrow', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** The API's messages are lower-case fragments ("must not be empty"); the UI shows them as sentences. */
export function sentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return trimmed;
  const capitalised = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** The IANA time zones this browser knows, with `current` included even if it does not list it (e.g. "UTC"). */
export function timeZoneOptions(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zones = new Set(known);
  zones.add('UTC');
  if (current) zones.add(current);
  return [...zones].sort((a, b) => a.localeCompare(b));
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Totals of several { seconds, sessions } buckets (days of activity, types of stats). */
export function sumBuckets(buckets: readonly { seconds: number; sessions: number }[]): {
  seconds: number;
  sessions: number;
} {
  return buckets.reduce((acc, b) => ({ seconds: acc.seconds + b.seconds, sessions: acc.sessions + b.sessions }), {
    seconds: 0,
    sessions: 0,
  });
}

export const CARD_STATE_LABELS: Record<CardState, string> = {
  new: 'New',
  learning: 'Learning',
  review: 'Review',
  relearning: 'Relearning',
};

/** The card states in the API's order (from the label map, for the same reason as SESSION_TYPE_LIST). */
export const CARD_STATE_LIST = Object.keys(CARD_STATE_LABELS) as CardState[];

export const RATING_LABELS: Record<RatingName, string> = { again: 'Again', hard: 'Hard', good: 'Good', easy: 'Easy' };

/** The ratings in the order of their buttons and of the keys 1–4. */
export const RATING_LIST = Object.keys(RATING_LABELS) as RatingName[];

/** The voice to read a term in: one regional variant per target language. */
export const SPEECH_LOCALES: Record<TargetLanguage, string> = {
  es: 'es-ES',
  fr: 'fr-FR',
  de: 'de-DE',
  it: 'it-IT',
  pt: 'pt-PT',
  en: 'en-GB',
};

/** One decimal place, without a trailing ".0" ("3.5", "2"). */
function oneDecimal(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/**
 * A scheduling interval the way Anki words it on its answer buttons: "30 s", "1 min", "10 min", "5 h", "2 d",
 * "3.5 mo", "1.2 y" (a month is 30 days, a year 365).
 */
export function formatInterval(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  // Each unit is used while its rounded value stays below the next unit, so 59.9 minutes reads "1 h".
  if (s < 60) return `${s} s`;
  if (Math.round(s / 60) < 60) return `${Math.round(s / 60)} min`;
  const hours = Math.round((s / 3600) * 10) / 10;
  if (hours < 24) return `${oneDecimal(hours)} h`;
  const days = s / 86_400;
  if (Math.round(days) < 30) return `${Math.max(1, Math.round(days))} d`;
  const months = Math.round((days / 30) * 10) / 10;
  if (months < 12) return `${oneDecimal(months)} mo`;
  return `${oneDecimal(days / 365)} y`;
}

/** When a card is next due, relative to `now`: "now" or "in 2 d". */
export function formatDueIn(iso: string, now: number = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  return seconds <= 0 ? 'now' : `in ${formatInterval(seconds)}`;
}
