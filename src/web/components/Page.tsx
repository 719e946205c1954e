import type { ReactNode } from 'react';
import { useDocumentTitle } from '../lib/use-document-title.js';

interface PageProps {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}

/** A page's heading, intro and document title. The heading takes focus after navigation (see Layout). */
export function Page({ title, description, actions, children }: PageProps) {
  useDocumentTitle(title);
  return (
    <>
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>{title}</h1>
          {description && <p className="page-description">{description}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}
