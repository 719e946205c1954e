import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { User } from '../../shared/auth.js';
import { authApi, UNAUTHENTICATED_EVENT } from '../api/client.js';

export type AuthState =
  | { status: 'loading' }
  /** `byUser`: they pressed Sign out (rather than never having signed in, or their session ending). */
  | { status: 'signed-out'; byUser: boolean }
  | { status: 'signed-in'; user: User };

interface AuthContextValue {
  state: AuthState;
  /** Records the user the API just answered for (after register, log in or a profile change). */
  signedIn: (user: User) => void;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** Knows who is signed in: asks the API once on start, then follows sign-in, sign-out and expired sessions. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    authApi.me().then(
      (user) => live && setState({ status: 'signed-in', user }),
      () => live && setState({ status: 'signed-out', byUser: false }),
    );
    const onUnauthenticated = () => setState({ status: 'signed-out', byUser: false });
    window.addEventListener(UNAUTHENTICATED_EVENT, onUnauthenticated);
    return () => {
      live = false;
      window.removeEventListener(UNAUTHENTICATED_EVENT, onUnauthenticated);
    };
  }, []);

  const signedIn = useCallback((user: User) => setState({ status: 'signed-in', user }), []);
  const signOut = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      setState({ status: 'signed-out', byUser: true });
    }
  }, []);

  const value = useMemo(() => ({ state, signedIn, signOut }), [state, signedIn, signOut]);
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user; only for components under a route that requires one. */
export function useUser(): User {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useUser needs a signed-in user');
  return state.user;
}
