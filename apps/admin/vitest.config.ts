import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The app's `~/…` import alias (tsconfig "paths"), so components are tested as the app imports them.
  resolve: { alias: { "~": fileURLToPath(new URL("./src", import.meta.url)) } },
  esbuild: { jsx: "automatic" },
});
