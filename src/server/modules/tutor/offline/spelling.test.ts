import { afterAll, describe, expect, it } from 'vitest';
import { explainSpelling, spellingIssue } from './explanations.js';
import { bestSuggestion, closestKnownWord, SpellingService, wordsToCheck } from './spelling.js';

// One service (one worker thread) for the whole file; each language loads once, on first use. Without a time
// budget, so what it finds does not depend on how busy the machine is; the budget has tests of its own below.
const spelling = new SpellingService({ budgetMs: Number.POSITIVE_INFINITY });
afterAll(() => spelling.close());

describe('SpellingService', () => {
  it('corrects Spanish misspellings with explanations in the learner’s language', async () => {
    const corrections = await spelling.check('es', 'Hola, kiero una mesa para dos. Grasias.', { nativeLanguage: 'en' });
    expect(corrections).toEqual([
      {
        original: 'kiero',
        corrected: 'quiero',
        type: 'spelling',
        explanation: '“kiero” is misspelled: it is written “quiero”.',
      },
      expect.objectContaining({ original: 'Grasias', type: 'spelling' }),
    ]);
  });

  it('prefers the scenario’s own words and never flags them', async () => {
    const knownWords = ['¡Muchas gracias!', 'el teléfono', 'Póngame un kilo', 'el Pix'];
    const corrections = await spelling.check('es', 'Grasias. Póngame un kilo. El telefono.', {
      nativeLanguage: 'es',
      knownWords,
    });
    expect(corrections).toEqual([
      {
        original: 'Grasias',
        corrected: 'Gracias',
        type: 'spelling',
        explanation: '«Grasias» está mal escrito: se escribe «Gracias».',
      },
      {
        original: 'telefono',
        corrected: 'teléfono',
        type: 'spelling',
        explanation: 'Revisa los acentos de «telefono»: se escribe «teléfono».',
      },
    ]);
  });

  it('skips numbers, acronyms and names, and says nothing about correct text', async () => {
    expect(await spelling.check('es', 'Somos 4, llegamos a las 21h. Me llamo Xochitl, de la ONU.')).toEqual([]);
    expect(await spelling.check('es', '')).toEqual([]);
    expect(await spelling.check('en', "I'd like a table for two, please. We're from Leeds.")).toEqual([]);
  });

  it('corrects English, accepting both British and American spellings', async () => {
    expect(await spelling.check('en', 'My favourite colour. My favorite color.')).toEqual([]);
    const corrections = await spelling.check('en', 'I wuold like a tabel. Dont worry.', { nativeLanguage: 'fr' });
    expect(corrections.map((c) => [c.original, c.corrected])).toEqual([
      ['wuold', 'would'],
      ['tabel', 'table'],
      ['Dont', "Don't"],
    ]);
    expect(corrections[0]!.explanation).toBe('« wuold » est mal orthographié : on écrit « would ».');
  });

  it('checks French, elisions included', async () => {
    const corrections = await spelling.check('fr', "Bonjur, l'adition s'il vous plaît. Aujourd'hui, c'est parfait.", {
      nativeLanguage: 'de',
    });
    expect(corrections.map((c) => c.original)).toEqual(['Bonjur', "l'adition"]);
    expect(corrections[0]).toMatchObject({
      corrected: 'Bonjour',
      explanation: '„Bonjur“ ist falsch geschrieben: Richtig ist „Bonjour“.',
    });
  });

  it('reports the load time and memory of each language', async () => {
    const loads = await spelling.preload(['es', 'en']);
    expect(loads.map((l) => l.language)).toEqual(['es', 'en']);
    for (const load of loads) {
      expect(load.loadMs).toBeGreaterThan(0);
      expect(load.rssDeltaBytes).toBeGreaterThanOrEqual(0);
    }
    const stats = await spelling.stats();
    expect(stats.running).toBe(true);
    expect(stats.loaded.map((l) => l.language)).toEqual(expect.arrayContaining(['es', 'en', 'fr']));
    expect(stats.rssBytes).toBeGreaterThan(stats.heapUsedBytes);
  });

  it('answers requests made at the same time, and leaves out words without any suggestion', async () => {
    const [first, second] = await Promise.all([
      spelling.check('en', 'A tabel.'),
      spelling.check('en', 'Qqqqqqqqqqxz is here.'),
    ]);
    expect(first.map((c) => c.corrected)).toEqual(['table']);
    expect(second).toEqual([]);
  });

  it('passes a failure inside the worker on to the caller and keeps working', async () => {
    await expect(spelling.check('xx' as 'es', 'hola que tal')).rejects.toThrow();
    expect(await spelling.check('es', 'hola')).toEqual([]);
  });

  it('corrects the typos Hunspell’s own suggestions took hundreds of milliseconds for in French and Portuguese', async () => {
    const french = await spelling.check('fr', 'Je viens volontier. Le dssier est suffisatn.');
    expect(french.map((c) => c.corrected)).toEqual(['volontiers', 'dossier', 'suffisant']);
    const portuguese = await spelling.check('pt', 'Obbrigado, a vlaidade do cartão.');
    expect(portuguese.map((c) => c.corrected)).toEqual(['Obrigado', 'validade']);
  });

  it('refuses work once closed, and fails what was waiting', async () => {
    const service = new SpellingService();
    const waiting = expect(service.preload(['en'])).rejects.toThrow('closed');
    await service.close();
    await waiting;
    await expect(service.check('en', 'helo')).rejects.toThrow('closed');
    await service.close();
  });

  it('fails waiting requests when the worker dies, and starts a new one next time', async () => {
    const service = new SpellingService();
    try {
      await service.preload(['en']);
      const worker = (service as unknown as { worker: { terminate(): Promise<number> } }).worker;
      const waiting = expect(service.check('en', 'a tabel')).rejects.toThrow('stopped');
      await worker.terminate();
      await waiting;
      expect(await service.check('en', 'a tabel')).toEqual([expect.objectContaining({ corrected: 'table' })]);
    } finally {
      await service.close();
    }
  });
});

describe('the time budget', () => {
  // A budget already spent when the search starts, and no minimum: only what needs no search is left.
  const hurried = new SpellingService({ budgetMs: 0, minChecks: 0 });
  afterAll(() => hurried.close());

  it('leaves out corrections not found in time, keeping those from the scenario’s words', async () => {
    await hurried.preload(['es']);
    const corrections = await hurried.check('es', 'Grasias. Kiero el telefono.', { knownWords: ['el teléfono'] });
    expect(corrections.map((c) => [c.original, c.corrected])).toEqual([['telefono', 'teléfono']]);
    const stats = await hurried.stats();
    expect(stats.suggest).toMatchObject({ words: 2, cutShort: 1, incompleteWords: 2 });
  });

  it('answers without spelling feedback while the worker loads another language', async () => {
    const loading = hurried.preload(['it']);
    expect(await hurried.check('es', 'Kiero una mesa.')).toEqual([]);
    expect((await hurried.stats()).skippedWhileLoading).toBe(1);
    await loading;
    expect(await hurried.check('es', 'el telefono', { knownWords: ['teléfono'] })).toHaveLength(1);
  });

  it('stops waiting for a busy worker after `waitMs`, and ignores its late answer', async () => {
    const impatient = new SpellingService({ waitMs: 20 });
    try {
      await impatient.preload(['es']);
      // Keeps the worker busy for far longer than 20 ms: twenty long words searched to the end.
      const busy = (impatient as unknown as { request(r: unknown): Promise<unknown> }).request({
        type: 'correct',
        language: 'es',
        words: Array.from({ length: 20 }, (_, i) => [`zqxwvzqxwvzqxwvzqxwv${'abcdefghijklmnopqrst'[i]}`]),
      });
      expect(await impatient.check('es', 'Hola, kiero una mesa.')).toEqual([]);
      expect((await impatient.stats()).timedOut).toBe(1);
      await busy;
      expect(await impatient.check('es', 'Hola, kiero una mesa.')).toHaveLength(1);
    } finally {
      await impatient.close();
    }
  });

  it('still tries the likeliest corrections of a busy moment (`minChecks`)', async () => {
    const busy = new SpellingService({ budgetMs: 0 });
    try {
      const corrections = await busy.check('es', 'Hola, kiero una cerbeza.');
      expect(corrections.map((c) => c.corrected)).toEqual(['quiero', 'cerveza']);
    } finally {
      await busy.close();
    }
  });
});

describe('wordsToCheck', () => {
  const none = new Set<string>();
  const words = (language: 'es' | 'de' | 'fr', text: string, known = none) =>
    wordsToCheck(language, text, known).map((w) => w.query);

  it('skips numbers, acronyms, names inside a sentence and known words, and checks each word once', () => {
    expect(words('es', 'Vivo en Madrid con 2 gatos. Gatos y DNI 4B.', new Set(['con']))).toEqual([
      'Vivo',
      'en',
      'gatos',
      'Gatos',
      'y',
    ]);
    expect(words('es', 'hola hola')).toEqual(['hola']);
  });

  it('checks capitalised German nouns and unifies apostrophes', () => {
    expect(words('de', 'Ich möchte einen Tish')).toEqual(['Ich', 'möchte', 'einen', 'Tish']);
    expect(words('fr', 'L’addition')).toEqual(["L'addition"]);
  });
});

describe('suggestions', () => {
  it('prefers a known word differing in accents or case, else the closest within typos', () => {
    expect(closestKnownWord('telefono', ['teléfono', 'telefonear'])).toBe('teléfono');
    expect(closestKnownWord('grasias', ['gracias', 'grasas'])).toBe('gracias');
    expect(closestKnownWord('grasias', ['grasa', 'gracias', 'grasas'])).toBe('gracias');
    expect(closestKnownWord('xyz', ['gracias'])).toBeNull();
  });

  it('drops hyphen and space splits, prefers apostrophe or accent fixes, else keeps Hunspell’s order', () => {
    expect(bestSuggestion('teletrabajar', ['tele-trabajar', 'tele trabajar'])).toBeNull();
    expect(bestSuggestion('Dont', ['Don', "Don't"])).toBe("Don't");
    expect(bestSuggestion('kiero', ['quiero', 'fiero'])).toBe('quiero');
    expect(bestSuggestion('kiero', [])).toBeNull();
  });
});

describe('explanations', () => {
  it('tells spelling, accent and capitalisation mistakes apart', () => {
    expect(spellingIssue('kiero', 'quiero')).toBe('spelling');
    expect(spellingIssue('telefono', 'teléfono')).toBe('accents');
    expect(spellingIssue('tisch', 'Tisch')).toBe('capital');
    expect(spellingIssue('Mesa', 'mesa')).toBe('lowercase');
  });

  it('explains in the six languages, and in English for other native languages', () => {
    expect(explainSpelling('en', 'tisch', 'Tisch')).toBe('Write “Tisch” with a capital letter.');
    expect(explainSpelling('es', 'tisch', 'Tisch')).toBe('«Tisch» se escribe con mayúscula.');
    expect(explainSpelling('fr', 'Mesa', 'mesa')).toBe('« mesa » s’écrit avec une minuscule.');
    expect(explainSpelling('de', 'Mesa', 'mesa')).toBe('„mesa“ schreibt man klein.');
    expect(explainSpelling('it', 'perche', 'perché')).toBe('Attenzione agli accenti di «perche»: si scrive «perché».');
    expect(explainSpelling('pt', 'voce', 'você')).toBe('Atenção aos acentos em “voce”: escreve-se “você”.');
    expect(explainSpelling('pt', 'tisch', 'Tisch')).toBe('“Tisch” escreve-se com letra maiúscula.');
    expect(explainSpelling('it', 'kiero', 'quiero')).toBe('«kiero» è scritto male: si scrive «quiero».');
    expect(explainSpelling('ja', 'kiero', 'quiero')).toBe('“kiero” is misspelled: it is written “quiero”.');
    expect(explainSpelling('en', 'Mesa', 'mesa')).toBe('Write “mesa” in lower case.');
    expect(explainSpelling('es', 'Mesa', 'mesa')).toBe('«mesa» se escribe con minúscula.');
    expect(explainSpelling('fr', 'tisch', 'Tisch')).toBe('« Tisch » s’écrit avec une majuscule.');
    expect(explainSpelling('de', 'tisch', 'Tisch')).toBe('„Tisch“ schreibt man groß.');
    expect(explainSpelling('it', 'tisch', 'Tisch')).toBe('«Tisch» si scrive con la maiuscola.');
    expect(explainSpelling('it', 'Mesa', 'mesa')).toBe('«mesa» si scrive con la minuscola.');
    expect(explainSpelling('pt', 'Mesa', 'mesa')).toBe('“mesa” escreve-se com letra minúscula.');
    expect(explainSpelling('pt', 'kiero', 'quiero')).toBe('“kiero” tem um erro de ortografia: escreve-se “quiero”.');
    expect(explainSpelling('de', 'voce', 'você')).toBe('Achte auf Akzente und Umlaute in „voce“: Richtig ist „você“.');
    expect(explainSpelling('fr', 'voce', 'você')).toBe('Attention aux accents de « voce » : on écrit « você ».');
    expect(explainSpelling('en', 'voce', 'você')).toBe('Check the accents in “voce”: it is written “você”.');
  });
});
