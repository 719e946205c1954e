import type { ReactNode } from 'react';

export function EmptyState({
  title,
  children,
  icon = 'book',
}: {
  title: string;
  children?: ReactNode;
  icon?: 'book' | 'chart' | 'search';
}) {
  return (
    <div className="empty-state">
      <svg
        className="empty-state-icon"
        aria-hidden="true"
        viewBox="0 0 24 24"
        width="28"
        height="28"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        {icon === 'book' && (
          <>
            <path d="M4 19.5A2.5 2.5 0 0 1 6.5 17H20" />
            <path d="M6.5 2H20v20H6.5A2.5 2.5 0 0 1 4 19.5v-15A2.5 2.5 0 0 1 6.5 2z" />
          </>
        )}
        {icon === 'chart' && (
          <>
            <path d="M3 3v18h18" />
            <path d="M8 17v-5M13 17V8M18 17v-8" />
          </>
        )}
        {icon === 'search' && (
          <>
            <circle cx="11" cy="11" r="7" />
            <path d="m20 20-3.5-3.5" />
          </>
        )}
      </svg>
      <p className="empty-state-title">{title}</p>
      {children && <div className="empty-state-body">{children}</div>}
    </div>
  );
}
