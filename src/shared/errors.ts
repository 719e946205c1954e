import { z } from 'zod';

/** The one shape of every error answer of the API. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
export type ErrorDetail = NonNullable<ErrorBody['error']['details']>[number];
