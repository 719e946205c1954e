import { expect, test } from '@playwright/test';
import { ADMIN, FAKE_LLM_ANSWER, PASSWORD, uniqueEmail } from './support.js';

/**
 * The AI budget from both sides, in two browser contexts: a learner spends money through the tutor (the e2e app's
 * only model is the protocol fake, priced so that one question costs more than a cent), an admin gives them a
 * $0.01 budget in block mode, one more question uses it up (a budget may be overspent by one call), and the
 * learner's page then shows it used up and refuses the next question with the API's message saying when the
 * budget resets.
 */
test('an admin sets a learner’s budget to $0.01 in block mode; the learner sees it used up and is refused', async ({
  browser,
}) => {
  const email = uniqueEmail('noa');
  const learnerContext = await browser.newContext();
  const learner = await learnerContext.newPage();

  await test.step('the learner registers and asks the tutor a question', async () => {
    await learner.goto('/register');
    await learner.getByLabel('Email').fill(email);
    await learner.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await learner.getByLabel('Display name').fill('Noa');
    await learner.getByRole('button', { name: 'Create account' }).click();
    await expect(learner.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

    const nav = learner.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
    await nav.getByRole('link', { name: 'Usage' }).click();
    await expect(learner).toHaveTitle('Usage & budget · Language Tutor');
    await expect(learner.getByText('No budget limits your AI use')).toBeVisible();
    await expect(learner.getByText('No AI calls in the last 30 days')).toBeVisible();

    // An empty question is refused next to the field.
    await learner.getByRole('button', { name: 'Ask' }).click();
    await expect(learner.getByLabel('Your question')).toHaveAttribute('aria-invalid', 'true');
    await expect(learner.getByText('Write a question.')).toBeVisible();

    await learner.getByLabel('Your question').fill('When do I use ser and when estar?');
    await learner.getByLabel('Language you study').selectOption('es');
    await learner.getByRole('button', { name: 'Ask' }).click();
    const answer = learner.getByTestId('ask-answer');
    await expect(answer).toContainText(FAKE_LLM_ANSWER);
    await expect(answer).toContainText('Answered by fake-tutor-1');

    // The page reloads its figures after the call: the spend shows per day and per purpose.
    await expect(learner.getByRole('img', { name: /AI spend per day, last 30 days/ })).toBeVisible();
    await expect(
      learner.getByTestId('usage-by-purpose').getByRole('row', { name: /Questions and other/ }),
    ).toContainText('1');
  });

  await test.step('a learner opening an admin page is told it is for admins', async () => {
    await learner.goto('/admin/users');
    await expect(learner.getByRole('heading', { level: 1, name: 'Admins only' })).toBeVisible();
    await expect(learner.getByRole('navigation', { name: 'Administration' })).toHaveCount(0);
  });

  await test.step('an admin signs in and gives the learner a $0.01 budget in block mode', async () => {
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await admin.goto('/login');
    await admin.getByLabel('Email').fill(ADMIN.email);
    await admin.getByLabel('Password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Log in' }).click();
    await expect(admin.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await expect(admin.getByRole('heading', { level: 1, name: 'Global budget' })).toBeVisible();
    await admin.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'User budgets' }).click();
    await expect(admin.getByRole('heading', { level: 1, name: 'User budgets' })).toBeVisible();

    // Any account can be given a budget (the picker lists every user): the admin finds the learner by address.
    const find = admin.getByRole('searchbox', { name: 'Find a user' });
    await find.fill(email);
    await find.press('Enter');
    const option = admin.getByRole('option', { name: new RegExp(email.replace(/[.+]/g, '\\$&')) });
    await admin.getByLabel('User', { exact: true }).selectOption((await option.getAttribute('value')) ?? '');
    await admin.getByRole('button', { name: 'Set budget…' }).click();

    const dialog = admin.getByRole('dialog', { name: 'Budget of Noa' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('has no budget of their own yet');

    // The API's validation message appears next to the field it concerns.
    await dialog.getByLabel('Limit (USD)').fill('-1');
    await dialog.getByRole('button', { name: 'Create budget' }).click();
    await expect(dialog.getByText('Must not be negative.')).toBeVisible();
    await expect(dialog.getByLabel('Limit (USD)')).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByLabel('Limit (USD)')).toBeFocused();

    await dialog.getByLabel('Limit (USD)').fill('0.01');
    await dialog.getByRole('radio', { name: /^Block/ }).check();
    await dialog.getByRole('button', { name: 'Create budget' }).click();
    await expect(dialog).toBeHidden();
    await expect(admin.getByRole('status').filter({ hasText: 'Budget saved.' })).toBeVisible();

    const row = admin.getByTestId(`user-budget-${email}`);
    await expect(row).toContainText('$0.01 monthly · Block');
    // The first question cost about $0.05 this month: the new budget counts it, so it is spent already.
    await expect(row).toContainText(/\$0\.0\d+ of \$0\.01/);
    await adminContext.close();
  });

  await test.step('the learner’s usage page shows the budget used up, and a question gets the clear refusal', async () => {
    await learner.goto('/usage');
    const gauge = learner.getByTestId('budget-gauge');
    await expect(gauge).toContainText('Budget used up.');
    await expect(gauge).toContainText('New AI calls are refused until it resets on');
    const meter = learner.getByRole('meter', { name: 'Your budget' });
    await expect(meter).toHaveAttribute('aria-valuenow', '100');
    await expect(meter).toHaveAttribute('aria-valuetext', /of \$0\.01 spent \(.*\), used up$/);
    await expect(learner.getByTestId('budget-alerts')).toContainText('Your budget reached 100%');

    // By keyboard this time: the question, then Tab past the language to the button.
    await learner.getByLabel('Your question').fill('And what about haber?');
    await learner.keyboard.press('Tab');
    await expect(learner.getByLabel('Language you study')).toBeFocused();
    await learner.keyboard.press('Tab');
    await expect(learner.getByRole('button', { name: 'Ask' })).toBeFocused();
    await learner.keyboard.press('Enter');
    const problem = learner.getByTestId('ask-problem');
    await expect(problem).toContainText('Your AI budget is used up.');
    await expect(problem).toContainText(/Your monthly AI budget of \$0\.01\d* is used up; it resets on .+\./);
    await expect(learner.getByTestId('ask-answer')).toHaveCount(0);
  });

  await learnerContext.close();
});
