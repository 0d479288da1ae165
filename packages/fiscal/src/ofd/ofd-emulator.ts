/**
 * An OFD (fiscal data operator) emulator for tests, e2e and the demo.
 *
 * Transport: raw TCP, like the real thing. A real KKT opens a TCP connection to the OFD, writes
 * session header + body and reads session header + answer (vendor relay loop: FF30/FF31 → TCP →
 * read 30-byte header, body length at bytes 24–25 → FF32/FF33). Speaking the same framing means
 * the same client code would talk to a real OFD, and the failure modes are the real ones:
 * refused/reset connections and silence. HTTP would have given status codes for free but a
 * transport no OFD speaks; the "5xx" and "reject" outcomes are carried instead by the reply code
 * of the confirmation (see confirmation.ts). A small HTTP endpoint on another port is only for
 * control and inspection (GET /stats, POST /mode).
 *
 * Idempotency: confirmations are remembered by (FN number, FD number); a document sent again
 * gets the very same confirmation bytes and is counted once (plus once in `duplicates`).
 * The operator's fiscal sign is a keyed hash (HMAC-SHA256), not the OFD's real signature.
 */
import { createHmac } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { type OfdClock, systemClock } from "./clock.ts";
import {
  describeOfdMessage,
  encodeConfirmation,
  OFD_REPLY_REJECTED,
  OFD_REPLY_SERVER_ERROR,
} from "./confirmation.ts";
import { OfdMessageError } from "./errors.ts";
import { createControlHandler } from "./ofd-emulator-control.ts";
import { decodeOfdMessage, decodeSessionHeader, SESSION_HEADER_LENGTH } from "./session-header.ts";

export const OFD_MODES = ["up", "down", "slow", "5xx", "reject", "flapping"] as const;
export type OfdMode = (typeof OFD_MODES)[number];

export interface OfdModeOptions {
  /** Answer delay in "slow" mode, ms. Default 10000. */
  slowMs?: number;
  /** Length of each up/down phase in "flapping" mode, ms. Default 3000. */
  flapMs?: number;
  /** Reason sent with every rejection in "reject" mode. */
  rejectReason?: string;
}

export interface OfdEmulatorOptions extends OfdModeOptions {
  /** TCP port for FN messages; 0 picks a free one. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  mode?: OfdMode;
  /** Port of the HTTP control endpoint; omit for none, 0 picks a free one. */
  controlPort?: number;
  clock?: OfdClock;
  /** Key of the fake operator signature. */
  signKey?: string;
}

export interface OfdDocumentRecord {
  fnNumber: string;
  fdNumber: number;
  /** How many times this document arrived while the OFD accepted documents. */
  receivedCount: number;
  acceptedAt: string;
}

export interface OfdEmulatorStats {
  mode: OfdMode;
  /** What the OFD does right now (flapping alternates up/down). */
  effectiveMode: Exclude<OfdMode, "flapping">;
  connections: number;
  /** Connections reset because the OFD was "down". */
  refused: number;
  /** Messages that arrived whole. */
  received: number;
  /** Distinct documents accepted, by (FN, FD). */
  documents: number;
  /** Messages for an already-accepted document (answered with the same confirmation). */
  duplicates: number;
  rejected: number;
  serverErrors: number;
  malformed: number;
}

export interface OfdEmulatorEvents {
  message: [{ fnNumber: string; fdNumber: number; mode: Exclude<OfdMode, "flapping">; duplicate: boolean }];
  answered: [{ fnNumber: string; fdNumber: number }];
}

export interface OfdEmulator extends EventEmitter<OfdEmulatorEvents> {
  readonly port: number;
  readonly controlPort: number | undefined;
  readonly mode: OfdMode;
  setMode(mode: OfdMode, options?: OfdModeOptions): void;
  stats(): OfdEmulatorStats;
  documents(): OfdDocumentRecord[];
  close(): Promise<void>;
}

const DEFAULTS = { slowMs: 10_000, flapMs: 3_000, rejectReason: "document rejected by the OFD emulator" };

function checkModeOptions(mode: OfdMode, options: OfdModeOptions): void {
  if (!OFD_MODES.includes(mode))
    throw new TypeError(`"mode" must be one of ${OFD_MODES.join(", ")}, got "${mode}"`);
  for (const key of ["slowMs", "flapMs"] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isFinite(value) || value < (key === "flapMs" ? 1 : 0))) {
      throw new TypeError(`"${key}" must be a positive number of milliseconds, got ${value}`);
    }
  }
}

class OfdEmulatorImpl extends EventEmitter<OfdEmulatorEvents> implements OfdEmulator {
  port = 0;
  controlPort: number | undefined;
  mode: OfdMode;
  private settings: Required<OfdModeOptions>;
  private flapStartedAt: number;
  private readonly clock: OfdClock;
  private readonly signKey: string;
  private readonly confirmations = new Map<string, { answer: Uint8Array; record: OfdDocumentRecord }>();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<unknown>();
  private readonly counters = {
    connections: 0,
    refused: 0,
    received: 0,
    duplicates: 0,
    rejected: 0,
    serverErrors: 0,
    malformed: 0,
  };
  readonly tcp: Server;
  http: HttpServer | undefined;

  constructor(options: OfdEmulatorOptions) {
    super();
    this.mode = options.mode ?? "up";
    checkModeOptions(this.mode, options);
    this.clock = options.clock ?? systemClock;
    this.signKey = options.signKey ?? "kassa-ofd-emulator";
    this.settings = {
      slowMs: options.slowMs ?? DEFAULTS.slowMs,
      flapMs: options.flapMs ?? DEFAULTS.flapMs,
      rejectReason: options.rejectReason ?? DEFAULTS.rejectReason,
    };
    this.flapStartedAt = this.clock.now();
    this.tcp = createServer((socket) => this.onConnection(socket));
  }

  setMode(mode: OfdMode, options: OfdModeOptions = {}): void {
    checkModeOptions(mode, options);
    this.mode = mode;
    this.settings = {
      slowMs: options.slowMs ?? this.settings.slowMs,
      flapMs: options.flapMs ?? this.settings.flapMs,
      rejectReason: options.rejectReason ?? this.settings.rejectReason,
    };
    if (mode === "flapping") this.flapStartedAt = this.clock.now();
  }

  effectiveMode(): Exclude<OfdMode, "flapping"> {
    if (this.mode !== "flapping") return this.mode;
    const phase = Math.floor((this.clock.now() - this.flapStartedAt) / this.settings.flapMs);
    return phase % 2 === 0 ? "up" : "down";
  }

  stats(): OfdEmulatorStats {
    return {
      mode: this.mode,
      effectiveMode: this.effectiveMode(),
      ...this.counters,
      documents: this.confirmations.size,
    };
  }

  documents(): OfdDocumentRecord[] {
    return [...this.confirmations.values()].map((c) => ({ ...c.record }));
  }

  private refuse(socket: Socket): void {
    // "Down" keeps the listener (so the mode can change at run time) and resets every
    // connection, which the client sees as ECONNRESET: the same "OFD unreachable" as a refusal.
    this.counters.refused++;
    socket.resetAndDestroy();
  }

  private onConnection(socket: Socket): void {
    this.counters.connections++;
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    if (this.effectiveMode() === "down") {
      this.refuse(socket);
      return;
    }
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      // Several messages may come over one connection, one after another.
      while (buffered.length >= SESSION_HEADER_LENGTH) {
        let total: number;
        try {
          total = SESSION_HEADER_LENGTH + decodeSessionHeader(buffered).bodyLength;
        } catch {
          this.counters.malformed++;
          socket.destroy();
          return;
        }
        if (buffered.length < total) return;
        const message = new Uint8Array(buffered.subarray(0, total));
        buffered = buffered.subarray(total);
        this.onMessage(socket, message);
      }
    });
  }

  private onMessage(socket: Socket, message: Uint8Array): void {
    const mode = this.effectiveMode();
    if (mode === "down") {
      this.refuse(socket);
      return;
    }
    let fnNumber: string;
    let fdNumber: number | null;
    try {
      decodeOfdMessage(message); // CRC check
      ({ fnNumber, fdNumber } = describeOfdMessage(message));
    } catch (error) {
      if (!(error instanceof OfdMessageError)) throw error;
      this.counters.malformed++;
      socket.destroy();
      return;
    }
    if (fdNumber === null) {
      // The emulator needs the FD number to count documents; a real (encrypted) body is not supported.
      this.counters.malformed++;
      socket.destroy();
      return;
    }
    this.counters.received++;
    const key = `${fnNumber}:${fdNumber}`;
    const existing = this.confirmations.get(key);
    const duplicate = existing !== undefined && mode !== "5xx";
    this.emit("message", {
      fnNumber,
      fdNumber,
      mode: duplicate && mode === "reject" ? "up" : mode,
      duplicate,
    });

    let answer: Uint8Array;
    if (mode === "5xx") {
      this.counters.serverErrors++;
      answer = this.answer(
        fnNumber,
        fdNumber,
        OFD_REPLY_SERVER_ERROR,
        "temporary server error, try again later",
      );
    } else if (mode === "reject" && !existing) {
      this.counters.rejected++;
      answer = this.answer(fnNumber, fdNumber, OFD_REPLY_REJECTED, this.settings.rejectReason);
    } else if (existing) {
      // Also in "reject" mode: a document the OFD once accepted stays accepted.
      // Same confirmation as the first time, counted once: resending is always safe.
      this.counters.duplicates++;
      existing.record.receivedCount++;
      answer = existing.answer;
    } else {
      answer = this.answer(fnNumber, fdNumber, 0);
      const record: OfdDocumentRecord = {
        fnNumber,
        fdNumber,
        receivedCount: 1,
        acceptedAt: new Date(this.clock.now()).toISOString(),
      };
      // Accepted on arrival, even when the answer is slow or gets lost: that is what makes a
      // resend after a client timeout a duplicate the OFD must recognise.
      this.confirmations.set(key, { answer, record });
    }

    const send = () => {
      if (socket.destroyed) return;
      socket.write(answer);
      this.emit("answered", { fnNumber, fdNumber });
    };
    if (mode === "slow") {
      const handle = this.clock.setTimeout(() => {
        this.timers.delete(handle);
        send();
      }, this.settings.slowMs);
      this.timers.add(handle);
    } else {
      send();
    }
  }

  private answer(fnNumber: string, fdNumber: number, replyCode: number, message?: string): Uint8Array {
    const operatorSign = createHmac("sha256", this.signKey)
      .update(`${fnNumber}:${fdNumber}`)
      .digest()
      .subarray(0, 18);
    const dateTime = Math.floor(this.clock.now() / 1000);
    return encodeConfirmation({
      fnNumber,
      fdNumber,
      dateTime,
      operatorSign: new Uint8Array(operatorSign),
      replyCode,
      ...(message === undefined ? {} : { message }),
    });
  }

  async close(): Promise<void> {
    for (const handle of this.timers) this.clock.clearTimeout(handle);
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => this.tcp.close(() => resolve())),
      this.http
        ? new Promise<void>((resolve) => {
            this.http?.closeAllConnections();
            this.http?.close(() => resolve());
          })
        : Promise.resolve(),
    ]);
  }
}

function listen(server: Server | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/**
 * Starts the emulator and resolves once it listens.
 * @throws TypeError on a bad mode or option; the listen error (EADDRINUSE…) otherwise
 */
export async function startOfdEmulator(options: OfdEmulatorOptions): Promise<OfdEmulator> {
  const host = options.host ?? "127.0.0.1";
  const emulator = new OfdEmulatorImpl(options);
  emulator.port = await listen(emulator.tcp, options.port, host);
  if (options.controlPort !== undefined) {
    emulator.http = createHttpServer(createControlHandler(emulator));
    try {
      emulator.controlPort = await listen(emulator.http, options.controlPort, host);
    } catch (error) {
      await emulator.close();
      throw error;
    }
  }
  return emulator;
}
