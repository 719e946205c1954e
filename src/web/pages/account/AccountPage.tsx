import { useUser } from '../../auth/AuthProvider.js';
import { Page } from '../../components/Page.js';
import { PasswordForm } from './PasswordForm.js';
import { ProfileForm } from './ProfileForm.js';
import { TokensSection } from './TokensSection.js';

export function AccountPage() {
  const user = useUser();
  return (
    <Page
      title="Account"
      description={
        <>
          Signed in as <strong>{user.email}</strong>.
        </>
      }
    >
      <div className="account-grid">
        <ProfileForm user={user} />
        <PasswordForm />
      </div>
      <TokensSection />
    </Page>
  );
}
