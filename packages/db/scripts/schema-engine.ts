// Prisma's schema engine, compiled to wasm and driven through a driver adapter: the migrate/diff
// machinery without the native binary the Prisma CLI would download (no network here).
// The package is built for bundlers (`import * as wasm from "./x.wasm"`), so Node instantiates it by hand.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";

// The project's lib (ES2023, no DOM) does not declare WebAssembly; Node has it. Only what is used here:
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: object }>;
};

let ready: Promise<typeof bg.SchemaEngine> | undefined;

export function loadSchemaEngine(): Promise<typeof bg.SchemaEngine> {
  ready ??= (async () => {
    const js = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const module = await WebAssembly.compile(readFileSync(join(dirname(js), "schema_engine_bg.wasm")));
    const instance = await WebAssembly.instantiate(module, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return bg.SchemaEngine;
  })();
  return ready;
}
