import { type APIRequestContext, expect, test } from '@playwright/test';
import { ADMIN, registerAndSignIn } from './support.js';

/**
 * The e2e app has one model (the protocol fake, see playwright.config.ts). This learner gets a $0 budget in
 * `fallback` mode from the admin — the same API an admin uses — so no model may answer them: every reply comes
 * from the offline tutor, which is what this journey is about, and the chat says so in its notice.
 */
async function keepLearnerOffline(learner: APIRequestContext, admin: APIRequestContext): Promise<void> {
  const me = await learner.get('/api/auth/me');
  expect(me.status()).toBe(200);
  const { user } = (await me.json()) as { user: { id: string } };

  const login = await admin.post('/api/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } });
  expect(login.status()).toBe(200);
  const csrf = (await admin.storageState()).cookies.find((c) => c.name === 'csrf_token')?.value ?? '';
  const budget = await admin.put(`/api/admin/budgets/users/${user.id}`, {
    headers: { 'x-csrf-token': csrf },
    data: { period: 'monthly', limitUsd: 0, mode: 'fallback' },
  });
  expect(budget.ok(), await budget.text()).toBe(true);
}

/*
 * What the learner says, from the scenario's Spanish essential phrases (content/scenarios/
 * restaurant-ordering-dinner.json), one message per phase; the first has a deliberate misspelling ("qiero").
 */
const TABLE = 'Buenas noches. Somos dos personas y qiero ver la carta, por favor.';
const ORDER = 'Para beber, una cerveza, por favor. De primero, quiero la ensalada.';
const BILL = 'La cuenta, por favor. Pago con tarjeta. ¡Muchas gracias, adiós!';

/** The scenario vocabulary those three messages use: the words the summary turns into cards. */
const WORDS_MET = [
  'buenas noches',
  'la persona',
  'la carta',
  'la cerveza',
  'la ensalada',
  'la cuenta',
  'pagar',
  'la tarjeta',
];

test('the beginner restaurant scenario in Spanish with the offline tutor, then its cards and its session', async ({
  page,
  request,
  context,
  playwright,
  baseURL,
}) => {
  await registerAndSignIn(request, context, 'marta');
  const admin = await playwright.request.newContext({ baseURL });
  await keepLearnerOffline(request, admin);
  await admin.dispose();

  const nav = page.getByRole('navigation', { name: 'Main' });

  await test.step('find the scenario with the filters', async () => {
    await page.goto('/');
    await nav.getByRole('link', { name: 'Scenarios' }).click();
    await expect(page).toHaveTitle('Scenarios · Language Tutor');
    await expect(page.getByRole('list', { name: 'Scenarios' }).getByRole('listitem').first()).toBeVisible();

    const filters = page.getByRole('search', { name: 'Filter scenarios' });
    await filters.getByLabel('Category').selectOption('restaurant');
    await filters.getByLabel('Difficulty').selectOption('beginner');
    await filters.getByLabel('Language').selectOption('es');
    await expect(page).toHaveURL(/category=restaurant/);
    await expect(page).toHaveURL(/difficulty=beginner/);
    await expect(page).toHaveURL(/language=es/);

    const card = page.getByRole('article', { name: 'Ordering dinner' });
    await expect(card).toContainText('Restaurant');
    await expect(card).toContainText('Beginner');
    await expect(card).toContainText('A1–A2');
    await expect(card).toContainText('12 min');
    await expect(card).toContainText('Not done yet');
    // Every card shown matches the filters.
    for (const other of await page.getByRole('article').all()) {
      await expect(other).toContainText('Restaurant');
      await expect(other).toContainText('Beginner');
    }
    await card.getByRole('link', { name: 'Ordering dinner' }).click();
  });

  await test.step('learn the words, then start the conversation', async () => {
    await expect(page.getByRole('heading', { level: 1, name: 'Ordering dinner' })).toBeVisible();
    await expect(page).toHaveTitle('Ordering dinner · Language Tutor');
    const learn = page.getByRole('region', { name: 'Learn before you start' });
    await expect(learn.getByRole('heading', { name: /Getting a table/ })).toBeVisible();
    const words = learn.getByRole('list', { name: 'Words for “Getting a table”' });
    await expect(words.getByRole('listitem').filter({ hasText: 'la mesa' })).toContainText('table');
    await expect(learn.getByRole('list', { name: 'Phrases for “Getting a table”' })).toContainText(
      'Una mesa para dos, por favor.',
    );
    await expect(learn.getByRole('complementary', { name: 'Cultural note on “Getting a table”' })).toBeVisible();
    if (await page.evaluate(() => 'speechSynthesis' in window)) {
      await expect(words.getByRole('button', { name: 'Listen to “la mesa”' })).toBeVisible();
    }
    await expect(page.getByRole('region', { name: 'Past attempts' })).toContainText('You have not finished');

    const start = page.getByRole('region', { name: 'Practise it' });
    await expect(start.getByLabel('Language')).toHaveValue('es');
    await expect(start.getByLabel('Your level')).toHaveValue('A1');
    await start.getByRole('button', { name: 'Start the conversation' }).click();
    await expect(page).toHaveURL(/\/conversations\/[^/]+$/);
  });

  const messages = page.getByRole('list', { name: 'Messages' });
  const tutorSaid = (text: string) =>
    messages.getByRole('group', { name: 'Tutor’s message: pick a word to translate it' }).filter({ hasText: text });
  const phaseCount = page.getByTestId('phase-count');
  const input = page.getByLabel('Your message in Spanish');

  await test.step('the tutor opens; tap a word to translate it', async () => {
    await expect(page.getByRole('heading', { level: 1, name: 'Ordering dinner' })).toBeVisible();
    await expect(tutorSaid('¿Tienen reserva?')).toBeVisible();
    await expect(phaseCount).toHaveText('Phase 1 of 3');
    await expect(page.getByRole('progressbar', { name: 'Phases completed' })).toHaveAttribute('aria-valuenow', '0');

    const word = tutorSaid('¿Tienen reserva?').getByRole('button', { name: 'reserva', exact: true });
    await word.click();
    const popover = page.getByRole('region', { name: 'Translation of “reserva”' });
    await expect(popover.getByTestId('translation-text')).not.toBeEmpty();
    await expect(word).toHaveAttribute('aria-expanded', 'true');
    // Escape closes it and gives the keyboard back to the word.
    await page.keyboard.press('Escape');
    await expect(popover).toHaveCount(0);
    await expect(word).toBeFocused();
    // The arrow keys move between the words; Enter translates the one focused.
    await page.keyboard.press('ArrowLeft');
    const previous = tutorSaid('¿Tienen reserva?').getByRole('button', { name: 'Tienen', exact: true });
    await expect(previous).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('region', { name: 'Translation of “Tienen”' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(previous).toBeFocused();
  });

  await test.step('phase 1 with a misspelling: the correction, and its word added to the flashcards', async () => {
    await input.click();
    await input.fill(TABLE);
    await page.keyboard.press('Enter');
    await expect(input).toHaveValue('');
    await expect(tutorSaid('¿Qué van a beber?')).toBeVisible();
    await expect(input).toBeFocused();
    await expect(page.getByTestId('reply-announcement')).toContainText('¿Qué van a beber?');
    await expect(messages.getByText('Offline tutor').last()).toBeVisible();
    // The model may not answer this learner (see keepLearnerOffline): the chat says who did.
    await expect(page.getByTestId('engine-notice')).toContainText('the offline tutor answered');

    const correction = messages.getByTestId('correction').filter({ hasText: 'qiero' });
    await expect(correction).toContainText('Spelling');
    await expect(correction.locator('ins')).toHaveText('quiero');
    await correction.getByRole('button', { name: 'Add “quiero” to flashcards' }).click();
    await expect(correction.getByRole('button', { name: '“quiero”: added' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Added “quiero” to your flashcards.' })).toBeAttached();

    // The goals and words the message met are shown under it.
    const learnerMessage = messages.getByRole('listitem').filter({ hasText: TABLE });
    await expect(learnerMessage).toContainText('Greet the waiter');
    await expect(learnerMessage.getByRole('button', { name: 'Add “la carta” to flashcards' })).toBeVisible();

    await expect(phaseCount).toHaveText('Phase 2 of 3');
    await expect(page.getByRole('progressbar', { name: 'Phases completed' })).toHaveAttribute('aria-valuenow', '1');
  });

  await test.step('a hint puts a suggestion into the message box', async () => {
    await page.getByRole('button', { name: 'Hint' }).click();
    const hints = page.getByRole('region', { name: 'You could say…' });
    const suggestions = hints.getByRole('listitem');
    // The keyboard goes to the first suggestion.
    await expect(suggestions.first().getByRole('button')).toBeFocused();
    expect(await suggestions.count()).toBeGreaterThanOrEqual(2);
    const first = (await suggestions.first().locator('.hint-text').textContent()) ?? '';
    await suggestions.first().getByRole('button').click();
    await expect(hints).toHaveCount(0);
    await expect(input).toHaveValue(first);
    await expect(input).toBeFocused();
  });

  const newCards: string[] = [];
  await test.step('phases 2 and 3, then end: the summary with the new cards', async () => {
    await input.fill(ORDER);
    await page.keyboard.press('Enter');
    await expect(tutorSaid('¿Un postre, un café?')).toBeVisible();
    await expect(phaseCount).toHaveText('Phase 3 of 3');

    await input.fill(BILL);
    await page.keyboard.press('Enter');
    await expect(phaseCount).toHaveText('All phases done');
    await expect(page.getByText('All 3 phases done.')).toBeVisible();
    await page.getByRole('button', { name: 'End conversation' }).click();

    const summary = page.getByTestId('chat-summary');
    await expect(summary.getByRole('heading', { name: 'Scenario complete' })).toBeFocused();
    await expect(summary.getByTestId('summary-phases')).toContainText('3 / 3');
    const cards = summary.getByRole('list', { name: 'Flashcards' });
    for (const term of WORDS_MET) {
      await expect(cards.getByRole('listitem').filter({ hasText: term }).first()).toBeVisible();
    }
    await expect(cards.getByRole('listitem').filter({ hasText: 'la carta' })).toContainText('New');
    // The words met include those the waiter said (with the sentence they were said in).
    for (const item of await cards.getByRole('listitem').filter({ hasText: 'New' }).all()) {
      newCards.push((await item.locator('.summary-card-term').textContent()) ?? '');
    }
    expect(newCards.length).toBeGreaterThanOrEqual(WORDS_MET.length);
    // The conversation is over: no more messages can be written.
    await expect(input).toHaveCount(0);
  });

  await test.step('the new cards are in the review queue', async () => {
    await page.getByTestId('chat-summary').getByRole('link', { name: 'Review your new cards' }).click();
    await expect(page).toHaveTitle('Review · Language Tutor');
    await expect(page).toHaveURL(/\/review\?language=es$/);
    // Every new card of the summary, and “quiero” added by hand: new cards are all due today.
    await expect(page.getByTestId('review-progress')).toHaveText(`0 of ${newCards.length + 1} reviewed`);
    const term = page.locator('.flashcard').getByRole('heading', { level: 2 });
    expect([...newCards, 'quiero']).toContain(await term.textContent());
  });

  await test.step('the session is in the history, the conversation in the list, the attempt on the scenario', async () => {
    await nav.getByRole('link', { name: 'History' }).click();
    await expect(page).toHaveTitle('History · Language Tutor');
    const row = page.getByRole('row').filter({ hasText: 'Scenario' });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Spanish');
    await expect(row).toContainText('Completed');

    await page.goto('/conversations');
    const item = page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first();
    await expect(item).toContainText('Ordering dinner');
    await expect(item).toContainText('Ended');
    await expect(item).toContainText('3/3 phases');

    await nav.getByRole('link', { name: 'Scenarios' }).click();
    await expect(page.getByRole('article', { name: 'Ordering dinner' })).toContainText('Done 1 time');
    await page.getByRole('article', { name: 'Ordering dinner' }).getByRole('link').click();
    const attempts = page.getByRole('region', { name: 'Past attempts' });
    await expect(attempts.getByRole('listitem')).toHaveCount(1);
    await expect(attempts).toContainText('3/3 phases');
  });
});
