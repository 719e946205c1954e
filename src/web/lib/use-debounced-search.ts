import { useEffect, useRef, useState } from 'react';

/** How long after the last keystroke a search box's text is searched for. */
export const SEARCH_DELAY_MS = 300;

/**
 * A search box's text, searched for (trimmed, through `apply`) `SEARCH_DELAY_MS` after the last keystroke, or at
 * once with `now` (Enter, a Search button). A pending search is dropped by `clear`, by `now` and on unmount.
 */
export function useDebouncedSearch(initial: string, apply: (query: string) => void) {
  const [text, setText] = useState(initial);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return {
    text,
    onChange(value: string) {
      setText(value);
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => apply(value.trim()), SEARCH_DELAY_MS);
    },
    now() {
      window.clearTimeout(timer.current);
      apply(text.trim());
    },
    clear() {
      window.clearTimeout(timer.current);
      setText('');
    },
  };
}
