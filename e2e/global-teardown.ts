import { rmSync } from 'node:fs';

/** Removes the run's temporary database (see playwright.config.ts). */
export default function globalTeardown(): void {
  const dir = process.env.TUTOR_E2E_DATA_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
