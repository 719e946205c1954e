import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AdminUserPageSchema,
  CreatedTokenSchema,
  ListUsersQuerySchema,
  CreateTokenBodySchema,
  LoginBodySchema,
  RegisterBodySchema,
  TokenListSchema,
  UpdateMeBodySchema,
  UserResponseSchema,
} from '../../../shared/auth.js';
import { ErrorBodySchema } from '../../../shared/errors.js';
import { errorResponses } from '../../http/route-schemas.js';
import { type Authenticator, principalOf } from '../../http/auth.js';
import type { AuthService } from './auth.service.js';

const tags = ['auth'];
const adminTags = ['admin: users'];
const errors = errorResponses(400, 401, 403, 404);

export function authRoutes(auth: AuthService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/register',
      {
        schema: {
          tags,
          summary: 'Create a learner account and sign in',
          body: RegisterBodySchema,
          response: { 201: UserResponseSchema, 400: ErrorBodySchema, 409: ErrorBodySchema },
        },
      },
      async (request, reply) => {
        const { user, session } = await auth.register(request.body);
        authn.setSessionCookies(reply, session);
        return reply.status(201).send({ user });
      },
    );

    app.post(
      '/login',
      {
        schema: {
          tags,
          summary: 'Sign in with email and password',
          body: LoginBodySchema,
          response: { 200: UserResponseSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 429: ErrorBodySchema },
        },
      },
      async (request, reply) => {
        const { user, session } = await auth.login(request.body, request.ip);
        authn.setSessionCookies(reply, session);
        return { user };
      },
    );

    app.post(
      '/logout',
      {
        preHandler: authn.requireUser,
        schema: { tags, summary: 'Sign out of this browser', response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (principal.sessionId) await auth.logout(principal.sessionId);
        authn.clearSessionCookies(reply);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/me',
      {
        preHandler: authn.requireUser,
        schema: { tags, summary: 'The signed-in user', response: { 200: UserResponseSchema, ...errors } },
      },
      async (request) => ({ user: principalOf(request).user }),
    );

    app.patch(
      '/me',
      {
        preHandler: authn.requireUser,
        schema: {
          tags,
          summary: 'Update profile or password',
          body: UpdateMeBodySchema,
          response: { 200: UserResponseSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { user, session } = await auth.updateMe(principalOf(request), request.body);
        if (session) authn.setSessionCookies(reply, session);
        return { user };
      },
    );

    app.post(
      '/tokens',
      {
        preHandler: authn.requireUser,
        schema: {
          tags,
          summary: 'Create an API token (shown once)',
          body: CreateTokenBodySchema,
          response: { 201: CreatedTokenSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await auth.createToken(principalOf(request).user.id, request.body.name)),
    );

    app.get(
      '/tokens',
      {
        preHandler: authn.requireUser,
        schema: { tags, summary: "The caller's API tokens", response: { 200: TokenListSchema, ...errors } },
      },
      async (request) => ({ items: await auth.listTokens(principalOf(request).user.id) }),
    );

    app.delete(
      '/tokens/:id',
      {
        preHandler: authn.requireUser,
        schema: {
          tags,
          summary: 'Revoke an API token',
          params: z.object({ id: z.string() }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await auth.deleteToken(principalOf(request).user.id, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}

/** The accounts, for admins (e.g. to pick whom to give a budget). Register at prefix `/api/admin`. */
export function userAdminRoutes(auth: AuthService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireAdmin);

    app.get(
      '/users',
      {
        schema: {
          tags: adminTags,
          summary: 'Every user, newest first; `q` searches email and display name',
          description:
            '`q` matches part of the email or display name, ignoring case (on SQLite, of ASCII letters only). ' +
            'Keyset-paginated: pass `nextCursor` back as `cursor`. Answers no password hash and no token.',
          querystring: ListUsersQuerySchema,
          response: { 200: AdminUserPageSchema, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => auth.listUsers(request.query),
    );
  };
}
