import type { Duplex } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeviceDisconnectedError, DeviceTimeoutError } from "../device/errors.ts";
import { createLinkedPair } from "../emulator/linked-pair.ts";
import { ACK, ENQ, encodeAnswerFrame, type Frame, FrameReader, NAK, type WireEvent } from "./frame.ts";
import { ShtrihTransport } from "./transport.ts";

/** A device driven by a script: it sees what the host sends and answers as the test says. */
function scriptedDevice(end: Duplex, react: (e: WireEvent, dev: ScriptedDevice) => void): ScriptedDevice {
  const reader = new FrameReader();
  const dev: ScriptedDevice = {
    received: [],
    frames: [],
    send: (...chunks) => {
      for (const c of chunks) end.write(typeof c === "number" ? Uint8Array.of(c) : c);
    },
  };
  end.on("data", (chunk: Buffer) => {
    for (const e of reader.push(chunk)) {
      dev.received.push(e.kind === "control" ? e.byte : e.kind);
      if (e.kind === "frame") dev.frames.push(e.frame);
      react(e, dev);
    }
  });
  return dev;
}
interface ScriptedDevice {
  /** Control bytes (numbers) and event kinds the device received, in order. */
  received: (number | string)[];
  frames: Frame[];
  send(...chunks: (number | Uint8Array)[]): void;
}

const ok = (cmd: number, ...data: number[]) => encodeAnswerFrame(cmd, 0, Uint8Array.of(...data));
const corrupt = (f: Uint8Array) => {
  const c = f.slice();
  c[c.length - 1]! ^= 0x55;
  return c;
};
const PASSWORD = Uint8Array.of(30, 0, 0, 0);

/** Well-behaved device: NAK when idle, ACK + answer for a frame, answer on ENQ while pending. */
function honest(answer: (f: Frame) => Uint8Array) {
  let pending: Uint8Array | null = null;
  return (e: WireEvent, dev: ScriptedDevice) => {
    if (e.kind === "control" && e.byte === ENQ) {
      if (pending) dev.send(ACK, pending);
      else dev.send(NAK);
    } else if (e.kind === "frame") {
      pending = answer(e.frame);
      dev.send(ACK, pending);
    } else if (e.kind === "control" && e.byte === ACK) {
      pending = null;
    }
  };
}

let pair: ReturnType<typeof createLinkedPair>;
beforeEach(() => {
  vi.useFakeTimers();
  pair = createLinkedPair();
});
afterEach(() => {
  pair.unplug();
  vi.useRealTimers();
});

describe("ShtrihTransport handshake", () => {
  it("ENQ → NAK → frame → ACK → answer → ACK", async () => {
    const dev = scriptedDevice(
      pair.device,
      honest((f) => ok(f.command, 1, 2)),
    );
    const t = new ShtrihTransport(pair.host);
    const answer = await t.execute(0x10, PASSWORD);
    expect(answer).toEqual({ command: 0x10, data: Uint8Array.of(0, 1, 2) });
    await vi.advanceTimersByTimeAsync(0);
    expect(dev.received).toEqual([ENQ, "frame", ACK]);
  });

  it("reads and ACKs a pending answer before sending a new command", async () => {
    let pendingStale: Uint8Array | null = ok(0xff45, 9);
    const base = honest((f) => ok(f.command, 7));
    const dev = scriptedDevice(pair.device, (e, d) => {
      if (pendingStale && e.kind === "control" && e.byte === ENQ) {
        d.send(ACK, pendingStale);
        return;
      }
      if (pendingStale && e.kind === "control" && e.byte === ACK) {
        pendingStale = null;
        return;
      }
      base(e, d);
    });
    const stale: Frame[] = [];
    const t = new ShtrihTransport(pair.host, { onStaleAnswer: (f) => stale.push(f) });
    const answer = await t.execute(0x10, PASSWORD);
    expect(answer.data).toEqual(Uint8Array.of(0, 7));
    expect(stale.map((f) => f.command)).toEqual([0xff45]);
    expect(dev.received.slice(0, 3)).toEqual([ENQ, ACK, ENQ]);
    expect(dev.frames).toHaveLength(1);
  });

  it("re-sends a frame the device NAKed (rejected, not executed)", async () => {
    let naks = 1;
    const base = honest((f) => ok(f.command));
    const dev = scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "frame" && naks > 0) {
        naks--;
        d.send(NAK);
        return;
      }
      base(e, d);
    });
    const t = new ShtrihTransport(pair.host);
    await t.execute(0xff46, PASSWORD);
    expect(dev.frames).toHaveLength(2);
    expect(t.stats.naksReceived).toBe(1);
  });

  it("a late NAK to a timed-out ENQ is not taken for a rejected frame (the frame goes out once)", async () => {
    let enqs = 0;
    const base = honest((f) => ok(f.command, 3));
    const dev = scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "control" && e.byte === ENQ && ++enqs <= 2) {
        // A line waking up from idle: the first ENQ's NAK arrives together with the second's.
        if (enqs === 2) d.send(Uint8Array.of(NAK, NAK));
        return;
      }
      base(e, d);
    });
    const t = new ShtrihTransport(pair.host);
    const p = t.execute(0xff45, PASSWORD);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await p).data).toEqual(Uint8Array.of(0, 3));
    expect(dev.frames).toHaveLength(1);
  });

  it("on a bad LRC answers NAK, then ENQ, and gets the answer again without re-sending the command", async () => {
    let corruptOnce = true;
    let pending: Uint8Array | null = null;
    const dev = scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "control" && e.byte === ENQ) d.send(...(pending ? [ACK, pending] : [NAK]));
      if (e.kind === "frame") {
        pending = ok(0xff45, 0, 0, 0, 0, 0, 29, 0, 0, 0, 1, 2, 3, 4);
        d.send(ACK, corruptOnce ? corrupt(pending) : pending);
        corruptOnce = false;
      }
      if (e.kind === "control" && e.byte === ACK) pending = null;
    });
    const t = new ShtrihTransport(pair.host);
    const p = t.execute(0xff45, PASSWORD);
    // The corrupt answer holds an 0x02 byte, so the reader waits out the inter-byte gap first.
    await vi.advanceTimersByTimeAsync(100);
    const answer = await p;
    expect(answer.data[6]).toBe(29);
    expect(dev.frames).toHaveLength(1);
    expect(dev.received).toEqual([ENQ, "frame", NAK, ENQ, ACK]);
    expect(t.stats.badFrames).toBe(1);
  });

  it("silence after the frame, then no pending answer → uncertain timeout, frame sent once", async () => {
    const dev = scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "control" && e.byte === ENQ) d.send(NAK); // lost power after the frame
    });
    const t = new ShtrihTransport(pair.host);
    const p = t.execute(0xff45, PASSWORD);
    const settled = expect(p).rejects.toSatisfy((err) => err instanceof DeviceTimeoutError && err.uncertain);
    await vi.advanceTimersByTimeAsync(5_000);
    await settled;
    expect(dev.frames).toHaveLength(1);
    expect(dev.received).toEqual([ENQ, "frame", ENQ]);
  });

  it("a device that never answers ENQ → timeout that is NOT uncertain, and no frame sent", async () => {
    const dev = scriptedDevice(pair.device, () => {});
    const t = new ShtrihTransport(pair.host, { enqAttempts: 3 });
    const p = t.execute(0xff45, PASSWORD);
    const settled = expect(p).rejects.toSatisfy((err) => err instanceof DeviceTimeoutError && !err.uncertain);
    await vi.advanceTimersByTimeAsync(3_000);
    await settled;
    expect(dev.received).toEqual([ENQ, ENQ, ENQ]);
  });

  it("a slow answer: after the answer timeout it asks with ENQ and waits again", async () => {
    let pending: Uint8Array | null = null;
    const dev = scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "control" && e.byte === ENQ) d.send(pending ? ACK : NAK);
      if (e.kind === "frame") {
        d.send(ACK);
        pending = ok(0xe0, 1);
        setTimeout(() => d.send(pending!), 4_000);
      }
    });
    const t = new ShtrihTransport(pair.host, { answerTimeoutMs: () => 3_000 });
    const p = t.execute(0xe0, PASSWORD);
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await p).data).toEqual(Uint8Array.of(0, 1));
    expect(dev.frames).toHaveLength(1);
    expect(dev.received).toEqual([ENQ, "frame", ENQ, ACK]);
  });

  it("ignores garbage around the handshake", async () => {
    const junk = Uint8Array.of(0xff, 0x00, 0x37, 0xa5);
    scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "control" && e.byte === ENQ) d.send(junk, NAK);
      if (e.kind === "frame") d.send(junk, ACK, junk, ok(0x10, 5));
    });
    const t = new ShtrihTransport(pair.host);
    expect((await t.execute(0x10, PASSWORD)).data).toEqual(Uint8Array.of(0, 5));
    expect(t.stats.garbageBytes).toBe(12);
  });

  it("a half-received answer is given up after the inter-byte timeout and fetched again with ENQ", async () => {
    let pending: Uint8Array | null = null;
    const dev = scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "control" && e.byte === ENQ) d.send(...(pending ? [ACK, pending] : [NAK]));
      if (e.kind === "frame") {
        pending = ok(0x11, 1, 2, 3);
        d.send(ACK, pending.subarray(0, 4)); // the rest is lost on the line
      }
    });
    const t = new ShtrihTransport(pair.host);
    const p = t.execute(0x11, PASSWORD);
    await vi.advanceTimersByTimeAsync(100);
    expect((await p).data).toEqual(Uint8Array.of(0, 1, 2, 3));
    expect(dev.frames).toHaveLength(1);
  });

  it("a half answer cut off by a power loss does not swallow the device's reply to the next ENQ", async () => {
    // The device answers half a frame and loses power: back at once, idle, with nothing pending.
    // The answer timeout (40 ms) passes before the inter-byte timeout (50 ms) gives up on the half.
    let cutOff = true;
    const dev = scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "control" && e.byte === ENQ) d.send(NAK);
      if (e.kind === "frame") {
        d.send(ACK);
        if (cutOff) d.send(ok(e.frame.command, 1, 2, 3).subarray(0, 4));
        else d.send(ok(e.frame.command, 7));
        cutOff = false;
      }
    });
    const t = new ShtrihTransport(pair.host, { enqTimeoutMs: 25, enqAttempts: 2, answerTimeoutMs: () => 40 });
    const first = t.execute(0xff01, PASSWORD).catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(200);
    // The device's NAK is heard: it has no answer (it lost power), not "it went silent".
    expect(await first).toSatisfy(
      (err) => err instanceof DeviceTimeoutError && err.uncertain && /has no answer/.test(err.message),
    );
    // The half is given up at the inter-byte timeout as a bad answer (NAKed) before anyone ENQs.
    expect(t.stats.badFrames).toBe(1);
    // And the next command goes out on the first ENQ.
    const second = t.execute(0x10, PASSWORD);
    await vi.advanceTimersByTimeAsync(0);
    expect((await second).data).toEqual(Uint8Array.of(0, 7));
    expect(dev.received).toEqual([ENQ, "frame", NAK, ENQ, ENQ, "frame", ACK]);
  });

  // An answer `02 04 10 00 | 15 20 21`: read from its middle, its data byte 0x15 passes for NAK.
  const splitAnswer = () => {
    const whole = ok(0x10, 0x15, 0x20);
    return { whole, head: whole.subarray(0, 4), rest: whole.subarray(4) };
  };

  it("an answer still arriving when the answer timeout ends is read whole, not ENQed into", async () => {
    const { whole, head, rest } = splitAnswer();
    // An ENQ heard while the answer goes out is answered after it: ACK, the answer is still owed.
    let transmitting = false;
    let enqWhileTransmitting = false;
    const dev = scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "control" && e.byte === ENQ) {
        if (transmitting) enqWhileTransmitting = true;
        else d.send(NAK);
      }
      if (e.kind === "frame") {
        d.send(ACK);
        setTimeout(() => {
          transmitting = true;
          d.send(head);
        }, 35);
        setTimeout(() => {
          d.send(rest);
          transmitting = false;
          if (enqWhileTransmitting) d.send(ACK, whole);
        }, 45);
      }
    });
    const t = new ShtrihTransport(pair.host, { enqTimeoutMs: 25, answerTimeoutMs: () => 40 });
    const answer = t.execute(0x10, PASSWORD).catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(200);
    expect(await answer).toEqual({ command: 0x10, data: whole.subarray(3, -1) });
    expect(dev.received).toEqual([ENQ, "frame", ACK]);
  });

  it("a late NAK glued to the start of the answer (its ACK lost) never gets the frame sent twice", async () => {
    const { head, rest } = splitAnswer();
    let transmitting = false;
    let enqWhileTransmitting = false;
    const dev = scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "control" && e.byte === ENQ) {
        if (transmitting) enqWhileTransmitting = true;
        else d.send(NAK);
      }
      if (e.kind === "frame" && dev.frames.length === 1) {
        // The NAK answers an earlier ENQ; the frame's ACK was lost on the line.
        transmitting = true;
        d.send(Uint8Array.of(NAK, ...head));
        setTimeout(() => {
          d.send(rest);
          transmitting = false;
          if (enqWhileTransmitting) d.send(ACK, splitAnswer().whole);
        }, 10);
      } else if (e.kind === "frame") {
        d.send(ACK, splitAnswer().whole);
      }
    });
    const t = new ShtrihTransport(pair.host, { enqTimeoutMs: 25 });
    const answer = t.execute(0x10, PASSWORD).catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(200);
    expect(await answer).toMatchObject({ command: 0x10, data: Uint8Array.of(0, 0x15, 0x20) });
    expect(dev.frames).toHaveLength(1);
  });

  it("cable pulled while a command is in flight → disconnected and uncertain", async () => {
    scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "control" && e.byte === ENQ) d.send(NAK);
      if (e.kind === "frame") pair.unplug();
    });
    const t = new ShtrihTransport(pair.host);
    await expect(t.execute(0xff45, PASSWORD)).rejects.toSatisfy(
      (err) => err instanceof DeviceDisconnectedError && err.uncertain,
    );
    // Every later command fails fast and is certain not to have been sent.
    await expect(t.execute(0x10, PASSWORD)).rejects.toSatisfy(
      (err) => err instanceof DeviceDisconnectedError && !err.uncertain,
    );
  });

  it("runs one command at a time, in call order", async () => {
    const dev = scriptedDevice(
      pair.device,
      honest((f) => ok(f.command)),
    );
    const t = new ShtrihTransport(pair.host);
    const answers = await Promise.all([
      t.execute(0x10, PASSWORD),
      t.execute(0xff01, PASSWORD),
      t.execute(0x11, PASSWORD),
    ]);
    expect(answers.map((a) => a.command)).toEqual([0x10, 0xff01, 0x11]);
    expect(dev.received).toEqual([ENQ, "frame", ACK, ENQ, "frame", ACK, ENQ, "frame", ACK]);
  });

  it("a line that babbles ACKs after the frame ends in an uncertain error, not a hang", async () => {
    scriptedDevice(pair.device, (e, d) => {
      if (e.kind === "control" && e.byte === ENQ) d.send(NAK);
      if (e.kind === "frame") for (let i = 0; i < 100; i++) d.send(ACK);
    });
    const t = new ShtrihTransport(pair.host);
    await expect(t.execute(0xff45, PASSWORD)).rejects.toSatisfy(
      (err) => err instanceof DeviceTimeoutError && err.uncertain,
    );
  });
});
