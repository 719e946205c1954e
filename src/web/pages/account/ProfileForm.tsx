import type { User } from '../../../shared/auth.js';
import type { NativeLanguage } from '../../../shared/languages.js';
import { authApi } from '../../api/client.js';
import { useAuth } from '../../auth/AuthProvider.js';
import { ErrorAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { NativeLanguageOptions, TimeZoneOptions } from '../../components/options.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';

const FIELDS = ['displayName', 'nativeLanguage', 'timezone'] as const;

export function ProfileForm({ user }: { user: User }) {
  const { signedIn } = useAuth();
  const { formRef, busy, errors, status, onSubmit } = useFormSubmit(FIELDS, async (value) => {
    signedIn(
      await authApi.updateMe({
        displayName: value('displayName'),
        nativeLanguage: value('nativeLanguage') as NativeLanguage,
        timezone: value('timezone'),
      }),
    );
    return 'Profile saved.';
  });

  return (
    <section className="card section" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
        <ErrorAlert>{errors.form}</ErrorAlert>
        <FormField label="Display name" error={errors.fields.displayName}>
          {(control) => (
            <input
              {...control}
              name="displayName"
              type="text"
              autoComplete="nickname"
              defaultValue={user.displayName}
              maxLength={80}
              required
            />
          )}
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
