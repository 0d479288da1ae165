import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SerialPort } from "serialport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../emulator/clock.ts";
import { KktEmulator } from "../emulator/kkt-emulator.ts";
import { parseItem, parseRoubles, runKktCli } from "./kkt-cli.ts";
import { openSocatPair, type SocatPair } from "./test-support/socat-pair.ts";

let pair: SocatPair;
let emulator: KktEmulator;
let port: SerialPort;

beforeAll(async () => {
  pair = await openSocatPair();
  emulator = new KktEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z") });
  port = new SerialPort({ path: pair.devicePath, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  emulator.attach(port, { onCablePulled: "mute" });
});
afterAll(async () => {
  emulator?.close();
  if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
  await pair?.close();
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKktCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("kassa-kkt against the emulator on a pty", () => {
  it("drives a sale by hand: open-shift, sell, find-doc, recover, close-shift", async () => {
    const p = ["--port", pair.hostPath];
    expect((await cli("open-shift", ...p)).out).toMatch(/^shift 1 opened: FD \d+/);
    const sold = await cli(
      "sell",
      ...p,
      "--item",
      "Хлеб:59.90:2:vat10",
      "--item",
      "Сыр:899:0.35",
      "--cash",
      "500",
      "--id",
      "cli-1",
    );
    expect(sold.code).toBe(0);
    expect(sold.out).toMatch(/total 434\.45/);
    expect(sold.out).toMatch(/change: +65\.55/);
    const fd = Number(/fiscalized: FD (\d+)/.exec(sold.out)![1]);
    expect(emulator.countReceiptsByTag("cli-1")).toBe(1);
    expect((await cli("find-doc", String(fd), ...p)).out).toMatch(/tag 1192: +cli-1/);
    expect((await cli("recover", "--id", "cli-1", "--fd", String(fd), ...p)).out).toMatch(
      /IS fiscalized: FD/,
    );
    const status = (await cli("status", ...p)).out;
    expect(status).toMatch(/mode: +shift_open/);
    expect(status).toMatch(/model: +ШТРИХ-М-01Ф \(Kassa emulator\) \(model 0\)/);
    expect(status).toMatch(/firmware: +C1 build 34378, protocol 1\.17/);
    expect((await cli("cash-in", "--amount", "1500", ...p)).out).toMatch(
      /cash in 1500\.00: document \d+, drawer 1934\.45/,
    );
    expect((await cli("cash-out", "--amount", "34.45", ...p)).out).toMatch(/drawer 1900\.00/);
    expect((await cli("drawer", ...p)).out).toMatch(/cash in drawer: +1900\.00/);
    const corrected = await cli(
      "correct",
      ...p,
      "--item",
      "Чай:100:1",
      "--date",
      "2026-03-01",
      "--order",
      "7",
      "--id",
      "cli-c",
    );
    expect(corrected.out).toMatch(/fiscalized: FD \d+/);
    expect(emulator.correctionsByTag("cli-c")).toHaveLength(1);
    expect((await cli("close-shift", ...p)).out).toMatch(/^shift 1 closed/);
  });

  it("a device error exits 1 with the cashier's message", async () => {
    const r = await cli("sell", "--port", pair.hostPath, "--item", "Чай:100:1");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/SHIFT_CLOSED: No shift is open/);
  });

  it("bad arguments exit 2 before the port is opened", async () => {
    expect((await cli("sell", "--port", "/nonexistent", "--item", "Чай:1.999:1")).code).toBe(2);
    expect((await cli("teleport", "--port", "/nonexistent")).err).toMatch(/unknown command "teleport"/);
    expect((await cli("status")).err).toMatch(/--port" is required/);
  });

  it("the bin shim runs under plain node", async () => {
    const bin = fileURLToPath(new URL("../../bin/kassa-kkt.js", import.meta.url));
    const { stdout } = await promisify(execFile)(bin, ["fn-status", "--port", pair.hostPath], {
      timeout: 15_000,
    });
    expect(stdout).toMatch(/FN number: +\d{16}/);
  });
});

describe("argument parsing", () => {
  it("reads roubles without floating point", () => {
    expect(parseRoubles("59.90", "x")).toBe(5990);
    expect(parseRoubles("59,9", "x")).toBe(5990);
    expect(parseRoubles("60", "x")).toBe(6000);
    expect(() => parseRoubles("-1", "x")).toThrow(/roubles/);
  });
  it("reads an item spec", () => {
    expect(parseItem("Сыр:899:0.35", 0)).toMatchObject({
      price: 89900,
      quantity: 0.35,
      sum: 31465,
      vat: "vat20",
      unit: "kg",
    });
  });
});
