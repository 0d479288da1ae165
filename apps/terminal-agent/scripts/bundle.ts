import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const appRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Where `npm run build` puts the production agent. */
export const DIST_CLI = join(appRoot, "dist", "kassa-agent.mjs");

/**
 * Bundles the agent's CLI into one ES module: the production build (`npm run build`, run as
 * `node dist/kassa-agent.mjs start`) and what the crash loop starts hundreds of times. Node then
 * loads one file instead of transpiling ~100 TypeScript modules through tsx, starting in about half
 * the time with ~50 MB less memory. Native and runtime-heavy packages stay external (node_modules).
 */
export async function bundleAgent(outfile = DIST_CLI): Promise<string> {
  mkdirSync(dirname(outfile), { recursive: true });
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
  // The commit thread is its own module, found next to the bundle (see db/buffer-writer.ts).
  copyFileSync(join(appRoot, "src", "db", "commit-worker.mjs"), join(dirname(outfile), "commit-worker.mjs"));
  return outfile;
}

/**
 * The agent needs only `openAgentDatabase` from @kassa/db/agent; the package index also loads the
 * generated Prisma client (~0.3 s per start), which the crash loop would pay 200 times.
 */
const bufferOnly: Plugin = {
  name: "buffer-only",
  setup(b) {
    const dir = join(appRoot, "..", "..", "packages", "db", "src", "agent");
    b.onResolve({ filter: /^@kassa\/db\/agent$/ }, () => ({
      path: "kassa-db-agent",
      namespace: "buffer-only",
    }));
    b.onLoad({ filter: /.*/, namespace: "buffer-only" }, () => ({
      contents: `export { openAgentDatabase } from "./open-agent-database.ts";\nexport { AGENT_PRAGMAS } from "./pragmas.ts";`,
      resolveDir: dir,
      loader: "ts",
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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const file = await bundleAgent();
  console.log(`built ${file} in ${Math.round(performance.now() - started)} ms`);
}
