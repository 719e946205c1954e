import { describe, expect, it } from 'vitest';
import { damerauLevenshtein, fold, stem, tokenize, typoBudget, withinTypos, wordKey } from './text.js';

describe('fold', () => {
  it.each([
    ['¿CUÁNTO?', '¿cuanto?'],
    ['Größe', 'grosse'],
    ['Œuf', 'oeuf'],
    ['ÆON', 'aeon'],
    ['l’addition', "l'addition"],
    ['ça', 'ca'],
    ['mañana', 'manana'],
    ['você', 'voce'],
  ])('folds %j to %j', (text, folded) => {
    expect(fold(text)).toBe(folded);
  });

  it('treats decomposed and composed accents alike', () => {
    expect(fold('cafe\u0301')).toBe(fold('café'));
  });

  it('gives the comparison key without apostrophes', () => {
    expect(wordKey("That's")).toBe('thats');
    expect(wordKey('L’')).toBe('l');
  });
});

describe('tokenize', () => {
  it('drops Spanish and French punctuation and finds sentence starts', () => {
    const tokens = tokenize('es', '¡Hola! ¿Tiene «fresas»? Sí, dos.');
    expect(tokens.map((t) => t.key)).toEqual(['hola', 'tiene', 'fresas', 'si', 'dos']);
    expect(tokens.map((t) => t.sentenceStart)).toEqual([true, true, false, true, false]);
    expect(tokens[1]).toMatchObject({ text: 'Tiene', lower: 'tiene', start: 8, end: 13 });
  });

  it('splits French and Italian elisions after the apostrophe', () => {
    expect(tokenize('fr', "L'addition, s’il vous plaît").map((t) => t.text)).toEqual([
      "L'",
      'addition',
      's’',
      'il',
      'vous',
      'plaît',
    ]);
    expect(tokenize('it', "Quant'è? Dell'acqua").map((t) => t.key)).toEqual(['quant', 'e', 'dell', 'acqua']);
    expect(tokenize('fr', "qu'il").map((t) => t.start)).toEqual([0, 3]);
  });

  it("keeps aujourd'hui and other languages' contractions whole", () => {
    expect(tokenize('fr', "Aujourd'hui").map((t) => t.key)).toEqual(['aujourdhui']);
    expect(tokenize('en', "That's all, I'm done").map((t) => t.key)).toEqual(['thats', 'all', 'im', 'done']);
    expect(tokenize('de', "Wie geht's?").map((t) => t.key)).toEqual(['wie', 'gehts']);
  });

  it('splits on hyphens and marks numbers', () => {
    const tokens = tokenize('fr', 'Avez-vous 2 kilos ?');
    expect(tokens.map((t) => t.key)).toEqual(['avez', 'vous', '2', 'kilos']);
    expect(tokens.map((t) => t.isNumber)).toEqual([false, false, true, false]);
    expect(tokens[2]!.stem).toBe('2');
  });

  it('stems each language with its Snowball stemmer, on accented lower-case words, folded', () => {
    expect(tokenize('es', 'Reservamos').map((t) => t.stem)).toEqual([stem('es', 'reservar')]);
    expect(stem('es', 'reservamos')).toBe(stem('es', 'reservar'));
    expect(stem('fr', 'réservé')).toBe('reserv');
    expect(stem('de', 'Tische'.toLowerCase())).toBe(stem('de', 'tisch'));
    expect(stem('it', 'prenotare')).toBe(stem('it', 'prenotato'));
    expect(stem('pt', 'reservamos')).toBe(stem('pt', 'reservar'));
    expect(stem('en', 'booking')).toBe(stem('en', 'booked'));
  });

  it('finds nothing in empty or symbol-only text', () => {
    expect(tokenize('es', '')).toEqual([]);
    expect(tokenize('es', '¿¡…!? 🙂')).toEqual([]);
  });
});

describe('typo tolerance', () => {
  it('allows no typo up to 3 letters, one for 4–7, two from 8', () => {
    expect([1, 3, 4, 7, 8, 20].map(typoBudget)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
    expect(damerauLevenshtein('mesa', 'mesa')).toBe(0);
    expect(damerauLevenshtein('mesa', 'emsa')).toBe(1);
    expect(damerauLevenshtein('mesa', 'mesas')).toBe(1);
    expect(damerauLevenshtein('mesa', 'msa')).toBe(1);
    expect(damerauLevenshtein('mesa', 'misa')).toBe(1);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
    expect(damerauLevenshtein('abc', '')).toBe(3);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('ñu', 'nu')).toBe(1);
  });

  it('gives up past the maximum', () => {
    expect(damerauLevenshtein('reservar', 'cancelar', 2)).toBe(3);
    expect(damerauLevenshtein('a', 'abcdef', 2)).toBe(3);
  });

  it('accepts a word within its budget', () => {
    expect(withinTypos('cuenta', 'cuneta')).toBe(true);
    expect(withinTypos('cuenta', 'cunta')).toBe(true);
    expect(withinTypos('dos', 'dios')).toBe(false);
    expect(withinTypos('reservar', 'resevra')).toBe(true);
    expect(withinTypos('cuenta', 'cenat')).toBe(false);
  });
});
