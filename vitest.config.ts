import { defineConfig } from 'vitest/config';

// Two projects: `unit` (beside the code, no daemons) and `integration` (test/integration, test/e2e: real
// Mosquitto, InfluxDB 1.x and socat, started by test/services/global-setup.ts and stopped by their PIDs).
export default defineConfig({
  test: {
    env: { IS_TEST_MODE: '1' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['firmware/**/*.test.ts', 'gateway/**/*.test.ts', 'test/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/chaos/**/*.test.ts'],
          globalSetup: ['test/services/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
