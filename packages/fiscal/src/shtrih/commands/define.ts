/**
 * A command definition is symmetric: the driver encodes requests and decodes answers, the emulator
 * decodes requests and encodes answers, both with the same field layout. `data` here is always
 * what follows the command bytes in the frame; for answers it is what follows the error byte (an
 * error answer carries only the command and the error byte).
 */
import { ByteReader, ByteWriter, protocolError } from "../binary.ts";

export interface CommandDef<Req, Ans> {
  code: number;
  /** Name from the vendor's protocol description (for logs and errors). */
  name: string;
  /** Answer timeout the vendor's own driver uses, ms (docs/fiscal-reference.md "Handshake"). */
  timeoutMs: number;
  encodeRequest(req: Req): Uint8Array;
  decodeRequest(data: Uint8Array): Req;
  encodeAnswer(ans: Ans): Uint8Array;
  decodeAnswer(data: Uint8Array): Ans;
}

export type RequestOf<D> = D extends CommandDef<infer R, unknown> ? R : never;
export type AnswerOf<D> = D extends CommandDef<unknown, infer A> ? A : never;

/** Every request starts with the 4-byte operator password. */
export interface PasswordRequest {
  password: number;
}

/** One-byte commands answer with the operator's number in the hall. */
export interface OperatorAnswer {
  operator: number;
}

export type Empty = Record<string, never>;

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Builds a definition from field writers/readers so each layout is written once per side. */
export function defineCommand<Req, Ans>(spec: {
  code: number;
  name: string;
  timeoutMs?: number;
  writeRequest: (w: ByteWriter, req: Req) => void;
  readRequest: (r: ByteReader) => Req;
  writeAnswer: (w: ByteWriter, ans: Ans) => void;
  readAnswer: (r: ByteReader) => Ans;
}): CommandDef<Req, Ans> {
  const hex = spec.code.toString(16).toUpperCase();
  return {
    code: spec.code,
    name: spec.name,
    timeoutMs: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    encodeRequest(req) {
      const w = new ByteWriter();
      spec.writeRequest(w, req);
      return w.toBytes();
    },
    decodeRequest(data) {
      return wrap(`request ${hex} (${spec.name})`, () => spec.readRequest(new ByteReader(data)));
    },
    encodeAnswer(ans) {
      const w = new ByteWriter();
      spec.writeAnswer(w, ans);
      return w.toBytes();
    },
    // Answers may carry more trailing fields on newer firmware: extra bytes are ignored.
    decodeAnswer(data) {
      return wrap(`answer ${hex} (${spec.name})`, () => spec.readAnswer(new ByteReader(data)));
    },
  };
}

function wrap<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof RangeError) throw protocolError(`${what}: ${err.message}`);
    throw err;
  }
}

/** A command whose request is only the password and whose answer is only the operator number. */
export function passwordOnlyCommand(code: number, name: string, timeoutMs?: number) {
  return defineCommand<PasswordRequest, OperatorAnswer>({
    code,
    name,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    writeRequest: (w, r) => w.u32(r.password, "password"),
    readRequest: (r) => ({ password: r.u32("password") }),
    writeAnswer: (w, a) => w.u8(a.operator, "operator"),
    readAnswer: (r) => ({ operator: r.remaining > 0 ? r.u8("operator") : 0 }),
  });
}

/** An FN (FF xx) command with only the password and an empty answer. */
export function passwordEmptyCommand(code: number, name: string, timeoutMs?: number) {
  return defineCommand<PasswordRequest, Empty>({
    code,
    name,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    writeRequest: (w, r) => w.u32(r.password, "password"),
    readRequest: (r) => ({ password: r.u32("password") }),
    writeAnswer: () => {},
    readAnswer: () => ({}),
  });
}
