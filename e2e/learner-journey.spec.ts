import { expect, type Page, test } from '@playwright/test';
import type { LearningSession } from '../src/shared/learning-sessions.js';
import { PASSWORD, uniqueEmail } from './support.js';

interface Recorded {
  vocabulary: LearningSession;
  scenario: LearningSession;
}

/**
 * Records two completed sessions the way a study app in the browser would: fetch with the session cookie and
 * the x-csrf-token header copied from the csrf_token cookie.
 */
function recordSessions(page: Page): Promise<Recorded> {
  return page.evaluate(async () => {
    const csrf = document.cookie
      .split(';')
      .map((c) => c.trim())
      .find((c) => c.startsWith('csrf_token='))
      ?.slice('csrf_token='.length);
    if (!csrf) throw new Error('no csrf_token cookie');
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const headers: Record<string, string> = { 'x-csrf-token': decodeURIComponent(csrf) };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    };
    type Session = { id: string } & Record<string, unknown>;

    const vocabulary = await call<Session>('POST', '/api/learning-sessions', {
      type: 'vocabulary_review',
      language: 'fr',
      metadata: { deck: 'A1 food' },
    });
    await call<Session>('PATCH', `/api/learning-sessions/${vocabulary.id}`, {
      itemsStudied: 12,
      itemsCorrect: 9,
      itemsIncorrect: 3,
      metadata: { source: 'e2e' },
    });
    const scenario = await call<Session>('POST', '/api/learning-sessions', { type: 'scenario', language: 'es' });
    const vocabularyDone = await call<Session>('POST', `/api/learning-sessions/${vocabulary.id}/complete`);
    const scenarioDone = await call<Session>('POST', `/api/learning-sessions/${scenario.id}/complete`, {
      itemsStudied: 4,
      itemsCorrect: 1,
      itemsIncorrect: 3,
    });
    return { vocabulary: vocabularyDone, scenario: scenarioDone } as unknown as Recorded;
  });
}

test('a learner registers, signs in again, studies, reviews their progress and uses an API token', async ({
  page,
  request,
  context,
}) => {
  const email = uniqueEmail('camille');
  let recorded: Recorded | undefined;

  await test.step('register through the form', async () => {
    await page.goto('/register');
    await expect(page).toHaveTitle('Create your account · Language Tutor');
    // The API's validation errors appear next to the fields they concern.
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText('Must be a valid email address.')).toBeVisible();
    await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('Must be at least 8 characters.')).toBeVisible();

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Display name').fill('Camille');
    await page.getByLabel('Native language').selectOption('en');
    await expect(page.getByLabel('Time zone')).not.toHaveValue('');
    await page.getByRole('button', { name: 'Create account' }).click();

    await expect(page).toHaveURL('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await expect(page.getByText('Welcome back, Camille.')).toBeVisible();
    await expect(page.getByText('No study sessions yet')).toBeVisible();
  });

  await test.step('log out, then log in through the form', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL('/login');
    await expect(page).toHaveTitle('Log in · Language Tutor');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page).toHaveURL('/');
    await expect(page.getByText('Welcome back, Camille.')).toBeVisible();
  });

  await test.step('record sessions through the API from the page', async () => {
    recorded = await recordSessions(page);
    expect(recorded.vocabulary).toMatchObject({
      type: 'vocabulary_review',
      language: 'fr',
      status: 'completed',
      accuracy: 0.75,
    });
    expect(recorded.vocabulary.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  await test.step('the dashboard shows the sessions, the time and the breakdown', async () => {
    await page.reload();
    const recent = page.getByRole('region', { name: 'Recent sessions' });
    const vocabularyRow = recent.getByRole('row').filter({ hasText: 'Vocabulary review' });
    await expect(vocabularyRow).toHaveCount(1);
    await expect(vocabularyRow).toContainText('French');
    await expect(vocabularyRow).toContainText('Completed');
    await expect(vocabularyRow).toContainText('75%');
    await expect(vocabularyRow).toContainText('12');
    await expect(recent.getByRole('row').filter({ hasText: 'Scenario' })).toContainText('25%');

    const today = page.getByTestId('stat-today');
    await expect(today).toContainText('2 sessions');

    await expect(page.getByRole('img', { name: /Minutes studied per day over the last 14 days/ })).toBeVisible();
    await expect(page.getByTestId('type-vocabulary_review')).toContainText('1 session');
    await expect(page.getByTestId('type-vocabulary_review')).toContainText('75% accuracy');
    await expect(page.getByTestId('type-conversation')).toContainText('0 sessions');
  });

  await test.step('history filters by type, and keeps the filter in the URL', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    await expect(page).toHaveTitle('History · Language Tutor');
    const rows = page.locator('.session-table tbody tr');
    await expect(rows).toHaveCount(2);

    await page.getByLabel('Type').selectOption('vocabulary_review');
    await expect(page).toHaveURL(/[?&]type=vocabulary_review/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Vocabulary review');
    await expect(rows.first()).toContainText('French');
    await expect(rows.filter({ hasText: 'Scenario' })).toHaveCount(0);

    await page.reload();
    await expect(page.getByLabel('Type')).toHaveValue('vocabulary_review');
    await expect(rows).toHaveCount(1);

    await page.getByLabel('Language').selectOption('es');
    await expect(page.getByText('No sessions match these filters', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(rows).toHaveCount(2);
  });

  let token = '';
  await test.step('create an API token on the account page; it is shown once', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await expect(page).toHaveTitle('Account · Language Tutor');
    await expect(page.getByText('You have no API tokens.')).toBeVisible();

    await page.getByLabel('Token name').fill('e2e journey');
    await page.getByRole('button', { name: 'Create token' }).click();
    const panel = page.getByTestId('new-token');
    await expect(panel).toContainText('you won’t be able to see it again');
    token = await page.getByLabel('New API token').inputValue();
    expect(token).toMatch(/^lt_\S{20,}$/);

    await panel.getByRole('button', { name: 'Copy' }).click();
    await expect(panel.getByRole('status')).toHaveText('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    await expect(page.getByRole('list', { name: 'Your API tokens' })).toContainText('e2e journey');
    await expect(page.getByRole('list', { name: 'Your API tokens' })).toContainText('never used');
  });

  await test.step('the token reads the session from outside the browser', async () => {
    const id = recorded!.vocabulary.id;
    const anonymous = await request.get(`/api/learning-sessions/${id}`);
    expect(anonymous.status()).toBe(401);

    const response = await request.get(`/api/learning-sessions/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status()).toBe(200);
    const session = (await response.json()) as LearningSession;
    expect(session).toMatchObject({
      id,
      type: 'vocabulary_review',
      language: 'fr',
      status: 'completed',
      itemsStudied: 12,
      itemsCorrect: 9,
      itemsIncorrect: 3,
      accuracy: 0.75,
      metadata: { deck: 'A1 food', source: 'e2e' },
    });
    expect(session.endedAt).not.toBeNull();
    expect(session.durationSeconds).toBe(recorded!.vocabulary.durationSeconds);
  });

  await test.step('the token shows its last use, and revoking it locks it out', async () => {
    await page.reload();
    const tokens = page.getByRole('list', { name: 'Your API tokens' });
    await expect(tokens).toContainText('last used');
    await expect(page.getByTestId('new-token')).toHaveCount(0);

    await page.getByRole('button', { name: 'Revoke token e2e journey' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this token?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText('You have no API tokens.')).toBeVisible();

    const response = await request.get(`/api/learning-sessions/${recorded!.vocabulary.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status()).toBe(401);
  });

  await test.step('the dashboard fits a 360 px wide phone', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    for (const path of ['/', '/history', '/account']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      if (path === '/')
        await expect(
          page
            .getByRole('region', { name: 'Recent sessions' })
            .getByRole('row')
            .filter({ hasText: 'Vocabulary review' }),
        ).toBeVisible();
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `horizontal overflow on ${path}`).toBeLessThanOrEqual(360);
    }
  });
});

test('a visitor to a protected page logs in and comes back to it', async ({ page, request }) => {
  const email = uniqueEmail('visitor');
  const registered = await request.post('/api/auth/register', {
    data: { email, password: PASSWORD, displayName: 'Visitor' },
  });
  expect(registered.status()).toBe(201);

  await page.goto('/history?type=scenario');
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();

  await expect(page).toHaveURL('/history?type=scenario');
  await expect(page.getByLabel('Type')).toHaveValue('scenario');
  await expect(page.getByText('No sessions match these filters', { exact: true })).toBeVisible();
});

test('history loads older sessions page by page', async ({ page, request }) => {
  const email = uniqueEmail('pager');
  expect((await request.post('/api/auth/register', { data: { email, password: PASSWORD } })).status()).toBe(201);
  const state = await request.storageState();
  const csrf = state.cookies.find((c) => c.name === 'csrf_token')?.value ?? '';
  for (let i = 0; i < 23; i++) {
    const started = await request.post('/api/learning-sessions', {
      data: { type: i % 2 === 0 ? 'conversation' : 'content_study', language: 'de' },
      headers: { 'x-csrf-token': csrf },
    });
    expect(started.status()).toBe(201);
  }
  // The browser signs in with the same session cookie the API calls used.
  await page.context().addCookies(state.cookies);

  await page.goto('/history');
  const rows = page.locator('.session-table tbody tr');
  await expect(rows).toHaveCount(20);
  const results = page.getByRole('region', { name: 'Sessions' });
  await expect(results.getByRole('status')).toHaveText('Showing the 20 newest sessions.');
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(rows).toHaveCount(23);
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
  await expect(results.getByRole('status')).toHaveText('23 sessions, that’s all of them.');
  const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-session-id')));
  expect(new Set(ids).size).toBe(23);
});
