/**
 * Pure CSV/TSV reading and writing of cards (RFC 4180: fields quoted with `"`, `""` for a quote, line breaks
 * allowed inside quotes). The first line is a header naming the columns term and translation, and optionally
 * context and tags, in any order and any case; other columns are ignored. The delimiter (comma, semicolon or
 * tab) is the one the header line uses.
 */
import { ImportFileError } from './import-file-error.js';

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

const COLUMNS = ['term', 'translation', 'context', 'tags'] as const;
type Column = (typeof COLUMNS)[number];

/** One data row as read: text trimmed, tags split; whether the values are acceptable is the caller's rule. */
export interface CsvCardRow {
  /** The line the row starts on; the header is line 1. */
  line: number;
  term: string;
  translation: string;
  context: string;
  tags: string[];
}

/** The fields a card is written with. */
export interface CsvCard {
  term: string;
  translation: string;
  context: string | null;
  tags: readonly string[];
}

interface CsvRecord {
  line: number;
  fields: string[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** UTF-8 bytes as text, without a byte-order mark; refuses anything that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    // TextDecoder drops a leading BOM by default.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportFileError('the file is not UTF-8 text; save it as UTF-8 (with or without BOM)');
  }
}

/** The delimiter the header line uses most, outside quotes (ties: tab, then semicolon, then comma). */
export function detectDelimiter(text: string): Delimiter | null {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c as Delimiter)) counts.set(c as Delimiter, counts.get(c as Delimiter)! + 1);
  }
  let best: Delimiter | null = null;
  for (const d of ['\t', ';', ','] as const) {
    if (counts.get(d)! > (best ? counts.get(best)! : 0)) best = d;
  }
  return best;
}

/**
 * Splits text into records of fields, each with the line it starts on. Blank lines are skipped. A quote that
 * does not start a field is kept as text; text after a closing quote is appended to the field (lenient, as
 * spreadsheet programs are). A quoted field left open at the end refuses the file.
 */
export function parseRecords(text: string, delimiter: Delimiter): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let atFieldStart = true;
  let anyQuoted = false;
  let quoted = false;
  let quoteLine = 0;
  let line = 1;
  let recordLine = 1;

  const endRecord = () => {
    fields.push(field);
    const blank = !anyQuoted && fields.length === 1 && fields[0]!.trim() === '';
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    atFieldStart = true;
    anyQuoted = false;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
        continue;
      }
      if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
      field += c;
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      anyQuoted = true;
      quoteLine = line;
      atFieldStart = false;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      atFieldStart = false;
    }
  }
  if (quoted) throw new ImportFileError(`line ${quoteLine} opens a quoted field that is never closed`);
  if (field !== '' || fields.length > 0 || anyQuoted) endRecord();
  return records;
}

/** A tags cell: tags separated by `;` when it has any (so tags may contain spaces), otherwise by whitespace. */
export function parseTags(cell: string): string[] {
  const parts = cell.includes(';') ? cell.split(';') : cell.split(/\s+/u);
  return parts.map((t) => t.trim()).filter((t) => t !== '');
}

/** The tags cell for `tags`, read back by `parseTags` as the same list. */
export function formatTags(tags: readonly string[]): string {
  if (!tags.some((t) => /\s/u.test(t))) return tags.join(' ');
  return tags.length === 1 ? `${tags[0]};` : tags.join(';');
}

/**
 * Reads a card file. Refuses the whole file (ImportFileError) for a structural problem: not UTF-8, empty, no
 * header naming term and translation, a column named twice, a row whose column count differs from the header's,
 * an unclosed quote. Rows are answered as read; empty values are for the caller to reject.
 */
export function parseCardsCsv(bytes: Uint8Array): CsvCardRow[] {
  const text = decodeUtf8(bytes);
  if (text.trim() === '') throw new ImportFileError('the file is empty; the first line must be a header');
  const delimiter = detectDelimiter(text);
  const noHeader =
    'no header: the first line must name the columns, at least term and translation ' +
    '(e.g. "term,translation,context,tags"), separated by commas, semicolons or tabs';
  if (!delimiter) throw new ImportFileError(noHeader);
  const [header, ...rows] = parseRecords(text, delimiter);
  const index = new Map<Column, number>();
  header!.fields.forEach((name, i) => {
    const column = name.trim().toLowerCase() as Column;
    if (!COLUMNS.includes(column)) return;
    if (index.has(column)) throw new ImportFileError(`the header names the column ${column} twice`);
    index.set(column, i);
  });
  if (!index.has('term') || !index.has('translation')) throw new ImportFileError(noHeader);

  const width = header!.fields.length;
  const cell = (fields: string[], column: Column) => {
    const i = index.get(column);
    return i === undefined ? '' : fields[i]!.trim();
  };
  return rows.map(({ line, fields }) => {
    if (fields.length !== width) {
      throw new ImportFileError(`line ${line} has ${plural(fields.length, 'column')} of ${width}`);
    }
    return {
      line,
      term: cell(fields, 'term'),
      translation: cell(fields, 'translation'),
      context: cell(fields, 'context'),
      tags: parseTags(cell(fields, 'tags')),
    };
  });
}

function quote(value: string, delimiter: Delimiter): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim()
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

/**
 * Writes cards as a file `parseCardsCsv` reads back to the same terms, translations, contexts and tags: a header
 * `term,translation,context,tags`, CRLF line ends (RFC 4180), fields quoted only when needed.
 */
export function serialiseCardsCsv(cards: readonly CsvCard[], delimiter: Delimiter): string {
  const lines = [COLUMNS.join(delimiter)];
  for (const card of cards) {
    lines.push(
      [card.term, card.translation, card.context ?? '', formatTags(card.tags)]
        .map((v) => quote(v, delimiter))
        .join(delimiter),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
