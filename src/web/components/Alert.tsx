import type { ReactNode } from 'react';
import { errorMessage } from '../lib/form-errors.js';
import { Button } from './Button.js';

/** A form-level or page-level error. role="alert" makes screen readers announce it as it appears. */
export function ErrorAlert({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1}>
      {children}
    </div>
  );
}

/** A failed load: what went wrong, and "Try again". */
export function RetryAlert({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <ErrorAlert>
      <span>{errorMessage(error)}</span>{' '}
      <Button variant="secondary" size="small" onClick={onRetry}>
        Try again
      </Button>
    </ErrorAlert>
  );
}

/**
 * A polite live region for the outcome of an action ("Saved."). It is always rendered so that screen readers
 * notice when its text changes.
 */
export function StatusMessage({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <p
      className={`status-message${children ? ' status-message-visible' : ''}${className ? ` ${className}` : ''}`}
      role="status"
      aria-live="polite"
    >
      {children}
    </p>
  );
}
