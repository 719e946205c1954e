import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { registerAndSignIn } from './support.js';

test('a learner imports a CSV, exports it again and sees an answer in the statistics', async ({
  page,
  request,
  context,
}) => {
  const csrf = await registerAndSignIn(request, context, 'transfer');
  const csv = 'term,translation,tags\r\nel gato,the cat,animals\r\n,no term here,\r\nla mesa,the table,\r\n';

  await test.step('a new learner sees empty statistics', async () => {
    await page.goto('/review');
    await page.getByRole('link', { name: 'Statistics' }).click();
    await expect(page).toHaveTitle('Statistics · Language Tutor');
    await expect(page.getByText('No cards yet', { exact: true })).toBeVisible();
  });

  await test.step('a file that cannot be read is refused next to the file field', async () => {
    await page.goto('/cards');
    await page.getByRole('link', { name: 'Import / export' }).click();
    await expect(page).toHaveTitle('Import and export · Language Tutor');
    const form = page.getByRole('region', { name: 'Import cards' });
    await form.getByRole('button', { name: 'Import file' }).click();
    await expect(form.getByText('Choose a file to import.')).toBeVisible();
    await form.getByLabel('File').setInputFiles({
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('just one column\r\nvalue\r\n'),
    });
    await form.getByRole('button', { name: 'Import file' }).click();
    await expect(form.getByLabel('File')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.locator('.field-error')).toBeVisible();
  });

  await test.step('import three rows: two cards, one row left out with its line', async () => {
    const form = page.getByRole('region', { name: 'Import cards' });
    await form.getByLabel('Language').selectOption('es');
    await form.getByLabel('Format').selectOption('csv');
    await form.getByLabel('File').setInputFiles({ name: 'words.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect(form.getByLabel('File')).not.toHaveAttribute('aria-invalid', 'true');
    await form.getByRole('button', { name: 'Import file' }).click();
    await expect(form.getByRole('status')).toHaveText(
      'Import finished: 2 cards created, 0 terms already in your cards, 1 row left out.',
    );
    await expect(form.getByTestId('import-created')).toHaveText('2');
    await expect(form.getByTestId('import-existing')).toHaveText('0');
    const rejected = form.getByRole('table', { name: 'Rows of words.csv left out' });
    await expect(rejected.locator('tbody tr')).toHaveCount(1);
    await expect(rejected.locator('tbody tr td').first()).toHaveText('3');
  });

  await test.step('the cards page lists the imported cards', async () => {
    await page.getByRole('link', { name: 'See your Spanish cards' }).click();
    const list = page.getByRole('list', { name: 'Your cards' });
    await expect(list.getByRole('listitem')).toHaveCount(2);
    await expect(list).toContainText('el gato');
    await expect(list).toContainText('the table');
  });

  await test.step('export the cards as CSV', async () => {
    await page.goto('/cards/transfer');
    const form = page.getByRole('region', { name: 'Export cards' });
    await form.getByLabel('Language').selectOption('es');
    await form.getByLabel('Format').selectOption('csv');
    const downloading = page.waitForEvent('download');
    await form.getByRole('link', { name: 'Download Spanish CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const text = await readFile(await download.path(), 'utf8');
    expect(text).toContain('el gato');
    expect(text).toContain('la mesa');
    expect(text).toContain('the cat');
  });

  await test.step('an answer shows in the forecast and the counts', async () => {
    const listed = await request.get('/api/cards?language=es');
    const cards = ((await listed.json()) as { items: { id: string; term: string }[] }).items;
    const cat = cards.find((c) => c.term === 'el gato');
    expect(cat).toBeDefined();
    const answered = await request.post('/api/review/answers', {
      data: { answerId: crypto.randomUUID(), cardId: cat!.id, rating: 'good', durationMs: 2500 },
      headers: { 'x-csrf-token': csrf },
    });
    expect(answered.status()).toBe(200);

    await page.goto('/cards');
    await page.getByRole('link', { name: 'Statistics' }).click();
    await page.getByLabel('Language').selectOption('es');
    await expect(page).toHaveURL(/language=es/);
    await expect(page.getByTestId('stat-due-today')).toContainText('1');
    await expect(page.getByTestId('stat-due-today')).toContainText('1 card in 30 days');
    await expect(page.getByTestId('stat-cards')).toContainText('2');
    const counts = page.getByTestId('state-counts');
    await expect(counts.getByRole('row', { name: /^New/ })).toContainText('1');
    await expect(counts.getByRole('row', { name: /^Learning/ })).toContainText('1');
    await expect(page.getByRole('img', { name: /Cards due per day/ })).toBeVisible();
    await expect(page.getByRole('img', { name: /Answers per day by rating/ })).toBeVisible();
    await expect(page.getByText('1 answer on 1 day', { exact: true })).toBeVisible();
    await expect(page.getByTestId('retention-table').locator('tbody tr')).toHaveCount(4);
  });

  await test.step('both pages fit a 360 px wide phone', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    for (const path of ['/review/stats?language=es', '/cards/transfer', '/cards', '/review']) {
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
