import { useEffect } from 'react';

const APP_NAME = 'Language Tutor';

/** Sets the browser tab's title to "<page> · Language Tutor" while the page is shown. */
export function useDocumentTitle(page: string | null): void {
  useEffect(() => {
    document.title = page ? `${page} · ${APP_NAME}` : APP_NAME;
  }, [page]);
}
