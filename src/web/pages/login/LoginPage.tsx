import { Link, useLocation } from 'react-router';
import { authApi } from '../../api/client.js';
import { useAuth } from '../../auth/AuthProvider.js';
import { ErrorAlert } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';

const FIELDS = ['email', 'password'] as const;

export function LoginPage() {
  const { signedIn } = useAuth();
  const location = useLocation();
  const { formRef, busy, errors, onSubmit } = useFormSubmit(FIELDS, async (value) => {
    // The visitor guard then sends the learner on to the page they asked for, or the dashboard.
    signedIn(await authApi.login({ email: value('email'), password: value('password') }));
  });

  return (
    <Page title="Log in" description="Welcome back. Pick up where you left off.">
      <div className="card card-form">
        <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
          <ErrorAlert>{errors.form}</ErrorAlert>
          <FormField label="Email" error={errors.fields.email}>
            {(control) => (
              <input {...control} name="email" type="email" autoComplete="username" required spellCheck={false} />
            )}
          </FormField>
          <FormField label="Password" error={errors.fields.password}>
            {(control) => (
              <input {...control} name="password" type="password" autoComplete="current-password" required />
            )}
          </FormField>
          <Button type="submit" className="btn-block" busy={busy} busyLabel="Logging in…">
            Log in
          </Button>
        </form>
      </div>
      <p className="form-footer">
        New to Language Tutor? <Link to={{ pathname: '/register', search: location.search }}>Create an account</Link>
      </p>
    </Page>
  );
}
