import { type FormEvent, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { authApi } from '../../api/client.js';
import { useAuth } from '../../auth/AuthProvider.js';
import { ErrorAlert } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { focusFirstProblem } from '../../lib/focus.js';
import { type FormErrors, NO_ERRORS, toFormErrors } from '../../lib/form-errors.js';

const FIELDS = ['email', 'password'] as const;
type Field = (typeof FIELDS)[number];

export function LoginPage() {
  const { signedIn } = useAuth();
  const location = useLocation();
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const user = await authApi.login({ email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') });
      // The visitor guard now sends the learner on to the page they asked for, or the dashboard.
      signedIn(user);
    } catch (err) {
      setErrors(toFormErrors(err, FIELDS));
      setBusy(false);
      focusFirstProblem(formRef.current);
    }
  };

  return (
    <Page title="Log in" description="Welcome back. Pick up where you left off.">
      <div className="card card-form">
        <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
          <ErrorAlert>{errors.form}</ErrorAlert>
          <FormField label="Email" error={errors.fields.email}>
            {(control) => <input {...control} name="email" type="email" autoComplete="username" required spellCheck={false} />}
          </FormField>
          <FormField label="Password" error={errors.fields.password}>
            {(control) => <input {...control} name="password" type="password" autoComplete="current-password" required />}
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
