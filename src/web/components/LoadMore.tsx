import { Button } from './Button.js';

/** Below a list: how much of it is shown (for sighted readers; the page announces it too) and "Load more". */
export function LoadMore({
  summary,
  hasMore,
  loading,
  onLoadMore,
  label = 'Load more',
  size,
}: {
  summary: string;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  label?: string;
  size?: 'normal' | 'small';
}) {
  return (
    <div className="load-more">
      <p className="muted" aria-hidden="true">
        {summary}
      </p>
      {hasMore && (
        <Button variant="secondary" size={size} busy={loading} busyLabel="Loading…" onClick={onLoadMore}>
          {label}
        </Button>
      )}
    </div>
  );
}
