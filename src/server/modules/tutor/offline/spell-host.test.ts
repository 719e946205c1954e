import { describe, expect, it } from 'vitest';
import { SpellHost, withoutNgramSuggestions } from './spell-host.js';

// The worker's part, driven in this test process (its own process: Hunspell's runtime adds process handlers).
describe('SpellHost', () => {
  const host = new SpellHost();

  it('loads a language once, however many callers ask at the same time', async () => {
    const [first, second] = await Promise.all([host.handle({ type: 'load', languages: ['es'] }), host.load(['es'])]);
    expect(first).toEqual(second);
    expect(second).toEqual([{ language: 'es', loadMs: expect.any(Number), rssDeltaBytes: expect.any(Number) }]);
  });

  it('checks and suggests through the message handler', async () => {
    expect(await host.handle({ type: 'check', language: 'es', words: ['hola', 'kiero'] })).toEqual([true, false]);
    const [forKnown, forMisspelled] = (await host.handle({
      type: 'suggest',
      language: 'es',
      words: ['hola', 'kiero'],
    })) as string[][];
    expect(forKnown).toEqual([]);
    expect(forMisspelled![0]).toBe('quiero');
  });

  it('corrects with our suggester through the message handler, and remembers complete searches', async () => {
    const request = { type: 'correct' as const, language: 'es' as const, words: [['kiero'], ['grasias', 'Grasias']] };
    const [kiero, grasias] = (await host.handle(request)) as string[][];
    expect(kiero![0]).toBe('quiero');
    expect(grasias![0]).toBe('gracias');
    const before = host.stats().suggest;
    expect(await host.handle(request)).toEqual([kiero, grasias]);
    expect(host.stats().suggest).toEqual({ ...before, words: before.words + 2, cacheHits: before.cacheHits + 2 });
  });

  it('answers what it found by the deadline, and does not remember a search cut short', async () => {
    const before = host.stats().suggest;
    const words = [['ggrasiass']];
    expect(await host.correct({ language: 'es', words, deadline: 0, minChecks: 0 })).toEqual([[]]);
    expect(host.stats().suggest).toMatchObject({
      cutShort: before.cutShort + 1,
      incompleteWords: before.incompleteWords + 1,
    });
    const [full] = await host.correct({ language: 'es', words });
    expect(full).toEqual([]); // two typos: beyond the suggester, like Hunspell's edit-based suggestions
    expect(host.stats().suggest.checks).toBeGreaterThan(before.checks + 500);
  });

  it('takes an English word either dictionary knows, British suggestions first', async () => {
    expect(await host.check('en', ['colour', 'color', 'colr'])).toEqual([true, true, false]);
    expect(await host.suggest('en', ['color'])).toEqual([[]]);
    const [suggestions] = await host.suggest('en', ['favourit']);
    expect(suggestions![0]).toBe('favourite');
    expect(new Set(suggestions).size).toBe(suggestions!.length);
    const [favourite, color] = await host.correct({ language: 'en', words: [['favourit'], ['colr']] });
    expect(favourite![0]).toBe('favourite');
    expect(color).toContain('color');
    // Neither dictionary's NOSUGGEST words are offered.
    expect((await host.correct({ language: 'en', words: [['shiy']] }))[0]).not.toContain('shit');
  });

  it('reports what it loaded and the memory in use', async () => {
    const stats = (await host.handle({ type: 'stats' })) as ReturnType<SpellHost['stats']>;
    expect(stats.loaded.map((l) => l.language)).toEqual(['es', 'en']);
    expect(stats.suggest.words).toBeGreaterThan(0);
    expect(stats.rssBytes).toBeGreaterThan(0);
    expect(stats.heapUsedBytes).toBeGreaterThan(0);
  });

  it('fails for a language it has no dictionary for, and may retry later', async () => {
    await expect(host.check('xx' as 'es', ['a'])).rejects.toThrow();
    await expect(host.check('xx' as 'es', ['a'])).rejects.toThrow();
  });

  it('can keep Hunspell’s n-gram suggestions', async () => {
    const withNgrams = new SpellHost({ ngramSuggestions: true });
    expect(await withNgrams.check('es', ['mesa'])).toEqual([true]);
  });
});

describe('withoutNgramSuggestions', () => {
  it('replaces the affix file’s own setting', () => {
    const aff = new TextEncoder().encode('SET UTF-8\nMAXNGRAMSUGS 12\nTRY abc\n');
    const text = new TextDecoder().decode(withoutNgramSuggestions(aff));
    expect(text.match(/MAXNGRAMSUGS \d+/gu)).toEqual(['MAXNGRAMSUGS 0']);
    expect(text).toContain('MAXCPDSUGS 0');
    expect(text).toContain('TRY abc');
  });
});
