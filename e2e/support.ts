import { type APIRequestContext, type BrowserContext, expect } from '@playwright/test';

export const PASSWORD = 'correct horse battery';

/** An email no other test run has used. */
export function uniqueEmail(label: string): string {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Registers through the API and hands the session cookie to the browser; answers the CSRF token. */
export async function registerAndSignIn(request: APIRequestContext, context: BrowserContext, label: string) {
  const registered = await request.post('/api/auth/register', {
    data: { email: uniqueEmail(label), password: PASSWORD, displayName: 'Lucía' },
  });
  expect(registered.status()).toBe(201);
  const state = await request.storageState();
  await context.addCookies(state.cookies);
  return state.cookies.find((c) => c.name === 'csrf_token')?.value ?? '';
}

/** The admin the e2e app creates at start (ADMIN_EMAIL / ADMIN_PASSWORD in playwright.config.ts). */
export const ADMIN = { email: 'admin-e2e@example.com', password: 'admin password for e2e' };

/** What the fake model answers to every question (no double quotes: it is passed on a command line). */
export const FAKE_LLM_ANSWER = 'Use ser for lasting traits (Soy alta) and estar for states (Estoy cansada).';
