import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AdminUsageQuerySchema,
  AlertsQuerySchema,
  BudgetAlertListSchema,
  BudgetResetListSchema,
  GlobalBudgetBodySchema,
  GlobalBudgetResponseSchema,
  MyBudgetStatusSchema,
  ResetBodySchema,
  ResetResponseSchema,
  UsageQuerySchema,
  UsageReportSchema,
  UserBudgetBodySchema,
  UserBudgetListSchema,
  UserBudgetResponseSchema,
} from '../../../shared/budget.js';
import { type Authenticator, principalOf } from '../../http/auth.js';
import { errorResponses } from '../../http/route-schemas.js';
import type { BudgetService } from './budget.service.js';

const learnerTags = ['budget'];
const adminTags = ['admin: budgets'];
const errors = errorResponses(400, 401, 403, 404);
const UserParams = z.object({ userId: z.string() });

/** The caller's own budget, usage and alerts. Register at prefix `/api/budget`. */
export function budgetRoutes(budgets: BudgetService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireUser);

    app.get(
      '/status',
      {
        schema: {
          tags: learnerTags,
          summary: "The caller's budget this period, and the global one when it binds them",
          description:
            '`global` is present when a global budget exists and the caller has no budget of their own, or it ' +
            'leaves them less than their own (admins always see it). `projectedUsd` extrapolates the spend so far ' +
            'linearly to the period end.',
          response: { 200: MyBudgetStatusSchema, ...errors },
        },
      },
      async (request) => budgets.status(principalOf(request).user.id),
    );

    app.get(
      '/usage',
      {
        schema: {
          tags: learnerTags,
          summary: "The caller's AI usage in [from, to), grouped by provider, model, day or purpose",
          description: "Days are in the caller's time zone. Defaults: the 30 calendar days ending with today, by day.",
          querystring: UsageQuerySchema,
          response: { 200: UsageReportSchema, ...errors },
        },
      },
      async (request) => budgets.usage(principalOf(request).user.id, request.query),
    );

    app.get(
      '/alerts',
      {
        schema: {
          tags: learnerTags,
          summary: "Budget alert events, newest first: the caller's, and the global budget's for admins",
          querystring: AlertsQuerySchema,
          response: { 200: BudgetAlertListSchema, ...errors },
        },
      },
      async (request) => {
        const { user } = principalOf(request);
        return budgets.alerts(user.id, user.role === 'admin', request.query.limit);
      },
    );
  };
}

/** Budgets of everyone and usage across users, for admins. Register at prefix `/api/admin`. */
export function budgetAdminRoutes(budgets: BudgetService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireAdmin);

    app.get(
      '/budgets/global',
      {
        schema: {
          tags: adminTags,
          summary: 'The global budget and its status (both null when there is none)',
          response: { 200: GlobalBudgetResponseSchema, ...errors },
        },
      },
      async () => budgets.getGlobal(),
    );

    app.put(
      '/budgets/global',
      {
        schema: {
          tags: adminTags,
          summary: 'Create or replace the global budget',
          description: 'Periods run in `timezone` (default UTC). The spend of the current period is kept.',
          body: GlobalBudgetBodySchema,
          response: { 200: GlobalBudgetResponseSchema, ...errors },
        },
      },
      async (request) => budgets.putGlobal(request.body, principalOf(request).user.id),
    );

    app.delete(
      '/budgets/global',
      {
        schema: { tags: adminTags, summary: 'Remove the global budget', response: { 204: z.null(), ...errors } },
      },
      async (_request, reply) => {
        await budgets.deleteGlobal();
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/budgets/users',
      {
        schema: {
          tags: adminTags,
          summary: 'Every user with a budget, with its status',
          response: { 200: UserBudgetListSchema, ...errors },
        },
      },
      async () => budgets.listUserBudgets(),
    );

    app.get(
      '/budgets/users/:userId',
      {
        schema: {
          tags: adminTags,
          summary: "A user's budget and its status (null when they have none)",
          params: UserParams,
          response: { 200: UserBudgetResponseSchema, ...errors },
        },
      },
      async (request) => budgets.getUserBudget(request.params.userId),
    );

    app.put(
      '/budgets/users/:userId',
      {
        schema: {
          tags: adminTags,
          summary: "Create or replace a user's budget",
          description: "Periods run in the user's time zone. The spend of the current period is kept.",
          params: UserParams,
          body: UserBudgetBodySchema,
          response: { 200: UserBudgetResponseSchema, ...errors },
        },
      },
      async (request) => budgets.putUserBudget(request.params.userId, request.body, principalOf(request).user.id),
    );

    app.delete(
      '/budgets/users/:userId',
      {
        schema: {
          tags: adminTags,
          summary: "Remove a user's budget",
          params: UserParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await budgets.deleteUserBudget(request.params.userId);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/budgets/users/:userId/reset',
      {
        schema: {
          tags: adminTags,
          summary: "Restart the count of a user's current period, with a reason (logged)",
          description: 'Spend counts from the reset on; `limitUsd` optionally sets a new limit at the same time.',
          params: UserParams,
          body: ResetBodySchema,
          response: { 200: ResetResponseSchema, ...errors },
        },
      },
      async (request) => budgets.resetUser(request.params.userId, request.body, principalOf(request).user.id),
    );

    app.get(
      '/budgets/users/:userId/resets',
      {
        schema: {
          tags: adminTags,
          summary: "A user's budget resets, newest first",
          params: UserParams,
          response: { 200: BudgetResetListSchema, ...errors },
        },
      },
      async (request) => budgets.resets(request.params.userId),
    );

    app.get(
      '/usage',
      {
        schema: {
          tags: adminTags,
          summary: 'AI usage of every user (or one) in [from, to), grouped; also by user',
          description:
            "Days are in the user's time zone when `userId` is given, else in the global budget's (UTC without one).",
          querystring: AdminUsageQuerySchema,
          response: { 200: UsageReportSchema, ...errors },
        },
      },
      async (request) => budgets.adminUsage(request.query),
    );
  };
}
