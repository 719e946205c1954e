/**
 * Runs `task` every `intervalMs` for as long as the process lives (the timer alone does not keep it alive);
 * answers the function that stops it. A failed run goes to `onError` and the next one tries again; a run that is
 * still going when the next is due is not started a second time.
 */
export function every(intervalMs: number, task: () => Promise<unknown>, onError: (err: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
