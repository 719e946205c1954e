import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration suites each build their own app and database; two workers match this machine's two cores.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: ['src/**/*.int.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts'],
          globalSetup: ['src/server/test/global-setup.ts'],
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/server/**/*.ts', 'src/cli/**/*.ts'],
      // main.ts only reads the environment and calls startServer (tested); test helpers are not product code.
      exclude: ['src/server/main.ts', 'src/server/test/**', '**/*.test.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: {
        lines: 90,
        statements: 90,
        functions: 90,
        branches: 90,
        'src/server/modules/learning-sessions/**': { lines: 100, branches: 100, functions: 100, statements: 100 },
      },
    },
  },
});
