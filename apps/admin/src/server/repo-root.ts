import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/**
 * The monorepo root: the nearest directory above `from` whose package.json declares workspaces.
 * Relative data paths are resolved against it, so `next start` in apps/admin and a launcher at
 * the repo root use the same database directory.
 */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = resolve(/*turbopackIgnore: true*/ from);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ("workspaces" in JSON.parse(readFileSync(manifest, "utf8"))) return dir;
      } catch {
        // an unreadable package.json is not the root; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return resolve(/*turbopackIgnore: true*/ from);
    dir = parent;
  }
}

/** `path` as is when absolute, else resolved against the repo root. */
export function resolveFromRepoRoot(path: string, from?: string): string {
  return isAbsolute(path) ? path : resolve(/*turbopackIgnore: true*/ findRepoRoot(from), path);
}
