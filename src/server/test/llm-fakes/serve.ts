/**
 * Serves the protocol fake on its own, for the e2e tests, the benchmark and trying the app by hand:
 *
 *   node --import tsx src/server/test/llm-fakes/serve.ts --port 4011 [--text "Hola"] [--token-delay-ms 5]
 *       [--first-token-delay-ms 50] [--no-usage]
 *
 * Point a provider at it: OpenAI-compatible base URL http://127.0.0.1:4011/v1, Anthropic http://127.0.0.1:4011.
 * It prints one line `fake-llm listening on <url>` once ready and stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { type FakeReply, FakeLlmServer } from './fake-llm-server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4011' },
    host: { type: 'string', default: '127.0.0.1' },
    text: { type: 'string' },
    'token-delay-ms': { type: 'string' },
    'first-token-delay-ms': { type: 'string' },
    'no-usage': { type: 'boolean', default: false },
  },
});

const reply: FakeReply = {};
if (values.text !== undefined) reply.text = values.text;
if (values['token-delay-ms'] !== undefined) reply.tokenDelayMs = Number(values['token-delay-ms']);
if (values['first-token-delay-ms'] !== undefined) reply.firstTokenDelayMs = Number(values['first-token-delay-ms']);
if (values['no-usage']) reply.usage = null;

const fake = await FakeLlmServer.start({ port: Number(values.port), host: values.host, defaultReply: reply });
console.log(`fake-llm listening on ${fake.url}`);

const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
