/**
 * The device side of protocol v1's handshake (docs/fiscal-reference.md "Handshake"):
 * - ENQ → NAK when idle, or ACK followed by the pending answer;
 * - a good frame → ACK, execute, send the answer and keep it pending until the host ACKs it
 *   (resent on every ENQ; never re-executed);
 * - a bad LRC (or a frame cut short by the 50 ms inter-byte timeout) → NAK, not executed;
 * - while a slow command is still running, ENQ → ACK alone; the answer follows when it is ready.
 * Frames are parsed with the shared FrameReader (shtrih/frame.ts).
 */
import type { Duplex } from "node:stream";
import { toHex } from "../shtrih/binary.ts";
import { ACK, ENQ, type Frame, FrameReader, NAK, type WireEvent } from "../shtrih/frame.ts";

export const DEFAULT_BYTE_TIMEOUT_MS = 50;

export interface DeviceLinkOptions {
  /** Called for every good frame. It must answer through `sendAnswer` (or not at all). */
  onFrame: (frame: Frame) => void;
  byteTimeoutMs?: number;
  log?: ((line: string) => void) | undefined;
}

const ACK_BYTE = Uint8Array.of(ACK);
const NAK_BYTE = Uint8Array.of(NAK);

export class DeviceLink {
  /** The last answer frame, kept until the host ACKs it. Lost on power-off. */
  pending: Uint8Array | null = null;
  /** While true every received byte is ignored and nothing is sent (power off, dead cable). */
  muted = false;
  /** A command is still running: its answer is not ready yet. */
  private preparing: NodeJS.Timeout | null = null;
  private stream: Duplex | null = null;
  private readonly reader = new FrameReader();
  private timer: NodeJS.Timeout | null = null;
  private readonly byteTimeoutMs: number;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);
  private readonly onGone = () => this.detach();

  constructor(private readonly options: DeviceLinkOptions) {
    this.byteTimeoutMs = options.byteTimeoutMs ?? DEFAULT_BYTE_TIMEOUT_MS;
  }

  get attached(): Duplex | null {
    return this.stream;
  }

  attach(stream: Duplex): void {
    this.detach();
    this.stream = stream;
    this.reader.reset();
    stream.on("data", this.onData);
    stream.once("close", this.onGone);
    stream.once("end", this.onGone);
    stream.on("error", this.onGone);
  }

  /** Stops listening (the stream stays open unless `destroy`). */
  detach(destroy = false): void {
    const s = this.stream;
    if (!s) return;
    this.stream = null;
    s.off("data", this.onData);
    s.off("close", this.onGone);
    s.off("end", this.onGone);
    s.off("error", this.onGone);
    this.clearTimer();
    this.reader.reset();
    if (destroy) s.destroy();
  }

  /** Drops any half-received frame and an answer still being prepared (power loss). */
  resetReceiver(): void {
    this.clearTimer();
    this.reader.reset();
    if (this.preparing) clearTimeout(this.preparing);
    this.preparing = null;
  }

  /**
   * The frame was ACKed; its answer becomes ready after `ms` (a slow command, e.g. opening a
   * shift while the FN updates keys). Until then ENQ gets a bare ACK.
   */
  answerLater(answer: Uint8Array, ms: number): void {
    if (this.preparing) clearTimeout(this.preparing);
    this.pending = null;
    this.preparing = setTimeout(() => {
      this.preparing = null;
      this.pending = answer;
      this.send(answer);
    }, ms);
    this.preparing.unref();
  }

  send(bytes: Uint8Array): void {
    const s = this.stream;
    if (!s || this.muted || s.destroyed) return;
    s.write(bytes);
  }

  sendAck(): void {
    this.send(ACK_BYTE);
  }

  sendNak(): void {
    this.send(NAK_BYTE);
  }

  /** ACK for the frame and its answer in one write (what the device's trace shows: `06 02 …`). */
  sendAckAndAnswer(answer: Uint8Array): void {
    const out = new Uint8Array(answer.length + 1);
    out[0] = ACK;
    out.set(answer, 1);
    this.send(out);
  }

  receive(chunk: Uint8Array): void {
    if (this.muted) return;
    const events = this.reader.push(chunk);
    for (const ev of events) this.handle(ev);
    if (this.reader.buffered > 0) this.armTimer();
    else this.clearTimer();
  }

  private handle(ev: WireEvent): void {
    switch (ev.kind) {
      case "control":
        if (ev.byte === ENQ) {
          if (this.preparing) this.sendAck();
          else if (this.pending) this.sendAckAndAnswer(this.pending);
          else this.sendNak();
        } else if (ev.byte === ACK) {
          this.pending = null;
        }
        // NAK from the host: it could not read our answer; it asks again with ENQ.
        return;
      case "frame":
        this.options.onFrame(ev.frame);
        return;
      case "bad-frame":
        this.options.log?.(`bad frame (LRC or length) ${toHex(ev.raw)}: NAK, not executed`);
        this.sendNak();
        return;
      case "garbage":
        this.options.log?.(`ignored ${ev.bytes.length} stray byte(s) ${toHex(ev.bytes)}`);
        return;
    }
  }

  private armTimer(): void {
    if (this.timer) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.muted) return;
      for (const ev of this.reader.flush()) this.handle(ev);
    }, this.byteTimeoutMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
