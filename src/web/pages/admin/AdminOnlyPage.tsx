import { Link } from 'react-router';
import { Page } from '../../components/Page.js';

/** What a learner sees at an admin address. */
export function AdminOnlyPage() {
  return (
    <Page title="Admins only" description="This page is for the administrators of this Language Tutor.">
      <section className="card section admin-only" data-testid="admins-only">
        <p>
          Your account is a learner account, so budgets and providers are not shown to you. Ask an administrator if you
          need a change to your AI budget.
        </p>
        <p>
          <Link to="/usage">See your own usage and budget</Link> · <Link to="/">Go to your dashboard</Link>
        </p>
      </section>
    </Page>
  );
}
