import { type MouseEvent, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useAuth, useUser } from '../auth/AuthProvider.js';
import { Brand } from './Brand.js';
import { Button } from './Button.js';

const NAV = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/scenarios', label: 'Scenarios', end: false },
  { to: '/review', label: 'Review', end: false },
  { to: '/cards', label: 'Cards', end: false },
  { to: '/history', label: 'History', end: false },
  { to: '/usage', label: 'Usage', end: false },
  { to: '/account', label: 'Account', end: false },
];
/** Shown to admins only; a learner who opens an admin address is told it is for admins (see RequireAdmin). */
const ADMIN_NAV = { to: '/admin', label: 'Admin', end: false };

function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

/** The frame of every signed-in page: header with navigation and sign-out, and the main landmark. */
export function Layout() {
  const user = useUser();
  const { signOut } = useAuth();
  const [signingOut, setSigningOut] = useState(false);

  const onSignOut = () => {
    setSigningOut(true);
    // On success the guard sends the visitor to the log-in page; a failure still forgets the user locally.
    signOut().catch(() => setSigningOut(false));
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={skipToContent}>
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-inner">
          <Brand />
          <nav className="main-nav" aria-label="Main">
            <ul>
              {(user.role === 'admin' ? [...NAV, ADMIN_NAV] : NAV).map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="header-user">
            <span className="header-user-name" title={user.email}>
              {user.displayName}
            </span>
            <Button variant="ghost" size="small" busy={signingOut} busyLabel="Signing out…" onClick={onSignOut}>
              Sign out
            </Button>
          </div>
        </div>
      </header>
      <main id="main" className="container main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="container">
          Language Tutor · <a href="/api/docs">API documentation</a>
        </div>
      </footer>
    </div>
  );
}

/** The frame of the log-in and registration pages. */
export function PublicLayout() {
  return (
    <div className="app app-public">
      <header className="site-header site-header-public">
        <div className="container header-inner">
          <Brand />
        </div>
      </header>
      <main id="main" className="container main main-narrow" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="container">
          Language Tutor · <a href="/api/docs">API documentation</a>
        </div>
      </footer>
    </div>
  );
}
