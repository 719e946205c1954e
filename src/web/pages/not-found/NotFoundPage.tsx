import { Link } from 'react-router';
import { Page } from '../../components/Page.js';

export function NotFoundPage() {
  return (
    <Page title="Page not found" description="There is no page at this address.">
      <p>
        <Link to="/">Go to your dashboard</Link>
      </p>
    </Page>
  );
}
