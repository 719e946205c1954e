import { type ReactNode, useId } from 'react';

export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FormFieldProps {
  label: string;
  /** Shown under the control and tied to it with aria-describedby. */
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  /** Renders the control with the id and ARIA attributes that tie it to the label, hint and error. */
  children: (control: ControlProps) => ReactNode;
}

export function FormField({ label, error, hint, optional = false, children }: FormFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14">
            <circle cx="8" cy="8" r="7" fill="currentColor" />
            <rect x="7.1" y="3.6" width="1.8" height="5.6" rx="0.9" fill="#fff" />
            <circle cx="8" cy="11.6" r="1.05" fill="#fff" />
          </svg>
          {error}
        </p>
      )}
    </div>
  );
}
