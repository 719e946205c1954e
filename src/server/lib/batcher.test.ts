import { describe, expect, it } from 'vitest';
import { type BatchOutcome, Batcher } from './batcher.js';

/** A batcher over `run` that records the inputs of every batch it ran. */
function recording<O>(run: (inputs: number[]) => BatchOutcome<O>[] | Promise<BatchOutcome<O>[]>, maxBatch = 100) {
  const batches: number[][] = [];
  const batcher = new Batcher<number, O>(
    async (inputs) => {
      batches.push([...inputs]);
      return run(inputs);
    },
    { maxBatch },
  );
  return { batcher, batches };
}

describe('Batcher', () => {
  it('runs the calls that arrive in one turn of the event loop as one batch, in arrival order', async () => {
    const { batcher, batches } = recording((inputs) => inputs.map((n) => n * 10));
    const results = await Promise.all([1, 2, 3, 4].map((n) => batcher.submit(n)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('gathers the calls that arrive while a batch runs into the next batch', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { batcher, batches } = recording(async (inputs) => {
      if (inputs[0] === 1) await gate;
      return inputs;
    });
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve)); // the first batch has started and waits at the gate
    const later = [2, 3].map((n) => batcher.submit(n));
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('splits a burst larger than maxBatch', async () => {
    const { batcher, batches } = recording((inputs) => inputs, 2);
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)))).toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects only the calls whose outcome is an Error; the others get their result', async () => {
    const { batcher } = recording((inputs) => inputs.map((n) => (n % 2 === 0 ? new RangeError(`even ${n}`) : n)));
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      1,
      'even 2',
      3,
    ]);
  });

  it('gives every call of a failed batch its error by default, and keeps taking calls afterwards', async () => {
    let fail = true;
    const { batcher, batches } = recording((inputs) => {
      if (fail) throw new Error('the transaction failed');
      return inputs;
    });
    const failed = await Promise.allSettled([1, 2].map((n) => batcher.submit(n)));
    expect(failed.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      'the transaction failed',
      'the transaction failed',
    ]);
    fail = false;
    expect(await batcher.submit(3)).toBe(3);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('with isolateFailures, runs each call of a failed batch alone, so only the bad one fails', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(
      async (inputs) => {
        batches.push([...inputs]);
        if (inputs.includes(13)) throw new Error('13 breaks the transaction');
        return inputs;
      },
      { maxBatch: 100, isolateFailures: true },
    );
    const results = await Promise.allSettled([1, 13, 2].map((n) => batcher.submit(n)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      1,
      '13 breaks the transaction',
      2,
    ]);
    expect(batches).toEqual([[1, 13, 2], [1], [13], [2]]);
  });
});
