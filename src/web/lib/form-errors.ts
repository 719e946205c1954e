import { ApiError } from '../api/client.js';
import { sentence } from './format.js';

export interface FormErrors<F extends string> {
  /** Messages for the fields the form shows, by field name. */
  fields: Partial<Record<F, string>>;
  /** What no field of the form can show: shown in the form's alert. */
  form: string | null;
}

export const NO_ERRORS = { fields: {}, form: null } as const satisfies FormErrors<never>;

/**
 * Splits an error into the messages for the form's own fields (from the API's `details[].field`, or the field a
 * nested path such as `thresholds.1` starts with) and one form-level message for the rest. `byCode` places an
 * error without details by its code (e.g. `email_taken` next to the email field).
 */
export function toFormErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  byCode: Partial<Record<string, F>> = {},
): FormErrors<F> {
  if (!(error instanceof ApiError)) return { fields: {}, form: 'Something went wrong. Please try again.' };
  const result: FormErrors<F> = { fields: {}, form: null };
  const codeField = byCode[error.code];
  if (codeField && error.details.length === 0) {
    result.fields[codeField] = sentence(error.message);
    return result;
  }
  const unplaced: string[] = [];
  for (const detail of error.details) {
    // A detail about part of a field (`thresholds.1`) is shown next to the field itself.
    const field = fields.find((f) => detail.field === f || detail.field.startsWith(`${f}.`));
    if (field && !result.fields[field]) result.fields[field] = sentence(detail.message);
    else if (!field) unplaced.push(`${detail.field}: ${detail.message}`);
  }
  if (error.details.length === 0) result.form = sentence(error.message);
  else if (unplaced.length > 0) result.form = sentence(unplaced.join('; '));
  return result;
}

/** Words for an error that is not about a form (a page that failed to load, a button that failed). */
export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? sentence(error.message) : 'Something went wrong. Please try again.';
}
