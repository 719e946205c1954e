import { useEffect, useRef } from 'react';
import { Outlet, useLocation } from 'react-router';

/**
 * The root of every route. After client-side navigation it moves keyboard and screen-reader focus to the new
 * page's heading, as a full page load would start at the top; it stays mounted across the switch between the
 * public and the signed-in frames, so signing in counts as navigation too.
 */
export function RouteFocus() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [pathname]);
  return <Outlet />;
}
