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

  it('takes an English word either dictionary knows, British suggestions first', async () => {
    expect(await host.check('en', ['colour', 'color', 'colr'])).toEqual([true, true, false]);
    expect(await host.suggest('en', ['color'])).toEqual([[]]);
    const [suggestions] = await host.suggest('en', ['favourit']);
    expect(suggestions![0]).toBe('favourite');
    expect(new Set(suggestions).size).toBe(suggestions!.length);
  });

  it('reports what it loaded and the memory in use', async () => {
    const stats = (await host.handle({ type: 'stats' })) as ReturnType<SpellHost['stats']>;
    expect(stats.loaded.map((l) => l.language)).toEqual(['es', 'en']);
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
