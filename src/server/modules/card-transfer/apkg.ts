/**
 * Reads an Anki deck package (.apkg): a zip holding the collection as an SQLite database, `collection.anki21`
 * (Anki 2.1) or `collection.anki2` (older). Each note becomes one card: its first field the term, its second the
 * translation, HTML removed; its tags kept; a later field named as a context or example sentence (in any of our
 * languages: "Context", "Example", "Beispielsatz", "Frase"…) its context sentence, and one named as that
 * sentence's translation its context translation. The note's first card brings its review history (revlog), so
 * its memory state can be replayed, and whether it is suspended.
 */
import SQLite from 'better-sqlite3';
import { unzipSync } from 'fflate';
import type { RatingName } from '../../../shared/review.js';
import { ImportFileError } from './import-file-error.js';

/** The largest collection the import unpacks, in bytes. */
export const APKG_MAX_COLLECTION_BYTES = 200 * 1024 * 1024;

const COLLECTION_NAMES = ['collection.anki21', 'collection.anki2'] as const;
const FIELD_SEPARATOR = '\x1f';
const RATINGS: Record<number, RatingName> = { 1: 'again', 2: 'hard', 3: 'good', 4: 'easy' };
/** revlog.type 4 (manual reschedule) and higher (rescheduled, filtered-deck resets) are not answers. */
const LAST_ANSWER_TYPE = 3;

export interface AnkiReview {
  /** revlog.id: the review's time in epoch milliseconds, unique in the collection. */
  id: number;
  rating: RatingName;
  durationMs: number;
}

export interface AnkiNote {
  /** 1-based position among the notes, oldest first: how a rejected note is reported. */
  position: number;
  noteId: number;
  term: string;
  translation: string;
  tags: string[];
  /** The field named as a context (example) sentence, '' when the note type has none. */
  context: string;
  /** The field named as that sentence's translation, '' when none. */
  contextTranslation: string;
  /** The first card is suspended in Anki (queue -1). */
  suspended: boolean;
  /** The first card's answers, oldest first. */
  reviews: AnkiReview[];
}

/** Words that name a context or example sentence in a field's name, in English and the six target languages. */
const CONTEXT_NAME =
  /context|contexto|contexte|contesto|kontext|example|ejemplo|exemple|esempio|exemplo|beispiel|sentence|frase|phrase|satz/i;
/** Words that name a translation. */
const TRANSLATION_NAME = /translat|traduc|traduz|übersetz|meaning|significado/i;

/**
 * Which fields of a note type hold the context sentence and its translation, by their names; the first two
 * fields are always the term and its translation.
 */
export function contextFields(names: readonly string[]): { context: number | null; contextTranslation: number | null } {
  const find = (translated: boolean) => {
    const i = names.findIndex(
      (name, ord) => ord >= 2 && CONTEXT_NAME.test(name) && TRANSLATION_NAME.test(name) === translated,
    );
    return i < 0 ? null : i;
  };
  return { context: find(false), contextTranslation: find(true) };
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A field as plain text: sounds and tags removed (line breaks and blocks become spaces), entities decoded. */
export function stripHtml(html: string): string {
  return html
    .replace(/\[sound:[^\]]*\]/g, ' ')
    .replace(/<(br|\/?(div|p|li|tr|td|h\d))\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/\s+/gu, ' ')
    .trim();
}

function unpackCollection(bytes: Uint8Array): Uint8Array {
  // Local file header, or the end record of an empty archive.
  const magic = bytes.length >= 4 ? String.fromCharCode(...bytes.subarray(0, 4)) : '';
  if (magic !== 'PK\x03\x04' && magic !== 'PK\x05\x06') {
    throw new ImportFileError('the file is not a zip archive (an .apkg file is one)');
  }
  const names: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        if (!(COLLECTION_NAMES as readonly string[]).includes(file.name)) return false;
        if (file.originalSize > APKG_MAX_COLLECTION_BYTES) {
          throw new ImportFileError(
            `the collection unpacks to more than ${APKG_MAX_COLLECTION_BYTES / 1024 / 1024} MB`,
          );
        }
        return true;
      },
    });
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError('the zip archive is damaged and cannot be unpacked');
  }
  const name = COLLECTION_NAMES.find((n) => files[n]);
  if (!name) {
    if (names.includes('collection.anki21b')) {
      throw new ImportFileError(
        'the package holds only the newer compressed collection (collection.anki21b); export it again from Anki ' +
          'with "Support older Anki versions" ticked',
      );
    }
    throw new ImportFileError('the zip holds no Anki collection (collection.anki21 or collection.anki2)');
  }
  return files[name]!;
}

interface NoteRow {
  id: number;
  mid: number;
  flds: string;
  tags: string;
}
interface CardRow {
  id: number;
  nid: number;
  queue: number | null;
}
interface RevlogRow {
  id: number;
  cid: number;
  ease: number;
  type: number;
  time: number;
}

interface Collection {
  notes: NoteRow[];
  cards: CardRow[];
  revlog: RevlogRow[];
  /** Field names by note type id, in field order (empty when the collection does not say). */
  fieldNames: Map<number, string[]>;
}

function readCollection(collection: Uint8Array): Collection {
  let db: SQLite.Database | undefined;
  try {
    // better-sqlite3 opens a Buffer as an in-memory copy of the database file.
    db = new SQLite(Buffer.from(collection.buffer, collection.byteOffset, collection.byteLength));
    return {
      notes: db.prepare('select id, mid, flds, tags from notes order by id').all() as NoteRow[],
      // The first card of each note (lowest template ordinal) carries the note's review history.
      cards: db.prepare('select id, nid, queue from cards order by nid, ord, id').all() as CardRow[],
      revlog: db.prepare('select id, cid, ease, type, time from revlog order by id').all() as RevlogRow[],
      fieldNames: fieldNamesOf(db),
    };
  } catch (err) {
    throw new ImportFileError(`the collection inside the package cannot be read (${(err as Error).message})`);
  } finally {
    db?.close();
  }
}

/**
 * The field names of each note type: from the `fields` table of newer collections, else from the note types'
 * JSON in `col.models` (schema 11). Names are only a help (for the context fields): a collection that does not
 * give them is read by position.
 */
function fieldNamesOf(db: SQLite.Database): Map<number, string[]> {
  const names = new Map<number, string[]>();
  const hasTable = (name: string) =>
    db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
  if (hasTable('fields')) {
    const rows = db.prepare('select ntid, name from fields order by ntid, ord').all() as {
      ntid: number;
      name: string;
    }[];
    for (const row of rows) names.set(row.ntid, [...(names.get(row.ntid) ?? []), String(row.name)]);
    if (names.size > 0) return names;
  }
  if (!hasTable('col')) return names;
  const row = db.prepare('select models from col').get() as { models?: unknown } | undefined;
  try {
    const models = JSON.parse(String(row?.models ?? '{}')) as Record<
      string,
      { flds?: { name?: unknown; ord?: unknown }[] }
    >;
    for (const [id, model] of Object.entries(models)) {
      const fields = [...(model.flds ?? [])].sort((a, b) => Number(a.ord) - Number(b.ord));
      names.set(
        Number(id),
        fields.map((f) => String(f.name ?? '')),
      );
    }
  } catch {
    // Unreadable note types: the notes are read by position.
  }
  return names;
}

/**
 * The notes of an .apkg, oldest first. Refuses the file (ImportFileError) when it is not a zip, holds no
 * collection, or the collection is not a readable Anki database. Notes with an empty term or translation are
 * answered as they are, for the caller to reject.
 */
export function readApkg(bytes: Uint8Array): AnkiNote[] {
  const { notes, cards, revlog, fieldNames } = readCollection(unpackCollection(bytes));
  const firstCard = new Map<number, CardRow>();
  for (const card of cards) if (!firstCard.has(card.nid)) firstCard.set(card.nid, card);
  const reviews = new Map<number, AnkiReview[]>();
  for (const r of revlog) {
    const rating = RATINGS[r.ease];
    if (!rating || r.type > LAST_ANSWER_TYPE) continue;
    const list = reviews.get(r.cid) ?? [];
    list.push({ id: r.id, rating, durationMs: Math.max(0, Math.round(r.time ?? 0)) });
    reviews.set(r.cid, list);
  }
  return notes.map((note, i) => {
    const fields = String(note.flds ?? '').split(FIELD_SEPARATOR);
    const field = (index: number | null) => (index === null ? '' : stripHtml(fields[index] ?? ''));
    const context = contextFields(fieldNames.get(note.mid) ?? []);
    const card = firstCard.get(note.id);
    return {
      position: i + 1,
      noteId: note.id,
      term: field(0),
      translation: field(1),
      tags: String(note.tags ?? '')
        .split(/\s+/u)
        .filter((t) => t !== ''),
      context: field(context.context),
      contextTranslation: field(context.contextTranslation),
      suspended: card?.queue === -1,
      reviews: card === undefined ? [] : (reviews.get(card.id) ?? []),
    };
  });
}
