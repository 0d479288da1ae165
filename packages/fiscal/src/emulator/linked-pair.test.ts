import { afterEach, describe, expect, it, vi } from "vitest";
import { createLinkedPair } from "./linked-pair.ts";
import { settle } from "./test-line.ts";

afterEach(() => {
  vi.useRealTimers();
});

function collect(stream: NodeJS.ReadableStream): number[] {
  const got: number[] = [];
  stream.on("data", (chunk: Buffer) => got.push(...chunk));
  return got;
}

describe("createLinkedPair", () => {
  it("carries bytes both ways", async () => {
    const { host, device } = createLinkedPair();
    const atDevice = collect(device);
    const atHost = collect(host);
    host.write(Uint8Array.of(1, 2, 3));
    device.write(Uint8Array.of(9));
    await settle();
    expect(atDevice).toEqual([1, 2, 3]);
    expect(atHost).toEqual([9]);
  });

  it("unplug closes both ends", async () => {
    const pair = createLinkedPair();
    const closed: string[] = [];
    pair.host.on("close", () => closed.push("host"));
    pair.device.on("close", () => closed.push("device"));
    pair.unplug();
    await settle();
    expect(closed.sort()).toEqual(["device", "host"]);
  });

  it("with a baud rate, bytes arrive after their time on the line (10 bits per byte)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const { host, device } = createLinkedPair({ baudRate: 9600 });
    const atDevice = collect(device);
    host.write(new Uint8Array(96)); // 100 ms at 9600 baud
    await settle();
    expect(atDevice).toHaveLength(0);
    vi.advanceTimersByTime(99);
    await settle();
    expect(atDevice).toHaveLength(0);
    vi.advanceTimersByTime(1);
    await settle();
    expect(atDevice).toHaveLength(96);
  });

  it("rejects a nonsense baud rate", () => {
    expect(() => createLinkedPair({ baudRate: -5 })).toThrow(/"baudRate"/);
  });
});
