import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AuthService, BrowserSession, Principal } from '../modules/auth/auth.service.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';

export const SESSION_COOKIE = 'tutor_session';
export const CSRF_COOKIE = 'csrf_token';
export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The signed-in caller of a route guarded by `requireUser`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthenticatedError();
  return request.principal;
}

export interface Authenticator {
  /** preHandler: resolves the caller from a bearer token or the session cookie, else 401; checks CSRF for cookies. */
  requireUser: preHandlerAsyncHookHandler;
  /** preHandler: as `requireUser`, then 403 unless the caller is an admin. */
  requireAdmin: preHandlerAsyncHookHandler;
  /** Whoever the request proves to be, or null; never throws for a missing or stale credential. */
  identify(request: FastifyRequest): Promise<Principal | null>;
  setSessionCookies(reply: FastifyReply, session: BrowserSession): void;
  clearSessionCookies(reply: FastifyReply): void;
}

export function createAuthenticator(auth: AuthService, options: { cookieSecure: boolean }): Authenticator {
  const cookieBase = { path: '/', sameSite: 'lax' as const, secure: options.cookieSecure };

  async function identify(request: FastifyRequest): Promise<Principal | null> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      return match ? auth.resolveToken(match[1]!) : null;
    }
    const secret = request.cookies[SESSION_COOKIE];
    return secret ? auth.resolveSession(secret) : null;
  }

  const requireUser: preHandlerAsyncHookHandler = async (request) => {
    const principal = await identify(request);
    if (!principal) {
      throw new UnauthenticatedError(request.headers.authorization ? 'the API token is not valid' : 'sign in first');
    }
    if (principal.via === 'cookie' && UNSAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || sent !== principal.csrfToken) {
        throw new ForbiddenError(
          'csrf_failed',
          `send the ${CSRF_HEADER} header with the value of the ${CSRF_COOKIE} cookie`,
        );
      }
    }
    request.principal = principal;
  };

  const requireAdmin: preHandlerAsyncHookHandler = async function (request, reply) {
    await requireUser.call(this, request, reply);
    if (request.principal!.user.role !== 'admin') throw new ForbiddenError('forbidden', 'this needs an admin account');
  };

  return {
    requireUser,
    requireAdmin,
    identify,
    setSessionCookies(reply, session) {
      const expires = new Date(session.expiresAt);
      reply.setCookie(SESSION_COOKIE, session.secret, { ...cookieBase, httpOnly: true, expires });
      reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...cookieBase, httpOnly: false, expires });
    },
    clearSessionCookies(reply) {
      reply.clearCookie(SESSION_COOKIE, { ...cookieBase, httpOnly: true });
      reply.clearCookie(CSRF_COOKIE, { ...cookieBase, httpOnly: false });
    },
  };
}
