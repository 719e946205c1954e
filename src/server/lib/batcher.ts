/** What `run` answers for each input of a batch: the call's result, or an Error that is that call's alone. */
export type BatchOutcome<O> = O | Error;

export interface BatcherOptions {
  /** Calls run together at most; more waiting calls form the next batch. */
  maxBatch: number;
  /**
   * When a whole batch fails (its transaction threw), run each of its calls again alone, so that one call's
   * failure stays its own and the others still complete. Off: every call of the batch gets the batch's error.
   */
  isolateFailures?: boolean;
}

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (err: unknown) => void;
}

/**
 * Runs calls in batches: those that arrive in the same turn of the event loop together (a burst read from the
 * network in one turn is one batch), then those that arrived while that batch ran, and so on. `run` gets the
 * inputs in arrival order and answers one outcome per input, in the same order.
 */
export class Batcher<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private running = false;

  constructor(
    private readonly run: (inputs: I[]) => Promise<BatchOutcome<O>[]>,
    private readonly options: BatcherOptions,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (this.running) return;
      this.running = true;
      // One turn of the event loop first, so that calls arriving together are run together.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.options.maxBatch);
        try {
          settle(batch, await this.run(batch.map((w) => w.input)));
        } catch (err) {
          if (!this.options.isolateFailures || batch.length === 1) {
            for (const w of batch) w.reject(err);
            continue;
          }
          for (const w of batch) {
            try {
              settle([w], await this.run([w.input]));
            } catch (alone) {
              w.reject(alone);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}

function settle<I, O>(batch: Waiting<I, O>[], outcomes: BatchOutcome<O>[]): void {
  batch.forEach((w, i) => {
    const outcome = outcomes[i] as BatchOutcome<O>;
    if (outcome instanceof Error) w.reject(outcome);
    else w.resolve(outcome);
  });
}
