import { Duplex } from "node:stream";

/**
 * Two connected in-memory serial-line ends: bytes written on one are read on the other. The driver,
 * the agent and tests use it to talk to an in-process emulator without a pty.
 */
export interface LinkedPairOptions {
  /**
   * Simulated line speed in bits per second (10 bits per byte on an 8N1 line), e.g. 115200.
   * Default: off — bytes arrive on the next tick, which benchmarks need.
   */
  baudRate?: number;
}

export interface LinkedPair {
  /** The end a host (driver) uses. */
  host: Duplex;
  /** The end the emulator attaches to. */
  device: Duplex;
  /** Pulls the cable: both ends end and close, as a USB-serial adapter that vanished. */
  unplug(): void;
}

class LineEnd extends Duplex {
  peer: LineEnd | null = null;
  private readonly msPerByte: number;
  private lineFreeAt = 0;

  constructor(baudRate: number | undefined) {
    super({ allowHalfOpen: false });
    this.msPerByte = baudRate ? 10_000 / baudRate : 0;
  }

  override _read(): void {
    // Push-based: data is delivered by the peer's _write as soon as it is written.
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    const peer = this.peer;
    if (!peer || peer.destroyed) {
      done();
      return;
    }
    if (this.msPerByte === 0) {
      peer.push(chunk);
      done();
      return;
    }
    // Bytes leave one after another: the chunk arrives when its last byte would have.
    const now = performance.now();
    const start = Math.max(now, this.lineFreeAt);
    this.lineFreeAt = start + chunk.length * this.msPerByte;
    setTimeout(() => {
      if (!peer.destroyed) peer.push(chunk);
    }, this.lineFreeAt - now).unref();
    done();
  }

  override _final(done: (err?: Error | null) => void): void {
    if (this.peer && !this.peer.destroyed) this.peer.push(null);
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = null;
    if (peer && !peer.destroyed) {
      peer.push(null);
      peer.destroy();
    }
    done(err);
  }
}

export function createLinkedPair(options: LinkedPairOptions = {}): LinkedPair {
  const { baudRate } = options;
  if (baudRate !== undefined && (!Number.isFinite(baudRate) || baudRate <= 0)) {
    throw new TypeError(`"baudRate" must be a positive number, got ${baudRate}`);
  }
  const host = new LineEnd(baudRate);
  const device = new LineEnd(baudRate);
  host.peer = device;
  device.peer = host;
  return {
    host,
    device,
    unplug: () => {
      host.destroy();
      device.destroy();
    },
  };
}
