import type { AdminUser, ApiToken, User } from '../../../shared/auth.js';
import type { NativeLanguage } from '../../../shared/languages.js';
import type { ApiTokenRow, UserListRow, UserRow } from './auth.repository.js';

export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    nativeLanguage: row.native_language as NativeLanguage,
    timezone: row.timezone,
    role: row.role,
    createdAt: row.created_at,
  };
}

export function presentToken(row: ApiTokenRow): ApiToken {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}

export function presentAdminUser(row: UserListRow): AdminUser {
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, createdAt: row.created_at };
}
