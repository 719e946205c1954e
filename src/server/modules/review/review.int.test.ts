import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/databases.js';
import { registerUser, startTestApp, type TestApp, type TestUser } from '../../test/harness.js';

const MINUTE = 60_000;
const DAY = 24 * 3600_000;

describe.each(testDatabases())('review on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  async function addCards(user: TestUser, terms: string[], language = 'es') {
    const ids: string[] = [];
    for (const term of terms) {
      const res = await user.request('POST', '/api/cards', { language, term, translation: `${term} (en)` });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
      t.clock.advance(1000);
    }
    return ids;
  }

  const answer = (user: TestUser, cardId: string, rating: string, answerId = randomUUID()) =>
    user.request('POST', '/api/review/answers', { answerId, cardId, rating, durationMs: 2500 });
  const queue = async (user: TestUser, query = '') => (await user.request('GET', `/api/review/queue${query}`)).json();

  describe('settings', () => {
    it('starts from the defaults and keeps what the learner saves', async () => {
      const user = await registerUser(t.app);
      expect((await user.request('GET', '/api/review/settings')).json()).toEqual({
        desiredRetention: 0.9,
        newCardsPerDay: 20,
        maxReviewsPerDay: 200,
        learningSteps: '1m 10m',
        relearningSteps: '10m',
        dayBoundaryHour: 4,
        personalisedParameters: false,
      });
      const body = {
        desiredRetention: 0.85,
        newCardsPerDay: 5,
        maxReviewsPerDay: 100,
        learningSteps: ' 2m  15m 1h ',
        relearningSteps: '',
        dayBoundaryHour: 0,
      };
      const saved = await user.request('PUT', '/api/review/settings', body);
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toMatchObject({
        desiredRetention: 0.85,
        learningSteps: '2m 15m 1h',
        relearningSteps: '',
        dayBoundaryHour: 0,
      });
      await user.request('PUT', '/api/review/settings', { ...body, newCardsPerDay: 7 });
      expect((await user.request('GET', '/api/review/settings')).json().newCardsPerDay).toBe(7);
    });

    it.each([
      ['a retention above 0.99', { desiredRetention: 0.995 }, 'desiredRetention'],
      ['a retention below 0.70', { desiredRetention: 0.5 }, 'desiredRetention'],
      ['steps that are not steps', { learningSteps: '1 minute' }, 'learningSteps'],
      ['a boundary hour of 24', { dayBoundaryHour: 24 }, 'dayBoundaryHour'],
    ])('refuses %s naming the field', async (_what, change, field) => {
      const user = await registerUser(t.app);
      const body = {
        desiredRetention: 0.9,
        newCardsPerDay: 20,
        maxReviewsPerDay: 200,
        learningSteps: '1m 10m',
        relearningSteps: '10m',
        dayBoundaryHour: 4,
        ...change,
      };
      const res = await user.request('PUT', '/api/review/settings', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });

  describe('the queue', () => {
    it('offers new cards oldest first with a preview for each rating', async () => {
      const user = await registerUser(t.app);
      const ids = await addCards(user, ['perro', 'gato', 'casa']);
      const q = await queue(user);
      expect(q.counts).toEqual({ new: 3, learning: 0, review: 0 });
      expect(q.items.map((i: { card: { id: string } }) => i.card.id)).toEqual(ids);
      const previews = q.items[0].previews;
      expect(previews.again.intervalSeconds).toBe(60);
      expect(previews.good.intervalSeconds).toBe(600);
      expect(previews.easy.intervalSeconds).toBeGreaterThan(86_400);
      expect(Date.parse(previews.good.due) - t.clock.now().getTime()).toBe(600_000);
    });

    it('limits new cards to what is left of today’s allowance', async () => {
      const user = await registerUser(t.app);
      await user.request('PUT', '/api/review/settings', {
        desiredRetention: 0.9,
        newCardsPerDay: 2,
        maxReviewsPerDay: 200,
        learningSteps: '1m 10m',
        relearningSteps: '10m',
        dayBoundaryHour: 4,
      });
      const ids = await addCards(user, ['uno', 'dos', 'tres', 'cuatro']);
      expect((await queue(user)).counts.new).toBe(2);
      await answer(user, ids[0]!, 'easy');
      const q = await queue(user);
      expect(q.counts.new).toBe(1);
      expect(q.items.map((i: { card: { id: string } }) => i.card.id)).toEqual([ids[1]]);
    });

    it('puts due learning cards before due reviews before new cards, and leaves suspended cards out', async () => {
      const user = await registerUser(t.app);
      const [reviewCard, learningCard, newCard, suspended] = await addCards(user, ['rojo', 'verde', 'azul', 'negro']);
      await answer(user, learningCard!, 'again'); // learning, due in 1 min
      await answer(user, reviewCard!, 'easy'); // into review, due in days
      await user.request('PATCH', `/api/cards/${suspended}`, { suspended: true });
      t.clock.advance(20 * DAY);
      const q = await queue(user);
      expect(q.items.map((i: { card: { id: string } }) => i.card.id)).toEqual([learningCard, reviewCard, newCard]);
      expect(q.counts).toEqual({ new: 1, learning: 1, review: 1 });
    });

    it('orders due reviews by how overdue they are relative to their stability', async () => {
      const user = await registerUser(t.app);
      const [weak, strong] = await addCards(user, ['débil', 'fuerte']);
      await answer(user, weak!, 'good');
      t.clock.advance(10 * MINUTE);
      await answer(user, weak!, 'good'); // graduates with a short interval
      await answer(user, strong!, 'easy'); // graduates with a longer one
      t.clock.advance(25 * DAY);
      const ids = (await queue(user)).items.map((i: { card: { id: string } }) => i.card.id);
      expect(ids).toEqual([weak, strong]);
    });

    it('never offers the card just answered first, nor alone', async () => {
      const user = await registerUser(t.app);
      await user.request('PUT', '/api/review/settings', {
        desiredRetention: 0.9,
        newCardsPerDay: 20,
        maxReviewsPerDay: 200,
        learningSteps: '1m',
        relearningSteps: '1m',
        dayBoundaryHour: 4,
      });
      const [a, b] = await addCards(user, ['a', 'b']);
      await answer(user, a!, 'hard'); // due in more than a minute
      t.clock.advance(1000);
      await answer(user, b!, 'again'); // due in one minute: earliest due, and answered last
      t.clock.advance(5 * MINUTE);
      const q = await queue(user);
      expect(q.items.map((i: { card: { id: string } }) => i.card.id)).toEqual([a, b]);
      await answer(user, a!, 'easy');
      await answer(user, b!, 'again');
      t.clock.advance(5 * MINUTE);
      const alone = await queue(user);
      expect(alone.items).toEqual([]);
      expect(alone.counts.learning).toBe(1);
    });

    it('filters by language', async () => {
      const user = await registerUser(t.app);
      await addCards(user, ['chien'], 'fr');
      await addCards(user, ['Hund'], 'de');
      const q = await queue(user, '?language=de');
      expect(q.items.map((i: { card: { term: string } }) => i.card.term)).toEqual(['Hund']);
    });
  });

  describe('answering', () => {
    it('schedules the card with FSRS and answers the updated card', async () => {
      const user = await registerUser(t.app);
      const [id] = await addCards(user, ['libro']);
      const res = await answer(user, id!, 'good');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id, state: 'learning', reps: 1, lastReviewedAt: t.clock.now().toISOString() });
      expect(Date.parse(res.json().due) - t.clock.now().getTime()).toBe(10 * MINUTE);
    });

    it('answers the first result again for a repeated answerId and reviews nothing twice', async () => {
      const user = await registerUser(t.app);
      const [id] = await addCards(user, ['mesa']);
      const answerId = randomUUID();
      const first = (await answer(user, id!, 'good', answerId)).json();
      t.clock.advance(MINUTE);
      const again = (await answer(user, id!, 'easy', answerId)).json();
      expect(again).toEqual(first);
      const logs = await t.database.db.selectFrom('review_logs').selectAll().where('card_id', '=', id!).execute();
      expect(logs).toHaveLength(1);
    });

    it('reviews a card once per distinct answerId when twenty answers arrive at once', async () => {
      const user = await registerUser(t.app);
      const [id] = await addCards(user, ['silla']);
      const answerIds = Array.from({ length: 20 }, () => randomUUID());
      const results = await Promise.all(
        [...answerIds, ...answerIds.slice(0, 5)].map((a) => answer(user, id!, 'good', a)),
      );
      expect(results.every((r) => r.statusCode === 200)).toBe(true);
      const card = (await user.request('GET', `/api/cards/${id}`)).json();
      expect(card.reps).toBe(20);
      const logs = await t.database.db
        .selectFrom('review_logs')
        .select('seq')
        .where('card_id', '=', id!)
        .orderBy('seq')
        .execute();
      expect(logs.map((l) => l.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it("answers 404 for another user's card and for an unknown card", async () => {
      const owner = await registerUser(t.app);
      const other = await registerUser(t.app);
      const [id] = await addCards(owner, ['ventana']);
      expect((await answer(other, id!, 'good')).statusCode).toBe(404);
      expect((await answer(other, 'no-such-card', 'good')).statusCode).toBe(404);
      expect((await owner.request('GET', `/api/cards/${id}`)).json().reps).toBe(0);
    });

    it('refuses an answer without a UUID answerId or with an unknown rating', async () => {
      const user = await registerUser(t.app);
      const [id] = await addCards(user, ['puerta']);
      const bad = await user.request('POST', '/api/review/answers', {
        answerId: 'x',
        cardId: id,
        rating: 'meh',
        durationMs: 1,
      });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .error.details.map((d: { field: string }) => d.field)
          .sort(),
      ).toEqual(['answerId', 'rating']);
    });

    it('records the answers in one vocabulary_review session per language and completes it when nothing is left', async () => {
      const user = await registerUser(t.app);
      const [a, b] = await addCards(user, ['sol', 'luna'], 'es');
      await answer(user, a!, 'again');
      const sessions = async () =>
        (await user.request('GET', '/api/learning-sessions?type=vocabulary_review')).json().items;
      expect(await sessions()).toMatchObject([
        { language: 'es', status: 'active', itemsStudied: 1, itemsCorrect: 0, itemsIncorrect: 1, accuracy: 0 },
      ]);
      await answer(user, b!, 'easy');
      // a is still learning (due in a minute): the session stays open.
      expect((await sessions())[0]).toMatchObject({
        status: 'active',
        itemsStudied: 2,
        itemsCorrect: 1,
        accuracy: 0.5,
      });
      t.clock.advance(2 * MINUTE);
      await answer(user, a!, 'easy');
      expect((await sessions())[0]).toMatchObject({
        status: 'completed',
        itemsStudied: 3,
        itemsCorrect: 2,
        itemsIncorrect: 1,
      });
    });

    it('completes the review session when what is left is beyond today’s limits', async () => {
      const user = await registerUser(t.app);
      await user.request('PUT', '/api/review/settings', {
        desiredRetention: 0.9,
        newCardsPerDay: 1,
        maxReviewsPerDay: 200,
        learningSteps: '1m',
        relearningSteps: '1m',
        dayBoundaryHour: 4,
      });
      const [a] = await addCards(user, ['nube', 'lluvia']);
      await answer(user, a!, 'easy'); // graduates; the other card is new, but today's one new card is used up
      const [session] = (await user.request('GET', '/api/learning-sessions?type=vocabulary_review')).json().items;
      expect(session).toMatchObject({ status: 'completed', itemsStudied: 1 });
    });

    it('opens a fresh review session after an idle gap', async () => {
      const user = await registerUser(t.app);
      const [a, b] = await addCards(user, ['mar', 'río']);
      await answer(user, a!, 'again');
      t.clock.advance(3 * 3600_000);
      await answer(user, b!, 'again');
      const items = (await user.request('GET', '/api/learning-sessions?type=vocabulary_review')).json().items;
      expect(items).toHaveLength(2);
      expect(items[1]).toMatchObject({ status: 'completed', metadata: { autoClosed: true } });
      expect(items[0]).toMatchObject({ status: 'active', itemsStudied: 1 });
    });
  });

  describe('undo', () => {
    it('restores the card exactly and walks back through the day’s answers', async () => {
      const user = await registerUser(t.app);
      const [a, b] = await addCards(user, ['pan', 'vino']);
      const pristine = (await user.request('GET', `/api/cards/${a}`)).json();
      await answer(user, a!, 'good');
      const afterFirst = (await user.request('GET', `/api/cards/${a}`)).json();
      await answer(user, b!, 'again');
      t.clock.advance(11 * MINUTE);
      await answer(user, a!, 'good');

      const u1 = await user.request('POST', '/api/review/undo');
      expect(u1.statusCode).toBe(200);
      expect(u1.json().undoneRating).toBe('good');
      expect(u1.json().card).toMatchObject({ id: a, state: afterFirst.state, due: afterFirst.due, reps: 1 });
      const u2 = (await user.request('POST', '/api/review/undo')).json();
      expect(u2).toMatchObject({ undoneRating: 'again', card: { id: b, state: 'new', reps: 0 } });
      const u3 = (await user.request('POST', '/api/review/undo')).json();
      expect(u3.card).toMatchObject({
        id: a,
        state: pristine.state,
        due: pristine.due,
        stability: 0,
        reps: 0,
        lastReviewedAt: null,
      });

      const none = await user.request('POST', '/api/review/undo');
      expect(none.statusCode).toBe(409);
      expect(none.json().error.code).toBe('nothing_to_undo');
      const session = (await user.request('GET', '/api/learning-sessions?type=vocabulary_review')).json().items[0];
      expect(session).toMatchObject({ itemsStudied: 0, itemsCorrect: 0, itemsIncorrect: 0, accuracy: 0 });
    });

    it('corrects the session counts for the answer it takes back', async () => {
      const user = await registerUser(t.app);
      const [a, b] = await addCards(user, ['queso', 'leche']);
      await answer(user, a!, 'good');
      await answer(user, b!, 'again');
      await user.request('POST', '/api/review/undo');
      const session = (await user.request('GET', '/api/learning-sessions?type=vocabulary_review')).json().items[0];
      expect(session).toMatchObject({ itemsStudied: 1, itemsCorrect: 1, itemsIncorrect: 0, accuracy: 1 });
    });

    it('does not reach back past the start of the review day', async () => {
      const user = await registerUser(t.app, { timezone: 'Europe/Madrid' });
      const [a] = await addCards(user, ['hoy']);
      t.clock.set('2026-03-10T01:30:00Z'); // 02:30 in Madrid: still the review day of the 9th
      await answer(user, a!, 'good');
      t.clock.set('2026-03-10T03:30:00Z'); // 04:30 in Madrid: a new review day
      expect((await user.request('POST', '/api/review/undo')).statusCode).toBe(409);
    });
  });

  it('keeps counts right when an undone answer’s session is gone, and leaves completed sessions completed', async () => {
    const user = await registerUser(t.app);
    const service = t.app.services.learningSessions;
    await t.database.writeTransaction(async (trx) => {
      await service.uncountReviewAnswer(trx, user.id, 'no-such-session', true);
      const id = await service.countReviewAnswer(trx, user.id, 'it', true);
      await service.completeReviewSession(trx, user.id, id);
      await service.completeReviewSession(trx, user.id, id);
    });
    const items = (await user.request('GET', '/api/learning-sessions')).json().items;
    expect(items).toMatchObject([
      { language: 'it', status: 'completed', itemsStudied: 1, itemsCorrect: 1, accuracy: 1 },
    ]);
  });
});
