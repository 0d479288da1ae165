/**
 * Conformance: `kassa-kkt-emulator --pty` driven over a real socat pty by an INDEPENDENT client
 * written here from the protocol document (Shtrih-M «Протокол работы ККТ с ФН» v1.17, as
 * summarised in docs/fiscal-reference.md), not with the project's driver, codecs or command
 * definitions: its own framing and LRC, ENQ/ACK/NAK handshake, little-endian fields, CP1251 text
 * and TLV reading. If the emulator answers this client, a protocol-following driver can use it.
 *
 * Walk: connect with FC, status (10), FN status (FF01), open shift (E0), a classic sale with
 * several items and payment types (8D, 80×3, 86, 85), find it (FF0A) and read it (FF3A/FF3B),
 * cancel (8D, 80, 88), cash in / out (50/51) and the drawer (1A, register 241), a correction
 * (FF35, FF46, FF0C, FF4A), X and Z reports (40, 41).
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SerialPort } from "serialport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/kassa-kkt-emulator.js", import.meta.url));

// ---- the independent client ------------------------------------------------------------------

const STX = 0x02;
const ENQ = 0x05;
const ACK = 0x06;
const NAK = 0x15;
const CASHIER = [1, 0, 0, 0];
const SYSADMIN = [30, 0, 0, 0];

/** Little-endian unsigned integer of `n` bytes. */
const le = (value: number, n: number): number[] => {
  const out: number[] = [];
  let v = value;
  for (let i = 0; i < n; i++) {
    out.push(v % 256);
    v = Math.floor(v / 256);
  }
  return out;
};
const readLe = (bytes: number[], at: number, n: number): number => {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + bytes[at + i]!;
  return v;
};

/** CP1251 for ASCII and Russian letters (А–я at C0–FF, Ё A8, ё B8): all this test prints. */
function cp1251(text: string, width?: number): number[] {
  const out = [...text].map((ch) => {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) return c;
    if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
    if (c === 0x401) return 0xa8;
    if (c === 0x451) return 0xb8;
    throw new Error(`no CP1251 byte for ${ch}`);
  });
  if (width === undefined) return out;
  return [...out, ...Array(width - out.length).fill(0)];
}
function fromCp1251(bytes: number[]): string {
  return bytes
    .filter((b) => b !== 0)
    .map((b) =>
      String.fromCodePoint(
        b < 0x80 ? b : b >= 0xc0 ? b - 0xc0 + 0x410 : b === 0xa8 ? 0x401 : b === 0xb8 ? 0x451 : 0xfffd,
      ),
    )
    .join("");
}

interface Answer {
  error: number;
  data: number[];
}

class MiniClient {
  private buf: number[] = [];
  private wake: (() => void) | null = null;

  constructor(private readonly port: SerialPort) {
    port.on("data", (chunk: Buffer) => {
      this.buf.push(...chunk);
      this.wake?.();
    });
  }

  private async byte(timeoutMs = 2000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.buf.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("the device sent nothing");
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
    return this.buf.shift()!;
  }

  private write(bytes: number[]): Promise<void> {
    return new Promise((resolve, reject) =>
      this.port.write(Buffer.from(bytes), (e) => (e ? reject(e) : this.port.drain(() => resolve()))),
    );
  }

  /** STX LEN body LRC, LRC = XOR of LEN and body; answered with ACK (NAK on a bad LRC). */
  private async readAnswer(): Promise<number[]> {
    for (;;) {
      const stx = await this.byte();
      if (stx !== STX) continue;
      const len = await this.byte();
      const body: number[] = [];
      for (let i = 0; i < len; i++) body.push(await this.byte());
      const lrc = await this.byte();
      if (body.reduce((x, b) => x ^ b, len) !== lrc) {
        await this.write([NAK]);
        continue;
      }
      await this.write([ACK]);
      return body;
    }
  }

  /** ENQ first: NAK = idle, send; ACK = an earlier answer is waiting, read it and ask again. */
  async command(code: number, data: number[]): Promise<Answer> {
    for (;;) {
      await this.write([ENQ]);
      const state = await this.byte();
      if (state === ACK) {
        await this.readAnswer();
        continue;
      }
      if (state !== NAK) throw new Error(`ENQ answered 0x${state.toString(16)}`);
      break;
    }
    const cmd = code > 0xff ? [0xff, code & 0xff] : [code];
    const body = [...cmd, ...data];
    await this.write([STX, body.length, ...body, body.reduce((x, b) => x ^ b, body.length)]);
    const ack = await this.byte();
    if (ack !== ACK) throw new Error(`frame not acknowledged (0x${ack.toString(16)})`);
    const answer = await this.readAnswer();
    expect(answer.slice(0, cmd.length)).toEqual(cmd);
    return { error: answer[cmd.length]!, data: answer.slice(cmd.length + 1) };
  }

  async ok(code: number, data: number[]): Promise<number[]> {
    const a = await this.command(code, data);
    if (a.error !== 0)
      throw new Error(`command ${code.toString(16)} failed: error 0x${a.error.toString(16)}`);
    return a.data;
  }

  /** FF01 → last FD number (bytes 26–29 of the answer data). */
  async lastFd(): Promise<number> {
    const d = await this.ok(0xff01, SYSADMIN);
    return readLe(d, 26, 4);
  }

  /** 10 → mode (low nibble) and submode. */
  async mode(): Promise<{ mode: number; submode: number }> {
    const d = await this.ok(0x10, SYSADMIN);
    return { mode: d[3]! & 0x0f, submode: d[4]! };
  }

  /** FF3A then FF3B until "no data" (08): the document's top-level TLVs as tag → value bytes. */
  async readDocument(fd: number): Promise<{ type: number; tags: Map<number, number[]> }> {
    const head = await this.ok(0xff3a, [...SYSADMIN, ...le(fd, 4)]);
    const type = readLe(head, 0, 2);
    const length = readLe(head, 2, 2);
    const bytes: number[] = [];
    for (;;) {
      const a = await this.command(0xff3b, SYSADMIN);
      if (a.error === 0x08) break;
      expect(a.error).toBe(0);
      bytes.push(...a.data);
    }
    expect(bytes.length).toBe(length);
    const tags = new Map<number, number[]>();
    for (let at = 0; at < bytes.length; ) {
      const tag = readLe(bytes, at, 2);
      const len = readLe(bytes, at + 2, 2);
      tags.set(tag, bytes.slice(at + 4, at + 4 + len));
      at += 4 + len;
    }
    return { type, tags };
  }
}

// ---- requests from the document's layouts ------------------------------------------------------

/** 80 sale: password, quantity ×1000 (5 B), price (5 B), department, 4 tax bytes, text (40 B). */
const classicSale = (qtyThousandths: number, price: number, taxGroup: number, text: string) => [
  ...CASHIER,
  ...le(qtyThousandths, 5),
  ...le(price, 5),
  1,
  taxGroup,
  0,
  0,
  0,
  ...cp1251(text, 40),
];

/** FF46 operation: password, type, qty ×10⁶ (6 B), price, sum, tax (FF = device computes), tax group, department, 1214, 1212, name. */
const operationV2 = (type: number, price: number, name: string) => [
  ...CASHIER,
  type,
  ...le(1_000_000, 6),
  ...le(price, 5),
  ...le(price, 5),
  ...Array(5).fill(0xff),
  1,
  1,
  4,
  1,
  ...cp1251(name, 128),
];

// ---- the walk -------------------------------------------------------------------------------

let child: ChildProcessWithoutNullStreams;
let port: SerialPort;
let kkt: MiniClient;

describe("an independent protocol client against kassa-kkt-emulator --pty", () => {
  beforeAll(async () => {
    child = spawn(process.execPath, [BIN, "--pty", "--quiet"], { stdio: "pipe" });
    let stdout = "";
    const path = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const m = /connect: (\S+)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.once("exit", (code) => reject(new Error(`emulator exited (${code})`)));
    });
    port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    kkt = new MiniClient(port);
  }, 20_000);

  afterAll(async () => {
    if (port?.isOpen) await new Promise((resolve) => port.close(resolve));
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("connects with FC (no password) and reads status and the FN", async () => {
    const fc = await kkt.command(0xfc, []);
    expect(fc.error).toBe(0);
    expect(fc.data[0]).toBe(0); // type 0: KKT
    expect(fromCp1251(fc.data.slice(6))).toMatch(/ШТРИХ/);
    expect(await kkt.mode()).toEqual({ mode: 4, submode: 0 }); // shift closed
    const fn = await kkt.ok(0xff01, SYSADMIN);
    expect(fn[0]).toBe(3); // fiscal mode
    expect(String.fromCharCode(...fn.slice(10, 26))).toMatch(/^\d{16}$/);
    expect(fn[3]).toBe(0); // shift closed
  });

  it("opens a shift", async () => {
    const before = await kkt.lastFd();
    expect((await kkt.ok(0xe0, CASHIER))[0]).toBe(1);
    expect((await kkt.mode()).mode).toBe(2);
    expect(await kkt.lastFd()).toBe(before + 1);
    expect((await kkt.readDocument(before + 1)).type).toBe(2);
  });

  it("sells with the classic commands: 3 items, a discount, cash + a second payment type, change", async () => {
    const before = await kkt.lastFd();
    await kkt.ok(0x8d, [...CASHIER, 0]);
    expect((await kkt.mode()).mode).toBe(8);
    await kkt.ok(0x80, classicSale(2000, 5990, 2, "Хлеб")); // 2 × 59.90
    await kkt.ok(0x80, classicSale(500, 89900, 1, "Сыр")); // 0.5 × 899.00
    await kkt.ok(0x80, classicSale(1000, 12000, 0, "Пакет")); // 1 × 120.00
    await kkt.ok(0x86, [...CASHIER, ...le(1000, 5), 0, 0, 0, 0, ...cp1251("Скидка", 40)]); // −10.00
    // total 119.80 + 449.50 + 120.00 − 10.00 = 679.30; card 300.00, cash 400.00 → change 20.70
    const closed = await kkt.ok(0x85, [
      ...CASHIER,
      ...le(40_000, 5),
      ...le(30_000, 5),
      ...le(0, 5),
      ...le(0, 5),
      0,
      0,
      0,
      0,
      0,
      0,
      ...cp1251("Спасибо", 40),
    ]);
    expect(closed[0]).toBe(1);
    expect(readLe(closed, 1, 5)).toBe(2_070);
    const fd = await kkt.lastFd();
    expect(fd).toBe(before + 1);
    const found = await kkt.ok(0xff0a, [...SYSADMIN, ...le(fd, 4)]);
    expect(found[0]).toBe(3); // receipt
    expect(found[15]).toBe(1); // 1054 income
    expect(readLe(found, 16, 5)).toBe(67_930);
    const doc = await kkt.readDocument(fd);
    expect(doc.type).toBe(3);
    expect(readLe(doc.tags.get(1020)!, 0, doc.tags.get(1020)!.length)).toBe(67_930);
    expect(readLe(doc.tags.get(1081)!, 0, doc.tags.get(1081)!.length)).toBe(30_000);
    expect(readLe(doc.tags.get(1031)!, 0, doc.tags.get(1031)!.length)).toBe(37_930);
  });

  it("cancels a receipt: no fiscal document", async () => {
    const before = await kkt.lastFd();
    await kkt.ok(0x8d, [...CASHIER, 0]);
    await kkt.ok(0x80, classicSale(1000, 5000, 1, "Чай"));
    await kkt.ok(0x88, CASHIER);
    expect((await kkt.mode()).mode).toBe(2);
    expect(await kkt.lastFd()).toBe(before);
    expect((await kkt.command(0x85, [...CASHIER, ...Array(66).fill(0)])).error).toBe(0x73); // nothing open
  });

  it("cash in and out move the drawer's money register 241", async () => {
    const drawer = async () => readLe(await kkt.ok(0x1a, [...CASHIER, 241]), 1, 6);
    const start = await drawer();
    expect(start).toBe(37_930); // the sale's cash
    const cin = await kkt.ok(0x50, [...CASHIER, ...le(100_000, 5)]);
    expect(cin[0]).toBe(1);
    const cout = await kkt.ok(0x51, [...CASHIER, ...le(7_930, 5)]);
    expect(readLe(cout, 1, 2)).toBe(readLe(cin, 1, 2) + 1);
    expect(await drawer()).toBe(130_000);
    expect((await kkt.command(0x51, [...CASHIER, ...le(130_001, 5)])).error).toBe(0x46);
  });

  it("makes a correction receipt (FF35, FF46, FF0C, FF4A) readable as type 31", async () => {
    const before = await kkt.lastFd();
    await kkt.ok(0xff35, SYSADMIN);
    await kkt.ok(0xff46, operationV2(1, 25_000, "Услуга"));
    // 1174 STLV { 1178 UnixTime 2026-03-01, 1179 "12" } and 1192 "conf-corr"
    const basis = [
      ...le(1178, 2),
      ...le(4, 2),
      ...le(Date.UTC(2026, 2, 1) / 1000, 4),
      ...le(1179, 2),
      ...le(2, 2),
      0x31,
      0x32,
    ];
    await kkt.ok(0xff0c, [...CASHIER, ...le(1174, 2), ...le(basis.length, 2), ...basis]);
    await kkt.ok(0xff0c, [
      ...CASHIER,
      ...le(1192, 2),
      ...le(9, 2),
      ...[..."conf-corr"].map((c) => c.charCodeAt(0)),
    ]);
    const made = await kkt.ok(0xff4a, [
      ...SYSADMIN,
      1, // 1173: by order
      1, // 1054: income
      ...le(25_000, 5),
      ...le(25_000, 5),
      ...Array(4 * 5).fill(0),
      ...Array(6 * 5).fill(0),
      1,
    ]);
    expect(readLe(made, 2, 4)).toBe(before + 1);
    const doc = await kkt.readDocument(before + 1);
    expect(doc.type).toBe(31);
    expect(doc.tags.get(1173)).toEqual([1]);
    expect(doc.tags.get(1174)).toEqual(basis);
    expect(fromCp1251(doc.tags.get(1192)!)).toBe("conf-corr");
  });

  it("prints an X report and closes the shift with a Z report", async () => {
    const before = await kkt.lastFd();
    expect((await kkt.ok(0x40, SYSADMIN))[0]).toBe(30);
    expect(await kkt.lastFd()).toBe(before); // X is not a fiscal document
    expect((await kkt.ok(0x41, SYSADMIN))[0]).toBe(30);
    expect((await kkt.mode()).mode).toBe(4);
    expect((await kkt.readDocument(before + 1)).type).toBe(5);
    expect((await kkt.command(0x41, SYSADMIN)).error).toBe(0x73); // no shift to close
  });
});
