import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { NATIVE_LANGUAGES, type NativeLanguage } from '../../../shared/languages.js';
import { authApi } from '../../api/client.js';
import { useAuth } from '../../auth/AuthProvider.js';
import { ErrorAlert } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { NativeLanguageOptions, TimeZoneOptions } from '../../components/options.js';
import { Page } from '../../components/Page.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';
import { browserTimeZone } from '../../lib/format.js';

const FIELDS = ['email', 'password', 'displayName', 'nativeLanguage', 'timezone'] as const;

/** The browser's language, when it is one we explain in; English otherwise. */
function browserLanguage(): NativeLanguage {
  const code = navigator.language.slice(0, 2).toLowerCase();
  return NATIVE_LANGUAGES.find((l) => l === code) ?? 'en';
}

export function RegisterPage() {
  const { signedIn } = useAuth();
  const location = useLocation();
  const [defaults] = useState(() => ({ timezone: browserTimeZone(), nativeLanguage: browserLanguage() }));
  const { formRef, busy, errors, onSubmit } = useFormSubmit(
    FIELDS,
    async (value) => {
      const displayName = value('displayName').trim();
      const user = await authApi.register({
        email: value('email'),
        password: value('password'),
        displayName: displayName === '' ? undefined : displayName,
        nativeLanguage: value('nativeLanguage') as NativeLanguage,
        timezone: value('timezone'),
      });
      // The visitor guard then sends the new learner on to the dashboard.
      signedIn(user);
    },
    { email_taken: 'email' },
  );

  return (
    <Page
      title="Create your account"
      description="Track your study time, sessions and accuracy in every language you learn."
    >
      <div className="card card-form">
        <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
          <ErrorAlert>{errors.form}</ErrorAlert>
          <FormField label="Email" error={errors.fields.email}>
            {(control) => (
              <input {...control} name="email" type="email" autoComplete="email" required spellCheck={false} />
            )}
          </FormField>
          <FormField label="Password" error={errors.fields.password} hint="At least 8 characters.">
            {(control) => <input {...control} name="password" type="password" autoComplete="new-password" required />}
          </FormField>
          <FormField label="Display name" optional error={errors.fields.displayName} hint="How the tutor greets you.">
            {(control) => <input {...control} name="displayName" type="text" autoComplete="nickname" maxLength={80} />}
          </FormField>
          <div className="field-row">
            <FormField
              label="Native language"
              error={errors.fields.nativeLanguage}
              hint="Explanations are given in it."
            >
              {(control) => (
                <select {...control} name="nativeLanguage" defaultValue={defaults.nativeLanguage}>
                  <NativeLanguageOptions />
                </select>
              )}
            </FormField>
            <FormField label="Time zone" error={errors.fields.timezone} hint="Your study days start at midnight here.">
              {(control) => (
                <select {...control} name="timezone" defaultValue={defaults.timezone}>
                  <TimeZoneOptions current={defaults.timezone} />
                </select>
              )}
            </FormField>
          </div>
          <Button type="submit" className="btn-block" busy={busy} busyLabel="Creating account…">
            Create account
          </Button>
        </form>
      </div>
      <p className="form-footer">
        Already have an account? <Link to={{ pathname: '/login', search: location.search }}>Log in</Link>
      </p>
    </Page>
  );
}
