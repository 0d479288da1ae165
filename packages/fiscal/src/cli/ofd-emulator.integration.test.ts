import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { encodeDocument } from "../ffd/document.ts";
import { buildFnMessage } from "../ofd/confirmation.ts";
import { OfdClient } from "../ofd/ofd-client.ts";

const BIN = fileURLToPath(new URL("../../bin/kassa-ofd-emulator.js", import.meta.url));
const FN = "9287440301120991";
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const nextLine = async () => (await lines.next()).value as string;
  return { child, nextLine };
}

const message = (fd: number) =>
  buildFnMessage(
    FN,
    encodeDocument({
      kind: "shift_open",
      dateTime: 1768467600,
      fdNumber: fd,
      fnNumber: FN,
      fiscalSign: "1",
      shiftNumber: 1,
      cashier: "К",
      ffdVersion: 4,
    }),
  );

describe("kassa-ofd-emulator CLI", () => {
  it("runs as its own process: accepts documents, switches mode over HTTP, stops on SIGTERM", async () => {
    const { child, nextLine } = start(["--port", "0", "--mode", "up"]);
    const banner = await nextLine();
    const [, port, controlPort] =
      /tcp:\/\/127\.0\.0\.1:(\d+).*http:\/\/127\.0\.0\.1:(\d+)\/stats/.exec(banner) ?? [];
    expect(port).toBeDefined();
    const client = new OfdClient({ host: "127.0.0.1", port: Number(port), timeoutMs: 10_000 });

    await client.send(message(1));
    expect(await nextLine()).toMatch(/FN 9287440301120991 FD 1: accepted/);
    await client.send(message(1));
    expect(await nextLine()).toMatch(/FD 1: duplicate, same confirmation/);

    await fetch(`http://127.0.0.1:${controlPort}/mode`, {
      method: "POST",
      body: '{"mode":"reject","rejectReason":"no"}',
    });
    await expect(client.send(message(2))).rejects.toMatchObject({ reason: "no" });
    expect(await nextLine()).toMatch(/FD 2: rejected/);
    const stats = await (await fetch(`http://127.0.0.1:${controlPort}/stats`)).json();
    expect(stats).toMatchObject({ mode: "reject", documents: 1, duplicates: 1, rejected: 1 });

    child.kill("SIGTERM");
    expect(await nextLine()).toMatch(/stopping: 1 documents, 1 duplicates, 3 messages/);
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  }, 20_000);

  it("refuses a bad mode with one clear line and exit code 2", async () => {
    const { child } = start(["--mode", "sideways"]);
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
    expect(stderr).toMatch(/--mode must be one of up, down, slow, 5xx, reject, flapping/);
  }, 20_000);
});
