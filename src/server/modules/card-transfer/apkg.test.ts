import { describe, expect, it } from 'vitest';
import { stripHtml } from './apkg.js';

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
