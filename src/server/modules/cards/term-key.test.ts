import { describe, expect, it } from 'vitest';
import { foldForSearch, normaliseTag, normaliseTags, searchText, termKey } from './term-key.js';

describe('termKey', () => {
  it.each([
    ['¡Hola!', 'es', 'hola'],
    ['hola', 'es', 'hola'],
    ['HOLA', 'es', 'hola'],
    ['  ¿Qué tal?  ', 'es', 'qué tal'],
    ['«Bonjour»', 'fr', 'bonjour'],
    ['"quoted"', 'en', 'quoted'],
    ['“curly”', 'en', 'curly'],
    ["'single'", 'en', 'single'],
    ['Hello...', 'en', 'hello'],
    ['buenos   días', 'es', 'buenos días'],
    ['buenos\tdías', 'es', 'buenos días'],
  ])('folds %j (%s) to %j', (term, language, key) => {
    expect(termKey(term, language)).toBe(key);
  });

  it('keeps inner punctuation', () => {
    expect(termKey("L'homme", 'fr')).toBe("l'homme");
    expect(termKey('E-mail', 'en')).toBe('e-mail');
    expect(termKey('¿Dónde está?', 'es')).toBe('dónde está');
  });

  it('makes the NFD and NFC forms of one word the same key', () => {
    const nfd = 'hola\u0301'.normalize('NFD');
    const nfc = 'holá'.normalize('NFC');
    expect(nfd).not.toBe(nfc);
    expect(termKey(nfd, 'es')).toBe(termKey(nfc, 'es'));
    expect(termKey(nfd, 'es')).toBe('holá');
  });

  it('keeps accents: "si" and "sí" are different words', () => {
    expect(termKey('si', 'es')).not.toBe(termKey('sí', 'es'));
  });

  it("lower-cases by the card's language", () => {
    expect(termKey('İstanbul', 'tr')).toBe('istanbul');
    expect(termKey('STRASSE', 'de')).toBe('strasse');
  });

  it('folds a term of nothing but punctuation to an empty key', () => {
    expect(termKey(' ¡¿?! ', 'es')).toBe('');
  });
});

describe('foldForSearch', () => {
  it('removes accents and case', () => {
    expect(foldForSearch('Café')).toBe('cafe');
    expect(foldForSearch('CAFÉ'.normalize('NFD'))).toBe('cafe');
    expect(foldForSearch('Ça va, señor? Über')).toBe('ca va, senor? uber');
  });
});

describe('searchText', () => {
  it('folds the present fields one per line', () => {
    expect(searchText(['Café', 'coffee', null, undefined, '', 'Un café'])).toBe('cafe\ncoffee\nun cafe');
  });
});

describe('tags', () => {
  it('normalises one tag: trimmed, lower-cased, whitespace collapsed, no quotes, backslashes or control characters', () => {
    expect(normaliseTag('  Food  ')).toBe('food');
    expect(normaliseTag('"Travel"\\ Words\n')).toBe('travel words');
  });

  it('drops empty tags and duplicates, keeping the first order', () => {
    expect(normaliseTags(['b', 'A', '"', 'a', ' B '])).toEqual(['b', 'a']);
  });
});
