import { z } from 'zod';
import { ErrorBodySchema } from '../../shared/errors.js';

/** Response schemas for the error statuses a route can answer, all in the one error shape. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBodySchema])) as Record<S, typeof ErrorBodySchema>;
}

/** Any string: an id that is malformed is simply one that does not exist (404), never a validation error. */
export const IdParams = z.object({ id: z.string() });
