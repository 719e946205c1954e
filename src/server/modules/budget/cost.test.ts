import { describe, expect, it } from 'vitest';
import { costMicros, estimateTokens } from './cost.js';

describe('costMicros', () => {
  it('prices input and output tokens per million, in micro-dollars', () => {
    // 1000 × $3/M = $0.003; 500 × $15/M = $0.0075.
    expect(
      costMicros({ inputTokens: 1000, outputTokens: 500 }, { inputPricePerMTokUsd: 3, outputPricePerMTokUsd: 15 }),
    ).toBe(10_500);
  });

  it('rounds a fraction of a micro-dollar up, never down', () => {
    expect(
      costMicros({ inputTokens: 1, outputTokens: 0 }, { inputPricePerMTokUsd: 0.15, outputPricePerMTokUsd: 0.6 }),
    ).toBe(1);
    expect(
      costMicros({ inputTokens: 3, outputTokens: 3 }, { inputPricePerMTokUsd: 0.15, outputPricePerMTokUsd: 0.6 }),
    ).toBe(3);
  });

  it('has no float drift on prices such as 0.1 and 0.2', () => {
    expect(
      costMicros(
        { inputTokens: 1_000_000, outputTokens: 1_000_000 },
        { inputPricePerMTokUsd: 0.1, outputPricePerMTokUsd: 0.2 },
      ),
    ).toBe(300_000);
    expect(
      costMicros({ inputTokens: 7, outputTokens: 0 }, { inputPricePerMTokUsd: 1_000_000, outputPricePerMTokUsd: 0 }),
    ).toBe(7_000_000);
  });

  it('costs nothing on a free local model', () => {
    expect(
      costMicros(
        { inputTokens: 123_456, outputTokens: 654_321 },
        { inputPricePerMTokUsd: 0, outputPricePerMTokUsd: 0 },
      ),
    ).toBe(0);
  });

  it('stays exact for very large calls', () => {
    expect(
      costMicros(
        { inputTokens: 10_000_000, outputTokens: 10_000_000 },
        { inputPricePerMTokUsd: 15, outputPricePerMTokUsd: 75 },
      ),
    ).toBe(900_000_000);
  });

  it.each([
    [{ inputTokens: -1, outputTokens: 0 }, { inputPricePerMTokUsd: 1, outputPricePerMTokUsd: 1 }, /inputTokens/],
    [{ inputTokens: 0, outputTokens: 1.5 }, { inputPricePerMTokUsd: 1, outputPricePerMTokUsd: 1 }, /outputTokens/],
    [
      { inputTokens: 1, outputTokens: 1 },
      { inputPricePerMTokUsd: -1, outputPricePerMTokUsd: 1 },
      /inputPricePerMTokUsd/,
    ],
    [
      { inputTokens: 1, outputTokens: 1 },
      { inputPricePerMTokUsd: 1, outputPricePerMTokUsd: Number.NaN },
      /outputPrice/,
    ],
  ])('refuses impossible counts and prices (%o, %o)', (usage, prices, message) => {
    expect(() => costMicros(usage, prices)).toThrow(message);
  });
});

describe('estimateTokens', () => {
  it('counts about four characters per token, rounding up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('hola')).toBe(1);
    expect(estimateTokens('hola!')).toBe(2);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(estimateTokens('😀😀😀😀')).toBe(1);
  });
});
