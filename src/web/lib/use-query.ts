import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { ApiError } from '../api/client.js';

export type QueryState<T> =
  | { status: 'loading'; data: T | undefined; error: undefined }
  | { status: 'success'; data: T; error: undefined }
  | { status: 'error'; data: T | undefined; error: ApiError };

interface Settled<T> {
  /** `${key}#${version}` of the request that produced this. */
  id: string;
  key: string;
  data: T | undefined;
  error: ApiError | undefined;
}

function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, 'unknown', err instanceof Error ? err.message : String(err));
}

/**
 * Loads data for a component: fetches whenever `key` changes (or `reload` is called) and ignores answers to
 * requests that were superseded. While reloading the same key, the previous data stays available.
 */
export function useQuery<T>(key: string, fetcher: () => Promise<T>): QueryState<T> & { reload: () => void } {
  const [version, setVersion] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);
  const load = useEffectEvent(fetcher);
  const id = `${key}#${version}`;

  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setSettled({ id, key, data, error: undefined }),
      (err: unknown) =>
        live &&
        setSettled((prev) => ({ id, key, data: prev?.key === key ? prev.data : undefined, error: asApiError(err) })),
    );
    return () => {
      live = false;
    };
  }, [id, key]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const previous = settled?.key === key ? settled.data : undefined;
  if (!settled || settled.id !== id) return { status: 'loading', data: previous, error: undefined, reload };
  if (settled.error) return { status: 'error', data: previous, error: settled.error, reload };
  return { status: 'success', data: settled.data as T, error: undefined, reload };
}
