import { describe, expect, it } from 'vitest';
import { parseSuggestRules, preciseNow, suggestAll, type SuggestRules } from './spell-suggest.js';

// The suggester against a tiny dictionary: `isWord` is a set, the rules come from a hand-written affix file.

const AFF = [
  'SET UTF-8',
  'TRY esianrtolcdugmphbyfvkwzáéíóúñ',
  'REP 3',
  'REP ki qui',
  'REP ^ke que',
  'REP alot a_lot',
  'MAP 1',
  'MAP aáAÁ',
  'NOSUGGEST !',
].join('\n');
const DIC = ['4', 'casa/S', 'jerk/!S', 'ok/!'].join('\n');

function suggester(words: string[], rules: SuggestRules = parseSuggestRules('es', AFF, DIC)) {
  const dictionary = new Set(words);
  const asked: string[] = [];
  const isWord = (w: string) => {
    asked.push(w);
    return dictionary.has(w);
  };
  const best = (word: string, options = {}) => suggestAll(rules, isWord, [[word]], options).suggestions[0]!;
  return { rules, isWord, asked, best };
}

describe('parseSuggestRules', () => {
  it('reads TRY (plain letters first), REP (anchors kept, word splits left out), MAP, KEY and NOSUGGEST', () => {
    const rules = parseSuggestRules('es', AFF, DIC);
    expect(rules.letters.slice(0, 3)).toEqual(['e', 's', 'i']);
    expect(rules.letters.slice(-6)).toEqual(['á', 'é', 'í', 'ó', 'ú', 'ñ']);
    expect(rules.replacements).toEqual([
      { from: 'ki', to: 'qui', start: false, end: false },
      { from: 'ke', to: 'que', start: true, end: false },
    ]);
    // MAP groups and the accented letters of TRY, each case with its own case.
    expect(rules.variants.get('a')).toEqual(['á']);
    expect(rules.variants.get('Á')).toEqual(['A']);
    expect(rules.variants.get('e')).toEqual(['é']);
    expect(rules.variants.get('n')).toEqual(['ñ']);
    // No KEY line: QWERTY.
    expect(rules.neighbours.get('g')).toEqual(['f', 'h']);
    expect([...rules.noSuggest]).toEqual(['jerk', 'ok']);
    expect(rules.apostrophe).toBe(false);
    expect(
      parseSuggestRules('fr', 'KEY azerty|qsdf\nFLAG long\nNOSUGGEST --', 'x/AB--\ny/AB').neighbours.get('z'),
    ).toEqual(['a', 'e']);
    expect([...parseSuggestRules('fr', 'FLAG long\nNOSUGGEST --', 'x/AB--\ny/AB').noSuggest]).toEqual(['x']);
    expect([...parseSuggestRules('xx', 'FLAG num\nNOSUGGEST 99', 'x/1,99\ny/1').noSuggest]).toEqual(['x']);
    expect(parseSuggestRules('de', 'TRY esäöüß', '').variants.get('o')).toEqual(['ö']);
    expect(parseSuggestRules('en', 'TRY esi', '').apostrophe).toBe(true);
  });
});

describe('suggestAll', () => {
  it('finds each kind of typo', () => {
    const { best } = suggester(['teléfono', 'quiero', 'queso', 'mesa', 'cerveza', 'adiós', 'gracias', 'pollo']);
    expect(best('telefono')[0]).toEqual({ word: 'teléfono', cost: 0.1 }); // an accent
    expect(best('kiero')[0]).toEqual({ word: 'quiero', cost: 0.4 }); // REP
    expect(best('keso')[0]?.word).toBe('queso'); // REP at the start only
    expect(best('mesaa')[0]).toEqual({ word: 'mesa', cost: 0.5 }); // typed twice
    expect(best('emsa')[0]?.word).toBe('mesa'); // swapped (at the first letter: costs more)
    expect(best('cerbeza')[0]).toEqual({ word: 'cerveza', cost: 0.6 }); // sounds alike
    expect(best('meda')[0]).toEqual({ word: 'mesa', cost: 0.7 }); // a keyboard neighbour
    expect(best('adis')[0]?.word).toBe('adiós'); // a letter left out (accented: tried after the plain letters)
    expect(best('grapias')[0]).toEqual({ word: 'gracias', cost: 1 }); // a letter replaced
    expect(best('polo')[0]?.word).toBe('pollo'); // a double letter typed once
    expect(best('xyzzy')).toEqual([]);
  });

  it('ranks by the edit’s cost, and an edit of the first letter below the same edit elsewhere', () => {
    const { best } = suggester(['copia', 'opsia']);
    expect(best('copsia')).toEqual([
      { word: 'copia', cost: 0.8 },
      { word: 'opsia', cost: 1 },
    ]);
  });

  it('stops as soon as no candidate left could beat the best found', () => {
    const { best, asked } = suggester(['mesa', 'mesas']);
    // "mesa" (a letter too many, 0.8) is found among the sure candidates; replacing a letter (1) could not beat it.
    expect(best('mesap')).toEqual([{ word: 'mesa', cost: 0.8 }]);
    expect(asked).not.toContain('mesas');
    const { best: accent, asked: few } = suggester(['teléfono']);
    expect(accent('telefono')).toEqual([{ word: 'teléfono', cost: 0.1 }]);
    expect(few.length).toBeLessThan(20); // the accent variants only
  });

  it('never offers a NOSUGGEST word or a form of it', () => {
    const { best } = suggester(['jerk', 'jerks', 'ok', 'oak']);
    expect(best('jrek')).toEqual([]);
    expect(best('jerkss')).toEqual([]);
    expect(best('okk').map((s) => s.word)).toEqual(['oak']); // not "ok"
    expect(best('oka').map((s) => s.word)).toEqual(['oak']);
  });

  it('adds an apostrophe where the language writes them', () => {
    const rules = parseSuggestRules('en', 'TRY esianrtolcdugmphbyfvkwz', '');
    const { best } = suggester(["don't", 'dona', 'done'], rules);
    expect(best('dont')[0]).toEqual({ word: "don't", cost: 0.3 });
  });

  it('searches the sure candidates of every word before the others', () => {
    const { rules, isWord, asked } = suggester(['mesa', 'gracias']);
    const result = suggestAll(rules, isWord, [['grapias'], ['emsa']], { minChecks: 0, maxChecks: 400 });
    expect(asked.indexOf('mesa')).toBeLessThan(asked.indexOf('gracias'));
    expect(result.suggestions.map((s) => s[0]?.word)).toEqual(['gracias', 'mesa']);
  });

  it('tries every form of a word and keeps the cheaper finding', () => {
    const { rules, isWord } = suggester(['Tisch']);
    const result = suggestAll(rules, isWord, [['tish', 'Tish']]);
    expect(result.suggestions[0]).toEqual([{ word: 'Tisch', cost: 0.65 }]);
    expect(result.complete).toEqual([true]);
  });

  it('stops at the deadline once `minChecks` candidates are checked, and says what it left incomplete', () => {
    const { rules, isWord, asked } = suggester(['gracias', 'quiero']);
    const past = preciseNow() - 1;
    const cut = suggestAll(rules, isWord, [['kiero'], ['grapias']], { deadline: past, minChecks: 40 });
    expect(cut.cutShort).toBe(true);
    expect(cut.checks).toBeGreaterThanOrEqual(40);
    expect(cut.checks).toBeLessThan(40 + 16);
    expect(asked).toHaveLength(cut.checks);
    // "quiero" (REP) is among the first candidates; "gracias" (a replaced letter) is not reached.
    expect(cut.suggestions.map((s) => s[0]?.word)).toEqual(['quiero', undefined]);
    expect(cut.complete).toEqual([false, false]);

    const none = suggestAll(rules, isWord, [['kiero']], { deadline: past, minChecks: 0 });
    expect(none).toMatchObject({ checks: 0, cutShort: true, suggestions: [[]] });

    const full = suggestAll(rules, isWord, [['kiero'], ['grapias']], { deadline: preciseNow() + 60_000 });
    expect(full).toMatchObject({ cutShort: false, complete: [true, true] });
    expect(full.suggestions.map((s) => s[0]?.word)).toEqual(['quiero', 'gracias']);
  });

  it('obeys maxChecks', () => {
    const { rules, isWord } = suggester(['gracias']);
    expect(suggestAll(rules, isWord, [['grasias']], { maxChecks: 5 })).toMatchObject({ checks: 5, cutShort: true });
  });
});
