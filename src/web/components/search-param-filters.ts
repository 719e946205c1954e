import { useSearchParams } from 'react-router';

/** The query string with one filter set to `value`, or without it when `value` is empty; the rest is kept. */
export function withFilter(params: URLSearchParams, name: string, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(name, value);
  else next.delete(name);
  return next;
}

/** Whether any filter is set: `parse` functions leave a filter `undefined` when the query string lacks it. */
export function hasFilters(filters: object): boolean {
  return Object.values(filters).some((value) => value !== undefined);
}

/**
 * A list page's filters kept in its query string, so a filtered view can be bookmarked and shared. `parse` reads
 * them (ignoring values it does not know); changes replace the history entry rather than adding one per choice.
 */
export function useSearchParamFilters<F extends object>(parse: (params: URLSearchParams) => F) {
  const [params, setParams] = useSearchParams();
  const filters = parse(params);
  const setFilter = (name: keyof F & string, value: string) => {
    setParams((prev) => withFilter(prev, name, value), { replace: true });
  };
  const clear = () => setParams(new URLSearchParams(), { replace: true });
  return { filters, filtered: hasFilters(filters), setFilter, clear };
}
