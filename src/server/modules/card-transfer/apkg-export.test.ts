import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import type { RatingName } from '../../../shared/review.js';
import { createScheduler, type MemoryState, newMemoryState } from '../review/scheduler.js';
import { readApkg } from './apkg.js';
import { type ApkgCard, type ApkgOptions, type ApkgReview, writeApkg } from './apkg-export.js';

const NOW = '2026-01-10T12:00:00.000Z';
const CREATED = '2026-01-01T10:00:00.000Z';

const scheduler = createScheduler({
  desiredRetention: 0.9,
  learningSteps: '1m 10m',
  relearningSteps: '10m',
  parameters: null,
});

/** A card's memory state and log after answering `answers` (rating, time) with the default settings. */
function answered(answers: [RatingName, string][], created = CREATED) {
  let memory = newMemoryState(created);
  const reviews: ApkgReview[] = [];
  for (const [rating, at] of answers) {
    const after = scheduler.answer(memory, rating, new Date(at));
    reviews.push({ rating, reviewedAt: at, durationMs: 4200, before: memory, after });
    memory = after;
  }
  return { memory, reviews };
}

let counter = 0;
function buildCard(overrides: Partial<ApkgCard> = {}): ApkgCard {
  counter += 1;
  return {
    id: `card-${counter}`,
    term: `palabra${counter}`,
    translation: `word ${counter}`,
    contextSentence: null,
    contextTranslation: null,
    tags: [],
    suspended: false,
    memory: newMemoryState(CREATED),
    createdAt: CREATED,
    updatedAt: CREATED,
    reviews: [],
    ...overrides,
  };
}

function buildOptions(overrides: Partial<ApkgOptions> = {}): ApkgOptions {
  return {
    languageName: 'Spanish',
    timezone: 'UTC',
    dayBoundaryHour: 4,
    learningSteps: '1m 10m',
    relearningSteps: '10m',
    newPerDay: 20,
    reviewsPerDay: 200,
    desiredRetention: 0.9,
    now: new Date(NOW),
    ...overrides,
  };
}

interface Col {
  crt: number;
  ver: number;
  conf: string;
  models: string;
  decks: string;
  dconf: string;
  tags: string;
}
interface Note {
  id: number;
  guid: string;
  mid: number;
  tags: string;
  flds: string;
  sfld: string;
  csum: number;
}
interface AnkiCard {
  id: number;
  nid: number;
  did: number;
  ord: number;
  type: number;
  queue: number;
  due: number;
  ivl: number;
  factor: number;
  reps: number;
  lapses: number;
  left: number;
  data: string;
}
interface Revlog {
  id: number;
  cid: number;
  ease: number;
  ivl: number;
  lastIvl: number;
  factor: number;
  time: number;
  type: number;
}

const open: SQLite.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** The package's files, and its collection opened as Anki would open it. */
function unpack(apkg: Uint8Array) {
  const files = unzipSync(apkg);
  const db = new SQLite(Buffer.from(files['collection.anki2']!));
  open.push(db);
  const byTerm = (rows: Note[]) => new Map(rows.map((n) => [n.flds.split('\x1f')[0], n]));
  const notes = db.prepare('select * from notes order by id').all() as Note[];
  return {
    files,
    db,
    col: db.prepare('select * from col').all() as Col[],
    notes,
    cards: db.prepare('select * from cards order by id').all() as AnkiCard[],
    revlog: db.prepare('select * from revlog order by id').all() as Revlog[],
    noteOf: byTerm(notes),
    cardOf(term: string): AnkiCard {
      const note = byTerm(notes).get(term);
      return db.prepare('select * from cards where nid = ?').get(note!.id) as AnkiCard;
    },
  };
}

const sha1Checksum = (text: string) => parseInt(createHash('sha1').update(text).digest('hex').slice(0, 8), 16);

describe('writeApkg', () => {
  it('writes a zip holding a schema 11 collection.anki2 and an empty media list', () => {
    const { files, col } = unpack(writeApkg([buildCard()], buildOptions()));
    expect(Object.keys(files).sort()).toEqual(['collection.anki2', 'media']);
    expect(strFromU8(files.media!)).toBe('{}');
    expect(col).toHaveLength(1);
    expect(col[0]!.ver).toBe(11);
  });

  it('writes a collection whose notes, cards, decks, presets and revlog all refer to what exists', () => {
    const learnt = answered([
      ['good', '2026-01-02T10:00:00.000Z'],
      ['good', '2026-01-02T10:10:00.000Z'],
    ]);
    const apkg = writeApkg(
      [
        buildCard({ term: 'hola', tags: ['greeting', 'a1'] }),
        buildCard({ term: 'perro', tags: ['animals'], ...learnt }),
        buildCard({ term: 'gato', ...answered([['again', '2026-01-02T10:00:00.000Z']]) }),
      ],
      buildOptions(),
    );
    const { db, col, notes, cards, revlog } = unpack(apkg);

    const models = JSON.parse(col[0]!.models) as Record<string, { id: number; flds: { name: string }[] }>;
    const decks = JSON.parse(col[0]!.decks) as Record<string, { id: number; name: string; conf: number; dyn: number }>;
    const dconf = JSON.parse(col[0]!.dconf) as Record<string, { id: number; new: { delays: number[] } }>;
    const conf = JSON.parse(col[0]!.conf) as Record<string, unknown>;
    expect(Object.values(models)).toHaveLength(1);
    const model = Object.values(models)[0]!;
    expect(String(model.id)).toBe(Object.keys(models)[0]);
    expect(model.flds.map((f) => f.name)).toEqual(['Term', 'Translation', 'Context', 'Context translation']);
    expect(Object.values(decks).map((d) => d.name)).toEqual(['Default', 'Language Tutor', 'Language Tutor::Spanish']);
    expect(decks['1']).toMatchObject({ id: 1, conf: 1, dyn: 0 });
    for (const [id, d] of Object.entries(decks)) {
      expect(String(d.id)).toBe(id);
      expect(dconf[String(d.conf)]).toBeDefined();
    }
    expect(dconf['1']).toMatchObject({ id: 1 });
    expect(conf).toMatchObject({ schedVer: 2, rollover: 4, creationOffset: 0, curModel: model.id, nextPos: 2 });
    expect(JSON.parse(col[0]!.tags)).toEqual({ a1: 0, animals: 0, greeting: 0 });

    expect(notes).toHaveLength(3);
    expect(new Set(notes.map((n) => n.id)).size).toBe(3);
    expect(new Set(notes.map((n) => n.guid)).size).toBe(3);
    for (const note of notes) {
      expect(models[String(note.mid)]).toBeDefined();
      expect(note.flds.split('\x1f')).toHaveLength(4);
      expect(note.csum).toBe(sha1Checksum(note.sfld));
    }
    expect(cards).toHaveLength(3);
    const noteIds = new Set(notes.map((n) => n.id));
    for (const card of cards) {
      expect(noteIds).toContain(card.nid);
      expect(decks[String(card.did)]?.name).toBe('Language Tutor::Spanish');
      expect(card.ord).toBe(0);
    }
    expect(revlog).toHaveLength(3);
    expect(new Set(revlog.map((r) => r.id)).size).toBe(3);
    const cardIds = new Set(cards.map((c) => c.id));
    for (const r of revlog) expect(cardIds).toContain(r.cid);

    // Anki reads these columns as 64-bit integers: a REAL there would not load.
    const stored = db
      .prepare(
        `select distinct typeof(id) || typeof(nid) || typeof(did) || typeof(due) || typeof(ivl) || typeof(queue) as t
           from cards
         union select distinct typeof(id) || typeof(mid) || typeof(csum) || typeof(mod) || '' from notes
         union select distinct typeof(id) || typeof(cid) || typeof(ivl) || typeof(lastIvl) || typeof(time) from revlog
         union select typeof(crt) || typeof(mod) || typeof(scm) from col`,
      )
      .all()
      .map((r) => (r as { t: string }).t);
    expect(stored.every((t) => /^(integer)+$/.test(t))).toBe(true);
    const indexes = db
      .prepare("select name from sqlite_master where type = 'index' and name like 'ix_%' order by name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(indexes).toEqual([
      'ix_cards_nid',
      'ix_cards_sched',
      'ix_cards_usn',
      'ix_notes_csum',
      'ix_notes_usn',
      'ix_revlog_cid',
      'ix_revlog_usn',
    ]);
    expect(db.prepare('select count(*) as n from graves').get()).toEqual({ n: 0 });
  });

  it('writes fields as escaped HTML, the sort field and checksum of the plain term, and tags without spaces', () => {
    const { notes } = unpack(
      writeApkg(
        [
          buildCard({
            term: 'R&B <b>"x"</b>',
            translation: 'uno\ndos',
            contextSentence: 'Me gusta el R&B.',
            contextTranslation: 'I like R&B.',
            tags: ['travel words', 'a1'],
          }),
        ],
        buildOptions(),
      ),
    );
    expect(notes[0]!.flds.split('\x1f')).toEqual([
      'R&amp;B &lt;b&gt;&quot;x&quot;&lt;/b&gt;',
      'uno<br>dos',
      'Me gusta el R&amp;B.',
      'I like R&amp;B.',
    ]);
    expect(notes[0]!.sfld).toBe('R&B <b>"x"</b>');
    expect(notes[0]!.csum).toBe(sha1Checksum('R&B <b>"x"</b>'));
    expect(notes[0]!.tags).toBe(' travel_words a1 ');
  });

  it('gives each state Anki’s type, queue, due, interval, ease and steps left, and suspended cards queue -1', () => {
    const review = answered([
      ['good', '2026-01-02T10:00:00.000Z'],
      ['good', '2026-01-02T10:10:00.000Z'],
      ['good', '2026-01-05T10:00:00.000Z'],
    ]);
    const relearning = answered([
      ['good', '2026-01-02T10:00:00.000Z'],
      ['good', '2026-01-02T10:10:00.000Z'],
      ['again', '2026-01-04T10:00:00.000Z'],
    ]);
    const learning = answered([['good', '2026-01-10T11:59:00.000Z']]);
    const interday: MemoryState = {
      ...learning.memory,
      due: '2026-01-12T11:59:00.000Z',
    };
    const { cardOf, col } = unpack(
      writeApkg(
        [
          buildCard({ term: 'nuevo1' }),
          buildCard({ term: 'repaso', ...review }),
          buildCard({ term: 'reaprender', ...relearning }),
          buildCard({ term: 'aprender', ...learning }),
          buildCard({ term: 'mañana', memory: interday }),
          buildCard({ term: 'suspendida', ...review, suspended: true }),
          buildCard({ term: 'nuevo2', createdAt: '2026-01-03T10:00:00.000Z' }),
        ],
        buildOptions(),
      ),
    );
    // Created 2026-01-01 10:00 UTC with days from 4 am: the collection's day 0 starts 2026-01-01 04:00 UTC.
    const crt = Date.parse('2026-01-01T04:00:00.000Z') / 1000;
    expect(col[0]!.crt).toBe(crt);
    const dayOf = (iso: string) => Math.floor((Date.parse(iso) / 1000 - crt) / 86_400);

    expect(cardOf('nuevo1')).toMatchObject({ type: 0, queue: 0, due: 1, ivl: 0, factor: 0, reps: 0, left: 0 });
    expect(cardOf('nuevo2')).toMatchObject({ type: 0, queue: 0, due: 2 });
    expect(JSON.parse(col[0]!.conf)).toMatchObject({ nextPos: 3 });

    expect(review.memory.state).toBe('review');
    expect(cardOf('repaso')).toMatchObject({
      type: 2,
      queue: 2,
      due: dayOf(review.memory.due),
      ivl: review.memory.scheduled_days,
      factor: 2500,
      reps: 3,
      lapses: 0,
      left: 0,
    });
    expect(JSON.parse(cardOf('repaso').data)).toEqual({
      s: review.memory.stability,
      d: review.memory.difficulty,
    });
    expect(cardOf('suspendida')).toMatchObject({ type: 2, queue: -1, due: dayOf(review.memory.due) });

    expect(relearning.memory.state).toBe('relearning');
    expect(cardOf('reaprender')).toMatchObject({
      type: 3,
      queue: 1,
      due: Date.parse(relearning.memory.due) / 1000,
      ivl: Math.max(1, Math.round(relearning.memory.stability)),
      reps: 3,
      lapses: 1,
      // One relearning step ("10m") left.
      left: 1001,
    });

    expect(learning.memory.state).toBe('learning');
    expect(cardOf('aprender')).toMatchObject({
      type: 1,
      queue: 1,
      due: Date.parse('2026-01-10T12:09:00.000Z') / 1000,
      ivl: 0,
      left: 1001,
    });
    // A learning step that ends on a later day is due by day, like Anki's interday learning.
    expect(cardOf('mañana')).toMatchObject({ type: 1, queue: 3, due: dayOf('2026-01-12T11:59:00.000Z') });
    expect(JSON.parse(cardOf('nuevo1').data)).toEqual({});
  });

  it('counts due days in the learner’s time zone from their day boundary', () => {
    const due = '2026-01-15T08:30:00.000Z'; // 3:30 am in New York: still the review day of 14 January there
    const memory: MemoryState = {
      ...answered([['easy', '2026-01-02T10:00:00.000Z']]).memory,
      due,
    };
    const options = buildOptions({ timezone: 'America/New_York' });
    const { col, cards } = unpack(writeApkg([buildCard({ memory })], options));
    // The creation day starts at 4 am New York time (UTC−5 in January) on 1 January.
    expect(col[0]!.crt).toBe(Date.parse('2026-01-01T09:00:00.000Z') / 1000);
    expect(JSON.parse(col[0]!.conf)).toMatchObject({ rollover: 4, creationOffset: 300, localOffset: 300 });
    expect(cards[0]!.due).toBe(13);
    const { cards: utc } = unpack(writeApkg([buildCard({ memory })], buildOptions()));
    expect(utc[0]!.due).toBe(14);
  });

  it('starts the collection on the earliest day a card is due, so no due day is negative', () => {
    // An imported card: created today, due long before.
    const old = answered([['easy', '2025-06-01T10:00:00.000Z']], '2025-06-01T09:00:00.000Z').memory;
    const { col, cards } = unpack(writeApkg([buildCard({ memory: old, createdAt: NOW })], buildOptions()));
    expect(cards[0]!.due).toBe(0);
    expect(col[0]!.crt).toBe(Date.parse(old.due.slice(0, 10) + 'T04:00:00.000Z') / 1000);
  });

  it('logs every answer with its button, kind, intervals and time, with unique ids for answers in the same ms', () => {
    const same = '2026-01-02T10:00:00.000Z';
    const first = answered([
      ['good', same],
      ['good', '2026-01-02T10:10:00.000Z'],
      ['again', '2026-01-05T10:00:00.000Z'],
      ['good', '2026-01-05T10:10:00.000Z'],
    ]);
    const second = answered([['hard', same]]);
    const { revlog, cardOf } = unpack(
      writeApkg([buildCard({ term: 'uno', ...first }), buildCard({ term: 'dos', ...second })], buildOptions()),
    );
    const uno = cardOf('uno').id;
    const dos = cardOf('dos').id;
    const t = (iso: string) => Date.parse(iso);
    const graduated = first.reviews[1]!.after.scheduled_days;
    const entry = { usn: 0, factor: 2500, time: 4200 };
    expect(second.memory.state).toBe('learning');
    expect(first.memory.state).toBe('review');
    expect(revlog).toEqual([
      { ...entry, id: t(same), cid: uno, ease: 3, ivl: -600, lastIvl: 0, type: 0 },
      {
        ...entry,
        id: t(same) + 1,
        cid: dos,
        ease: 2,
        ivl: -(t(second.memory.due) - t(same)) / 1000,
        lastIvl: 0,
        type: 0,
      },
      { ...entry, id: t('2026-01-02T10:10:00.000Z'), cid: uno, ease: 3, ivl: graduated, lastIvl: -600, type: 0 },
      { ...entry, id: t('2026-01-05T10:00:00.000Z'), cid: uno, ease: 1, ivl: -600, lastIvl: graduated, type: 1 },
      {
        ...entry,
        id: t('2026-01-05T10:10:00.000Z'),
        cid: uno,
        ease: 3,
        ivl: first.memory.scheduled_days,
        lastIvl: -600,
        type: 2,
      },
    ]);
    expect(graduated).toBeGreaterThanOrEqual(1);
  });

  it('writes a language without cards as a valid empty collection', () => {
    const { col, notes, cards, revlog } = unpack(writeApkg([], buildOptions()));
    expect(col).toHaveLength(1);
    expect(col[0]!.crt).toBe(Date.parse('2026-01-10T04:00:00.000Z') / 1000);
    for (const json of [col[0]!.conf, col[0]!.models, col[0]!.decks, col[0]!.dconf, col[0]!.tags]) {
      expect(() => JSON.parse(json) as unknown).not.toThrow();
    }
    expect([notes, cards, revlog]).toEqual([[], [], []]);
  });

  it('writes what the .apkg import reads back: terms, translations, tags and each card’s answers', () => {
    const history = answered([
      ['good', '2026-01-02T10:00:00.000Z'],
      ['good', '2026-01-02T10:10:00.000Z'],
    ]);
    const notes = readApkg(
      writeApkg(
        [
          buildCard({ term: 'el <perro>', translation: 'the dog & co', tags: ['animals'], ...history }),
          buildCard({ term: 'casa', translation: 'house' }),
        ],
        buildOptions(),
      ),
    );
    expect(notes.map((n) => [n.term, n.translation, n.tags, n.reviews.map((r) => [r.id, r.rating])])).toEqual([
      [
        'el <perro>',
        'the dog & co',
        ['animals'],
        [
          [Date.parse('2026-01-02T10:00:00.000Z'), 'good'],
          [Date.parse('2026-01-02T10:10:00.000Z'), 'good'],
        ],
      ],
      ['casa', 'house', [], []],
    ]);
  });
});
