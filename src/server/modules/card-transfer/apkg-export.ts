/**
 * Writes an Anki deck package (.apkg) that every Anki version imports: a zip holding `collection.anki2`, a
 * legacy (schema 11) Anki collection written with SQLite, and an empty `media` list. Each card becomes one note
 * of the note type "Language Tutor" (fields Term, Translation, Context, Context translation; one card template,
 * term on the front) in the deck "Language Tutor::<language>". Each card keeps its scheduling in Anki's terms,
 * its FSRS memory state (in the card's `data`, where recent Anki versions keep it) and its answers (revlog).
 */
import { createHash } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import SQLite from 'better-sqlite3';
import { strToU8, zipSync } from 'fflate';
import type { CardState } from '../../../shared/cards.js';
import type { RatingName } from '../../../shared/review.js';
import { reviewDay } from '../review/review-day.js';
import type { MemoryState } from '../review/scheduler.js';

export const APKG_COLLECTION_FILE = 'collection.anki2';
export const APKG_FIELD_NAMES = ['Term', 'Translation', 'Context', 'Context translation'] as const;
export const APKG_PARENT_DECK = 'Language Tutor';

/** The collection schema of `collection.anki2`, which every Anki version can still import. */
const SCHEMA_VERSION = 11;
/**
 * Fixed ids: Anki matches an imported note type by id, so a second export reuses the note type the first one
 * added. (Decks are matched by name and presets are added only when their id is new.)
 */
const NOTE_TYPE_ID = 1_767_225_600_000;
const PRESET_ID = 1_767_225_600_001;
const PARENT_DECK_ID = 1_767_225_600_002;
const LANGUAGE_DECK_ID = 1_767_225_600_003;
/** Anki's default deck and preset, which every collection has. */
const DEFAULT_ID = 1;
/**
 * The note type's modification time, changed only when its fields or templates change: Anki replaces a note type
 * on import only when the incoming one is newer, so a learner's own edits of the templates survive re-imports.
 */
const NOTE_TYPE_MOD = 1_767_225_600;
/** Anki keeps ease ×1000; FSRS ignores it, and 2500 is Anki's starting ease. */
const FSRS_EASE = 2500;
const FIELD_SEPARATOR = '\x1f';
const DAY_MS = 86_400_000;

const ANKI_TYPE: Record<CardState, number> = { new: 0, learning: 1, review: 2, relearning: 3 };
const QUEUE = { suspended: -1, new: 0, learning: 1, review: 2, dayLearning: 3 } as const;
const EASE: Record<RatingName, number> = { again: 1, hard: 2, good: 3, easy: 4 };
/** revlog.type by the state the card was in when answered: 0 learning (and new), 1 review, 2 relearning. */
const REVLOG_TYPE: Record<CardState, number> = { new: 0, learning: 0, review: 1, relearning: 2 };

export interface ApkgReview {
  rating: RatingName;
  reviewedAt: string;
  durationMs: number;
  before: MemoryState;
  after: MemoryState;
}

export interface ApkgCard {
  /** The card's id here: the note's Anki guid derives from it, so re-importing updates the note. */
  id: string;
  term: string;
  translation: string;
  contextSentence: string | null;
  contextTranslation: string | null;
  tags: readonly string[];
  suspended: boolean;
  memory: MemoryState;
  createdAt: string;
  updatedAt: string;
  /** The card's answers, oldest first. */
  reviews: readonly ApkgReview[];
}

/** The deck and the learner's review settings, which Anki's days and the deck's preset follow. */
export interface ApkgOptions {
  /** The language's name: the deck is "Language Tutor::<name>". */
  languageName: string;
  /** The learner's time zone and day boundary hour: Anki counts due days the way the learner's review days run. */
  timezone: string;
  dayBoundaryHour: number;
  learningSteps: string;
  relearningSteps: string;
  newPerDay: number;
  reviewsPerDay: number;
  desiredRetention: number;
  now: Date;
}

interface NoteRow {
  id: number;
  guid: string;
  mid: number;
  mod: number;
  usn: number;
  tags: string;
  flds: string;
  sfld: string;
  csum: number;
  flags: number;
  data: string;
}

interface CardRow {
  id: number;
  nid: number;
  did: number;
  ord: number;
  mod: number;
  usn: number;
  type: number;
  queue: number;
  due: number;
  ivl: number;
  factor: number;
  reps: number;
  lapses: number;
  left: number;
  odue: number;
  odid: number;
  flags: number;
  data: string;
}

interface RevlogRow {
  id: number;
  cid: number;
  usn: number;
  ease: number;
  ivl: number;
  lastIvl: number;
  factor: number;
  time: number;
  type: number;
}

interface ColRow {
  id: number;
  crt: number;
  mod: number;
  scm: number;
  ver: number;
  dty: number;
  usn: number;
  ls: number;
  conf: string;
  models: string;
  decks: string;
  dconf: string;
  tags: string;
}

/** Anki's legacy collection schema (tables and the indexes Anki creates), written out here. */
const SCHEMA = `
  create table col (
    id integer primary key, crt integer not null, mod integer not null, scm integer not null,
    ver integer not null, dty integer not null, usn integer not null, ls integer not null,
    conf text not null, models text not null, decks text not null, dconf text not null, tags text not null
  );
  create table notes (
    id integer primary key, guid text not null, mid integer not null, mod integer not null,
    usn integer not null, tags text not null, flds text not null, sfld integer not null,
    csum integer not null, flags integer not null, data text not null
  );
  create table cards (
    id integer primary key, nid integer not null, did integer not null, ord integer not null,
    mod integer not null, usn integer not null, type integer not null, queue integer not null,
    due integer not null, ivl integer not null, factor integer not null, reps integer not null,
    lapses integer not null, left integer not null, odue integer not null, odid integer not null,
    flags integer not null, data text not null
  );
  create table revlog (
    id integer primary key, cid integer not null, usn integer not null, ease integer not null,
    ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null,
    type integer not null
  );
  create table graves (usn integer not null, oid integer not null, type integer not null);
  create index ix_notes_usn on notes (usn);
  create index ix_cards_usn on cards (usn);
  create index ix_revlog_usn on revlog (usn);
  create index ix_cards_nid on cards (nid);
  create index ix_cards_sched on cards (did, queue, due);
  create index ix_revlog_cid on revlog (cid);
  create index ix_notes_csum on notes (csum);
`;

const QUESTION = '<div class="term">{{Term}}</div>';
const ANSWER = [
  '{{FrontSide}}',
  '<hr id="answer">',
  '<div class="translation">{{Translation}}</div>',
  '{{#Context}}<div class="context">{{Context}}</div>{{/Context}}',
  '{{#Context translation}}<div class="context-translation">{{Context translation}}</div>{{/Context translation}}',
].join('\n');
const CSS = [
  '.card { font-family: system-ui, sans-serif; font-size: 22px; text-align: center; color: black; background: white; }',
  '.term { font-size: 30px; }',
  '.context { margin-top: 1em; font-style: italic; }',
  '.context-translation { color: #555; }',
].join('\n');
const LATEX_PRE =
  '\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n' +
  '\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n';
const LATEX_POST = '\\end{document}';

const toSeconds = (at: Date | string) => Math.floor(new Date(at).getTime() / 1000);

/** Text as an Anki field: markup characters escaped, line breaks as `<br>`. */
export function htmlField(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** A field as Anki compares it (its sort field and duplicate checksum): tags removed, entities decoded. */
export function ankiPlainText(field: string): string {
  return field
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Anki's duplicate checksum: the first 8 hex digits of the SHA-1 of the plain first field, as a number. */
export function ankiChecksum(firstField: string): number {
  return parseInt(createHash('sha1').update(ankiPlainText(firstField)).digest('hex').slice(0, 8), 16);
}

/** Anki tags cannot hold spaces: "travel words" becomes "travel_words". */
const ankiTag = (tag: string) => tag.trim().replace(/\s+/gu, '_');

/** "1m 10m 1h 1d" as Anki's step list, in minutes. */
function stepMinutes(steps: string): number[] {
  const unit: Record<string, number> = { m: 1, h: 60, d: 1440 };
  return steps
    .split(/\s+/)
    .map((step) => /^(\d+)([mhd])$/.exec(step))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]) * unit[m[2]!]!);
}

/**
 * Anki's day numbers: whole days since the collection's creation day, with days running from the learner's
 * boundary hour in their time zone (the review days of this app, and Anki's "next day starts at").
 */
function dayCounter(timezone: string, boundaryHour: number) {
  return (at: Date | string): number => {
    const start = new TZDate(reviewDay(new Date(at), timezone, boundaryHour).start, timezone);
    return Date.UTC(start.getFullYear(), start.getMonth(), start.getDate()) / DAY_MS;
  };
}

/** Ids that are the given times in epoch milliseconds, made unique (and increasing) by moving ties on by 1 ms. */
function uniqueMillis(times: readonly number[]): number[] {
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  const ids = new Array<number>(times.length);
  let last = -Infinity;
  for (const i of order) {
    last = Math.max(times[i]!, last + 1);
    ids[i] = last;
  }
  return ids;
}

/** A revlog interval: positive in days, negative in seconds (learning steps shorter than a day). */
function revlogInterval(m: MemoryState): number {
  if (m.state === 'new') return 0;
  if (m.state === 'review') return Math.max(1, m.scheduled_days);
  if (!m.last_reviewed_at) return 0;
  const seconds = Math.round((Date.parse(m.due) - Date.parse(m.last_reviewed_at)) / 1000);
  return seconds < DAY_MS / 1000 ? -seconds : Math.round(seconds / (DAY_MS / 1000));
}

function preset(
  id: number,
  name: string,
  mod: number,
  s: { learn: number[]; relearn: number[]; newPerDay: number; reviewsPerDay: number; desiredRetention: number },
) {
  return {
    id,
    name,
    mod,
    usn: 0,
    maxTaken: 60,
    autoplay: true,
    timer: 0,
    replayq: true,
    dyn: false,
    new: { bury: false, delays: s.learn, initialFactor: FSRS_EASE, ints: [1, 4, 0], order: 1, perDay: s.newPerDay },
    rev: { bury: false, ease4: 1.3, ivlFct: 1, maxIvl: 36500, perDay: s.reviewsPerDay, hardFactor: 1.2 },
    lapse: { delays: s.relearn, leechAction: 1, leechFails: 8, minInt: 1, mult: 0 },
    desiredRetention: s.desiredRetention,
  };
}

function deck(id: number, name: string, conf: number, mod: number) {
  return {
    id,
    name,
    mod,
    usn: 0,
    desc: '',
    dyn: 0,
    conf,
    collapsed: false,
    browserCollapsed: false,
    extendNew: 0,
    extendRev: 0,
    newToday: [0, 0],
    revToday: [0, 0],
    lrnToday: [0, 0],
    timeToday: [0, 0],
  };
}

function noteType(deckId: number) {
  return {
    id: NOTE_TYPE_ID,
    name: APKG_PARENT_DECK,
    type: 0,
    mod: NOTE_TYPE_MOD,
    usn: 0,
    sortf: 0,
    did: deckId,
    flds: APKG_FIELD_NAMES.map((name, ord) => ({
      name,
      ord,
      sticky: false,
      rtl: false,
      font: 'Arial',
      size: 20,
      media: [],
    })),
    tmpls: [
      { name: 'Card 1', ord: 0, qfmt: QUESTION, afmt: ANSWER, bqfmt: '', bafmt: '', did: null, bfont: '', bsize: 0 },
    ],
    css: CSS,
    latexPre: LATEX_PRE,
    latexPost: LATEX_POST,
    latexsvg: false,
    // The one template needs the first field (Term).
    req: [[0, 'any', [0]]],
    tags: [],
    vers: [],
  };
}

/** The rows of the collection: one note and one card per card, and a revlog row per answer. */
function buildCollection(cards: readonly ApkgCard[], options: ApkgOptions) {
  const { now } = options;
  const dayOf = dayCounter(options.timezone, options.dayBoundaryHour);
  const learn = stepMinutes(options.learningSteps);
  const relearn = stepMinutes(options.relearningSteps);

  // The collection is "created" at the start of the earliest day anything happens on, so no due day is negative.
  let earliest = now.getTime();
  for (const c of cards) {
    earliest = Math.min(earliest, Date.parse(c.createdAt));
    if (c.memory.state !== 'new') earliest = Math.min(earliest, Date.parse(c.memory.due));
  }
  const created = reviewDay(new Date(earliest), options.timezone, options.dayBoundaryHour).start;
  const createdDay = dayOf(created);

  const ids = uniqueMillis(cards.map((c) => Date.parse(c.createdAt)));
  const notes: NoteRow[] = [];
  const ankiCards: CardRow[] = [];
  const answers: { time: number; row: Omit<RevlogRow, 'id'> }[] = [];
  const tagSet = new Set<string>();
  let position = 0;

  cards.forEach((card, i) => {
    const id = ids[i]!;
    const m = card.memory;
    const tags = card.tags.map(ankiTag).filter((t) => t !== '');
    for (const t of tags) tagSet.add(t);
    const fields = [
      htmlField(card.term),
      htmlField(card.translation),
      htmlField(card.contextSentence ?? ''),
      htmlField(card.contextTranslation ?? ''),
    ];
    notes.push({
      id,
      guid: createHash('sha256').update(`language-tutor:${card.id}`).digest('base64url').slice(0, 10),
      mid: NOTE_TYPE_ID,
      mod: toSeconds(card.updatedAt),
      usn: 0,
      tags: tags.length > 0 ? ` ${tags.join(' ')} ` : '',
      flds: fields.join(FIELD_SEPARATOR),
      sfld: ankiPlainText(fields[0]!),
      csum: ankiChecksum(fields[0]!),
      flags: 0,
      data: '',
    });

    let queue: number;
    let due: number;
    let ivl = 0;
    let left = 0;
    if (m.state === 'new') {
      queue = QUEUE.new;
      due = ++position;
    } else if (m.state === 'review') {
      queue = QUEUE.review;
      due = dayOf(m.due) - createdDay;
      ivl = Math.max(1, m.scheduled_days);
    } else {
      // A step that ends on a later day is Anki's "interday learning", due by day; shorter steps by the second.
      const interday = m.last_reviewed_at !== null && dayOf(m.due) > dayOf(m.last_reviewed_at);
      queue = interday ? QUEUE.dayLearning : QUEUE.learning;
      due = interday ? dayOf(m.due) - createdDay : toSeconds(m.due);
      // Relearning keeps the interval the card returns to: what FSRS gives its stability (at 90 % retention).
      ivl = m.state === 'relearning' ? Math.max(1, Math.round(m.stability)) : 0;
      const steps = m.state === 'learning' ? learn : relearn;
      const remaining = Math.max(1, steps.length - m.learning_steps);
      // Anki's legacy encoding: steps that can be done today ×1000, plus steps left.
      left = remaining * 1000 + remaining;
    }
    ankiCards.push({
      id,
      nid: id,
      did: LANGUAGE_DECK_ID,
      ord: 0,
      mod: toSeconds(card.updatedAt),
      usn: 0,
      type: ANKI_TYPE[m.state],
      queue: card.suspended ? QUEUE.suspended : queue,
      due,
      ivl,
      factor: m.state === 'new' ? 0 : FSRS_EASE,
      reps: m.reps,
      lapses: m.lapses,
      left,
      odue: 0,
      odid: 0,
      flags: 0,
      data: m.state === 'new' ? '{}' : JSON.stringify({ s: m.stability, d: m.difficulty }),
    });

    for (const r of card.reviews) {
      answers.push({
        time: Date.parse(r.reviewedAt),
        row: {
          cid: id,
          usn: 0,
          ease: EASE[r.rating],
          ivl: revlogInterval(r.after),
          lastIvl: revlogInterval(r.before),
          factor: FSRS_EASE,
          time: Math.max(0, Math.min(2 ** 31 - 1, Math.round(r.durationMs))),
          type: REVLOG_TYPE[r.before.state],
        },
      });
    }
  });

  // revlog ids are the answers' times in milliseconds and must be unique in the collection.
  const revlogIds = uniqueMillis(answers.map((a) => a.time));
  const revlog: RevlogRow[] = answers.map((a, i) => ({ id: revlogIds[i]!, ...a.row }));

  const mod = toSeconds(now);
  const settings = {
    learn,
    relearn,
    newPerDay: options.newPerDay,
    reviewsPerDay: options.reviewsPerDay,
    desiredRetention: options.desiredRetention,
  };
  const defaults = { learn: [1, 10], relearn: [10], newPerDay: 20, reviewsPerDay: 200, desiredRetention: 0.9 };
  const languageDeck = `${APKG_PARENT_DECK}::${options.languageName}`;
  const col: ColRow = {
    id: 1,
    crt: toSeconds(created),
    mod: now.getTime(),
    scm: now.getTime(),
    ver: SCHEMA_VERSION,
    dty: 0,
    usn: 0,
    ls: 0,
    conf: JSON.stringify({
      activeDecks: [LANGUAGE_DECK_ID],
      curDeck: LANGUAGE_DECK_ID,
      curModel: NOTE_TYPE_ID,
      nextPos: position + 1,
      // The v2 scheduler's day handling: days roll over at `rollover` o'clock, counted from the creation day in
      // the time zone `creationOffset` (minutes west of UTC), so due days mean what the learner's review days do.
      schedVer: 2,
      rollover: options.dayBoundaryHour,
      creationOffset: new TZDate(created, options.timezone).getTimezoneOffset(),
      localOffset: new TZDate(now, options.timezone).getTimezoneOffset(),
      newSpread: 0,
      collapseTime: 1200,
      timeLim: 0,
      estTimes: true,
      dueCounts: true,
      sortType: 'noteFld',
      sortBackwards: false,
      addToCur: true,
    }),
    models: JSON.stringify({ [NOTE_TYPE_ID]: noteType(LANGUAGE_DECK_ID) }),
    decks: JSON.stringify({
      [DEFAULT_ID]: deck(DEFAULT_ID, 'Default', DEFAULT_ID, mod),
      [PARENT_DECK_ID]: deck(PARENT_DECK_ID, APKG_PARENT_DECK, PRESET_ID, mod),
      [LANGUAGE_DECK_ID]: deck(LANGUAGE_DECK_ID, languageDeck, PRESET_ID, mod),
    }),
    dconf: JSON.stringify({
      [DEFAULT_ID]: preset(DEFAULT_ID, 'Default', mod, defaults),
      [PRESET_ID]: preset(PRESET_ID, APKG_PARENT_DECK, mod, settings),
    }),
    tags: JSON.stringify(Object.fromEntries([...tagSet].sort().map((t) => [t, 0]))),
  };
  return { col, notes, cards: ankiCards, revlog };
}

/** The collection as the bytes of its SQLite file (built in memory, nothing on disk). */
function writeCollection({ col, notes, cards, revlog }: ReturnType<typeof buildCollection>): Uint8Array {
  const db = new SQLite(':memory:');
  try {
    db.exec(SCHEMA);
    const insert = <Row extends object>(table: string, columns: readonly (keyof Row & string)[]) =>
      db.prepare<Row>(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
      );
    const colInsert = insert<ColRow>('col', Object.keys(col) as (keyof ColRow)[]);
    const noteInsert = insert<NoteRow>('notes', [
      'id',
      'guid',
      'mid',
      'mod',
      'usn',
      'tags',
      'flds',
      'sfld',
      'csum',
      'flags',
      'data',
    ]);
    const cardInsert = insert<CardRow>('cards', [
      'id',
      'nid',
      'did',
      'ord',
      'mod',
      'usn',
      'type',
      'queue',
      'due',
      'ivl',
      'factor',
      'reps',
      'lapses',
      'left',
      'odue',
      'odid',
      'flags',
      'data',
    ]);
    const revlogInsert = insert<RevlogRow>('revlog', [
      'id',
      'cid',
      'usn',
      'ease',
      'ivl',
      'lastIvl',
      'factor',
      'time',
      'type',
    ]);
    db.transaction(() => {
      colInsert.run(col);
      for (const note of notes) noteInsert.run(note);
      for (const card of cards) cardInsert.run(card);
      for (const entry of revlog) revlogInsert.run(entry);
    })();
    return db.serialize();
  } finally {
    db.close();
  }
}

/**
 * One language's cards as an Anki package. Cards are given oldest first; each card's reviews oldest first. New
 * cards keep their order as Anki's new-card positions.
 */
export function writeApkg(cards: readonly ApkgCard[], options: ApkgOptions): Uint8Array {
  const collection = writeCollection(buildCollection(cards, options));
  return zipSync({ [APKG_COLLECTION_FILE]: collection, media: strToU8('{}') });
}
