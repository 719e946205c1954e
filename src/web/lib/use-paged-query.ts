import { useState } from 'react';
import { errorMessage } from './form-errors.js';
import { useQuery } from './use-query.js';

/** A page of a keyset-paginated list, as every list endpoint answers it. */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A list whose first page loads with `key` and whose later pages come with "Load more". The pages added belong to
 * one key: another key (a new filter or search) starts again from its first page.
 */
export function usePagedQuery<T>(key: string, fetchPage: (cursor: string | undefined) => Promise<ListPage<T>>) {
  const first = useQuery(key, () => fetchPage(undefined));
  const [more, setMore] = useState<(ListPage<T> & { key: string }) | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  const extra = more?.key === key ? more : null;
  const items = first.data ? [...first.data.items, ...(extra?.items ?? [])] : [];
  const nextCursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);

  const loadMore = async () => {
    if (!nextCursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchPage(nextCursor);
      setMore({ key, items: [...(extra?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };
  /** Forgets the pages added, so coming back to this key starts from its first page. */
  const reset = () => {
    setMore(null);
    setMoreError(null);
  };

  return { first, items, nextCursor, loadMore, loadingMore, moreError, reset };
}
