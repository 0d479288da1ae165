/**
 * Host side of the Shtrih-M protocol v1 handshake over any Node Duplex (a SerialPort, a socat pty,
 * an in-process linked pair). Source: docs/fiscal-reference.md "Handshake".
 *
 * The rule that prevents double receipts: a command frame goes out only after the device has
 * answered ENQ with NAK ("idle, no answer pending"). After the frame has (possibly) reached the
 * device the transport never sends it again: it asks with ENQ, and if the device has no answer the
 * outcome is uncertain and the caller must run recovery from the device's documents.
 */
import type { Duplex } from "node:stream";
import { DeviceDisconnectedError, DeviceTimeoutError, FiscalDeviceError } from "../device/errors.ts";
import { answerTimeoutMs } from "./commands/index.ts";
import { ACK, ENQ, encodeFrame, type Frame, FrameReader, NAK, type WireEvent } from "./frame.ts";

/** Timers the transport uses; tests inject fakes (or use vi.useFakeTimers with the default). */
export interface TransportTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock (what the transport, and the busy polls above it, use unless a test injects timers). */
export const globalTimers: TransportTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface TransportOptions {
  /** Wait for the device's ACK/NAK after ENQ, ms. Default 1000. */
  enqTimeoutMs?: number;
  /** ENQs sent before giving up on a silent device, before a command went out. Default 3. */
  enqAttempts?: number;
  /** Wait for ACK after sending a frame, ms. Default 1000. */
  ackTimeoutMs?: number;
  /** Frames re-sent after the device NAKed them (NAK = frame rejected, not executed). Default 3. */
  frameAttempts?: number;
  /** Answer timeout per command code, ms. Default: the vendor driver's table (10/11 3 s, E0 120 s…). */
  answerTimeoutMs?: (command: number) => number;
  /** Gap after which a half-received frame is given up, ms. Default 50 (protocol's inter-byte timeout). */
  interByteTimeoutMs?: number;
  /** Bad answers (LRC) and "still preparing" ENQ rounds tolerated per command. Default 5. */
  answerAttempts?: number;
  timers?: TransportTimers;
  /** Sees every byte on the line, for `--trace` and tests. */
  onTrace?: (direction: "tx" | "rx", bytes: Uint8Array) => void;
  /** An answer that was pending from an earlier command (read and ACKed before sending anything new). */
  onStaleAnswer?: (frame: Frame) => void;
  /**
   * Sees every command's round trip on the line (the agent's RUM `serial.round_trip`): from the
   * first ENQ to the answer or the failure, excluding the wait behind earlier commands.
   */
  onRoundTrip?: (roundTrip: RoundTrip) => void;
}

/** One command's exchange with the device, as `onRoundTrip` reports it. */
export interface RoundTrip {
  /** The command code, e.g. 0xff46. */
  command: number;
  durationMs: number;
  /** An answer frame came back (its error byte may still be a device error); false = timeout or cable. */
  answered: boolean;
}

type Waited = WireEvent | { kind: "timeout" };
type FrameEvent = Extract<WireEvent, { kind: "frame" }>;

/** Statistics a caller can log or assert on. */
export interface TransportStats {
  garbageBytes: number;
  badFrames: number;
  staleAnswers: number;
  naksReceived: number;
}

export class ShtrihTransport {
  private readonly reader = new FrameReader();
  private readonly queue: WireEvent[] = [];
  private waiter: ((e: Waited) => void) | null = null;
  private waiterTimer: unknown = null;
  private interByteTimer: unknown = null;
  private closedError: DeviceDisconnectedError | null = null;
  private failWaiter: ((err: Error) => void) | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  /** Whether the current command's frame went out (from then on its outcome can be uncertain). */
  private frameSent = false;
  private readonly o: Required<Omit<TransportOptions, "onTrace" | "onStaleAnswer" | "onRoundTrip">> &
    Pick<TransportOptions, "onTrace" | "onStaleAnswer" | "onRoundTrip">;
  readonly stats: TransportStats = { garbageBytes: 0, badFrames: 0, staleAnswers: 0, naksReceived: 0 };

  constructor(
    private readonly stream: Duplex,
    options: TransportOptions = {},
  ) {
    this.o = {
      enqTimeoutMs: options.enqTimeoutMs ?? 1000,
      enqAttempts: options.enqAttempts ?? 3,
      ackTimeoutMs: options.ackTimeoutMs ?? 1000,
      frameAttempts: options.frameAttempts ?? 3,
      answerTimeoutMs: options.answerTimeoutMs ?? answerTimeoutMs,
      interByteTimeoutMs: options.interByteTimeoutMs ?? 50,
      answerAttempts: options.answerAttempts ?? 5,
      timers: options.timers ?? globalTimers,
      onTrace: options.onTrace,
      onStaleAnswer: options.onStaleAnswer,
      onRoundTrip: options.onRoundTrip,
    };
    stream.on("data", this.onData);
    stream.on("close", this.onClose);
    stream.on("end", this.onClose);
    stream.on("error", this.onError);
  }

  /** True once the line has closed or failed: every further command fails fast. */
  get disconnected(): boolean {
    return this.closedError !== null;
  }

  /**
   * Sends one command and returns the device's answer frame (data starts with the error byte).
   * Commands run one at a time, in call order.
   * @throws DeviceTimeoutError — `uncertain` when the frame may have reached the device
   * @throws DeviceDisconnectedError — the line closed; `uncertain` when the frame may have been executed
   */
  execute(command: number, data: Uint8Array): Promise<Frame> {
    const frame = encodeFrame(command, data); // a bad argument throws here, before anything is queued
    const run = this.tail.then(() =>
      this.o.onRoundTrip ? this.timed(command, frame) : this.run(command, frame),
    );
    this.tail = run.catch(() => {});
    return run;
  }

  private async timed(command: number, frame: Uint8Array): Promise<Frame> {
    const started = performance.now();
    let answered = false;
    try {
      const answer = await this.run(command, frame);
      answered = true;
      return answer;
    } finally {
      try {
        this.o.onRoundTrip?.({ command, durationMs: performance.now() - started, answered });
      } catch {
        // An observer's failure is no reason to fail a fiscal command.
      }
    }
  }

  /** Detaches from the stream (does not close it). */
  detach(): void {
    this.stream.off("data", this.onData);
    this.stream.off("close", this.onClose);
    this.stream.off("end", this.onClose);
    this.stream.off("error", this.onError);
    this.clearInterByte();
  }

  // ---- line events -------------------------------------------------------------------------

  private readonly onData = (chunk: Buffer | Uint8Array) => {
    const bytes = chunk instanceof Uint8Array ? chunk : Uint8Array.from(chunk);
    this.o.onTrace?.("rx", bytes);
    this.clearInterByte();
    for (const e of this.reader.push(bytes)) this.deliver(e);
    if (this.reader.buffered > 0) {
      this.interByteTimer = this.o.timers.setTimeout(() => {
        this.interByteTimer = null;
        for (const e of this.reader.flush()) this.deliver(e);
      }, this.o.interByteTimeoutMs);
    }
  };

  private readonly onClose = () => this.fail(null);
  private readonly onError = (err: Error) => this.fail(err);

  private fail(cause: Error | null): void {
    if (this.closedError) return;
    this.clearInterByte();
    this.closedError = new DeviceDisconnectedError(
      "The fiscal register's cable is disconnected (the serial line closed). Check the cable and power, then retry.",
      { uncertain: false, cause: cause ?? undefined },
    );
    this.failWaiter?.(this.closedError);
  }

  private deliver(e: WireEvent): void {
    if (e.kind === "garbage") {
      this.stats.garbageBytes += e.bytes.length;
      return;
    }
    if (this.waiter) {
      const w = this.waiter;
      this.clearWaiter();
      w(e);
    } else {
      this.queue.push(e);
    }
  }

  private clearInterByte(): void {
    if (this.interByteTimer !== null) this.o.timers.clearTimeout(this.interByteTimer);
    this.interByteTimer = null;
  }

  private clearWaiter(): void {
    if (this.waiterTimer !== null) this.o.timers.clearTimeout(this.waiterTimer);
    this.waiterTimer = null;
    this.waiter = null;
    this.failWaiter = null;
  }

  private next(timeoutMs: number): Promise<Waited> {
    if (this.closedError) return Promise.reject(this.closedError);
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise<Waited>((resolve, reject) => {
      this.waiter = resolve;
      this.failWaiter = (err) => {
        this.clearWaiter();
        reject(err);
      };
      // A frame still arriving when the wait ends is waited for until it is whole or the inter-byte
      // timeout gives it up (a bad frame). Timing out on it instead would ENQ into the middle of an
      // answer, and a half answer cut off by a power loss would swallow the reply to that ENQ.
      const expire = () => {
        if (this.interByteTimer !== null) {
          this.waiterTimer = this.o.timers.setTimeout(expire, this.o.interByteTimeoutMs);
          return;
        }
        this.clearWaiter();
        resolve({ kind: "timeout" });
      };
      this.waiterTimer = this.o.timers.setTimeout(expire, timeoutMs);
    });
  }

  /**
   * Asks the device with ENQ. A half frame held now is left alone: next() has already let any
   * cut-off one end as a bad frame, so what is held is an answer still arriving, and read from its
   * middle its data bytes would pass for ACK or NAK (a false "no answer", or the frame sent twice).
   */
  private enq(): void {
    this.write(Uint8Array.of(ENQ));
  }

  private write(bytes: Uint8Array): void {
    if (this.closedError) throw this.closedError;
    this.o.onTrace?.("tx", bytes);
    this.stream.write(bytes);
  }

  // ---- the handshake -----------------------------------------------------------------------

  private async run(command: number, frame: Uint8Array): Promise<Frame> {
    // Bytes left over from an earlier exchange (late ACKs, noise) mean nothing now.
    this.queue.length = 0;
    this.frameSent = false;
    try {
      await this.untilIdle(command);
      const acked = await this.sendFrame(command, frame);
      return await this.readAnswer(command, !acked);
    } catch (err) {
      if (err instanceof DeviceDisconnectedError && this.frameSent) {
        throw new DeviceDisconnectedError(
          `The fiscal register's cable was disconnected while command ${hex(command)} was in flight: it may or may not have run. ` +
            "Reconnect the device; Kassa will check its documents before printing anything again.",
          { uncertain: true, cause: err },
        );
      }
      throw err;
    }
  }

  /** ENQ until the device says NAK (idle). A pending answer from an earlier command is read first. */
  private async untilIdle(command: number): Promise<void> {
    let silent = 0;
    let stale = 0;
    for (;;) {
      this.enq();
      const e = await this.next(this.o.enqTimeoutMs);
      if (e.kind === "timeout") {
        if (++silent >= this.o.enqAttempts) {
          throw new DeviceTimeoutError(
            `The fiscal register does not answer (no reply to ENQ before command ${hex(command)}; nothing was sent). ` +
              "Check that it is switched on and the cable and port settings are right, then retry.",
            { uncertain: false },
          );
        }
        continue;
      }
      if (e.kind === "control" && e.byte === NAK) return;
      if (e.kind === "control" && e.byte === ACK) {
        // An answer from an earlier command is pending: read it before sending anything new.
        const answer = await this.readPending(command);
        if (answer) this.staleAnswer(answer);
      } else if (e.kind === "frame") {
        this.write(Uint8Array.of(ACK));
        this.staleAnswer(e.frame);
      } else if (e.kind === "bad-frame") {
        this.write(Uint8Array.of(NAK));
      }
      if (++stale > this.o.answerAttempts) {
        throw new FiscalDeviceError(
          "PROTOCOL_ERROR",
          `The fiscal register keeps sending old answers instead of becoming ready for command ${hex(command)} (nothing was sent). Switch it off and on, then retry.`,
        );
      }
    }
  }

  private staleAnswer(frame: Frame): void {
    this.stats.staleAnswers++;
    this.o.onStaleAnswer?.(frame);
  }

  /** After ACK to ENQ: the pending answer follows. Returns null if it never came. */
  private async readPending(command: number): Promise<Frame | null> {
    const timeout = this.o.answerTimeoutMs(command);
    for (let bad = 0; bad <= this.o.answerAttempts; ) {
      const e = await this.next(timeout);
      if (e.kind === "frame") {
        this.write(Uint8Array.of(ACK));
        return e.frame;
      }
      if (e.kind === "bad-frame") {
        this.stats.badFrames++;
        bad++;
        this.write(Uint8Array.of(NAK));
        this.enq();
        continue;
      }
      if (e.kind === "timeout") return null;
      // Stray control bytes (the ACK that answers our re-ENQ) are expected here.
    }
    return null;
  }

  /** Sends the frame; true when the device ACKed it, false when it stayed silent. */
  private async sendFrame(command: number, frame: Uint8Array): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      this.write(frame);
      this.frameSent = true;
      const e = await this.next(this.o.ackTimeoutMs);
      if (e.kind === "control" && e.byte === ACK) return true;
      if (e.kind === "frame") {
        // ACK lost on the line but the answer came: put it back for readAnswer.
        this.queue.unshift(e);
        return true;
      }
      if (e.kind === "control" && e.byte === NAK) {
        this.stats.naksReceived++;
        // NAK normally means "frame rejected (bad LRC on its side), not executed". But a late NAK
        // to an ENQ that timed out in untilIdle looks the same while the device runs the frame.
        // Resend only when the device says it is idle with no answer being prepared.
        const probe = await this.probe();
        if (probe === "pending") return true;
        if (probe === "silent") return false;
        if (probe !== "idle") {
          this.queue.unshift(probe); // the answer itself: readAnswer takes it
          return true;
        }
        if (attempt < this.o.frameAttempts) continue;
        throw new FiscalDeviceError(
          "PROTOCOL_ERROR",
          `The fiscal register rejected command ${hex(command)} ${attempt} times (line noise?); it was not executed. Check the cable and retry.`,
        );
      }
      // No ACK: the frame may have arrived. Never resend: ask with ENQ instead (readAnswer does).
      return false;
    }
  }

  private async readAnswer(command: number, probeFirst: boolean): Promise<Frame> {
    const timeout = this.o.answerTimeoutMs(command);
    let rounds = 0;
    // A babbling line (endless stray bytes or foreign answers) must not keep us here forever.
    let strays = 0;
    const maxStrays = 4 * (this.o.answerAttempts + 1);
    for (let first = true; ; first = false) {
      const e: Waited = first && probeFirst ? { kind: "timeout" } : await this.next(timeout);
      if (e.kind === "frame") {
        this.write(Uint8Array.of(ACK));
        if (e.frame.command === command) return e.frame;
        this.staleAnswer(e.frame);
        if (++strays > maxStrays) throw this.uncertain(command, "the line carries only other answers");
        continue;
      }
      if (e.kind === "control") {
        // Late ACKs and echoes mean nothing here.
        if (++strays > maxStrays) throw this.uncertain(command, "the line carries only stray control bytes");
        continue;
      }
      if (++rounds > this.o.answerAttempts) throw this.uncertain(command, "its answer never arrived intact");
      if (e.kind === "bad-frame") {
        this.stats.badFrames++;
        this.write(Uint8Array.of(NAK));
      }
      // Timeout or bad answer: ask whether an answer is pending (never resend the command).
      const probe = await this.probe();
      if (probe === "pending") continue;
      if (probe instanceof Object) {
        this.write(Uint8Array.of(ACK));
        if (probe.frame.command === command) return probe.frame;
        this.staleAnswer(probe.frame);
        continue;
      }
      if (probe === "idle")
        throw this.uncertain(command, "the device has no answer for it (it may have lost power)");
      throw this.uncertain(command, "the device went silent");
    }
  }

  /** ENQ while an answer is owed: "pending" (ACK), "idle" (NAK: no answer), "silent", or the answer itself. */
  private async probe(): Promise<"pending" | "idle" | "silent" | FrameEvent> {
    for (let i = 0; i < this.o.enqAttempts; i++) {
      this.enq();
      for (;;) {
        const e = await this.next(this.o.enqTimeoutMs);
        if (e.kind === "timeout") break;
        if (e.kind === "control" && e.byte === ACK) return "pending";
        if (e.kind === "control" && e.byte === NAK) return "idle";
        if (e.kind === "frame") return e;
        if (e.kind === "bad-frame") {
          this.stats.badFrames++;
          this.write(Uint8Array.of(NAK));
          break;
        }
      }
    }
    return "silent";
  }

  private uncertain(command: number, why: string): DeviceTimeoutError {
    return new DeviceTimeoutError(
      `No answer to command ${hex(command)}: ${why}. It may or may not have run; ` +
        "Kassa will check the device's documents before printing again — do not repeat the sale by hand.",
      { uncertain: true },
    );
  }
}

function hex(command: number): string {
  return command.toString(16).toUpperCase().padStart(2, "0");
}
