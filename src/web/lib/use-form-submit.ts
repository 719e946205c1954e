import { type FormEvent, useEffect, useRef, useState } from 'react';
import { focusFirstProblem } from './focus.js';
import { type FormErrors, NO_ERRORS, toFormErrors } from './form-errors.js';

/**
 * The submit cycle every form shares: ignore a second submit while busy, clear old errors, run `action` with the
 * form's values, then show its status message, or place the API's errors next to their fields and move focus
 * to the first problem.
 */
export function useFormSubmit<F extends string>(
  fields: readonly F[],
  action: (values: (name: F) => string, form: HTMLFormElement) => Promise<string | void>,
  byCode: Partial<Record<string, F>> = {},
) {
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<F>>(NO_ERRORS);
  const [status, setStatus] = useState('');
  // Counts failed submits; focus moves after the render that shows their errors (an effect runs after the commit,
  // where a frame callback scheduled from the handler may run before it and find nothing to focus).
  const [failures, setFailures] = useState(0);

  useEffect(() => {
    if (failures > 0) focusFirstProblem(formRef.current);
  }, [failures]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setErrors(NO_ERRORS);
    setStatus('');
    try {
      const message = await action((name) => String(data.get(name) ?? ''), form);
      if (message) setStatus(message);
    } catch (err) {
      setErrors(toFormErrors(err, fields, byCode));
      setFailures((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return { formRef, busy, errors, status, onSubmit };
}
