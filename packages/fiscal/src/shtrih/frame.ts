/**
 * Shtrih-M protocol v1 framing: `STX LEN CMD DATA LRC`, used on both sides of the wire (the driver
 * and the emulator share this module). Source: docs/fiscal-reference.md "Protocol v1 (serial) framing";
 * Shtrih-M "Протокол работы ККТ с ФН" v1.17, section "Протокол обмена".
 */

export const STX = 0x02;
export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;

export type ControlByte = typeof ENQ | typeof ACK | typeof NAK;

/** Longest body a one-byte LEN can describe. */
export const MAX_BODY_LENGTH = 0xff;

/** XOR of every byte: the protocol's checksum over LEN..DATA. */
export function lrc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i]!;
  return x;
}

/** Two-byte commands are written `FF xx` and numbered 0xFFxx here (e.g. 0xFF46). */
export function commandBytes(command: number): Uint8Array {
  if (!Number.isInteger(command) || command < 0 || command > 0xffff) {
    throw new TypeError(`"command" must be a command code 0x00..0xFFFF, got ${command}`);
  }
  if (command > 0xff) {
    if (command >> 8 !== 0xff)
      throw new TypeError(`"command" 0x${command.toString(16)} is not an FF xx command`);
    return Uint8Array.of(0xff, command & 0xff);
  }
  if (command === 0xff) throw new TypeError('"command" 0xFF needs a second byte (use 0xFFxx)');
  return Uint8Array.of(command);
}

/**
 * One frame. `data` is everything after the command bytes: for a request the operator password and
 * parameters, for an answer the error byte first.
 */
export interface Frame {
  command: number;
  data: Uint8Array;
}

/** Builds the bytes of a frame. Throws a TypeError when the body does not fit one LEN byte. */
export function encodeFrame(command: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const cmd = commandBytes(command);
  const len = cmd.length + data.length;
  if (len > MAX_BODY_LENGTH) {
    throw new TypeError(`frame body is ${len} bytes; protocol v1 carries at most ${MAX_BODY_LENGTH}`);
  }
  const out = new Uint8Array(len + 3);
  out[0] = STX;
  out[1] = len;
  out.set(cmd, 2);
  out.set(data, 2 + cmd.length);
  out[out.length - 1] = lrc(out, 1, out.length - 1);
  return out;
}

/** An answer frame: command, error byte, then the answer's data (only on success). */
export function encodeAnswerFrame(
  command: number,
  errorCode: number,
  data: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const body = new Uint8Array(1 + data.length);
  body[0] = errorCode;
  body.set(data, 1);
  return encodeFrame(command, body);
}

/** Splits a frame body (LEN bytes) into command and data; null when the body is too short. */
export function parseBody(body: Uint8Array): Frame | null {
  if (body.length === 0) return null;
  if (body[0] === 0xff) {
    if (body.length < 2) return null;
    return { command: 0xff00 | body[1]!, data: body.slice(2) };
  }
  return { command: body[0]!, data: body.slice(1) };
}

/** What a reader sees on the line. */
export type WireEvent =
  | { kind: "control"; byte: ControlByte }
  | { kind: "frame"; frame: Frame; raw: Uint8Array }
  /** A complete frame whose LRC did not match (or whose body was empty): answer it with NAK. */
  | { kind: "bad-frame"; raw: Uint8Array }
  /** Bytes that were neither a control byte nor part of a frame; already skipped. */
  | { kind: "garbage"; bytes: Uint8Array };

function isControl(b: number): b is ControlByte {
  return b === ENQ || b === ACK || b === NAK;
}

/**
 * Streaming frame reader: feed it byte chunks as they arrive, in any split, and it yields control
 * bytes, frames, bad frames and skipped garbage in line order.
 *
 * When a candidate frame fails its LRC the reader looks for a later STX that starts a valid frame
 * (line noise often contains 0x02); only when none can be found does it report a bad frame. An
 * incomplete candidate is held until more bytes come or the owner calls `flush()` (the transport
 * does that when the 50 ms inter-byte timeout passes).
 */
export class FrameReader {
  private buf: Uint8Array = new Uint8Array(0);

  /** Bytes held, waiting for the rest of a frame. */
  get buffered(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): WireEvent[] {
    if (chunk.length === 0) return [];
    const next = new Uint8Array(this.buf.length + chunk.length);
    next.set(this.buf, 0);
    next.set(chunk, this.buf.length);
    this.buf = next;
    return this.drain(false);
  }

  /** Gives up on an incomplete frame: reports what is held as a bad frame (or garbage). */
  flush(): WireEvent[] {
    return this.drain(true);
  }

  /** Drops everything held without reporting it. */
  reset(): void {
    this.buf = new Uint8Array(0);
  }

  private drain(final: boolean): WireEvent[] {
    const events: WireEvent[] = [];
    const buf = this.buf;
    let pos = 0;
    let garbageStart = -1;
    const endGarbage = (at: number) => {
      if (garbageStart >= 0) {
        events.push({ kind: "garbage", bytes: buf.slice(garbageStart, at) });
        garbageStart = -1;
      }
    };

    while (pos < buf.length) {
      const b = buf[pos]!;
      if (b !== STX) {
        if (isControl(b)) {
          endGarbage(pos);
          events.push({ kind: "control", byte: b });
        } else if (garbageStart < 0) {
          garbageStart = pos;
        }
        pos++;
        continue;
      }
      const candidate = this.tryFrame(buf, pos);
      if (candidate === "incomplete") {
        // A later STX may already hold a complete valid frame (this one was noise): prefer it.
        const later = this.findValidFrameAfter(buf, pos + 1);
        if (later >= 0) {
          if (garbageStart < 0) garbageStart = pos;
          pos = later;
          continue;
        }
        if (!final) break;
        endGarbage(pos);
        events.push({ kind: "bad-frame", raw: buf.slice(pos) });
        pos = buf.length;
        break;
      }
      if (candidate.ok) {
        endGarbage(pos);
        const raw = buf.slice(pos, candidate.end);
        const frame = parseBody(raw.subarray(2, raw.length - 1))!;
        events.push({ kind: "frame", frame, raw });
        pos = candidate.end;
        continue;
      }
      // Bad LRC: was this STX noise in front of a real frame?
      const later = this.findValidFrameAfter(buf, pos + 1);
      if (later >= 0) {
        if (garbageStart < 0) garbageStart = pos;
        pos = later;
        continue;
      }
      if (!final && this.hasIncompleteCandidateAfter(buf, pos + 1, candidate.end)) break;
      endGarbage(pos);
      events.push({ kind: "bad-frame", raw: buf.slice(pos, candidate.end) });
      pos = candidate.end;
    }
    endGarbage(pos);
    this.buf = buf.slice(pos);
    return events;
  }

  private tryFrame(buf: Uint8Array, at: number): "incomplete" | { ok: boolean; end: number } {
    if (at + 1 >= buf.length) return "incomplete";
    const len = buf[at + 1]!;
    const end = at + 2 + len + 1;
    if (end > buf.length) return "incomplete";
    const ok =
      len > 0 &&
      lrc(buf, at + 1, end - 1) === buf[end - 1] &&
      parseBody(buf.subarray(at + 2, end - 1)) !== null;
    return { ok, end };
  }

  private findValidFrameAfter(buf: Uint8Array, from: number): number {
    for (let i = from; i < buf.length; i++) {
      if (buf[i] !== STX) continue;
      const c = this.tryFrame(buf, i);
      if (c !== "incomplete" && c.ok) return i;
    }
    return -1;
  }

  /** True when an STX inside the bad candidate starts a frame that is not complete yet. */
  private hasIncompleteCandidateAfter(buf: Uint8Array, from: number, before: number): boolean {
    for (let i = from; i < before; i++) {
      if (buf[i] === STX && this.tryFrame(buf, i) === "incomplete") return true;
    }
    return false;
  }
}
