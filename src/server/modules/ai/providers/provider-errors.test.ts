import * as AnthropicSdk from '@anthropic-ai/sdk';
import * as OpenAiSdk from 'openai';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../ai.types.js';
import { retryAfter, toProviderError } from './provider-errors.js';

const NOW = new Date('2026-01-05T09:00:00Z');
const context = (overrides: Partial<Parameters<typeof toProviderError>[1]> = {}) => ({
  providerId: 'p',
  apiKey: 'sk-secret',
  signal: new AbortController().signal,
  now: NOW,
  ...overrides,
});

describe('SDK errors as provider failures', () => {
  it('passes a ProviderError through', () => {
    const error = new ProviderError('empty_stream', 'x');
    expect(toProviderError(error, context())).toBe(error);
  });

  it('calls anything thrown after the signal aborted an abort, keeping a ProviderError reason', () => {
    const controller = new AbortController();
    controller.abort();
    expect(toProviderError(new Error('whatever'), context({ signal: controller.signal }))).toMatchObject({
      failure: 'aborted',
      message: 'p: the call was cancelled',
    });
    const timed = new AbortController();
    const reason = new ProviderError('first_token_timeout', 'slow');
    timed.abort(reason);
    expect(toProviderError(new Error('whatever'), context({ signal: timed.signal }))).toBe(reason);
  });

  it.each([
    ['the OpenAI SDK', new OpenAiSdk.APIConnectionTimeoutError()],
    ['the Anthropic SDK', new AnthropicSdk.APIConnectionTimeoutError()],
  ])("classifies %s's own timeout as connect_timeout", (_sdk, error) => {
    expect(toProviderError(error, context()).failure).toBe('connect_timeout');
  });

  it.each([
    ['an abort error', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'aborted'],
    ['the OpenAI abort', new OpenAiSdk.APIUserAbortError(), 'aborted'],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'connection_error'],
    ['a hung-up socket', new Error('socket hang up'), 'connection_error'],
    ['a body that is not JSON', new SyntaxError('Unexpected token <'), 'server_error'],
    ['anything else', new RangeError('odd'), 'server_error'],
    ['a thrown string', 'just a string', 'server_error'],
  ])('classifies %s', (_what, error, failure) => {
    expect(toProviderError(error, context()).failure).toBe(failure);
  });

  it('classifies a 408 as server_error and an in-stream error without a type as server_error', () => {
    const timeout = OpenAiSdk.APIError.generate(408, { error: { message: 'slow' } }, undefined, new Headers());
    expect(toProviderError(timeout, context()).failure).toBe('server_error');
    const inStream = new OpenAiSdk.APIError(undefined, undefined, undefined, undefined);
    expect(toProviderError(inStream, context())).toMatchObject({
      failure: 'server_error',
      message: 'p: the stream reported an error: no message',
    });
  });

  it('scrubs the key and keeps messages short', () => {
    const error = toProviderError(new Error(`sk-secret ${'x'.repeat(400)}`), context());
    expect(error.message).not.toContain('sk-secret');
    expect(error.message.length).toBeLessThanOrEqual(305);
    expect(error.message.endsWith('…')).toBe(true);
  });
});

describe('Retry-After', () => {
  const headers = (values: Record<string, string>) => new Headers(values);

  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(retryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), NOW)).toBe(250);
    expect(retryAfter(headers({ 'retry-after': '1.5' }), NOW)).toBe(1500);
    expect(retryAfter(headers({ 'retry-after': 'Mon, 05 Jan 2026 09:00:10 GMT' }), NOW)).toBe(10_000);
  });

  it('never answers a negative wait or nonsense', () => {
    expect(retryAfter(headers({ 'retry-after': 'Mon, 05 Jan 2026 08:00:00 GMT' }), NOW)).toBe(0);
    expect(retryAfter(headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(retryAfter(headers({}), NOW)).toBeUndefined();
    expect(retryAfter(undefined, NOW)).toBeUndefined();
  });
});
