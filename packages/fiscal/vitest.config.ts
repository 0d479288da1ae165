import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The pty and fault-matrix tests spawn socat and drive the emulator: give them room on 2 shared cores.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
