import { expect, type Page, test } from '@playwright/test';
import { registerAndSignIn } from './support.js';

async function addCard(page: Page, card: { term: string; translation: string; context?: string; tags?: string }) {
  const form = page.getByRole('region', { name: 'Add a card' });
  await form.getByLabel('Term').fill(card.term);
  await form.getByLabel('Translation', { exact: true }).fill(card.translation);
  await form.getByLabel('Context sentence').fill(card.context ?? '');
  await form.getByLabel('Tags').fill(card.tags ?? '');
  await form.getByRole('button', { name: 'Add card' }).click();
}

test('a learner adds cards, reviews them with the keyboard, undoes an answer and sees the session', async ({
  page,
  request,
  context,
}) => {
  await registerAndSignIn(request, context, 'lucia');
  const terms = ['el perro', 'la casa', 'el libro'];

  await test.step('add three cards on the cards page', async () => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cards' }).click();
    await expect(page).toHaveTitle('Cards · Language Tutor');
    await expect(page.getByText('No cards yet', { exact: true })).toBeVisible();

    const form = page.getByRole('region', { name: 'Add a card' });
    await form.getByLabel('Language').selectOption('es');
    await addCard(page, { term: 'el perro', translation: 'the dog', context: 'El perro duerme.', tags: 'animals, a1' });
    await expect(form.getByRole('status')).toHaveText('Added “el perro”.');
    await addCard(page, { term: 'la casa', translation: 'the house' });
    await expect(form.getByRole('status')).toHaveText('Added “la casa”.');
    await addCard(page, { term: 'el libro', translation: 'the book', tags: 'a1' });
    await expect(form.getByRole('status')).toHaveText('Added “el libro”.');

    // The same term again is an encounter with the card the learner has, not a new card.
    await addCard(page, { term: 'El perro', translation: 'the dog' });
    await expect(form.getByRole('status')).toContainText('already in your cards — encounter recorded');

    const list = page.getByRole('list', { name: 'Your cards' });
    await expect(list.getByRole('listitem')).toHaveCount(3);
    const dog = list.getByRole('listitem').filter({ hasText: 'el perro' });
    await expect(dog).toContainText('the dog');
    await expect(dog).toContainText('New');
    await expect(dog).toContainText('animals');
  });

  const reviewed: string[] = [];
  const flashcard = page.locator('.flashcard');
  const term = flashcard.getByRole('heading', { level: 2 });

  await test.step('review with the keyboard only; a new card’s “Good” is 10 minutes away', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review' }).click();
    await expect(page).toHaveTitle('Review · Language Tutor');
    await expect(page.getByTestId('review-progress')).toHaveText('0 of 3 reviewed');
    await expect(page.getByText('Space show answer')).toBeVisible();

    const first = (await term.textContent()) ?? '';
    expect(terms).toContain(first);
    await expect(page.getByTestId('flashcard-translation')).toHaveCount(0);
    await page.keyboard.press('Space');
    await expect(page.getByTestId('flashcard-translation')).toBeVisible();
    const good = flashcard.getByRole('button', { name: /^Good/ });
    await expect(good.locator('.rating-interval')).toHaveText('10 min');
    await page.keyboard.press('3');
    reviewed.push(first);
    await expect(page.getByTestId('review-progress')).toHaveText(/^1 of \d+ reviewed$/);
    await expect(page.getByTestId('flashcard-translation')).toHaveCount(0);

    const second = (await term.textContent()) ?? '';
    expect(second).not.toBe(first);
    await page.keyboard.press('Space');
    await expect(page.getByTestId('flashcard-translation')).toBeVisible();
    await page.keyboard.press('4');
    await expect(page.getByTestId('review-progress')).toHaveText(/^2 of \d+ reviewed$/);
    await expect(term).not.toHaveText(second);

    // Undo brings the card back, unrevealed, to be rated again.
    await page.keyboard.press('u');
    await expect(page.getByRole('status').filter({ hasText: 'Took back “Easy”' })).toContainText(second);
    await expect(term).toHaveText(second);
    await expect(page.getByTestId('flashcard-translation')).toHaveCount(0);
    await expect(page.getByTestId('review-progress')).toHaveText(/^1 of \d+ reviewed$/);
    await page.keyboard.press('Space');
    await page.keyboard.press('4');
    reviewed.push(second);
    await expect(page.getByTestId('review-progress')).toHaveText(/^2 of \d+ reviewed$/);
  });

  await test.step('finish the queue and see the summary', async () => {
    // The rest: the third card, then the first again (learning cards due soon are shown early).
    const summary = page.getByTestId('review-summary');
    for (let i = 0; i < 6 && (await flashcard.count()) > 0; i++) {
      const before = (await term.textContent()) ?? '';
      await page.keyboard.press('Space');
      await expect(page.getByTestId('flashcard-translation')).toBeVisible();
      // A double press rates the card once.
      await page.keyboard.press('4');
      await page.keyboard.press('4');
      reviewed.push(before);
      await expect(page.getByTestId('review-progress')).toHaveText(new RegExp(`^${reviewed.length} of`));
      // The queue has been fetched again when the answer is gone: the next card, or the summary.
      await expect(page.getByTestId('flashcard-translation')).toHaveCount(0);
    }
    await expect(summary).toBeVisible();
    await expect(summary).toContainText('All done for now');
    expect(new Set(reviewed)).toEqual(new Set(terms));
    await expect(summary.locator('.stat-card').filter({ hasText: 'Reviewed' })).toContainText(String(reviewed.length));
    await expect(summary.locator('.stat-card').filter({ hasText: 'Accuracy' })).toContainText('100%');
    await expect(summary).toContainText('Next due');
  });

  await test.step('the history lists the vocabulary review', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    const row = page.locator('.session-table tbody tr').filter({ hasText: 'Vocabulary review' });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Spanish');
    await expect(row).toContainText('100%');
  });

  await test.step('the statistics count the reviewed cards in the forecast', async () => {
    const stats = await page.request.get('/api/review/stats');
    expect(stats.status()).toBe(200);
    const body = (await stats.json()) as { forecast: { due: number }[]; counts: { new: number } };
    expect(body.forecast.reduce((sum, day) => sum + day.due, 0)).toBe(terms.length);
    expect(body.counts.new).toBe(0);
  });
});

test('cards can be found, edited, suspended and deleted; review settings are validated', async ({
  page,
  request,
  context,
}) => {
  const csrf = await registerAndSignIn(request, context, 'cards');
  for (const [term, translation] of [
    ['le chat', 'the cat'],
    ['la maison', 'the house'],
    ['der Hund', 'the dog'],
  ] as const) {
    const language = term === 'der Hund' ? 'de' : 'fr';
    const created = await request.post('/api/cards', {
      data: { language, term, translation },
      headers: { 'x-csrf-token': csrf },
    });
    expect(created.status()).toBe(201);
  }

  await page.goto('/cards');
  const list = page.getByRole('list', { name: 'Your cards' });
  await expect(list.getByRole('listitem')).toHaveCount(3);

  await test.step('search and filter', async () => {
    await page.getByLabel('Search').fill('house');
    await expect(page).toHaveURL(/[?&]q=house/);
    await expect(list.getByRole('listitem')).toHaveCount(1);
    await expect(list).toContainText('la maison');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(list.getByRole('listitem')).toHaveCount(3);
    await page.getByRole('search').getByLabel('Language').selectOption('de');
    await expect(list.getByRole('listitem')).toHaveCount(1);
    await expect(list).toContainText('der Hund');
    await page.getByRole('button', { name: 'Clear filters' }).click();
  });

  await test.step('edit in a dialog', async () => {
    await page.getByRole('button', { name: 'Edit le chat' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit “le chat”' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Translation', { exact: true }).fill('');
    await dialog.getByRole('button', { name: 'Save card' }).click();
    await expect(dialog.getByText('Must not be empty.')).toBeVisible();
    await dialog.getByLabel('Translation', { exact: true }).fill('the cat (animal)');
    await dialog.getByLabel('Tags').fill('animals pets');
    await dialog.getByRole('button', { name: 'Save card' }).click();
    await expect(dialog).toBeHidden();
    const cat = list.getByRole('listitem').filter({ hasText: 'le chat' });
    await expect(cat).toContainText('the cat (animal)');
    await expect(cat).toContainText('pets');
    await expect(page.getByRole('button', { name: 'Edit le chat' })).toBeFocused();
  });

  await test.step('suspend, filter by it, and unsuspend', async () => {
    await page.getByRole('button', { name: 'Suspend la maison' }).click();
    await expect(page.getByText('“la maison” is suspended')).toBeVisible();
    await expect(list.getByRole('listitem').filter({ hasText: 'la maison' })).toContainText('Suspended');
    await page.getByLabel('Suspended', { exact: true }).selectOption('true');
    await expect(list.getByRole('listitem')).toHaveCount(1);
    await page.getByRole('button', { name: 'Unsuspend la maison' }).click();
    await expect(page.getByText('“la maison” is back in your reviews.')).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).click();
  });

  await test.step('delete after confirming', async () => {
    await page.getByRole('button', { name: 'Delete der Hund' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this card?' });
    await expect(dialog).toContainText('der Hund');
    await dialog.getByRole('button', { name: 'Delete card' }).click();
    await expect(dialog).toBeHidden();
    await expect(list.getByRole('listitem')).toHaveCount(2);
    await page.reload();
    await expect(list.getByRole('listitem')).toHaveCount(2);
  });

  await test.step('review settings: errors next to the field, then saved', async () => {
    await page.goto('/review');
    await page.getByRole('link', { name: 'Review settings' }).click();
    await expect(page).toHaveTitle('Review settings · Language Tutor');
    await expect(page.getByTestId('retention-note')).toHaveText(
      'Changing retention reschedules nothing already scheduled; it applies to your next answers.',
    );
    await expect(page.getByLabel('Desired retention')).toHaveValue('0.9');
    await page.getByLabel('Desired retention').fill('0.5');
    await page.getByLabel('Learning steps', { exact: true }).fill('1 minute');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Must be at least 0.70.')).toBeVisible();
    await expect(page.getByLabel('Desired retention')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Learning steps', { exact: true })).toHaveAttribute('aria-invalid', 'true');

    await page.getByLabel('Desired retention').fill('0.85');
    await page.getByLabel('Learning steps', { exact: true }).fill('1m 15m');
    await page.getByLabel('New day starts at').selectOption('5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Review settings saved.')).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Desired retention')).toHaveValue('0.85');
    await expect(page.getByLabel('Learning steps', { exact: true })).toHaveValue('1m 15m');
    await expect(page.getByLabel('New day starts at')).toHaveValue('5');
  });

  await test.step('the new pages fit a 360 px wide phone', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    for (const path of ['/review', '/cards', '/review/settings']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const name of ['Dashboard', 'Review', 'Cards', 'History', 'Account'])
        await expect(nav.getByRole('link', { name })).toBeInViewport({ ratio: 1 });
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `horizontal overflow on ${path}`).toBeLessThanOrEqual(360);
    }
  });
});
