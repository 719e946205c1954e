import type { ReactNode } from 'react';
import { fieldId } from './draft.js';

export interface EditorControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** Finds the API's messages for the editor's boxes by their paths (without the body's `scenario.` prefix). */
export interface ErrorLookup {
  /** The message about exactly this path. */
  at: (path: string) => string | undefined;
  /** The messages about this path and anything under it, joined. */
  under: (path: string) => string | undefined;
}

/**
 * A labelled box of the scenario editor, like FormField but with an id derived from the box's path in the
 * scenario, so the error summary can link to it.
 */
export function EditorField({
  path,
  label,
  error,
  hint,
  optional = false,
  labelHidden = false,
  className,
  children,
}: {
  path: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  /** For rows of a table-like list, where a column heading says it; screen readers still get the label. */
  labelHidden?: boolean;
  className?: string;
  children: (control: EditorControlProps) => ReactNode;
}) {
  const id = fieldId(path);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'field-invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id} className={labelHidden ? 'visually-hidden' : 'field-label'}>
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && <FieldError id={errorId}>{error}</FieldError>}
    </div>
  );
}

/** An error message in the style of FormField's, for a box or a whole list. */
export function FieldError({ id, children }: { id?: string | undefined; children: ReactNode }) {
  return (
    <p id={id} className="field-error">
      <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14">
        <circle cx="8" cy="8" r="7" fill="currentColor" />
        <rect x="7.1" y="3.6" width="1.8" height="5.6" rx="0.9" fill="#fff" />
        <circle cx="8" cy="11.6" r="1.05" fill="#fff" />
      </svg>
      {children}
    </p>
  );
}
