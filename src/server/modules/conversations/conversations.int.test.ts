import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../ai/ai.types.js';
import { testDatabases } from '../../test/databases.js';
import { buildApp } from '../../app.js';
import { ManualClock } from '../../lib/clock.js';
import {
  registerAdmin,
  registerUser,
  sharedSpelling,
  startTestApp,
  testConfig,
  type TestApp,
  TestUser,
} from '../../test/harness.js';
import { FakeLlmServer } from '../../test/llm-fakes/fake-llm-server.js';
import { buildCustomScenario } from '../../test/scenario-factory.js';

const BASE = '/api/conversations';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What the learner says to meet both objectives of a phase of the factory scenario, in Spanish. */
const meet = (phase: number) => `es say goal-${phase}-a esword${phase}x0 y es say goal-${phase}-b esword${phase}x1`;

function parseSse(body: string): { event: string; data: Json }[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)![1]!;
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Json;
      return { event, data };
    });
}

async function start(user: TestUser, body: Json = {}): Promise<Json> {
  const res = await user.request('POST', BASE, {
    mode: 'scenario',
    scenarioId: 'test-scenario',
    language: 'es',
    level: 'A1',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function say(user: TestUser, id: string, text: string, headers: Record<string, string> = {}): Promise<Json> {
  const res = await user.request('POST', `${BASE}/${id}/messages`, { text }, { headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe.each(testDatabases())('conversations with the offline tutor on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  const session = async (user: TestUser, id: string) =>
    (await user.request('GET', `/api/learning-sessions/${id}`)).json() as Json;

  it('starts a scenario conversation with the tutor’s opening and an open scenario session', async () => {
    const user = await registerUser(t.app);
    const conversation = await start(user);
    expect(conversation).toMatchObject({
      mode: 'scenario',
      scenarioId: 'test-scenario',
      scenarioTitle: 'Test scenario',
      status: 'active',
      progress: { phaseIndex: 0, completed: false },
      messages: [{ role: 'tutor', text: 'es opening 1', engine: 'offline', feedback: null }],
    });
    expect(await session(user, conversation.learningSessionId)).toMatchObject({
      type: 'scenario',
      status: 'active',
      language: 'es',
    });
  });

  it('starts free talk from a topic and opens a conversation session', async () => {
    const user = await registerUser(t.app);
    const res = await user.request('POST', BASE, { mode: 'free', language: 'fr', level: 'A2', topic: 'food' });
    expect(res.statusCode, res.body).toBe(201);
    const conversation = res.json();
    expect(conversation).toMatchObject({ mode: 'free', topic: 'food', progress: null });
    expect(conversation.messages[0].text).toBe('fr what do you like to eat?');
    expect(await session(user, conversation.learningSessionId)).toMatchObject({ type: 'conversation' });
  });

  it.each([
    [{ mode: 'scenario', language: 'es', level: 'A1' }, 'scenarioId'],
    [{ mode: 'free', scenarioId: 'test-scenario', language: 'es', level: 'A1' }, 'scenarioId'],
    [{ mode: 'free', language: 'xx', level: 'A1' }, 'language'],
    [{ mode: 'free', language: 'es', level: 'D1' }, 'level'],
  ])('refuses %j naming %s', async (body, field) => {
    const user = await registerUser(t.app);
    const res = await user.request('POST', BASE, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: Json) => d.field)).toContain(field);
  });

  it('answers 404 for an unknown scenario', async () => {
    const user = await registerUser(t.app);
    const res = await user.request('POST', BASE, { mode: 'scenario', scenarioId: 'nope', language: 'es', level: 'A1' });
    expect(res.statusCode).toBe(404);
  });

  it('replies in character, recognises the objectives met, and keeps the history', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    const turn = await say(user, id, 'es say goal-1-a esword1x0');
    expect(turn.tutorMessage).toMatchObject({ role: 'tutor', engine: 'offline' });
    expect(turn.tutorMessage.text).toContain('es follow 1.');
    expect(turn.feedback).toMatchObject({ objectivesMet: ['goal-1-a'], vocabularyUsed: ['esword1x0'] });
    expect(turn.progress.phases[0]).toMatchObject({ objectivesMet: ['goal-1-a'], completed: false });
    expect(turn.notice).toBeNull();
    const conversation = (await user.request('GET', `${BASE}/${id}`)).json();
    expect(conversation.messages.map((m: Json) => m.role)).toEqual(['tutor', 'learner', 'tutor']);
    expect(conversation.messages[1].feedback.objectivesMet).toEqual(['goal-1-a']);
  });

  it('moves to the next phase when its criteria are met', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    const turn = await say(user, id, meet(1));
    expect(turn.progress).toMatchObject({ phaseIndex: 1, phases: [{ completed: true }, { completed: false }, {}] });
    expect(turn.tutorMessage.text).toContain('es opening 2');
  });

  it('streams the reply as Server-Sent Events: tokens, then feedback, progress and done', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    const res = await user.request(
      'POST',
      `${BASE}/${id}/messages`,
      { text: 'es say goal-1-a' },
      { headers: { accept: 'text/event-stream' } },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    const events = parseSse(res.body);
    const names = events.map((e) => e.event);
    expect(names.filter((n) => n !== 'token')).toEqual(['feedback', 'progress', 'done']);
    expect(names.indexOf('feedback')).toBeGreaterThan(0);
    const streamed = events
      .filter((e) => e.event === 'token')
      .map((e) => e.data.text)
      .join('');
    const done = events.at(-1)!.data;
    expect(streamed).toBe(done.tutorMessage.text);
  });

  it('answers 404 (as JSON, not a stream) for another learner’s conversation, everywhere', async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const { id, messages } = await start(owner);
    expect((await stranger.request('GET', `${BASE}/${id}`)).statusCode).toBe(404);
    const streamed = await stranger.request(
      'POST',
      `${BASE}/${id}/messages`,
      { text: 'hola' },
      { headers: { accept: 'text/event-stream' } },
    );
    expect(streamed.statusCode).toBe(404);
    expect(streamed.json().error.code).toBe('not_found');
    for (const path of ['hint', 'end']) {
      expect((await stranger.request('POST', `${BASE}/${id}/${path}`)).statusCode).toBe(404);
    }
    const cards = await stranger.request('POST', `${BASE}/${id}/cards`, { term: 'x', messageId: messages[0].id });
    expect(cards.statusCode).toBe(404);
    expect((await stranger.request('GET', BASE)).json().items).toEqual([]);
  });

  it('answers a retried message with the stored turn instead of a second one', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    const first = await say(user, id, 'es say goal-1-a', { 'idempotency-key': 'k1' });
    const again = await say(user, id, 'es say goal-1-a', { 'idempotency-key': 'k1' });
    expect(again.tutorMessage.id).toBe(first.tutorMessage.id);
    expect(again.progress).toEqual(first.progress);
    expect((await user.request('GET', `${BASE}/${id}`)).json().messages).toHaveLength(3);
  });

  it('nudges after an off-topic message instead of failing', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    const turn = await say(user, id, 'qwerty zxcv');
    expect(turn.feedback.objectivesMet).toEqual([]);
    expect(turn.tutorMessage.text.length).toBeGreaterThan(0);
    expect(turn.progress.phaseIndex).toBe(0);
  });

  it('offers the phase’s phrases as hints, offline', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    const hint = (await user.request('POST', `${BASE}/${id}/hint`)).json();
    expect(hint.engine).toBe('offline');
    expect(hint.suggestions[0]).toEqual({ text: 'es say goal-1-a esword1x0', gloss: 'say goal-1-a' });
  });

  it('adds a word to the flashcards with its sentence, once', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    const turn = await say(user, id, 'Hola. Quiero la esword1x3 ahora. Gracias.');
    const body = { term: 'esword1x3', translation: 'gloss 3', messageId: turn.learnerMessage.id };
    const res = await user.request('POST', `${BASE}/${id}/cards`, body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      term: 'esword1x3',
      contextSentence: 'Quiero la esword1x3 ahora.',
      source: 'conversation',
    });
    expect((await user.request('POST', `${BASE}/${id}/cards`, body)).statusCode).toBe(200);
    const unknown = await user.request('POST', `${BASE}/${id}/cards`, { ...body, messageId: 'nope' });
    expect(unknown.statusCode).toBe(404);
  });

  it('ends a finished scenario in one go: attempt, cards with their sentences, and the session with exact counts', async () => {
    const user = await registerUser(t.app);
    await user.request('POST', '/api/cards', { language: 'es', term: 'esword1x0', translation: 'mine' });
    const { id, learningSessionId } = await start(user);
    for (const phase of [1, 2, 3]) await say(user, id, meet(phase));
    t.clock.advance(90_000);
    const ended = (await user.request('POST', `${BASE}/${id}/end`)).json();
    expect(ended.status).toBe('ended');
    expect(ended.summary).toMatchObject({
      phasesCompleted: 3,
      phasesTotal: 3,
      objectivesMet: 6,
      objectivesTotal: 6,
      learnerMessages: 3,
      durationSeconds: 90,
    });
    // The factory's phases each have 6 words; the learner used 2 per phase.
    expect(ended.summary.vocabularyUsed).toHaveLength(6);
    const cardTerms = ended.summary.cards.map((c: Json) => [c.term, c.created]);
    expect(cardTerms).toContainEqual(['esword1x0', false]);
    expect(cardTerms).toContainEqual(['esword3x1', true]);
    const cards = (await user.request('GET', '/api/cards?q=esword2x1')).json().items as Json[];
    const card = cards.find((c) => c.term === 'esword2x1')!;
    expect(card).toMatchObject({ source: 'scenario', sourceId: 'test-scenario', translation: 'gloss 1' });
    expect(card.contextSentence).toContain('esword2x1');

    const s = await session(user, learningSessionId);
    expect(s).toMatchObject({ status: 'completed', itemsStudied: 18 + 6, itemsCorrect: 6 + 6, itemsIncorrect: 12 });
    const history = (await user.request('GET', '/api/scenarios/test-scenario/history')).json();
    expect(history[0]).toMatchObject({ conversationId: id, phasesCompleted: 3, successRate: 1, durationSeconds: 90 });

    const again = (await user.request('POST', `${BASE}/${id}/end`)).json();
    expect(again.summary).toEqual(ended.summary);
    const late = await user.request('POST', `${BASE}/${id}/messages`, { text: 'hola' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('conversation_ended');
  });

  it('rolls the whole completion back when a step fails', async () => {
    const user = await registerUser(t.app);
    const { id, learningSessionId } = await start(user);
    await say(user, id, meet(1));
    // The session vanishing makes the last step (completing it) fail after the attempt and the cards were written.
    await t.database.db.deleteFrom('learning_sessions').where('id', '=', learningSessionId).execute();
    const res = await user.request('POST', `${BASE}/${id}/end`);
    expect(res.statusCode).toBe(404);
    expect((await user.request('GET', '/api/scenarios/test-scenario/history')).json()).toEqual([]);
    expect((await user.request('GET', '/api/cards')).json().items).toEqual([]);
    expect((await user.request('GET', `${BASE}/${id}`)).json().status).toBe('active');
  });

  it('completes a free conversation’s session with one item per message', async () => {
    const user = await registerUser(t.app);
    const { id, learningSessionId } = (
      await user.request('POST', BASE, { mode: 'free', language: 'es', level: 'A2' })
    ).json();
    await say(user, id, 'Me gusta la paella.');
    await say(user, id, 'Y el gazpacho.');
    const ended = (await user.request('POST', `${BASE}/${id}/end`)).json();
    expect(ended.summary).toMatchObject({ learnerMessages: 2, phasesTotal: 0, cards: [] });
    const s = await session(user, learningSessionId);
    expect(s).toMatchObject({ type: 'conversation', status: 'completed', itemsStudied: 2 });
    expect(s.itemsCorrect + s.itemsIncorrect).toBe(2);
  });

  it('follows into a new session when the old one idled out, and lists conversations newest first', async () => {
    const user = await registerUser(t.app);
    const first = await start(user);
    t.clock.advance(1000);
    const second = await start(user);
    t.clock.advance(3 * 3600_000);
    await say(user, first.id, 'es say goal-1-a');
    const reloaded = (await user.request('GET', `${BASE}/${first.id}`)).json();
    expect(reloaded.learningSessionId).not.toBe(first.learningSessionId);
    expect((await session(user, first.learningSessionId)).metadata.autoClosed).toBe(true);
    const page = (await user.request('GET', `${BASE}?limit=1`)).json();
    expect(page.items.map((c: Json) => c.id)).toEqual([second.id]);
    const next = (await user.request('GET', `${BASE}?limit=1&cursor=${page.nextCursor}`)).json();
    expect(next.items[0]).toMatchObject({ id: first.id, messageCount: 3 });
    expect(next.items[0].lastMessage).toContain('es follow 1.');
    expect(next.nextCursor).toBeNull();
  });

  it('lists a scenario conversation under way with the progress of its own view, and free talk with none', async () => {
    const user = await registerUser(t.app);
    const scenario = await start(user);
    await say(user, scenario.id, meet(1));
    await say(user, scenario.id, 'es say goal-2-a');
    t.clock.advance(1000);
    const free = await user.request('POST', BASE, { mode: 'free', language: 'fr', level: 'A2', topic: 'food' });
    const items = (await user.request('GET', BASE)).json().items as Json[];
    expect(items.map((c) => c.id)).toEqual([free.json().id, scenario.id]);
    expect(items[0]).toMatchObject({ mode: 'free', progress: null });
    expect(items[1]!.progress).toMatchObject({
      phaseIndex: 1,
      completed: false,
      phases: [
        { id: 'phase-1', name: 'Phase 1', completed: true },
        { id: 'phase-2', objectivesMet: ['goal-2-a'], objectivesRequired: 2, completed: false },
        { id: 'phase-3', objectivesMet: [], completed: false },
      ],
    });
    expect(items[1]!.progress).toEqual((await user.request('GET', `${BASE}/${scenario.id}`)).json().progress);
  });

  it('lists conversations on custom scenarios with their progress, and none once their scenario is deleted', async () => {
    const user = await registerUser(t.app);
    const custom = async (title: string) => {
      const res = await user.request('POST', '/api/scenarios/custom', { scenario: buildCustomScenario({ title }) });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const kept = await custom('Kept');
    const deleted = await custom('Deleted');
    const onKept = await start(user, { scenarioId: kept });
    await say(user, onKept.id, meet(1));
    t.clock.advance(1000);
    const againOnKept = await start(user, { scenarioId: kept });
    t.clock.advance(1000);
    const onDeleted = await start(user, { scenarioId: deleted });
    const list = async () =>
      new Map(((await user.request('GET', BASE)).json().items as Json[]).map((c) => [c.id, c.progress]));
    const own = async (id: string) => (await user.request('GET', `${BASE}/${id}`)).json().progress;

    let progress = await list();
    expect(progress.get(onKept.id)).toMatchObject({
      phaseIndex: 1,
      phases: [{ completed: true }, { completed: false }],
    });
    expect(progress.get(onKept.id)).toEqual(await own(onKept.id));
    expect(progress.get(againOnKept.id)).toMatchObject({ phaseIndex: 0, phases: [{ completed: false }, {}] });
    expect(progress.get(onDeleted.id)).toEqual(await own(onDeleted.id));
    expect(progress.get(onDeleted.id)).not.toBeNull();

    expect((await user.request('DELETE', `/api/scenarios/custom/${deleted}`)).statusCode).toBe(204);
    progress = await list();
    expect(progress.get(onDeleted.id)).toBeNull();
    expect(await own(onDeleted.id)).toBeNull();
    expect(progress.get(onKept.id)).toEqual(await own(onKept.id));
  });

  it('translates a scenario word offline into English, and says plainly when it cannot', async () => {
    const user = await registerUser(t.app);
    const hit = await user.request('POST', '/api/translate', { text: 'Esword1x2', from: 'es', to: 'en' });
    expect(hit.json()).toEqual({ available: true, translation: 'gloss 2', source: 'glossary', cached: false });
    const miss = (await user.request('POST', '/api/translate', { text: 'ornitorrinco', from: 'es', to: 'en' })).json();
    expect(miss.available).toBe(false);
    expect(miss.reason).toMatch(/no language model/);
    const other = (await user.request('POST', '/api/translate', { text: 'esword1x2', from: 'es', to: 'fr' })).json();
    expect(other).toMatchObject({ available: false });
  });

  it('remembers a persona, offers ways to answer in free talk, and refuses hints once ended', async () => {
    const user = await registerUser(t.app);
    const conversation = (
      await user.request('POST', BASE, { mode: 'free', language: 'de', level: 'A2', persona: 'a cheerful baker' })
    ).json();
    expect(conversation.persona).toBe('a cheerful baker');
    const hint = (await user.request('POST', `${BASE}/${conversation.id}/hint`)).json();
    expect(hint.engine).toBe('offline');
    expect(hint.suggestions).toHaveLength(3);
    expect(hint.suggestions[1]).toEqual({ text: 'Ich bin nicht sicher. Und du?', gloss: "I'm not sure. And you?" });
    await user.request('POST', `${BASE}/${conversation.id}/end`);
    expect((await user.request('POST', `${BASE}/${conversation.id}/hint`)).statusCode).toBe(409);
  });

  it('adds a word without a translation, and translates a text into its own language as itself', async () => {
    const user = await registerUser(t.app);
    const { id, messages } = await start(user);
    const res = await user.request('POST', `${BASE}/${id}/cards`, { term: 'opening', messageId: messages[0].id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ translation: '', contextSentence: 'es opening 1' });
    const same = (await user.request('POST', '/api/translate', { text: 'mesa', from: 'es', to: 'es' })).json();
    expect(same).toEqual({ available: true, translation: 'mesa', source: 'glossary', cached: false });
  });

  it('keeps a conversation in the database: a freshly started app carries it on from where it was', async () => {
    const store = await kind.openPersistent();
    const clock = new ManualClock();
    try {
      const first = store.reopen();
      const app1 = await buildApp(testConfig(), { database: first, clock, spelling: sharedSpelling() });
      const user = await registerUser(app1);
      const { id } = await start(user);
      await say(user, id, meet(1));
      await app1.close();
      await first.close();

      const second = store.reopen();
      const app2 = await buildApp(testConfig(), { database: second, clock, spelling: sharedSpelling() });
      const again = new TestUser(app2, user.id, user.email, user.password, user.cookies);
      const conversation = (await again.request('GET', `${BASE}/${id}`)).json();
      expect(conversation.messages).toHaveLength(3);
      expect(conversation.progress.phaseIndex).toBe(1);
      const turn = await say(again, id, 'es say goal-2-a');
      expect(turn.feedback.objectivesMet).toEqual(['goal-2-a']);
      await app2.close();
      await second.close();
    } finally {
      await store.drop();
    }
  });

  it('corrects spelling with the Hunspell dictionary, explained in the learner’s language', async () => {
    const user = await registerUser(t.app, { nativeLanguage: 'fr' });
    const { id } = await start(user);
    const turn = await say(user, id, 'Quiero una cerbeza fria.');
    expect(turn.feedback.corrections).toContainEqual(
      expect.objectContaining({ original: 'cerbeza', corrected: 'cerveza', type: 'spelling' }),
    );
    const explanation = turn.feedback.corrections.find((c: Json) => c.original === 'cerbeza').explanation;
    expect(explanation).not.toMatch(/\bthe\b/i);
  }, 60_000);
});

describe.each(testDatabases())('conversations with the LLM tutor on $name', (kind) => {
  let fake: FakeLlmServer;
  let t: TestApp;
  beforeAll(async () => {
    fake = await FakeLlmServer.start();
    const provider: ProviderConfig = {
      id: 'cloud',
      kind: 'openai-compatible',
      baseUrl: fake.openaiBaseUrl,
      apiKey: 'sk-test',
      models: ['fake-model'],
      inputPricePerMTokUsd: 0,
      outputPricePerMTokUsd: 0,
      languages: [],
      priority: 1,
    };
    t = await startTestApp(kind, { ai: { providers: [provider], router: testConfig().ai.router } });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  /** The fake answers the reply (streamed) and the feedback (structured) calls by what they ask. */
  function script(reply: string, feedback: Json) {
    fake.setDefault((request) => {
      const body = request.body as { response_format?: unknown };
      return body.response_format ? { text: JSON.stringify(feedback) } : { text: reply };
    });
  }

  it('plays the role through the model, with grammar feedback and objectives the model judged', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    script('¡Claro! ¿Algo más?', {
      corrections: [{ original: 'yo es', corrected: 'yo soy', type: 'grammar', explanation: 'Use «soy».' }],
      objectivesMet: ['goal-1-b', 'not-an-objective'],
    });
    const turn = await say(user, id, 'Hola, yo es Ana');
    expect(turn.tutorMessage).toMatchObject({ engine: 'llm', text: '¡Claro! ¿Algo más?' });
    expect(turn.feedback.corrections).toContainEqual(expect.objectContaining({ type: 'grammar', corrected: 'yo soy' }));
    expect(turn.feedback.objectivesMet).toEqual(['goal-1-b']);
    const reply = fake.requests.find((r) => !(r.body as Json).response_format)!.body as Json;
    expect(reply.messages[0].role).toBe('system');
    expect(reply.messages[0].content).toContain('You play A waiter');
    expect(reply.messages.at(-1)).toEqual({ role: 'user', content: 'Hola, yo es Ana' });
    expect(reply.messages.slice(1, -1)).toEqual([{ role: 'assistant', content: 'es opening 1' }]);
  });

  it('completes a phase the model judged done and moves the conversation on', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    script('Perfecto.', { corrections: [], objectivesMet: ['goal-1-a', 'goal-1-b'] });
    const turn = await say(user, id, 'Algo que los patrones no reconocen');
    expect(turn.progress.phaseIndex).toBe(1);
    expect(turn.tutorMessage.text).toBe('Perfecto.\n\nes opening 2');
  });

  it('hands over to the offline tutor when the provider fails mid-conversation, history intact', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    script('Muy bien.', { corrections: [], objectivesMet: [] });
    await say(user, id, 'Hola');
    fake.setDefault({ status: 500 });
    const turn = await say(user, id, 'es say goal-1-a');
    expect(turn.tutorMessage.engine).toBe('offline');
    expect(turn.notice).toMatch(/offline tutor answered/);
    expect(turn.feedback.objectivesMet).toEqual(['goal-1-a']);
    const conversation = (await user.request('GET', `${BASE}/${id}`)).json();
    expect(conversation.messages.map((m: Json) => m.engine)).toEqual(['offline', null, 'llm', null, 'offline']);
  });

  it('ends the stream with an error event when the model breaks off midway, and stores nothing', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    fake.setDefault((request) =>
      (request.body as Json).response_format
        ? { text: '{"corrections":[],"objectivesMet":[]}' }
        : { text: 'uno dos tres cuatro', dropAfterTokens: 2 },
    );
    const res = await user.request(
      'POST',
      `${BASE}/${id}/messages`,
      { text: 'Hola' },
      { headers: { accept: 'text/event-stream' } },
    );
    const events = parseSse(res.body);
    expect(events.map((e) => e.event)).toEqual(['token', 'token', 'error']);
    expect(events.at(-1)!.data.code).toBe('ai_failed');
    expect((await user.request('GET', `${BASE}/${id}`)).json().messages).toHaveLength(1);
  });

  it('talks freely through the model, keeping the persona in its instructions', async () => {
    const user = await registerUser(t.app);
    const { id } = (
      await user.request('POST', BASE, { mode: 'free', language: 'it', level: 'B1', persona: 'a retired sailor' })
    ).json();
    script('Che bello! E poi?', {
      corrections: [{ original: 'io ha', corrected: 'io ho', type: 'grammar', explanation: 'Use «ho».' }],
      objectivesMet: ['ignored-in-free-mode'],
    });
    const turn = await say(user, id, 'Io ha un cane');
    expect(turn.tutorMessage).toMatchObject({ engine: 'llm', text: 'Che bello! E poi?' });
    expect(turn.feedback).toMatchObject({
      objectivesMet: [],
      corrections: [expect.objectContaining({ corrected: 'io ho' })],
    });
    expect(turn.progress).toBeNull();
    const system = (fake.requests.find((r) => !(r.body as Json).response_format)!.body as Json).messages[0].content;
    expect(system).toContain('a retired sailor');
    expect(system).toContain('free conversation');
  });

  it('keeps the offline analysis when the model’s feedback is not valid JSON', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    fake.setDefault((request) =>
      (request.body as Json).response_format ? { text: 'not json at all' } : { text: 'Vale.' },
    );
    const turn = await say(user, id, 'es say goal-1-a');
    expect(turn.tutorMessage).toMatchObject({ engine: 'llm', text: 'Vale.' });
    expect(turn.feedback.objectivesMet).toEqual(['goal-1-a']);
  });

  it('falls back to the offline tutor and the glossary when the learner’s block budget is spent', async () => {
    const user = await registerUser(t.app);
    const admin = await registerAdmin(t.app);
    await admin.request('PUT', `/api/admin/budgets/users/${user.id}`, {
      period: 'monthly',
      limitUsd: 0,
      mode: 'block',
    });
    const { id } = await start(user);
    const turn = await say(user, id, 'es say goal-1-a');
    expect(turn.tutorMessage.engine).toBe('offline');
    expect(turn.notice).toMatch(/budget.*offline tutor answered/i);
    const hint = (await user.request('POST', `${BASE}/${id}/hint`)).json();
    expect(hint.engine).toBe('offline');
    const translated = (
      await user.request('POST', '/api/translate', { text: 'esword1x1', from: 'es', to: 'en' })
    ).json();
    expect(translated).toMatchObject({ available: true, source: 'glossary', translation: 'gloss 1' });
    const unknown = (await user.request('POST', '/api/translate', { text: 'barco', from: 'es', to: 'fr' })).json();
    expect(unknown.available).toBe(false);
    expect(unknown.reason).toMatch(/budget/);
    expect(fake.requests).toHaveLength(0);
  });

  it('asks the model for hints, and translates through it (cached the second time)', async () => {
    const user = await registerUser(t.app);
    const { id } = await start(user);
    fake.setDefault({
      text: JSON.stringify({ suggestions: [{ text: 'Una mesa, por favor.', gloss: 'A table, please.' }] }),
    });
    const hint = (await user.request('POST', `${BASE}/${id}/hint`)).json();
    expect(hint).toEqual({ engine: 'llm', suggestions: [{ text: 'Una mesa, por favor.', gloss: 'A table, please.' }] });
    fake.setDefault({ text: JSON.stringify({ translation: 'bill' }) });
    const body = { text: 'cuenta', from: 'es', to: 'en', context: `La cuenta, por favor. ${user.id}` };
    const first = (await user.request('POST', '/api/translate', body)).json();
    const second = (await user.request('POST', '/api/translate', body)).json();
    expect(first).toEqual({ available: true, translation: 'bill', source: 'model', cached: false });
    expect(second).toMatchObject({ translation: 'bill', cached: true });
  });
});
