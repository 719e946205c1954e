import { type FormEvent, useRef, useState } from 'react';
import { authApi } from '../../api/client.js';
import { useAuth } from '../../auth/AuthProvider.js';
import { ErrorAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { focusFirstProblem } from '../../lib/focus.js';
import { type FormErrors, NO_ERRORS, toFormErrors } from '../../lib/form-errors.js';

const FIELDS = ['currentPassword', 'newPassword'] as const;
type Field = (typeof FIELDS)[number];

export function PasswordForm() {
  const { signedIn } = useAuth();
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const [status, setStatus] = useState('');

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setErrors(NO_ERRORS);
    setStatus('');
    try {
      const user = await authApi.updateMe({
        currentPassword: String(form.get('currentPassword') ?? ''),
        newPassword: String(form.get('newPassword') ?? ''),
      });
      signedIn(user);
      formElement.reset();
      setStatus('Password changed. Your other browsers have been signed out.');
    } catch (err) {
      setErrors(toFormErrors(err, FIELDS));
      focusFirstProblem(formRef.current);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card section" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
        <ErrorAlert>{errors.form}</ErrorAlert>
        <FormField label="Current password" error={errors.fields.currentPassword}>
          {(control) => <input {...control} name="currentPassword" type="password" autoComplete="current-password" required />}
        </FormField>
        <FormField label="New password" error={errors.fields.newPassword} hint="At least 8 characters. Changing it signs out your other browsers.">
          {(control) => <input {...control} name="newPassword" type="password" autoComplete="new-password" required />}
        </FormField>
        <div className="form-actions">
          <Button type="submit" busy={busy} busyLabel="Changing…">
            Change password
          </Button>
          <StatusMessage>{status}</StatusMessage>
        </div>
      </form>
    </section>
  );
}
