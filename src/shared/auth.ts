import { z } from 'zod';
import { NATIVE_LANGUAGES } from './languages.js';
import { isValidTimeZone } from './time.js';

export const ROLES = ['learner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  nativeLanguage: z.enum(NATIVE_LANGUAGES),
  timezone: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
});
export type User = z.infer<typeof UserSchema>;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'must be a valid email address' }).max(254));
const newPassword = z
  .string()
  .min(8, { error: 'must be at least 8 characters' })
  .max(1024, { error: 'must be at most 1024 characters' });
const displayName = z.string().trim().min(1, { error: 'must not be empty' }).max(80);
const timezone = z.string().refine(isValidTimeZone, { error: 'must be an IANA time zone such as Europe/Paris' });

export const RegisterBodySchema = z.strictObject({
  email,
  password: newPassword,
  displayName: displayName.optional(),
  nativeLanguage: z.enum(NATIVE_LANGUAGES).optional(),
  timezone: timezone.optional(),
});
export type RegisterBody = z.input<typeof RegisterBodySchema>;

export const LoginBodySchema = z.strictObject({
  email: z.string().max(254).trim().toLowerCase(),
  password: z.string().max(1024),
});
export type LoginBody = z.input<typeof LoginBodySchema>;

export const UpdateMeBodySchema = z
  .strictObject({
    displayName: displayName.optional(),
    nativeLanguage: z.enum(NATIVE_LANGUAGES).optional(),
    timezone: timezone.optional(),
    currentPassword: z.string().max(1024).optional(),
    newPassword: newPassword.optional(),
  })
  .refine((b) => b.newPassword === undefined || b.currentPassword !== undefined, {
    error: 'is required to change the password',
    path: ['currentPassword'],
  });
export type UpdateMeBody = z.input<typeof UpdateMeBodySchema>;

export const UserResponseSchema = z.object({ user: UserSchema });

export const ApiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const CreateTokenBodySchema = z.strictObject({
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(100),
});
export const CreatedTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  token: z.string(),
  createdAt: z.string(),
});
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;
export const TokenListSchema = z.object({ items: z.array(ApiTokenSchema) });

/** A user as an admin's list shows them: who they are and their role, never a credential. */
export const AdminUserSchema = UserSchema.pick({
  id: true,
  email: true,
  displayName: true,
  role: true,
  createdAt: true,
});
export type AdminUser = z.infer<typeof AdminUserSchema>;

export const ListUsersQuerySchema = z.strictObject({
  /** Part of the email or display name, any case. */
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(300).optional(),
});

export const AdminUserPageSchema = z.object({ items: z.array(AdminUserSchema), nextCursor: z.string().nullable() });
export type AdminUserPage = z.infer<typeof AdminUserPageSchema>;
