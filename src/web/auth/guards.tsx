import { Navigate, Outlet, useLocation } from 'react-router';
import { PageLoading } from '../components/PageLoading.js';
import { AdminOnlyPage } from '../pages/admin/AdminOnlyPage.js';
import { useAuth, useUser } from './AuthProvider.js';

/** Shows its child routes to a signed-in user; anyone else is sent to log in, and brought back afterwards. */
export function RequireUser() {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <PageLoading />;
  if (state.status === 'signed-out') {
    const next = `${location.pathname}${location.search}`;
    const keep = !state.byUser && next !== '/';
    return <Navigate to={keep ? `/login?next=${encodeURIComponent(next)}` : '/login'} replace />;
  }
  return <Outlet />;
}

/**
 * Log in and register are for visitors. A signed-in user (including one who just signed in on these pages)
 * goes on to the page they asked for, else the dashboard.
 */
export function RequireVisitor() {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <PageLoading />;
  if (state.status === 'signed-in') return <Navigate to={afterSignIn(location.search)} replace />;
  return <Outlet />;
}

/** Where to go after signing in: the `next` page if it is one of ours, else the dashboard. */
export function afterSignIn(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/**
 * Shows its child routes to admins. A learner who opens an admin address gets a page saying so rather than a
 * redirect, so a shared link explains itself (the API refuses them anyway).
 */
export function RequireAdmin() {
  const user = useUser();
  if (user.role !== 'admin') return <AdminOnlyPage />;
  return <Outlet />;
}
