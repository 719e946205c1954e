import { authApi } from '../../api/client.js';
import { useAuth } from '../../auth/AuthProvider.js';
import { ErrorAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function PasswordForm() {
  const { signedIn } = useAuth();
  const { formRef, busy, errors, status, onSubmit } = useFormSubmit(FIELDS, async (value, form) => {
    signedIn(await authApi.updateMe({ currentPassword: value('currentPassword'), newPassword: value('newPassword') }));
    form.reset();
    return 'Password changed. Your other browsers have been signed out.';
  });

  return (
    <section className="card section" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
        <ErrorAlert>{errors.form}</ErrorAlert>
        <FormField label="Current password" error={errors.fields.currentPassword}>
          {(control) => (
            <input {...control} name="currentPassword" type="password" autoComplete="current-password" required />
          )}
        </FormField>
        <FormField
          label="New password"
          error={errors.fields.newPassword}
          hint="At least 8 characters. Changing it signs out your other browsers."
        >
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
