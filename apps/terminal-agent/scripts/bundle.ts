import { copyFileSync, mkdirSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { DIST_CLI, inputsManifest } from "./agent-build.mjs";

const appRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

export { DIST_CLI };

/**
 * Bundles the agent's CLI into one ES module: what the `kassa-agent` bin, `npm start` and
 * `bench:agent` run (built on demand by scripts/agent-build.mjs), and what the crash loop starts
 * hundreds of times. Node then loads one file instead of transpiling ~100 TypeScript modules through
 * tsx, starting in about half the time with ~50 MB less memory. Native and runtime-heavy packages
 * stay external (node_modules). Next to the bundle: the commit thread's module and the list of
 * inputs, by which agent-build.mjs tells a stale bundle.
 */
export async function bundleAgent(outfile = DIST_CLI): Promise<string> {
  const dir = dirname(outfile);
  mkdirSync(dir, { recursive: true });
  // The bundle is dated when its inputs were read, so a source saved during the build marks it stale.
  const startedAt = new Date();
  // Written beside and renamed into place: a concurrent build or a starting agent never sees half a file.
  const tmp = (file: string) => `${file}.${process.pid}.tmp`;
  const result = await build({
    entryPoints: [join(appRoot, "src", "cli.ts")],
    outfile: tmp(outfile),
    absWorkingDir: appRoot,
    metafile: true,
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
  // Files only: a plugin's virtual module (namespace:path) has no file to date.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !/^[a-z-]+:/.test(input))
    .map((input) => relative(dir, resolve(appRoot, input)));
  writeFileSync(tmp(inputsManifest(outfile)), `${JSON.stringify({ inputs }, null, 1)}\n`);
  // The commit thread is its own module, found next to the bundle (see db/buffer-writer.ts).
  const worker = join(dir, "commit-worker.mjs");
  copyFileSync(join(appRoot, "src", "db", "commit-worker.mjs"), tmp(worker));
  renameSync(tmp(worker), worker);
  renameSync(tmp(inputsManifest(outfile)), inputsManifest(outfile));
  utimesSync(tmp(outfile), startedAt, startedAt);
  renameSync(tmp(outfile), outfile);
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

// `tsx scripts/bundle.ts [outfile]` (npm run build; agent-build.mjs passes its outfile).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const file = await bundleAgent(process.argv[2] ? resolve(process.argv[2]) : DIST_CLI);
  console.log(`built ${file} in ${Math.round(performance.now() - started)} ms`);
}
