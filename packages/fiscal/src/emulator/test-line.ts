/**
 * A by-the-book protocol v1 host for emulator tests: it shows every byte instead of hiding the
 * handshake, so a test can assert "the device answered NAK" or "nothing came back". Reads never
 * wait on timers: `settle()` lets the in-memory line deliver what is in flight, then reads are
 * synchronous and fail loudly when the bytes are not there.
 */
import type { Duplex } from "node:stream";
import type { CommandDef } from "../shtrih/commands/define.ts";
import { ACK, ENQ, encodeFrame, lrc, NAK, STX } from "../shtrih/frame.ts";

export interface AnswerFrame {
  command: number;
  error: number;
  data: Uint8Array;
  lrcOk: boolean;
}

/** Lets the event loop deliver bytes already written on an in-memory line. */
export async function settle(turns = 4): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class TestLine {
  private buf: number[] = [];
  closed = false;

  constructor(readonly stream: Duplex) {
    stream.on("data", (chunk: Buffer) => {
      for (const b of chunk) this.buf.push(b);
    });
    stream.on("close", () => {
      this.closed = true;
    });
    stream.on("error", () => {
      this.closed = true;
    });
  }

  write(bytes: Uint8Array | number[]): void {
    this.stream.write(Uint8Array.from(bytes));
  }

  /** Everything received and not read yet (consumed). */
  async drain(): Promise<number[]> {
    await settle();
    const out = this.buf;
    this.buf = [];
    return out;
  }

  async readByte(): Promise<number> {
    await settle();
    const b = this.buf.shift();
    if (b === undefined) throw new Error("expected a byte from the device, got nothing");
    return b;
  }

  async readFrame(): Promise<AnswerFrame> {
    await settle();
    const stx = this.buf.shift();
    if (stx !== STX)
      throw new Error(`expected STX, got ${stx === undefined ? "nothing" : `0x${stx.toString(16)}`}`);
    const len = this.buf.shift();
    if (len === undefined || this.buf.length < len + 1) throw new Error("the answer frame is incomplete");
    const body = Uint8Array.from(this.buf.splice(0, len));
    const check = this.buf.shift()!;
    const withLen = new Uint8Array(len + 1);
    withLen[0] = len;
    withLen.set(body, 1);
    const two = body[0] === 0xff;
    const command = two ? 0xff00 | body[1]! : body[0]!;
    const rest = body.subarray(two ? 2 : 1);
    return { command, error: rest[0] ?? 0, data: rest.slice(1), lrcOk: lrc(withLen) === check };
  }

  /** ENQ → expect NAK (idle) → frame → expect ACK → answer → ACK. */
  async command(command: number, data: Uint8Array): Promise<AnswerFrame> {
    this.write([ENQ]);
    const idle = await this.readByte();
    if (idle !== NAK) throw new Error(`device not idle: ENQ got 0x${idle.toString(16)}`);
    this.write(encodeFrame(command, data));
    const ack = await this.readByte();
    if (ack !== ACK) throw new Error(`frame not acknowledged: got 0x${ack.toString(16)}`);
    const answer = await this.readFrame();
    this.write([ACK]);
    return answer;
  }

  /** A typed call: the decoded answer, or `{ error }` when the device refused. */
  async call<Req, Ans>(def: CommandDef<Req, Ans>, req: Req): Promise<Ans | { error: number }> {
    const answer = await this.command(def.code, def.encodeRequest(req));
    if (answer.error !== 0) return { error: answer.error };
    return def.decodeAnswer(answer.data);
  }

  /** Like `call`, but a device error fails the test. */
  async ok<Req, Ans>(def: CommandDef<Req, Ans>, req: Req): Promise<Ans> {
    const result = await this.call(def, req);
    if (isError(result))
      throw new Error(`${def.name} failed with device error 0x${result.error.toString(16)}`);
    return result;
  }
}

export function isError(x: unknown): x is { error: number } {
  return typeof x === "object" && x !== null && "error" in x && Object.keys(x).length === 1;
}
