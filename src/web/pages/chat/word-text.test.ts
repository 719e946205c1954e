import { describe, expect, it } from 'vitest';
import { sentenceAt, splitWords } from './WordText.js';

describe('splitWords', () => {
  it('finds the words, with accents, apostrophes and hyphens, and keeps what lies between them', () => {
    const pieces = splitWords("¡Buenas noches! L'addition, c'est-à-dire…");
    expect(pieces.filter((p) => p.word !== null).map((p) => p.text)).toEqual([
      'Buenas',
      'noches',
      "L'addition",
      "c'est-à-dire",
    ]);
    expect(pieces.map((p) => p.text).join('')).toBe("¡Buenas noches! L'addition, c'est-à-dire…");
    expect(pieces.find((p) => p.text === 'noches')).toEqual({ text: 'noches', start: 8, word: 1 });
  });

  it('has no words in a text of punctuation and digits', () => {
    expect(splitWords('42 — ?!').every((p) => p.word === null)).toBe(true);
  });
});

describe('sentenceAt', () => {
  const text = '¡Buenas noches! Bienvenidos a Casa Lola. ¿Tienen reserva?';
  it('is the sentence around the offset, with its punctuation', () => {
    expect(sentenceAt(text, text.indexOf('reserva'))).toBe('¿Tienen reserva?');
    expect(sentenceAt(text, text.indexOf('Casa'))).toBe('Bienvenidos a Casa Lola.');
    expect(sentenceAt(text, 1)).toBe('¡Buenas noches!');
  });
});
