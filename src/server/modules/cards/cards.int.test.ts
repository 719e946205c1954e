import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_MAX } from '../../../shared/cards.js';
import { testDatabases } from '../../test/databases.js';
import { registerUser, startTestApp, type TestApp, type TestUser } from '../../test/harness.js';
import type { CardRow } from './cards.repository.js';
import { termKey } from './term-key.js';

const BASE = '/api/cards';
type Json = Record<string, unknown>;

describe.each(testDatabases())('cards on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  const card = (overrides: Json = {}): Json => ({ language: 'es', term: 'hola', translation: 'hello', ...overrides });

  async function add(user: TestUser, body: Json = card(), status = 201) {
    const res = await user.request('POST', BASE, body);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  }

  async function list(user: TestUser, query = '') {
    const res = await user.request('GET', `${BASE}${query ? `?${query}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Json[]; nextCursor: string | null };
  }

  const terms = async (user: TestUser, query = '') => (await list(user, query)).items.map((c) => c.term);
  const encounters = (cardId: string) => t.app.services.cards.repo.listEncounters(t.database.db, cardId);
  const countCards = async (user: TestUser) => (await list(user, 'limit=100')).items.length;

  describe('adding', () => {
    it('makes a new card due now, with an empty memory state and one encounter', async () => {
      const user = await registerUser(t.app);
      const c = await add(user);
      expect(c).toEqual({
        id: expect.any(String),
        language: 'es',
        term: 'hola',
        translation: 'hello',
        partOfSpeech: null,
        contextSentence: null,
        contextTranslation: null,
        notes: null,
        tags: [],
        source: 'manual',
        sourceId: null,
        state: 'new',
        suspended: false,
        due: t.clock.now().toISOString(),
        stability: 0,
        difficulty: 0,
        reps: 0,
        lapses: 0,
        lastReviewedAt: null,
        createdAt: t.clock.now().toISOString(),
        encounters: 1,
      });
      expect(await encounters(c.id)).toEqual([
        {
          id: expect.any(String),
          card_id: c.id,
          source: 'manual',
          source_id: null,
          context_sentence: null,
          created_at: t.clock.now().toISOString(),
        },
      ]);
      expect((await user.request('GET', `${BASE}/${c.id}`)).json()).toEqual(c);
    });

    it('keeps every field it is given, with tags normalised and empty text as null', async () => {
      const user = await registerUser(t.app);
      const c = await add(
        user,
        card({
          term: 'el perro',
          translation: 'the dog',
          partOfSpeech: 'noun',
          contextSentence: 'El perro ladra.',
          contextTranslation: 'The dog barks.',
          notes: '',
          tags: [' Animals ', 'animals', 'A1'],
          source: 'scenario',
          sourceId: 'at_the_park',
        }),
      );
      expect(c).toMatchObject({
        term: 'el perro',
        translation: 'the dog',
        partOfSpeech: 'noun',
        contextSentence: 'El perro ladra.',
        contextTranslation: 'The dog barks.',
        notes: null,
        tags: ['animals', 'a1'],
        source: 'scenario',
        sourceId: 'at_the_park',
      });
      expect(await encounters(c.id)).toMatchObject([
        { source: 'scenario', source_id: 'at_the_park', context_sentence: 'El perro ladra.' },
      ]);
    });

    it('answers the existing card with 200 for a term it already has, recording another encounter', async () => {
      const user = await registerUser(t.app);
      const first = await add(user, card({ contextSentence: 'Hola, Ana.' }));
      t.clock.advance(60_000);
      const again = await add(
        user,
        card({
          term: '¡Hola!',
          translation: 'hi',
          contextSentence: '¡Hola, amigo!',
          source: 'conversation',
          sourceId: 'c1',
        }),
        200,
      );
      expect(again).toEqual({ ...first, encounters: 2 });
      const rows = await encounters(first.id);
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatchObject({
        source: 'conversation',
        source_id: 'c1',
        context_sentence: '¡Hola, amigo!',
        created_at: t.clock.now().toISOString(),
      });
      expect(await countCards(user)).toBe(1);
    });

    it('folds case, surrounding punctuation and Unicode form into one card', async () => {
      const user = await registerUser(t.app);
      const first = await add(user, card({ term: 'holá'.normalize('NFC') }));
      for (const term of ['HOLÁ', '¡Holá!', '¿holá?', '  "holá"  ', 'holá'.normalize('NFD'), '«Holá»']) {
        expect((await add(user, card({ term }), 200)).id).toBe(first.id);
      }
      expect((await user.request('GET', `${BASE}/${first.id}`)).json().encounters).toBe(7);
      expect(await countCards(user)).toBe(1);
    });

    it('keeps apart terms that differ in accents, inner punctuation or language, and users', async () => {
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      await add(user, card({ term: 'si' }));
      await add(user, card({ term: 'sí' }));
      await add(user, card({ term: 'email', language: 'en' }));
      await add(user, card({ term: 'e-mail', language: 'en' }));
      await add(user, card({ term: 'si', language: 'fr' }));
      await add(other, card({ term: 'si' }));
      expect(await countCards(user)).toBe(5);
      expect(await countCards(other)).toBe(1);
    });

    it('makes one card when copies of one term arrive at once', async () => {
      const user = await registerUser(t.app);
      const answers = await Promise.all(
        ['casa', 'Casa', 'CASA!', 'casa', '¡casa!', 'casa.'].map((term) => user.request('POST', BASE, card({ term }))),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
      const id = answers[0]!.json().id as string;
      expect((await user.request('GET', `${BASE}/${id}`)).json().encounters).toBe(6);
      expect(await encounters(id)).toHaveLength(6);
      expect(await countCards(user)).toBe(1);
    });

    it('folds into a card another transaction commits while the request is under way', async () => {
      const user = await registerUser(t.app);
      const now = t.clock.now().toISOString();
      const row: CardRow = {
        id: 'committed-meanwhile',
        user_id: user.id,
        language: 'es',
        term: 'gato',
        term_key: termKey('gato', 'es'),
        translation: 'cat',
        part_of_speech: null,
        context_sentence: null,
        context_translation: null,
        notes: null,
        tags: '[]',
        source: 'manual',
        source_id: null,
        search_text: 'gato\ncat',
        suspended: 0,
        encounters: 1,
        state: 'new',
        due: now,
        stability: 0,
        difficulty: 0,
        elapsed_days: 0,
        scheduled_days: 0,
        learning_steps: 0,
        reps: 0,
        lapses: 0,
        last_reviewed_at: null,
        created_at: now,
        updated_at: now,
      };
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let markInserted!: () => void;
      const insertedMeanwhile = new Promise<void>((resolve) => (markInserted = resolve));
      const other = t.database.writeTransaction(async (trx) => {
        await trx.insertInto('cards').values(row).execute();
        markInserted();
        await held;
      });
      await insertedMeanwhile;
      // On PostgreSQL the request looks up the term, finds nothing yet, and waits on the unique index; on
      // SQLite it waits for the write lock and then finds the card.
      const post = user.request('POST', BASE, card({ term: 'Gato' }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      await other;
      const res = await post;
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: row.id, encounters: 2 });
      expect(await countCards(user)).toBe(1);
    });
  });

  describe('validation', () => {
    const cases: [string, Json, string][] = [
      ['a missing term', { language: 'es', translation: 'x' }, 'term'],
      ['an empty term', card({ term: '   ' }), 'term'],
      ['a term of only punctuation', card({ term: '¡¿?!' }), 'term'],
      ['a term over 200 characters', card({ term: 'a'.repeat(201) }), 'term'],
      ['a missing translation', { language: 'es', term: 'x' }, 'translation'],
      ['an unknown language', card({ language: 'xx' }), 'language'],
      ['an unknown source', card({ source: 'radio' }), 'source'],
      ['a tag over 50 characters', card({ tags: ['t'.repeat(51)] }), 'tags.0'],
      ['tags that are not a list', card({ tags: 'food' }), 'tags'],
      ['an unknown field', card({ colour: 'blue' }), 'colour'],
    ];
    it.each(cases)('refuses a card with %s, naming the field and writing nothing', async (_what, body, field) => {
      const user = await registerUser(t.app);
      const res = await user.request('POST', BASE, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await countCards(user)).toBe(0);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['state=lost', 'state'],
      ['suspended=yes', 'suspended'],
      ['language=xx', 'language'],
      ['page=2', 'page'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('[1,2]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('["a"]').toString('base64url')}`, 'cursor'],
    ])('refuses the list query %s naming %s', async (query, field) => {
      const user = await registerUser(t.app);
      const res = await user.request('GET', `${BASE}?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('refuses every route without a signed-in user', async () => {
      for (const [method, url, payload] of [
        ['GET', BASE, undefined],
        ['POST', BASE, card()],
        ['POST', `${BASE}/bulk`, { cards: [card()] }],
        ['GET', `${BASE}/x`, undefined],
        ['PATCH', `${BASE}/x`, { translation: 'x' }],
        ['DELETE', `${BASE}/x`, undefined],
      ] as const) {
        const res = await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
      }
    });
  });

  describe('listing', () => {
    it('answers only the caller’s cards, newest first', async () => {
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      for (const term of ['uno', 'dos', 'tres']) {
        await add(user, card({ term }));
        t.clock.advance(1000);
      }
      await add(other, card({ term: 'cuatro' }));
      expect(await terms(user)).toEqual(['tres', 'dos', 'uno']);
      expect(await terms(other)).toEqual(['cuatro']);
    });

    it('filters by language, state and suspension', async () => {
      const user = await registerUser(t.app);
      const perro = await add(user, card({ term: 'perro' }));
      await add(user, card({ term: 'chien', language: 'fr' }));
      const gato = await add(user, card({ term: 'gato' }));
      await t.database.db.updateTable('cards').set({ state: 'review' }).where('id', '=', gato.id).execute();
      await user.request('PATCH', `${BASE}/${perro.id}`, { suspended: true });

      expect((await terms(user, 'language=fr')).sort()).toEqual(['chien']);
      expect((await terms(user, 'language=es')).sort()).toEqual(['gato', 'perro']);
      expect(await terms(user, 'state=review')).toEqual(['gato']);
      expect((await terms(user, 'state=new')).sort()).toEqual(['chien', 'perro']);
      expect(await terms(user, 'suspended=true')).toEqual(['perro']);
      expect((await terms(user, 'suspended=false')).sort()).toEqual(['chien', 'gato']);
      expect(await terms(user, 'language=es&state=new&suspended=false')).toEqual([]);
    });

    it('searches term, translation and context ignoring case and accents', async () => {
      const user = await registerUser(t.app);
      await add(user, card({ term: 'café', translation: 'coffee' }));
      await add(user, card({ term: 'cafe', language: 'fr', translation: 'Coffee shop' }));
      await add(user, card({ term: 'té', translation: 'tea', contextSentence: 'Un té en el CAFÉ.' }));
      await add(user, card({ term: 'leche', translation: 'milk', contextTranslation: 'Milk in my Café au lait' }));
      await add(user, card({ term: 'agua', translation: 'water' }));

      expect((await terms(user, 'q=cafe')).sort()).toEqual(['cafe', 'café', 'leche', 'té']);
      expect((await terms(user, `q=${encodeURIComponent('CAFÉ')}`)).sort()).toEqual(['cafe', 'café', 'leche', 'té']);
      expect(await terms(user, 'q=SHOP')).toEqual(['cafe']);
      expect(await terms(user, 'q=au%20lait')).toEqual(['leche']);
      expect(await terms(user, 'q=en%20el')).toEqual(['té']);
      expect(await terms(user, `q=${encodeURIComponent('agua'.normalize('NFD'))}`)).toEqual(['agua']);
      expect(await terms(user, 'q=zzz')).toEqual([]);
      expect((await terms(user, 'q=')).length).toBe(5);
    });

    it('treats % and _ in a search literally', async () => {
      const user = await registerUser(t.app);
      await add(user, card({ term: 'cien', translation: '100% sure' }));
      await add(user, card({ term: 'mil', translation: '1000 things' }));
      await add(user, card({ term: 'guion', translation: 'snake_case' }));
      await add(user, card({ term: 'serpiente', translation: 'snakescase' }));
      expect(await terms(user, 'q=0%25')).toEqual(['cien']);
      expect(await terms(user, 'q=e_c')).toEqual(['guion']);
    });

    it('filters by one tag, matching whole tags and ignoring case', async () => {
      const user = await registerUser(t.app);
      await add(user, card({ term: 'pan', tags: ['food', 'A1'] }));
      await add(user, card({ term: 'pescado', tags: ['seafood'] }));
      await add(user, card({ term: 'tren', tags: ['travel', '100%'] }));
      await add(user, card({ term: 'foo', tags: ['foo'] }));
      expect(await terms(user, 'tag=food')).toEqual(['pan']);
      expect(await terms(user, 'tag=FOOD')).toEqual(['pan']);
      expect(await terms(user, 'tag=a1')).toEqual(['pan']);
      expect(await terms(user, 'tag=foo')).toEqual(['foo']);
      expect(await terms(user, 'tag=100%25')).toEqual(['tren']);
      expect(await terms(user, 'tag=10_%25')).toEqual([]);
      expect(await terms(user, 'tag=travel&q=tren')).toEqual(['tren']);
      expect((await terms(user, 'tag=')).length).toBe(4);
    });

    it('pages through every card exactly once, including cards created at the same instant', async () => {
      const user = await registerUser(t.app);
      const words = Array.from({ length: 4 }, (_, i) => `palabra${i}`);
      for (const term of words) {
        await add(user, card({ term }));
        t.clock.advance(1000);
      }
      // Three cards with the same created_at: the id breaks the tie.
      const bulk = await user.request('POST', `${BASE}/bulk`, {
        cards: ['x1', 'x2', 'x3'].map((term) => card({ term })),
      });
      expect(bulk.statusCode).toBe(200);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: Json[]; nextCursor: string | null } = await list(
          user,
          `limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.items.map((c) => c.term as string));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(7);
      expect(new Set(seen)).toEqual(new Set([...words, 'x1', 'x2', 'x3']));
      expect(seen.slice(3)).toEqual(['palabra3', 'palabra2', 'palabra1', 'palabra0']);
    });
  });

  describe('changing', () => {
    it('changes every field it is given and searches the new text', async () => {
      const user = await registerUser(t.app);
      const c = await add(user, card({ term: 'coche', translation: 'car', notes: 'Spain', tags: ['cars'] }));
      t.clock.advance(5000);
      const res = await user.request('PATCH', `${BASE}/${c.id}`, {
        term: 'el coche',
        translation: 'the automobile',
        partOfSpeech: 'noun',
        contextSentence: 'Mi coche es rojo.',
        contextTranslation: 'My car is red.',
        notes: null,
        tags: ['Transport', 'A2'],
        suspended: true,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        ...c,
        term: 'el coche',
        translation: 'the automobile',
        partOfSpeech: 'noun',
        contextSentence: 'Mi coche es rojo.',
        contextTranslation: 'My car is red.',
        notes: null,
        tags: ['transport', 'a2'],
        suspended: true,
      });
      expect(await terms(user, 'q=automobile')).toEqual(['el coche']);
      expect(await terms(user, 'q=rojo')).toEqual(['el coche']);
      expect(await terms(user, 'q=car%20is')).toEqual(['el coche']);
      expect(await terms(user, 'q=car')).toEqual(['el coche']);
      expect(await terms(user, 'tag=cars')).toEqual([]);
      expect(await terms(user, 'tag=transport')).toEqual(['el coche']);
      expect((await user.request('GET', `${BASE}/${c.id}`)).json()).toEqual(res.json());
    });

    it('changes only what it is given, and un-suspends', async () => {
      const user = await registerUser(t.app);
      const c = await add(user, card({ contextSentence: 'Hola.', tags: ['x'] }));
      const suspended = (await user.request('PATCH', `${BASE}/${c.id}`, { suspended: true })).json();
      expect(suspended).toEqual({ ...c, suspended: true });
      const back = (await user.request('PATCH', `${BASE}/${c.id}`, { suspended: false })).json();
      expect(back).toEqual(c);
      const cleared = (await user.request('PATCH', `${BASE}/${c.id}`, { contextSentence: '' })).json();
      expect(cleared).toEqual({ ...c, contextSentence: null });
      expect((await user.request('PATCH', `${BASE}/${c.id}`, {})).json()).toEqual(cleared);
    });

    it('gives a renamed card the new term’s key', async () => {
      const user = await registerUser(t.app);
      const c = await add(user, card({ term: 'adios' }));
      const renamed = await user.request('PATCH', `${BASE}/${c.id}`, { term: 'Adiós' });
      expect(renamed.json().term).toBe('Adiós');
      expect((await add(user, card({ term: '¡adiós!' }), 200)).id).toBe(c.id);
      expect((await add(user, card({ term: 'adios' }), 201)).id).not.toBe(c.id);
    });

    it('accepts a new spelling of the same key', async () => {
      const user = await registerUser(t.app);
      const c = await add(user, card({ term: 'hola' }));
      const res = await user.request('PATCH', `${BASE}/${c.id}`, { term: '¡Hola!' });
      expect(res.statusCode).toBe(200);
      expect(res.json().term).toBe('¡Hola!');
    });

    it('refuses a term another card of the same language has with 409 card_exists, changing nothing', async () => {
      const user = await registerUser(t.app);
      await add(user, card({ term: 'luna' }));
      await add(user, card({ term: 'sol', language: 'fr' }));
      const c = await add(user, card({ term: 'sol', translation: 'sun' }));
      const res = await user.request('PATCH', `${BASE}/${c.id}`, { term: 'LUNA', translation: 'moon' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({
        code: 'card_exists',
        message: 'you already have another card for "LUNA" in this language',
        details: [{ field: 'term' }],
      });
      expect((await user.request('GET', `${BASE}/${c.id}`)).json()).toEqual(c);
      // The same term in another language is no collision.
      const fr = (await list(user, 'language=fr')).items[0]!;
      expect((await user.request('PATCH', `${BASE}/${fr.id as string}`, { term: 'luna' })).statusCode).toBe(200);
    });

    it.each([
      ['an empty term', { term: '' }, 'term'],
      ['a term of only punctuation', { term: '...' }, 'term'],
      ['an empty translation', { translation: ' ' }, 'translation'],
      ['suspended as text', { suspended: 'yes' }, 'suspended'],
      ['a field that cannot change', { language: 'fr' }, 'language'],
      ['an unknown field', { state: 'review' }, 'state'],
    ])('refuses a change with %s, changing nothing', async (_what, body, field) => {
      const user = await registerUser(t.app);
      const c = await add(user);
      const res = await user.request('PATCH', `${BASE}/${c.id}`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect((await user.request('GET', `${BASE}/${c.id}`)).json()).toEqual(c);
    });
  });

  describe('deleting', () => {
    it('removes the card and its encounters', async () => {
      const user = await registerUser(t.app);
      const c = await add(user);
      await add(user, card(), 200);
      const res = await user.request('DELETE', `${BASE}/${c.id}`);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expect((await user.request('GET', `${BASE}/${c.id}`)).statusCode).toBe(404);
      expect(await encounters(c.id)).toEqual([]);
      expect((await user.request('DELETE', `${BASE}/${c.id}`)).statusCode).toBe(404);
      // The term is free again.
      expect((await add(user)).encounters).toBe(1);
    });
  });

  describe('isolation', () => {
    it('answers 404 not_found for another user’s card, an unknown id and a malformed id', async () => {
      const owner = await registerUser(t.app);
      const stranger = await registerUser(t.app);
      const c = await add(owner);
      for (const id of [c.id, '00000000-0000-4000-8000-000000000000', 'not an id%20at all']) {
        for (const [method, body] of [
          ['GET', undefined],
          ['PATCH', { translation: 'stolen' }],
          ['DELETE', undefined],
        ] as const) {
          const res = await stranger.request(method, `${BASE}/${encodeURIComponent(id)}`, body);
          expect(res.statusCode, `${method} ${id}`).toBe(404);
          expect(res.json().error.code).toBe('not_found');
        }
      }
      expect((await owner.request('GET', `${BASE}/${c.id}`)).json()).toEqual(c);
    });
  });

  describe('bulk', () => {
    it('creates new cards, answers existing ones, and folds repeats within the batch', async () => {
      const user = await registerUser(t.app);
      const before = await add(user, card({ term: 'rojo', translation: 'red' }));
      t.clock.advance(1000);
      const res = await user.request('POST', `${BASE}/bulk`, {
        cards: [
          card({ term: 'azul', translation: 'blue', tags: ['colours'] }),
          card({ term: '¡Rojo!', translation: 'red', contextSentence: 'Es rojo.', source: 'import' }),
          card({ term: 'verde', translation: 'green' }),
          card({ term: 'Azul', translation: 'blue (again)', contextSentence: 'El cielo es azul.', source: 'content' }),
          card({ term: 'rojo', translation: 'red' }),
          card({ term: 'verde', translation: 'green', language: 'it' }),
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
      const { created, existing } = res.json() as { created: Json[]; existing: Json[] };
      expect(created.map((c) => [c.term, c.language, c.encounters])).toEqual([
        ['azul', 'es', 2],
        ['verde', 'es', 1],
        ['verde', 'it', 1],
      ]);
      expect(created[0]).toMatchObject({
        translation: 'blue',
        tags: ['colours'],
        createdAt: t.clock.now().toISOString(),
      });
      expect(existing).toEqual([{ ...before, encounters: 3 }]);
      // Encounters recorded by one call share a time; their order among themselves is not kept.
      const sources = async (id: string) =>
        (await encounters(id)).map((e) => `${e.created_at} ${e.source} ${e.context_sentence}`).sort();
      const now = t.clock.now().toISOString();
      expect(await sources(created[0]!.id as string)).toEqual([
        `${now} content El cielo es azul.`,
        `${now} manual null`,
      ]);
      expect(await sources(before.id)).toEqual([
        `${before.createdAt} manual null`,
        `${now} import Es rojo.`,
        `${now} manual null`,
      ]);
      expect(await countCards(user)).toBe(4);
    });

    it('answers only existing cards when every term is already there', async () => {
      const user = await registerUser(t.app);
      const a = await add(user, card({ term: 'a1' }));
      const b = await add(user, card({ term: 'b1' }));
      const res = await user.request('POST', `${BASE}/bulk`, { cards: [card({ term: 'B1' }), card({ term: 'A1' })] });
      expect(res.json()).toEqual({
        created: [],
        existing: [
          { ...b, encounters: 2 },
          { ...a, encounters: 2 },
        ],
      });
    });

    it(`accepts ${BULK_MAX} cards and refuses ${BULK_MAX + 1}, writing nothing`, async () => {
      const user = await registerUser(t.app);
      const many = (n: number) => Array.from({ length: n }, (_, i) => card({ term: `w${i}`, tags: ['bulk'] }));
      const tooMany = await user.request('POST', `${BASE}/bulk`, { cards: many(BULK_MAX + 1) });
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().error.details.map((d: { field: string }) => d.field)).toContain('cards');
      expect(await countCards(user)).toBe(0);
      const ok = await user.request('POST', `${BASE}/bulk`, { cards: many(BULK_MAX) });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().created).toHaveLength(BULK_MAX);
    });

    it.each([
      ['an invalid item', [card(), card({ term: 'b' }), card({ term: 'c' }), card({ term: '' })], 'cards.3.term'],
      ['an unknown field in an item', [card(), card({ colour: 'red' })], 'cards.1.colour'],
      ['an empty list', [], 'cards'],
    ])('refuses a batch with %s naming %s and writes nothing', async (_what, cards, field) => {
      const user = await registerUser(t.app);
      const res = await user.request('POST', `${BASE}/bulk`, { cards });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await countCards(user)).toBe(0);
    });
  });
});
