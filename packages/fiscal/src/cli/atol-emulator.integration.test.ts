import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "kassa-atol-emulator.js");
const dir = mkdtempSync(join(tmpdir(), "kassa-atol-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("refuses bad arguments with exit code 2 and the usage", () => {
  const r = spawnSync(process.execPath, [bin, "--port", "http"], { encoding: "utf8" });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/--port must be a port number/);
});

it("serves the web requests API, takes control lines on stdin, keeps the FN in --state", async () => {
  const state = join(dir, "atol.json");
  const child = spawn(process.execPath, [bin, "--port", "0", "--state", state, "--open-shift"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => {
        const m = /listening: (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    child.stdin.write("paper out\n");
    await new Promise<void>((r) => {
      const check = () => (out.includes("paper out") ? r() : setTimeout(check, 5));
      check();
    });
    const uuid = randomUUID();
    const post = await fetch(`${url}/api/v2/requests`, {
      method: "POST",
      body: JSON.stringify({ uuid, request: [{ type: "getDeviceStatus" }] }),
    });
    expect(post.status).toBe(201);
    let results: { status: string; result?: { deviceStatus: { paperPresent: boolean; shift: string } } }[] =
      [];
    while (results[0]?.status !== "ready") {
      await new Promise((r) => setTimeout(r, 2));
      results = (
        (await (await fetch(`${url}/api/v2/requests/${uuid}`)).json()) as { results: typeof results }
      ).results;
    }
    expect(results[0]!.result!.deviceStatus).toMatchObject({ paperPresent: false, shift: "opened" });
    const saved = JSON.parse(readFileSync(state, "utf8")) as {
      version: number;
      fn: { documents: unknown[] };
    };
    expect(saved.version).toBe(1);
    expect(saved.fn.documents).toHaveLength(2); // registration report + the shift it opened
  } finally {
    child.kill("SIGTERM");
  }
});
