import { describe, expect, it } from 'vitest';
import { contextFields, stripHtml } from './apkg.js';

describe('stripHtml', () => {
  it.each([
    ['<b>hola</b>', 'hola'],
    ['el&nbsp;perro', 'el perro'],
    ['R&amp;B &lt;tag&gt; &quot;q&quot; &apos;s&apos; &#233; &#xE9;', 'R&B <tag> "q" \'s\' é é'],
    ['uno<br>dos<div>tres</div>', 'uno dos tres'],
    ['<span style="color: red">rojo</span>[sound:rojo.mp3]', 'rojo'],
    ['  a \n  b  ', 'a b'],
    ['&unknown; &#0;', '&unknown;'],
  ])('turns %j into %j', (html, text) => {
    expect(stripHtml(html)).toBe(text);
  });
});

describe('contextFields', () => {
  it.each([
    [['Term', 'Translation', 'Context', 'Context translation'], 2, 3],
    [['Front', 'Back', 'Example sentence', 'Example translation'], 2, 3],
    [['Palabra', 'Significado', 'Traducción del ejemplo', 'Frase de ejemplo'], 3, 2],
    [['Wort', 'Bedeutung', 'Beispielsatz'], 2, null],
    [['Mot', 'Sens', 'Audio', 'Image'], null, null],
    // The term and its translation are always the first two fields, whatever their names.
    [['Example', 'Sentence'], null, null],
    [[], null, null],
  ])('finds the context fields of %j', (names, context, contextTranslation) => {
    expect(contextFields(names)).toEqual({ context, contextTranslation });
  });
});
