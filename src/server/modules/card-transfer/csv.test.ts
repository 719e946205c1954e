import { describe, expect, it } from 'vitest';
import {
  type CsvCard,
  detectDelimiter,
  formatTags,
  parseCardsCsv,
  parseRecords,
  parseTags,
  serialiseCardsCsv,
} from './csv.js';
import { ImportFileError } from './import-file-error.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const parse = (text: string) => parseCardsCsv(bytes(text));

/** The problem a refused file is refused for. */
function refusal(file: string | Uint8Array): string {
  try {
    parseCardsCsv(typeof file === 'string' ? bytes(file) : file);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFileError);
    return (err as ImportFileError).details![0]!.message;
  }
  throw new Error('the file was accepted');
}

describe('parseCardsCsv', () => {
  it('reads a header and rows: values trimmed, tags split, line numbers kept', () => {
    expect(parse('term,translation,context,tags\n hola , hello ,Hola Ana.,greeting A1\nperro,dog,,\n')).toEqual([
      { line: 2, term: 'hola', translation: 'hello', context: 'Hola Ana.', tags: ['greeting', 'A1'] },
      { line: 3, term: 'perro', translation: 'dog', context: '', tags: [] },
    ]);
  });

  it('takes the columns in any order and case, without the optional ones, ignoring unknown ones', () => {
    expect(parse('Translation;NOTES;TERM\r\nhello;x;hola\r\n')).toEqual([
      { line: 2, term: 'hola', translation: 'hello', context: '', tags: [] },
    ]);
  });

  it('reads UTF-8 with and without a byte-order mark', () => {
    const text = 'term,translation\nniño,child\n';
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes(text)]);
    expect(parseCardsCsv(withBom)).toEqual(parse(text));
    expect(parseCardsCsv(withBom)[0]!.term).toBe('niño');
  });

  it.each([
    ['comma', 'term,translation,tags\nhola,hello,a;b\n'],
    ['semicolon', 'term;translation;tags\nhola;hello;a b\n'],
    ['tab', 'term\ttranslation\ttags\nhola\thello\ta;b\n'],
  ])('detects the %s delimiter from the header line', (_name, text) => {
    expect(parse(text)).toEqual([{ line: 2, term: 'hola', translation: 'hello', context: '', tags: ['a', 'b'] }]);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks, counting lines across them', () => {
    const text =
      'term,translation,context\n' +
      '"hola, amigo","hello, friend","Dijo ""hola"".\nY se fue."\r\n' +
      'adiós,bye,"one\r\ntwo\rthree"\n' +
      'gato,cat,\n';
    expect(parse(text)).toEqual([
      { line: 2, term: 'hola, amigo', translation: 'hello, friend', context: 'Dijo "hola".\nY se fue.', tags: [] },
      { line: 4, term: 'adiós', translation: 'bye', context: 'one\r\ntwo\rthree', tags: [] },
      { line: 7, term: 'gato', translation: 'cat', context: '', tags: [] },
    ]);
  });

  it('skips blank lines but keeps counting them, and reads a last row without a line break', () => {
    expect(parse('term,translation\n\n  \nhola,hello\n\nperro,dog')).toEqual([
      { line: 4, term: 'hola', translation: 'hello', context: '', tags: [] },
      { line: 6, term: 'perro', translation: 'dog', context: '', tags: [] },
    ]);
  });

  it('answers rows with empty values as they are, for the caller to reject', () => {
    expect(parse('term,translation\n,hello\nhola,""\n')).toEqual([
      { line: 2, term: '', translation: 'hello', context: '', tags: [] },
      { line: 3, term: 'hola', translation: '', context: '', tags: [] },
    ]);
  });

  it('answers no rows for a header alone', () => {
    expect(parse('term,translation\r\n')).toEqual([]);
  });

  it.each([
    ['a row with too few columns', 'term,translation\nhola,hello\n\nperro\n', 'line 4 has 1 column of 2'],
    ['a row with too many columns', 'term;translation\nhola;hello;x;y\n', 'line 2 has 4 columns of 2'],
    ['an empty file', '\ufeff \n', 'the file is empty; the first line must be a header'],
  ])('refuses %s', (_what, text, problem) => {
    expect(refusal(text)).toBe(problem);
  });

  it.each([
    ['a first line with one column', 'hola\nperro\n'],
    ['a first line of data', 'hola,hello\nperro,dog\n'],
    ['a header without translation', 'term,context\nhola,x\n'],
  ])('refuses %s as having no header', (_what, text) => {
    expect(refusal(text)).toMatch(/^no header: the first line must name the columns/);
  });

  it('refuses a header naming a column twice', () => {
    expect(refusal('term,translation,Term\na,b,c\n')).toBe('the header names the column term twice');
  });

  it('refuses a quoted field that is never closed, naming its line', () => {
    expect(refusal('term,translation\nhola,hello\nperro,"dog\n\n')).toBe(
      'line 3 opens a quoted field that is never closed',
    );
  });

  it('refuses bytes that are not UTF-8', () => {
    const latin1 = new Uint8Array([...bytes('term,translation\nni'), 0xf1, ...bytes('o,child\n')]);
    expect(refusal(latin1)).toMatch(/not UTF-8/);
  });
});

describe('parseRecords', () => {
  it('keeps a quote inside an unquoted field, and text after a closing quote', () => {
    expect(parseRecords('a"b,"c"d\n', ',')).toEqual([{ line: 1, fields: ['a"b', 'cd'] }]);
  });

  it('keeps a record of one quoted empty field', () => {
    expect(parseRecords('""\n', ',')).toEqual([{ line: 1, fields: [''] }]);
  });
});

describe('detectDelimiter', () => {
  it('counts only the header line, outside quotes', () => {
    expect(detectDelimiter('"a;b;c",d\ne;f;g;h')).toBe(',');
    expect(detectDelimiter('term\ttranslation,x\n')).toBe('\t');
    expect(detectDelimiter('term\n')).toBeNull();
  });
});

describe('tags', () => {
  it('splits on spaces, or on semicolons when there are any', () => {
    expect(parseTags(' food  A1 ')).toEqual(['food', 'A1']);
    expect(parseTags('travel words; food;')).toEqual(['travel words', 'food']);
    expect(parseTags('')).toEqual([]);
  });

  it.each([[['food', 'a1']], [['travel words', 'food']], [['travel words']], [[]]])(
    'writes %j so it reads back the same',
    (tags) => {
      expect(parseTags(formatTags(tags))).toEqual(tags);
    },
  );
});

describe('serialiseCardsCsv', () => {
  const cards: CsvCard[] = [
    { term: 'hola, amigo', translation: 'hello "friend"', context: 'Línea uno\nlínea dos', tags: ['a1', 'greeting'] },
    { term: 'perro', translation: 'dog', context: null, tags: ['travel words'] },
    { term: ' espacio ', translation: 'tab\there', context: null, tags: [] },
  ];

  it('writes a header and RFC 4180 rows, quoting only when needed', () => {
    expect(serialiseCardsCsv(cards.slice(0, 2), ',')).toBe(
      'term,translation,context,tags\r\n' +
        '"hola, amigo","hello ""friend""","Línea uno\nlínea dos",a1 greeting\r\n' +
        'perro,dog,,travel words;\r\n',
    );
  });

  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
  ] as const)('reads back what it writes with a %j (%s)', (delimiter, _name) => {
    const read = parseCardsCsv(bytes(serialiseCardsCsv(cards, delimiter)));
    expect(read.map(({ term, translation, context, tags }) => ({ term, translation, context, tags }))).toEqual([
      { term: 'hola, amigo', translation: 'hello "friend"', context: 'Línea uno\nlínea dos', tags: ['a1', 'greeting'] },
      { term: 'perro', translation: 'dog', context: '', tags: ['travel words'] },
      // Values are trimmed on reading.
      { term: 'espacio', translation: 'tab\there', context: '', tags: [] },
    ]);
  });
});
