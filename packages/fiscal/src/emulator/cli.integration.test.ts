/**
 * The CLI on a real socat pty pair: start `kassa-kkt-emulator --pty`, connect the driver's
 * transport with serialport to the printed path, sell, and steer the emulator through stdin.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SerialPort } from "serialport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeTlv, tlv } from "../ffd/tlv.ts";
import type { CommandDef } from "../shtrih/commands/define.ts";
import { fnStatus } from "../shtrih/commands/fn.ts";
import { closeReceipt, operation, writeReceiptTlv } from "../shtrih/commands/receipt.ts";
import { shortStatus } from "../shtrih/commands/status.ts";
import { ShtrihTransport } from "../shtrih/transport.ts";
import { ADMIN, item, payment } from "./test-fixtures.ts";

const BIN = fileURLToPath(new URL("../../bin/kassa-kkt-emulator.js", import.meta.url));

let child: ChildProcessWithoutNullStreams;
let port: SerialPort;
let transport: ShtrihTransport;
let stdout = "";

function waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = stdout.match(pattern);
      if (m) {
        child.stdout.off("data", check);
        resolve(m);
      }
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => reject(new Error(`emulator exited (${code}) before printing ${pattern}`)));
    check();
  });
}

async function call<Req, Ans>(def: CommandDef<Req, Ans>, req: Req): Promise<Ans | { error: number }> {
  const frame = await transport.execute(def.code, def.encodeRequest(req));
  const error = frame.data[0] ?? 0;
  return error === 0 ? def.decodeAnswer(frame.data.subarray(1)) : { error };
}

describe("kassa-kkt-emulator --pty", () => {
  beforeAll(async () => {
    child = spawn(process.execPath, [BIN, "--pty", "--open-shift", "--quiet"], { stdio: "pipe" });
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const [, path] = (await waitFor(/connect: (\S+)/)) as unknown as [string, string];
    port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    transport = new ShtrihTransport(port);
  }, 20_000);

  afterAll(async () => {
    if (port?.isOpen) await new Promise((resolve) => port.close(resolve));
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("sells a receipt over the pty and answers status", async () => {
    expect(await call(shortStatus, { password: ADMIN })).toMatchObject({ mode: 2 });
    await call(operation, item());
    await call(writeReceiptTlv, { password: 1, tlv: encodeTlv([tlv.string(1192, "pty-1")]) });
    const closed = await call(closeReceipt, payment(10_000));
    expect(closed).toMatchObject({ fdNumber: 3, change: 0 });
    expect(await call(fnStatus, { password: ADMIN })).toMatchObject({ lastFdNumber: 3 });
  });

  it("takes faults and controls on stdin", async () => {
    child.stdin.write("paper-out\n");
    await waitFor(/paper out\n/);
    expect(await call(shortStatus, { password: ADMIN })).toMatchObject({ submode: 1 });
    expect(await call(operation, item())).toEqual({ error: 0x6b });
    child.stdin.write("paper-in\ndocs 1\n");
    await waitFor(/FD 3 type 3 .* 1192=pty-1/);
    expect(await call(shortStatus, { password: ADMIN })).toMatchObject({ submode: 0 });
  });

  it("SIGTERM stops it and reaps its socat (no defunct process left behind)", async () => {
    const socatPid = Number(
      execFileSync("pgrep", ["-P", String(child.pid), "socat"])
        .toString()
        .trim(),
    );
    expect(existsSync(`/proc/${socatPid}`)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    // An orphaned socat would linger here as a zombie wherever PID 1 does not reap (containers).
    expect(existsSync(`/proc/${socatPid}`)).toBe(false);
  });
});
