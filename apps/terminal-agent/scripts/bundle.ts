import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const appRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Bundles the agent's CLI into one ES module so a test can start it hundreds of times quickly
 * (the crash loop): node loads one file instead of transpiling ~100 TypeScript modules per start.
 * Native and runtime-heavy packages stay external and load from node_modules as usual.
 */
export async function bundleAgent(): Promise<string> {
  const outDir = join(appRoot, "node_modules", ".cache", "kassa-agent-bundle");
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, "cli.mjs");
  await build({
    entryPoints: [join(appRoot, "src", "cli.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["better-sqlite3", "serialport", "@serialport/*", "pino", "thread-stream", "@prisma/*"],
    banner: {
      js: "import { createRequire as __kassaRequire } from 'node:module'; const require = __kassaRequire(import.meta.url);",
    },
    plugins: [keepModuleUrls, bufferOnly],
    logLevel: "error",
  });
  return outfile;
}

/**
 * The agent needs only `openAgentDatabase` from @kassa/db/agent; the package index also loads the
 * generated Prisma client (~0.3 s per start), which the crash loop would pay 200 times.
 */
const bufferOnly: Plugin = {
  name: "buffer-only",
  setup(b) {
    b.onResolve({ filter: /^@kassa\/db\/agent$/ }, () => ({
      path: join(appRoot, "..", "..", "packages", "db", "src", "agent", "open-agent-database.ts"),
    }));
  },
};

/** Modules that find files next to themselves (the migrations folder) keep their own import.meta.url. */
const keepModuleUrls: Plugin = {
  name: "keep-module-urls",
  setup(b) {
    b.onLoad({ filter: /packages[\\/]db[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const { readFile } = await import("node:fs/promises");
      const source = await readFile(args.path, "utf8");
      return {
        contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
        loader: "ts",
      };
    });
  },
};
