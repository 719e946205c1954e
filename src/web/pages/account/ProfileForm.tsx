import { type FormEvent, useRef, useState } from 'react';
import type { User } from '../../../shared/auth.js';
import type { NativeLanguage } from '../../../shared/languages.js';
import { authApi } from '../../api/client.js';
import { useAuth } from '../../auth/AuthProvider.js';
import { ErrorAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { NativeLanguageOptions, TimeZoneOptions } from '../../components/options.js';
import { focusFirstProblem } from '../../lib/focus.js';
import { type FormErrors, NO_ERRORS, toFormErrors } from '../../lib/form-errors.js';

const FIELDS = ['displayName', 'nativeLanguage', 'timezone'] as const;
type Field = (typeof FIELDS)[number];

export function ProfileForm({ user }: { user: User }) {
  const { signedIn } = useAuth();
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const [status, setStatus] = useState('');

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setErrors(NO_ERRORS);
    setStatus('');
    try {
      const updated = await authApi.updateMe({
        displayName: String(form.get('displayName') ?? ''),
        nativeLanguage: String(form.get('nativeLanguage') ?? '') as NativeLanguage,
        timezone: String(form.get('timezone') ?? ''),
      });
      signedIn(updated);
      setStatus('Profile saved.');
    } catch (err) {
      setErrors(toFormErrors(err, FIELDS));
      focusFirstProblem(formRef.current);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card section" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
        <ErrorAlert>{errors.form}</ErrorAlert>
        <FormField label="Display name" error={errors.fields.displayName}>
          {(control) => <input {...control} name="displayName" type="text" autoComplete="nickname" defaultValue={user.displayName} maxLength={80} required />}
        </FormField>
        <FormField label="Native language" error={errors.fields.nativeLanguage} hint="Explanations are given in it.">
          {(control) => (
            <select {...control} name="nativeLanguage" defaultValue={user.nativeLanguage}>
              <NativeLanguageOptions />
            </select>
          )}
        </FormField>
        <FormField label="Time zone" error={errors.fields.timezone} hint="Your study days and dates are shown in it.">
          {(control) => (
            <select {...control} name="timezone" defaultValue={user.timezone}>
              <TimeZoneOptions current={user.timezone} />
            </select>
          )}
        </FormField>
        <div className="form-actions">
          <Button type="submit" busy={busy} busyLabel="Saving…">
            Save profile
          </Button>
          <StatusMessage>{status}</StatusMessage>
        </div>
      </form>
    </section>
  );
}
