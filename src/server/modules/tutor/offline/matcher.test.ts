import { describe, expect, it } from 'vitest';
import type { TargetLanguage } from '../../../../shared/languages.js';
import type { PhaseLanguage, ScenarioPhase } from '../../../../shared/scenarios.js';
import {
  analyseMessage,
  compilePattern,
  compilePhase,
  compilePhrase,
  compileTerm,
  matches,
  PatternError,
  phraseUsed,
} from './matcher.js';
import { tokenize } from './text.js';

const found = (language: TargetLanguage, pattern: string, text: string) =>
  matches(compilePattern(language, pattern), tokenize(language, text));

describe('objective patterns', () => {
  it.each<[TargetLanguage, string, string]>([
    // accents and case
    ['es', 'cuanto cuesta', '¿CUÁNTO CUESTA?'],
    ['es', 'cuánto cuesta', 'cuanto cuesta'],
    ['fr', 'ca fait combien', 'Ça fait combien ?'],
    ['de', 'grüß gott', 'Gruss Gott!'],
    ['de', 'schones wochenende', 'Schönes Wochenende!'],
    ['it', 'quanto costa', 'QUÀNTO costa?'],
    ['pt', 'preco', 'Qual é o preço?'],
    ['en', 'good morning', 'GOOD MORNING!'],
    // typos: one for 4–7 letters, two from 8
    ['es', 'quisiera reservar', 'Quisera reserbar una mesa'],
    ['fr', 'addition', "L'adition, s'il vous plaît"],
    ['de', 'rechnung', 'Die Rechnug, bitte'],
    ['it', 'prenotare', 'Vorrei prenottare'],
    ['pt', 'obrigado', 'Obrigdo!'],
    ['en', 'reservation', 'I have a reservaton'],
    // stems
    ['es', 'reservar', 'Ya reservamos ayer'],
    ['fr', 'réserver', "J'ai réservé une table"],
    ['de', 'reservieren', 'Ich habe reserviert'],
    ['it', 'prenotare', 'Ho prenotato un tavolo'],
    ['pt', 'reservar', 'Eu reservei uma mesa'],
    ['en', 'book', 'I booked a table'],
    // gaps of up to two words
    ['es', 'mesa para', 'una mesa grande, bonita, para cuatro'],
    ['fr', 'vous avez', "Vous n'avez pas de fraises ?"],
    // prefix and any-word wildcards
    ['es', 'cuanto cuesta*', '¿Cuánto cuestan las fresas?'],
    ['es', 'cuanto * debo', '¿Cuánto le debo?'],
    ['es', 'mesa para *', 'Una mesa para cuatro'],
    ['pt', 'obrigad*', 'Muito obrigada!'],
    ['it', 'quanto cost*', 'Quanto cosstano?'],
    ['en', 'cost*', 'What does it cost?'],
    // multi-word, elisions and joined words
    ['fr', "c'est tout", "C'est tout, merci"],
    ['fr', "c'est tout", 'Cest tout'],
    ['fr', 'avez-vous', 'Avez vous des pommes ?'],
    ['fr', 'week-end', 'Bon weekend !'],
    ['it', "quant'è", 'Quante in tutto?'],
    ['de', 'wieviel', 'Wie viel kostet das?'],
    ['en', "that's all", 'Thats all, thanks'],
    ['es', 'por favor', 'La cuenta porfavor'],
    // German compounds end in their head word
    ['de', 'risiko', 'Gibt es ein Thromboserisiko?'],
  ])('%s: "%s" matches %j', (language, pattern, text) => {
    expect(found(language, pattern, text)).toBe(true);
  });

  it.each<[TargetLanguage, string, string]>([
    ['es', 'dos', 'dios'], // no typo in words of up to 3 letters
    ['es', 'mesa para', 'para una mesa'], // order matters
    ['es', 'mesa para', 'una mesa muy muy grande para cuatro'], // three words between
    ['es', 'hay *', 'hay'], // the lone * needs a word
    ['es', 'cuenta', 'cenat'], // two typos in a 6-letter word
    ['fr', 'combien', 'bonjour'],
    ['en', 'how much', 'how are you'],
    ['pt', 'tem', 'tema'],
  ])('%s: "%s" does not match %j', (language, pattern, text) => {
    expect(found(language, pattern, text)).toBe(false);
  });

  it('refuses a pattern without words', () => {
    expect(() => compilePattern('es', '*')).toThrow(PatternError);
    expect(() => compilePattern('es', '¿?')).toThrow('has no words');
  });

  it('never takes a word the scenario uses as a typo of another', () => {
    const matcher = compilePhase(phase({ vocabulary: ['le plat'], phrases: ["S'il vous plaît"] }, 'fr'), 'fr');
    const tokens = tokenize('fr', "S'il vous plait");
    expect(analyseMessage(matcher, tokens).vocabularyUsed).toEqual(['le plat']);
    expect(analyseMessage(matcher, tokens, new Set(['plait'])).vocabularyUsed).toEqual([]);
    // …but the exact word and its stem still count.
    expect(analyseMessage(matcher, tokenize('fr', 'Le plat'), new Set(['plat'])).vocabularyUsed).toEqual(['le plat']);
    const prefix = compilePattern('es', 'cuesta*');
    expect(matches(prefix, tokenize('es', 'cusetan'))).toBe(true);
    expect(matches(prefix, [{ ...tokenize('es', 'cusetan')[0]!, real: true }])).toBe(false);
  });
});

describe('vocabulary terms', () => {
  const usedIn = (language: TargetLanguage, term: string, text: string) =>
    matches(compileTerm(language, term)!, tokenize(language, text));

  it('counts a term without its article, in any form', () => {
    expect(usedIn('es', 'la cuenta', 'Cuentas separadas')).toBe(true);
    expect(usedIn('fr', "l'addition", "L'addition, s'il vous plaît")).toBe(true);
    expect(usedIn('fr', 'la pomme de terre', 'Des pommes de terre')).toBe(true);
    expect(usedIn('de', 'die Erdbeere', 'Haben Sie Erdbeeren?')).toBe(true);
    expect(usedIn('it', 'il conto', 'Il conto, per favore')).toBe(true);
    expect(usedIn('pt', 'a conta', 'A conta, por favor')).toBe(true);
    expect(usedIn('en', 'to pay', 'Can I pay by card?')).toBe(true);
  });

  it('needs the words of a multi-word term next to each other', () => {
    expect(usedIn('es', 'en efectivo', 'Pago en efectivo')).toBe(true);
    expect(usedIn('es', 'en efectivo', 'en mi casa tengo efectivo')).toBe(false);
    expect(usedIn('en', 'half a kilo', 'Half a kilo of potatoes')).toBe(true);
  });

  it('keeps a term that is only an article, and has nothing for a term without words', () => {
    expect(compileTerm('es', 'la')!.elements).toHaveLength(1);
    expect(compileTerm('es', '…')).toBeNull();
  });
});

describe('essential phrases', () => {
  it('counts a phrase when two thirds of its content words appear, in any order', () => {
    const phrase = compilePhrase('es', '¿Cuánto cuesta el kilo de naranjas?');
    expect(phrase.words.map((w) => w.key)).toEqual(['cuanto', 'cuesta', 'kilo', 'naranjas']);
    expect(phrase.required).toBe(3);
    expect(phraseUsed(phrase, tokenize('es', 'cuanto cuesta un kilo'))).toBe(true);
    expect(phraseUsed(phrase, tokenize('es', 'naranjas: ¿el kilo cuánto?'))).toBe(true);
    expect(phraseUsed(phrase, tokenize('es', 'cuanto cuesta'))).toBe(false);
  });

  it('needs every word of a phrase of one or two content words, each matched once', () => {
    const phrase = compilePhrase('fr', 'Vous avez des fraises ?');
    expect(phrase.words.map((w) => w.key)).toEqual(['avez', 'fraises']);
    expect(phraseUsed(phrase, tokenize('fr', 'Des fraises ?'))).toBe(false);
    expect(phraseUsed(phrase, tokenize('fr', 'Vous avez des frasies ?'))).toBe(true);
    const twice = compilePhrase('en', 'Bye bye');
    expect(phraseUsed(twice, tokenize('en', 'bye'))).toBe(false);
  });

  it('uses every word of a phrase made only of function words', () => {
    const phrase = compilePhrase('it', 'Ed io?');
    expect(phrase.words.map((w) => w.key)).toEqual(['ed', 'io']);
    expect(phraseUsed(phrase, tokenize('it', 'e io?'))).toBe(false);
    expect(phraseUsed(phrase, tokenize('it', 'Ed io?'))).toBe(true);
    expect(phraseUsed(compilePhrase('it', '?!'), tokenize('it', 'ciao'))).toBe(false);
  });

  it('counts German compounds for their head word', () => {
    expect(phraseUsed(compilePhrase('de', 'Das Risiko'), tokenize('de', 'Das Thromboserisiko?'))).toBe(true);
  });
});

function phase(
  content: { vocabulary: string[]; phrases: string[]; followUps?: string[]; patterns?: Record<string, string[]> },
  language: TargetLanguage,
): ScenarioPhase {
  const patterns = content.patterns ?? { greet: ['hola'] };
  const phaseLanguage: PhaseLanguage = {
    vocabulary: content.vocabulary.map((term) => ({ term, gloss: term })),
    phrases: content.phrases.map((text) => ({ text, gloss: text })),
    tutorLines: { opening: 'Hola.', followUps: content.followUps ?? ['¿Algo más?'] },
    objectivePatterns: patterns,
    culturalNote: '',
  };
  return {
    id: 'phase',
    name: 'Phase',
    goal: 'Goal',
    objectives: Object.keys(patterns).map((id) => ({ id, description: id })),
    successCriteria: { description: 'd', objectivesRequired: 1, vocabularyRequired: 0 },
    languages: { [language]: phaseLanguage },
  };
}

describe('compilePhase and analyseMessage', () => {
  const restaurant = phase(
    {
      vocabulary: ['la mesa', 'la cuenta', 'por favor'],
      phrases: ['Una mesa para dos, por favor.', 'La cuenta, por favor.', '¡Buenas noches!'],
      followUps: ['¿Para cuántas personas?', 'Aquí tienen la carta.', '¿Les traigo la cuenta?'],
      patterns: {
        greet: ['buenas noches', 'hola'],
        'party-size': ['para * personas', 'mesa para', 'somos *'],
        bill: ['la cuenta'],
      },
    },
    'es',
  );

  it('finds the objectives, vocabulary and phrases of a message, in the scenario order', () => {
    const matcher = compilePhase(restaurant, 'es');
    expect(analyseMessage(matcher, tokenize('es', 'Buenas noches. Una mesa para dos, porfavor.'))).toEqual({
      objectivesMet: ['greet', 'party-size'],
      vocabularyUsed: ['la mesa', 'por favor'],
      phrasesUsed: ['Una mesa para dos, por favor.', '¡Buenas noches!'],
    });
    expect(analyseMessage(matcher, tokenize('es', 'Me gusta el fútbol'))).toEqual({
      objectivesMet: [],
      vocabularyUsed: [],
      phrasesUsed: [],
    });
  });

  it('knows which objectives each phrase meets and which each follow-up line is about', () => {
    const matcher = compilePhase(restaurant, 'es');
    expect(matcher.phrases.map((p) => p.objectiveIds)).toEqual([['party-size'], ['bill'], ['greet']]);
    expect(matcher.followUpTargets).toEqual([['party-size'], [], ['bill']]);
  });

  it('compiles a phase once per language content', () => {
    expect(compilePhase(restaurant, 'es')).toBe(compilePhase(restaurant, 'es'));
  });

  it('refuses a language the phase does not have', () => {
    expect(() => compilePhase(restaurant, 'fr')).toThrow('no fr content');
  });

  it('gives an objective without patterns no match', () => {
    const p = phase({ vocabulary: ['x'], phrases: ['y'] }, 'en');
    p.objectives.push({ id: 'other', description: 'other' });
    expect(analyseMessage(compilePhase(p, 'en'), tokenize('en', 'hola other')).objectivesMet).toEqual(['greet']);
  });
});
