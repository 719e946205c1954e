import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_MAX_BYTES } from '../../../shared/card-transfer.js';
import { testDatabases } from '../../test/databases.js';
import { registerUser, startTestApp, type TestApp, type TestUser } from '../../test/harness.js';

const BASE = '/api/cards';
const DAY = 86_400_000;
type Json = Record<string, unknown>;

interface AnkiFixture {
  notes: { id: number; flds: string[]; tags?: string; mid?: number }[];
  cards?: { id: number; nid: number; ord?: number; queue?: number }[];
  revlog?: { id: number; cid: number; ease: number; type?: number; time?: number }[];
  /** Field names by note type id: written as schema 11's `col.models`, or as the newer `fields` table. */
  noteTypes?: { fields: Record<number, string[]>; as: 'col.models' | 'fields table' };
}

/** An Anki collection with the columns the import reads, as the bytes of its SQLite file. */
function ankiCollection({ notes, cards = [], revlog = [], noteTypes }: AnkiFixture): Uint8Array {
  const db = new SQLite(':memory:');
  db.exec(`
    create table notes (id integer primary key, guid text, mid integer, mod integer, flds text, tags text);
    create table cards (id integer primary key, nid integer, did integer, ord integer, ivl integer, queue integer);
    create table revlog (id integer primary key, cid integer, ease integer, ivl integer, lastIvl integer,
                         factor integer, time integer, type integer);`);
  if (noteTypes?.as === 'col.models') {
    db.exec('create table col (id integer primary key, models text)');
    const models = Object.fromEntries(
      Object.entries(noteTypes.fields).map(([id, names]) => [id, { flds: names.map((name, ord) => ({ name, ord })) }]),
    );
    db.prepare('insert into col (id, models) values (1, ?)').run(JSON.stringify(models));
  }
  if (noteTypes?.as === 'fields table') {
    db.exec('create table fields (ntid integer, ord integer, name text, config blob)');
    for (const [ntid, names] of Object.entries(noteTypes.fields)) {
      for (const [ord, name] of names.entries()) {
        db.prepare('insert into fields (ntid, ord, name) values (?, ?, ?)').run(Number(ntid), ord, name);
      }
    }
  }
  for (const n of notes) {
    db.prepare('insert into notes (id, mid, flds, tags) values (?, ?, ?, ?)').run(
      n.id,
      n.mid ?? 1,
      n.flds.join('\x1f'),
      n.tags ?? '',
    );
  }
  for (const c of cards) {
    db.prepare('insert into cards (id, nid, ord, queue) values (?, ?, ?, ?)').run(
      c.id,
      c.nid,
      c.ord ?? 0,
      c.queue ?? 0,
    );
  }
  for (const r of revlog) {
    db.prepare('insert into revlog (id, cid, ease, ivl, time, type) values (?, ?, ?, 0, ?, ?)').run(
      r.id,
      r.cid,
      r.ease,
      r.time ?? 5000,
      r.type ?? 1,
    );
  }
  const bytes = db.serialize();
  db.close();
  return bytes;
}

function apkg(files: Record<string, Uint8Array>): Buffer {
  return Buffer.from(zipSync({ media: strToU8('{}'), ...files }));
}

describe.each(testDatabases())('card import and export on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  function upload(
    user: TestUser,
    file: string | Buffer,
    { format = 'csv', language = 'es', type = 'text/csv' }: { format?: string; language?: string; type?: string } = {},
  ) {
    return user.request('POST', `${BASE}/import?format=${format}&language=${language}`, file, {
      headers: { 'content-type': type },
    });
  }

  async function importOk(user: TestUser, file: string | Buffer, options: Parameters<typeof upload>[2] = {}) {
    const res = await upload(user, file, options);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { created: number; existing: number; rejected: { line: number; reason: string }[] };
  }

  async function refused(user: TestUser, file: string | Buffer, options: Parameters<typeof upload>[2] = {}) {
    const res = await upload(user, file, options);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    return res.json().error.details[0].message as string;
  }

  async function cards(user: TestUser, query = '') {
    const res = await user.request('GET', `${BASE}?limit=100${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as Json[]).sort((a, b) => String(a.term).localeCompare(String(b.term)));
  }

  const APKG = { format: 'apkg', type: 'application/octet-stream' };
  const summary = (list: Json[]) =>
    list.map((c) => ({ term: c.term, translation: c.translation, context: c.contextSentence, tags: c.tags }));

  describe('CSV and TSV', () => {
    it('imports a CSV with a BOM as new cards from the import, due now', async () => {
      const user = await registerUser(t.app);
      const file = '\ufeffTerm,Translation,Context,Tags\nhola,hello,"Hola, Ana.",greeting A1\nperro,dog,,animals\n';
      expect(await importOk(user, file)).toEqual({ created: 2, existing: 0, rejected: [] });
      const list = await cards(user);
      expect(summary(list)).toEqual([
        { term: 'hola', translation: 'hello', context: 'Hola, Ana.', tags: ['greeting', 'a1'] },
        { term: 'perro', translation: 'dog', context: null, tags: ['animals'] },
      ]);
      expect(list[0]).toMatchObject({ language: 'es', source: 'import', state: 'new', encounters: 1 });
      expect(list[0]!.due).toBe(t.clock.now().toISOString());
    });

    it.each([
      ['semicolons', 'term;translation;tags\ngato;cat;a b\n', 'text/csv', 'csv'],
      ['tabs', 'term\ttranslation\ttags\ngato\tcat\ta b\n', 'text/tab-separated-values', 'tsv'],
      ['tabs sent as plain text', 'tags\ttranslation\tterm\na b\tcat\tgato\n', 'text/plain; charset=utf-8', 'tsv'],
    ])('imports a file separated by %s', async (_what, file, type, format) => {
      const user = await registerUser(t.app);
      expect(await importOk(user, file, { type, format })).toEqual({ created: 1, existing: 0, rejected: [] });
      expect(summary(await cards(user))).toEqual([
        { term: 'gato', translation: 'cat', context: null, tags: ['a', 'b'] },
      ]);
    });

    it('imports quoted fields holding commas, quotes and line breaks', async () => {
      const user = await registerUser(t.app);
      const file = 'term,translation,context\r\n"sí, claro","yes, of course","Dijo ""sí"".\r\nLuego, nada."\r\n';
      expect(await importOk(user, file)).toEqual({ created: 1, existing: 0, rejected: [] });
      expect(summary(await cards(user))).toEqual([
        { term: 'sí, claro', translation: 'yes, of course', context: 'Dijo "sí".\r\nLuego, nada.', tags: [] },
      ]);
    });

    it('reports rows with bad values by line and imports the rest', async () => {
      const user = await registerUser(t.app);
      const file = 'term,translation\nhola,hello\n,nothing\n"multi\nline",x\nperro,\n¿?,what\ngato,cat\n';
      expect(await importOk(user, file)).toEqual({
        created: 3,
        existing: 0,
        rejected: [
          { line: 3, reason: 'term must not be empty' },
          { line: 6, reason: 'translation must not be empty' },
          { line: 7, reason: 'term must contain a letter or a digit' },
        ],
      });
      expect((await cards(user)).map((c) => c.term)).toEqual(['gato', 'hola', 'multi\nline']);
    });

    it('counts terms already there, in the file or before, as existing, recording an encounter', async () => {
      const user = await registerUser(t.app);
      const before = await user.request('POST', BASE, { language: 'es', term: 'hola', translation: 'hi' });
      expect(before.statusCode).toBe(201);
      const file = 'term,translation\n¡Hola!,hello\nperro,dog\nPerro,dog\nhola,hey\ngato,cat\n';
      expect(await importOk(user, file)).toEqual({ created: 2, existing: 3, rejected: [] });
      const list = await cards(user);
      expect(list.map((c) => [c.term, c.translation, c.source, c.encounters])).toEqual([
        ['gato', 'cat', 'import', 1],
        ['hola', 'hi', 'manual', 3],
        ['perro', 'dog', 'import', 2],
      ]);
      // Importing the same file again makes nothing new.
      expect(await importOk(user, file)).toEqual({ created: 0, existing: 5, rejected: [] });
    });

    it('imports more rows than one bulk batch in one go', async () => {
      const user = await registerUser(t.app);
      const rows = Array.from({ length: 1203 }, (_, i) => `palabra${i % 1100},word ${i}`);
      expect(await importOk(user, `term,translation\n${rows.join('\n')}\n`)).toEqual({
        created: 1100,
        existing: 103,
        rejected: [],
      });
      const total = await t.database.db
        .selectFrom('cards')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(Number(total.n)).toBe(1100);
    });

    it.each([
      ['a row with the wrong number of columns', 'term,translation\nhola,hello\nperro\n', 'line 3 has 1 column of 2'],
      ['a file without a header', 'hola,hello\nperro,dog\n', 'no header'],
      ['a file that is not UTF-8', Buffer.from('term,translation\nni\xf1o,child\n', 'latin1'), 'not UTF-8'],
      ['an empty file', '', 'the file is empty'],
    ])('refuses %s whole, writing nothing', async (_what, file, problem) => {
      const user = await registerUser(t.app);
      expect(await refused(user, file)).toContain(problem);
      expect(await cards(user)).toEqual([]);
    });

    it('refuses a file whose structure breaks after many good rows, writing none of them', async () => {
      const user = await registerUser(t.app);
      const rows = Array.from({ length: 700 }, (_, i) => `palabra${i},word`);
      const problem = await refused(user, `term,translation\n${rows.join('\n')}\nroto,a,b\n`);
      expect(problem).toBe('line 702 has 3 columns of 2');
      expect(await cards(user)).toEqual([]);
    });

    it('refuses a body that is not a file, an unknown format or language, and a stranger', async () => {
      const user = await registerUser(t.app);
      const json = await user.request('POST', `${BASE}/import?format=csv&language=es`, { term: 'x' });
      expect(json.statusCode).toBe(400);
      expect(json.json().error.details[0].message).toMatch(/send the file itself as the body/);
      const form = await upload(user, 'x', { type: 'multipart/form-data; boundary=x' });
      expect(form.statusCode).toBe(415);
      for (const [query, field] of [
        ['format=xlsx&language=es', 'format'],
        ['format=csv&language=xx', 'language'],
        ['format=csv', 'language'],
      ]) {
        const res = await user.request('POST', `${BASE}/import?${query}`, 'term,translation\n', {
          headers: { 'content-type': 'text/csv' },
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      const stranger = await t.app.inject({
        method: 'POST',
        url: `${BASE}/import?format=csv&language=es`,
        headers: { 'content-type': 'text/csv' },
        payload: 'term,translation\nhola,hello\n',
      });
      expect(stranger.statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: `${BASE}/export?format=csv&language=es` })).statusCode).toBe(
        401,
      );
    });

    it('refuses a file over the size limit with 413, naming the limit', async () => {
      const user = await registerUser(t.app);
      const big = Buffer.alloc(IMPORT_MAX_BYTES + 1, 'a');
      const res = await upload(user, big, { type: 'application/octet-stream' });
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toEqual({
        code: 'payload_too_large',
        message: 'the file is larger than the import limit of 20 MB',
      });
      expect(await cards(user)).toEqual([]);
    });
  });

  describe('export', () => {
    it('downloads one language as a CSV that imports into another account as the same cards', async () => {
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      const file =
        'term,translation,context,tags\n' +
        '"hola, amigo","hello ""friend""","Línea uno\nlínea dos",greeting a1\n' +
        'perro,dog,,travel words;animals\n' +
        'tab,"a\tb",,\n';
      await importOk(user, file);
      await user.request('POST', BASE, { language: 'fr', term: 'chien', translation: 'dog' });

      const res = await user.request('GET', `${BASE}/export?format=csv&language=es`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="cards-es-2026-01-05.csv"');
      expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(res.body).not.toContain('chien');

      expect(await importOk(other, res.rawPayload)).toEqual({ created: 3, existing: 0, rejected: [] });
      expect(summary(await cards(other))).toEqual(summary(await cards(user, '&language=es')));
    });

    it('downloads TSV that imports back, and an empty file with only the header', async () => {
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      const empty = await user.request('GET', `${BASE}/export?format=tsv&language=de`);
      expect(empty.statusCode).toBe(200);
      expect(empty.body).toBe('term\ttranslation\tcontext\ttags\r\n');
      await importOk(user, 'term,translation,tags\nHund,dog,tiere\nKatze,cat,\n', { language: 'de' });
      const res = await user.request('GET', `${BASE}/export?format=tsv&language=de`);
      expect(res.headers['content-type']).toBe('text/tab-separated-values; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="cards-de-2026-01-05.tsv"');
      expect(res.body).toBe('term\ttranslation\tcontext\ttags\r\nHund\tdog\t\ttiere\r\nKatze\tcat\t\t\r\n');
      await importOk(other, res.body, { format: 'tsv', language: 'de', type: 'text/tab-separated-values' });
      expect(summary(await cards(other))).toEqual(summary(await cards(user)));
    });

    it('exports only the caller’s cards, and imports only into the caller’s account', async () => {
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      await importOk(user, 'term,translation\nmío,mine\n');
      await importOk(other, 'term,translation\ntuyo,yours\nmío,mine too\n');
      expect((await cards(user)).map((c) => c.term)).toEqual(['mío']);
      expect((await cards(other)).map((c) => [c.term, c.translation])).toEqual([
        ['mío', 'mine too'],
        ['tuyo', 'yours'],
      ]);
      const res = await user.request('GET', `${BASE}/export?format=csv&language=es`);
      expect(res.body).toBe('\ufeffterm,translation,context,tags\r\nmío,mine,,\r\n');
    });

    it('refuses an export without a known format or language', async () => {
      const user = await registerUser(t.app);
      for (const query of ['format=xlsx&language=es', 'format=csv', 'language=es']) {
        expect((await user.request('GET', `${BASE}/export?${query}`)).statusCode).toBe(400);
      }
    });
  });

  describe('Anki packages', () => {
    it('imports notes with HTML removed and tags kept, replaying review history into memory state', async () => {
      const user = await registerUser(t.app);
      const start = Date.parse('2025-10-01T08:00:00.000Z');
      const collection = ankiCollection({
        notes: [
          { id: 1, flds: ['<b>el&nbsp;perro</b>', 'the dog<br>(animal)'], tags: ' animals A1 ' },
          { id: 2, flds: ['<div>la casa</div>', 'the house &amp; home', 'extra field'], tags: '' },
          { id: 3, flds: ['<img src="x.png">', 'an image only'] },
          { id: 4, flds: ['sólo'] },
        ],
        cards: [
          { id: 10, nid: 1, ord: 0 },
          { id: 11, nid: 1, ord: 1 },
          { id: 20, nid: 2, ord: 0 },
        ],
        revlog: [
          // Three good answers weeks apart on the note's first card…
          { id: start, cid: 10, ease: 3, type: 0 },
          { id: start + 7 * DAY, cid: 10, ease: 3, type: 1 },
          { id: start + 28 * DAY, cid: 10, ease: 3, type: 1 },
          // …a manual reschedule and an entry without an answer, which are not reviews…
          { id: start + 29 * DAY, cid: 10, ease: 0, type: 4 },
          { id: start + 30 * DAY, cid: 10, ease: 3, type: 4 },
          // …and the reverse card's answers, which stay with that card.
          { id: start + DAY, cid: 11, ease: 1, type: 0 },
        ],
      });
      const result = await importOk(user, apkg({ 'collection.anki2': collection }), APKG);
      expect(result).toEqual({
        created: 2,
        existing: 0,
        rejected: [
          { line: 3, reason: 'term must not be empty' },
          { line: 4, reason: 'translation must not be empty' },
        ],
      });

      const [perro, casa] = await cards(user);
      expect(summary([perro!, casa!])).toEqual([
        { term: 'el perro', translation: 'the dog (animal)', context: null, tags: ['animals', 'a1'] },
        { term: 'la casa', translation: 'the house & home', context: null, tags: [] },
      ]);
      expect(casa).toMatchObject({ state: 'new', reps: 0, source: 'import', lastReviewedAt: null });
      expect(perro).toMatchObject({
        source: 'import',
        state: 'review',
        reps: 3,
        lapses: 0,
        lastReviewedAt: new Date(start + 28 * DAY).toISOString(),
      });
      expect(perro!.stability as number).toBeGreaterThan(10);
      expect(perro!.stability as number).toBeLessThan(365);
      expect(Date.parse(perro!.due as string)).toBeGreaterThan(start + 38 * DAY);

      const logs = await t.database.db
        .selectFrom('review_logs')
        .selectAll()
        .where('user_id', '=', user.id)
        .orderBy('seq')
        .execute();
      expect(logs.map((l) => [l.answer_id, l.rating, l.state_before, l.reviewed_at, l.card_id, l.seq])).toEqual([
        [`anki:${start}`, 'good', 'new', new Date(start).toISOString(), perro!.id, 1],
        [`anki:${start + 7 * DAY}`, 'good', 'learning', new Date(start + 7 * DAY).toISOString(), perro!.id, 2],
        [`anki:${start + 28 * DAY}`, 'good', 'review', new Date(start + 28 * DAY).toISOString(), perro!.id, 3],
      ]);
      expect(logs.every((l) => l.learning_session_id === null && l.duration_ms === 5000 && l.language === 'es')).toBe(
        true,
      );
      expect(JSON.parse(logs[2]!.card_after)).toMatchObject({ state: 'review', reps: 3 });

      // The replayed card reviews on from its state like any other.
      t.clock.set(perro!.due as string);
      const queue = (await user.request('GET', '/api/review/queue?language=es')).json();
      expect(queue.items.map((i: { card: Json }) => i.card.id)).toContain(perro!.id);
      const answer = await user.request('POST', '/api/review/answers', {
        cardId: perro!.id,
        rating: 'good',
        answerId: randomUUID(),
        durationMs: 1000,
      });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json()).toMatchObject({ state: 'review', reps: 4 });
      t.clock.set('2026-01-05T09:00:00.000Z');
    });

    it('prefers collection.anki21, leaves cards you already have as they are, and writes no log for them', async () => {
      const user = await registerUser(t.app);
      await user.request('POST', BASE, { language: 'es', term: 'gato', translation: 'cat' });
      const old = ankiCollection({ notes: [{ id: 1, flds: ['viejo', 'old'] }] });
      const current = ankiCollection({
        notes: [
          { id: 1, flds: ['Gato', 'cat'] },
          { id: 2, flds: ['pez', 'fish'] },
        ],
        cards: [
          { id: 10, nid: 1 },
          { id: 20, nid: 2 },
        ],
        revlog: [{ id: Date.parse('2025-12-01T00:00:00Z'), cid: 10, ease: 4, type: 0 }],
      });
      const result = await importOk(user, apkg({ 'collection.anki2': old, 'collection.anki21': current }), APKG);
      expect(result).toEqual({ created: 1, existing: 1, rejected: [] });
      expect((await cards(user)).map((c) => [c.term, c.state, c.reps])).toEqual([
        ['gato', 'new', 0],
        ['pez', 'new', 0],
      ]);
      const logs = await t.database.db.selectFrom('review_logs').select('id').where('user_id', '=', user.id).execute();
      expect(logs).toEqual([]);
    });

    it('continues the learner’s answer order after their own answers', async () => {
      const user = await registerUser(t.app);
      // The learner's own settings drive the replay: with no learning steps one good answer graduates a card.
      const settings = await user.request('PUT', '/api/review/settings', {
        desiredRetention: 0.9,
        newCardsPerDay: 20,
        maxReviewsPerDay: 200,
        learningSteps: '',
        relearningSteps: '10m',
        dayBoundaryHour: 4,
      });
      expect(settings.statusCode, settings.body).toBe(200);
      const mineId = randomUUID();
      const mine = (await user.request('POST', BASE, { language: 'es', term: 'uno', translation: 'one' })).json();
      await user.request('POST', '/api/review/answers', {
        cardId: mine.id,
        rating: 'good',
        answerId: mineId,
        durationMs: 1000,
      });
      const at = Date.parse('2025-11-01T00:00:00Z');
      const collection = ankiCollection({
        notes: [
          { id: 1, flds: ['dos', 'two'] },
          { id: 2, flds: ['tres', 'three'] },
        ],
        cards: [
          { id: 10, nid: 1 },
          { id: 20, nid: 2 },
        ],
        revlog: [
          { id: at + DAY, cid: 10, ease: 3 },
          { id: at, cid: 20, ease: 2 },
        ],
      });
      await importOk(user, apkg({ 'collection.anki2': collection }), APKG);
      const logs = await t.database.db
        .selectFrom('review_logs')
        .select(['answer_id', 'seq'])
        .where('user_id', '=', user.id)
        .orderBy('seq')
        .execute();
      expect(logs).toEqual([
        { answer_id: mineId, seq: 1 },
        { answer_id: `anki:${at}`, seq: 2 },
        { answer_id: `anki:${at + DAY}`, seq: 3 },
      ]);
      expect((await cards(user)).map((c) => [c.term, c.state])).toEqual([
        ['dos', 'review'],
        ['tres', 'review'],
        ['uno', 'review'],
      ]);
    });

    it.each([
      ['a file that is not a zip', () => Buffer.from('term,translation\n'), 'not a zip archive'],
      ['a damaged zip', () => apkg({ 'collection.anki2': new Uint8Array(100) }).subarray(0, 60), 'damaged'],
      ['a zip without a collection', () => apkg({ 'notes.txt': strToU8('hola') }), 'no Anki collection'],
      [
        'a zip with only the newer compressed collection',
        () => apkg({ 'collection.anki21b': new Uint8Array(10) }),
        'Support older Anki versions',
      ],
      [
        'a collection that is not a database',
        () => apkg({ 'collection.anki2': strToU8('x'.repeat(200)) }),
        'cannot be read',
      ],
      [
        'a collection without notes',
        () => {
          const db = new SQLite(':memory:');
          db.exec('create table cards (id integer)');
          const bytes = db.serialize();
          db.close();
          return apkg({ 'collection.anki2': bytes });
        },
        'cannot be read (no such table: notes)',
      ],
    ])('refuses %s, writing nothing', async (_what, file, problem) => {
      const user = await registerUser(t.app);
      expect(await refused(user, file(), { format: 'apkg', type: 'application/octet-stream' })).toContain(problem);
      expect(await cards(user)).toEqual([]);
    });
  });

  describe('Anki packages: context fields and suspension', () => {
    it.each(['col.models', 'fields table'] as const)(
      'reads the context sentence and its translation from fields named for them (note types in %s), and keeps suspension',
      async (as) => {
        const user = await registerUser(t.app);
        const file = apkg({
          'collection.anki21': ankiCollection({
            noteTypes: {
              as,
              fields: {
                1: ['Vorderseite', 'Rückseite', 'Beispielsatz', 'Übersetzung des Beispielsatzes'],
                2: ['Front', 'Back', 'Audio'],
              },
            },
            notes: [
              {
                id: 1,
                mid: 1,
                flds: ['la casa', 'das Haus', 'Mi <b>casa</b> es tu casa.', 'Mein Haus ist dein Haus.'],
              },
              { id: 2, mid: 2, flds: ['el perro', 'der Hund', '[sound:perro.mp3]'] },
            ],
            cards: [
              { id: 10, nid: 1, queue: -1 },
              { id: 20, nid: 2, queue: 0 },
            ],
          }),
        });
        expect(await importOk(user, file, APKG)).toEqual({ created: 2, existing: 0, rejected: [] });
        const list = await cards(user);
        expect(list.map((c) => [c.term, c.contextSentence, c.contextTranslation, c.suspended])).toEqual([
          ['el perro', null, null, false],
          ['la casa', 'Mi casa es tu casa.', 'Mein Haus ist dein Haus.', true],
        ]);
        // A suspended card stays out of review.
        const queue = (await user.request('GET', '/api/review/queue?language=es')).json();
        expect(queue.items.map((i: { card: Json }) => i.card.term)).toEqual(['el perro']);
      },
    );

    it('leaves a card the learner already had unsuspended, whatever the package says', async () => {
      const user = await registerUser(t.app);
      expect((await user.request('POST', BASE, { language: 'es', term: 'gato', translation: 'cat' })).statusCode).toBe(
        201,
      );
      const file = apkg({
        'collection.anki21': ankiCollection({
          notes: [{ id: 1, flds: ['gato', 'cat'] }],
          cards: [{ id: 10, nid: 1, queue: -1 }],
        }),
      });
      expect(await importOk(user, file, APKG)).toEqual({ created: 0, existing: 1, rejected: [] });
      expect((await cards(user)).map((c) => [c.term, c.suspended])).toEqual([['gato', false]]);
    });
  });

  describe('Anki package export', () => {
    /** The exported package's collection, opened as Anki opens it. */
    function collectionOf(apkgBytes: Buffer) {
      const files = unzipSync(apkgBytes);
      expect(strFromU8(files.media!)).toBe('{}');
      const db = new SQLite(Buffer.from(files['collection.anki2']!));
      try {
        const notes = db.prepare('select id, flds, tags from notes order by id').all() as {
          id: number;
          flds: string;
          tags: string;
        }[];
        const cards = db.prepare('select nid, type, queue, reps, lapses, data from cards').all() as {
          nid: number;
          type: number;
          queue: number;
          reps: number;
          lapses: number;
          data: string;
        }[];
        const col = db.prepare('select decks from col').all() as { decks: string }[];
        const revlog = db.prepare('select id from revlog').all() as { id: number }[];
        const byTerm = new Map(
          notes.map((n) => [n.flds.split('\x1f')[0]!, { ...n, card: cards.find((c) => c.nid === n.id)! }]),
        );
        return { notes, cards, col, revlog, byTerm };
      } finally {
        db.close();
      }
    }

    async function exportApkg(user: TestUser, language = 'es') {
      const res = await user.request('GET', `${BASE}/export?format=apkg&language=${language}`);
      expect(res.statusCode, res.body).toBe(200);
      return res;
    }

    async function add(user: TestUser, body: Json): Promise<Json> {
      const res = await user.request('POST', BASE, { language: 'es', ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Json;
    }

    async function rate(user: TestUser, card: Json, rating: string) {
      const res = await user.request('POST', '/api/review/answers', {
        cardId: card.id,
        rating,
        answerId: randomUUID(),
        durationMs: 3000,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Json;
    }

    it('exports cards in every state with tags and history as an .apkg that imports into another account with the same memory state', async () => {
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      const start = t.clock.now();
      try {
        await add(user, {
          term: 'hola',
          translation: 'hello',
          tags: ['greeting', 'a1'],
          contextSentence: '¡Hola, Ana!',
          contextTranslation: 'Hi, Ana!',
        });
        const gato = await add(user, { term: 'gato', translation: 'cat', tags: ['animals'] });
        const perro = await add(user, { term: 'perro', translation: 'dog', tags: ['animals'] });
        const casa = await add(user, { term: 'casa', translation: 'house' });
        const libro = await add(user, { term: 'libro', translation: 'book & more' });
        await rate(user, gato, 'again');
        await rate(user, perro, 'good');
        await rate(user, casa, 'good');
        await rate(user, libro, 'easy');
        t.clock.advance(10 * 60_000);
        await rate(user, casa, 'good');
        const graduated = await rate(user, perro, 'good');
        t.clock.set(graduated.due as string);
        await rate(user, perro, 'again');
        const suspend = await user.request('PATCH', `${BASE}/${casa.id}`, { suspended: true });
        expect(suspend.statusCode, suspend.body).toBe(200);

        const mine = await cards(user);
        expect(mine.map((c) => [c.term, c.state, c.suspended])).toEqual([
          ['casa', 'review', true],
          ['gato', 'learning', false],
          ['hola', 'new', false],
          ['libro', 'review', false],
          ['perro', 'relearning', false],
        ]);

        const res = await exportApkg(user);
        const day = t.clock.now().toISOString().slice(0, 10);
        expect(res.headers['content-type']).toBe('application/octet-stream');
        expect(res.headers['content-disposition']).toBe(`attachment; filename="cards-es-${day}.apkg"`);

        // What Anki gets: the cards' scheduling, memory state and every answer.
        const anki = collectionOf(res.rawPayload);
        expect(Object.values(JSON.parse(anki.col[0]!.decks)).map((d) => (d as Json).name)).toContain(
          'Language Tutor::Spanish',
        );
        expect(anki.byTerm.get('hola')).toMatchObject({
          flds: 'hola\x1fhello\x1f¡Hola, Ana!\x1fHi, Ana!',
          tags: ' greeting a1 ',
          card: { type: 0, queue: 0, data: '{}' },
        });
        expect(anki.byTerm.get('casa')!.card).toMatchObject({ type: 2, queue: -1, reps: 2 });
        expect(anki.byTerm.get('gato')!.card).toMatchObject({ type: 1, queue: 1, reps: 1 });
        expect(anki.byTerm.get('perro')!.card).toMatchObject({ type: 3, queue: 1, reps: 3, lapses: 1 });
        expect(anki.byTerm.get('libro')!.flds).toBe('libro\x1fbook &amp; more\x1f\x1f');
        const perroMine = mine.find((c) => c.term === 'perro')!;
        expect(JSON.parse(anki.byTerm.get('perro')!.card.data)).toEqual({
          s: perroMine.stability,
          d: perroMine.difficulty,
        });
        expect(anki.revlog).toHaveLength(7);
        expect(new Set(anki.revlog.map((r) => r.id)).size).toBe(7);

        // Back through the import, into another account.
        expect(await importOk(other, res.rawPayload, APKG)).toEqual({ created: 5, existing: 0, rejected: [] });
        const theirs = await cards(other);
        expect(summary(theirs)).toEqual(summary(mine));
        for (const [i, card] of theirs.entries()) {
          const original = mine[i]!;
          expect(card).toMatchObject({
            term: original.term,
            contextTranslation: original.contextTranslation,
            suspended: original.suspended,
            state: original.state,
            reps: original.reps,
            lapses: original.lapses,
            source: 'import',
          });
          expect(card.stability as number).toBeCloseTo(original.stability as number, 4);
          expect(card.difficulty as number).toBeCloseTo(original.difficulty as number, 4);
          if (original.state === 'new') continue; // due when imported, as every new card
          // Answers in the same millisecond were moved apart by 1 ms to give Anki unique revlog ids.
          expect(Math.abs(Date.parse(card.due as string) - Date.parse(original.due as string))).toBeLessThan(1000);
        }
        const logs = await t.database.db
          .selectFrom('review_logs')
          .select('answer_id')
          .where('user_id', '=', other.id)
          .execute();
        expect(logs).toHaveLength(7);
      } finally {
        t.clock.set(start);
      }
    });

    it('exports only the caller’s cards of the language asked for', async () => {
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      await add(user, { term: 'mío', translation: 'mine' });
      await user.request('POST', BASE, { language: 'fr', term: 'chien', translation: 'dog' });
      await add(other, { term: 'tuyo', translation: 'yours' });
      const theirs = await add(other, { term: 'nuestro', translation: 'ours' });
      await rate(other, theirs, 'good');

      const anki = collectionOf((await exportApkg(user)).rawPayload);
      expect(anki.notes.map((n) => n.flds.split('\x1f')[0])).toEqual(['mío']);
      expect(anki.revlog).toEqual([]);
      const french = collectionOf((await exportApkg(user, 'fr')).rawPayload);
      expect(french.notes.map((n) => n.flds.split('\x1f')[0])).toEqual(['chien']);
      expect(Object.values(JSON.parse(french.col[0]!.decks)).map((d) => (d as Json).name)).toContain(
        'Language Tutor::French',
      );
    });

    it('exports a language without cards as a valid empty collection that imports as nothing', async () => {
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      const res = await exportApkg(user, 'de');
      const anki = collectionOf(res.rawPayload);
      expect(anki.col).toHaveLength(1);
      expect([anki.notes, anki.cards, anki.revlog]).toEqual([[], [], []]);
      expect(await importOk(other, res.rawPayload, APKG)).toEqual({ created: 0, existing: 0, rejected: [] });
    });

    it('describes the three export formats and their content types in the OpenAPI document', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      const route = doc.paths['/api/cards/export'].get;
      const format = route.parameters.find((p: { name: string }) => p.name === 'format');
      expect(format.schema.enum).toEqual(['csv', 'tsv', 'apkg']);
      expect(route.responses['200'].content).toEqual({
        'text/csv; charset=utf-8': { schema: { type: 'string' } },
        'text/tab-separated-values; charset=utf-8': { schema: { type: 'string' } },
        'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
      });
    });
  });
});
