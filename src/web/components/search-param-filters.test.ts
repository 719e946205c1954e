import { describe, expect, it } from 'vitest';
import { hasFilters, withFilter } from './search-param-filters.js';

describe('withFilter', () => {
  it('sets a filter and keeps the other parameters', () => {
    const params = new URLSearchParams('language=es&x=1');
    expect(withFilter(params, 'type', 'scenario').toString()).toBe('language=es&x=1&type=scenario');
    expect(withFilter(params, 'language', 'fr').toString()).toBe('language=fr&x=1');
  });

  it('removes a filter set to the empty value (“All”)', () => {
    expect(withFilter(new URLSearchParams('language=es&x=1'), 'language', '').toString()).toBe('x=1');
    expect(withFilter(new URLSearchParams('x=1'), 'language', '').toString()).toBe('x=1');
  });

  it('leaves the parameters it was given unchanged', () => {
    const params = new URLSearchParams('q=house');
    withFilter(params, 'q', '');
    expect(params.toString()).toBe('q=house');
  });
});

describe('hasFilters', () => {
  it('is true when any filter is set, even to `false`', () => {
    expect(hasFilters({ language: undefined, state: undefined })).toBe(false);
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ language: 'es', state: undefined })).toBe(true);
    expect(hasFilters({ q: undefined, suspended: false })).toBe(true);
  });
});
