import { NavLink, Outlet } from 'react-router';

const SECTIONS = [
  { to: '/admin/budget', label: 'Global budget' },
  { to: '/admin/users', label: 'User budgets' },
  { to: '/admin/providers', label: 'Providers' },
  { to: '/admin/usage', label: 'Usage' },
];

/** The admin pages share a second row of navigation between them. */
export function AdminLayout() {
  return (
    <>
      <nav className="sub-nav" aria-label="Administration">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.to}>
              <NavLink to={s.to}>{s.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
