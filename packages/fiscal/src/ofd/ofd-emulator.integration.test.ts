import { once } from "node:events";
import { connect, createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { encodeDocument } from "../ffd/document.ts";
import { buildFnMessage, decodeConfirmation, encodeConfirmation } from "./confirmation.ts";
import { OfdMessageError, OfdRejectedError, OfdUnavailableError } from "./errors.ts";
import { OfdClient } from "./ofd-client.ts";
import { type OfdEmulator, type OfdEmulatorOptions, startOfdEmulator } from "./ofd-emulator.ts";
import { ManualClock } from "./testing/manual-clock.ts";

const FN = "9287440301120991";

function fnMessage(fdNumber: number, fnNumber = FN): Uint8Array {
  const doc = encodeDocument({
    kind: "shift_open",
    dateTime: 1768467600,
    fdNumber,
    fnNumber,
    fiscalSign: "123456",
    shiftNumber: 1,
    cashier: "Кассир",
    ffdVersion: 4,
  });
  return buildFnMessage(fnNumber, doc);
}

const running: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()?.close();
});

async function emulator(options: Partial<OfdEmulatorOptions> = {}): Promise<OfdEmulator> {
  const ofd = await startOfdEmulator({ port: 0, ...options });
  running.push(ofd);
  return ofd;
}

function clientFor(ofd: OfdEmulator, options: { clock?: ManualClock; timeoutMs?: number } = {}): OfdClient {
  return new OfdClient({
    host: "127.0.0.1",
    port: ofd.port,
    timeoutMs: options.timeoutMs ?? 5000,
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describe("OFD emulator over TCP", () => {
  it("up: confirms a document and counts it", async () => {
    const ofd = await emulator();
    const { confirmation, answer } = await clientFor(ofd).send(fnMessage(7));
    expect(confirmation).toMatchObject({ fnNumber: FN, fdNumber: 7, replyCode: 0 });
    expect(confirmation.operatorSign).toHaveLength(18);
    expect(decodeConfirmation(answer)).toEqual(confirmation);
    expect(ofd.stats()).toMatchObject({ mode: "up", received: 1, documents: 1, duplicates: 0 });
  });

  it("counts a resent document once and answers it with the same confirmation", async () => {
    const ofd = await emulator();
    const client = clientFor(ofd);
    const first = await client.send(fnMessage(7));
    const second = await client.send(fnMessage(7));
    await client.send(fnMessage(8));
    await client.send(fnMessage(7, "9999000011112222"));
    expect(second.answer).toEqual(first.answer);
    expect(ofd.stats()).toMatchObject({ received: 4, documents: 3, duplicates: 1 });
    expect(ofd.documents().find((d) => d.fdNumber === 7 && d.fnNumber === FN)?.receivedCount).toBe(2);
  });

  it("down: the connection is reset and the client reports the OFD unavailable", async () => {
    const ofd = await emulator({ mode: "down" });
    const error = await rejection(clientFor(ofd).send(fnMessage(1)));
    expect(error).toBeInstanceOf(OfdUnavailableError);
    expect(error).toMatchObject({ code: "OFD_DOWN", retryable: true });
    expect(ofd.stats()).toMatchObject({ refused: 1, received: 0, documents: 0 });
  });

  it("5xx: a temporary server error is retryable and accepts nothing; switching to up at run time delivers", async () => {
    const ofd = await emulator({ mode: "5xx" });
    const client = clientFor(ofd);
    const error = await rejection(client.send(fnMessage(3)));
    expect(error).toBeInstanceOf(OfdUnavailableError);
    expect(error).toMatchObject({ code: "OFD_SERVER_ERROR", retryable: true });
    expect(ofd.stats()).toMatchObject({ serverErrors: 1, documents: 0 });
    ofd.setMode("up");
    await expect(client.send(fnMessage(3))).resolves.toMatchObject({
      confirmation: { fdNumber: 3, replyCode: 0 },
    });
    expect(ofd.stats()).toMatchObject({ documents: 1, duplicates: 0 });
  });

  it("reject: a permanent rejection carries the OFD's reason", async () => {
    const ofd = await emulator({ mode: "reject", rejectReason: "KKT is not registered with this OFD" });
    const error = await rejection(clientFor(ofd).send(fnMessage(5)));
    expect(error).toBeInstanceOf(OfdRejectedError);
    expect(error).toMatchObject({
      retryable: false,
      reason: "KKT is not registered with this OFD",
      fdNumber: 5,
    });
    expect((error as Error).message).toMatch(/Resending will not help/);
    expect(ofd.stats()).toMatchObject({ rejected: 1, documents: 0 });
  });

  it("reject mode still answers a document it accepted earlier with its confirmation", async () => {
    const ofd = await emulator();
    const client = clientFor(ofd);
    const first = await client.send(fnMessage(5));
    ofd.setMode("reject");
    expect((await client.send(fnMessage(5))).answer).toEqual(first.answer);
    await expect(client.send(fnMessage(6))).rejects.toBeInstanceOf(OfdRejectedError);
    expect(ofd.stats()).toMatchObject({ documents: 1, duplicates: 1, rejected: 1 });
  });

  it("slow: the answer comes after slowMs on the emulator's clock", async () => {
    const clock = new ManualClock();
    const ofd = await emulator({ mode: "slow", slowMs: 10_000, clock });
    const pending = clientFor(ofd).send(fnMessage(9));
    let answered = false;
    ofd.on("answered", () => {
      answered = true;
    });
    await once(ofd, "message");
    clock.advance(9_999);
    expect(answered).toBe(false);
    clock.advance(1);
    expect(answered).toBe(true);
    await expect(pending).resolves.toMatchObject({ confirmation: { fdNumber: 9 } });
  });

  it("slow beyond the client's timeout: OFD_TIMEOUT, and the resend is a duplicate with the same confirmation", async () => {
    const ofdClock = new ManualClock();
    const clientClock = new ManualClock();
    const ofd = await emulator({ mode: "slow", slowMs: 60_000, clock: ofdClock });
    const client = clientFor(ofd, { clock: clientClock, timeoutMs: 30_000 });
    const pending = client.send(fnMessage(11));
    await once(ofd, "message");
    clientClock.advance(30_000);
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(OfdUnavailableError);
    expect(error).toMatchObject({ code: "OFD_TIMEOUT" });
    // The OFD had already accepted it; the answer was lost with the connection.
    ofdClock.advance(60_000);
    ofd.setMode("up");
    const { confirmation } = await client.send(fnMessage(11));
    expect(confirmation.fdNumber).toBe(11);
    expect(ofd.stats()).toMatchObject({ documents: 1, duplicates: 1 });
  });

  it("flapping: alternates up and down every flapMs", async () => {
    const clock = new ManualClock();
    const ofd = await emulator({ mode: "flapping", flapMs: 3_000, clock });
    const client = clientFor(ofd);
    await expect(client.send(fnMessage(1))).resolves.toBeTruthy();
    clock.advance(3_000);
    expect(ofd.stats().effectiveMode).toBe("down");
    await expect(client.send(fnMessage(2))).rejects.toMatchObject({ code: "OFD_DOWN" });
    clock.advance(3_000);
    await expect(client.send(fnMessage(2))).resolves.toBeTruthy();
    expect(ofd.stats()).toMatchObject({ mode: "flapping", documents: 2, refused: 1 });
  });

  it("drops malformed messages (bad signature, bad CRC) without crashing", async () => {
    const ofd = await emulator();
    const sendRaw = async (bytes: Uint8Array) => {
      const socket = connect({ host: "127.0.0.1", port: ofd.port });
      socket.on("error", () => {});
      await once(socket, "connect");
      socket.write(bytes);
      await once(socket, "close");
    };
    await sendRaw(new Uint8Array(40).fill(0x55));
    const corrupted = fnMessage(4);
    corrupted[corrupted.length - 1] = (corrupted[corrupted.length - 1] as number) ^ 0xff;
    await sendRaw(corrupted);
    expect(ofd.stats()).toMatchObject({ malformed: 2, received: 0 });
    await expect(clientFor(ofd).send(fnMessage(4))).resolves.toBeTruthy();
  });

  it("validates its options", async () => {
    await expect(startOfdEmulator({ port: 0, mode: "sideways" as "up" })).rejects.toThrow(
      /"mode" must be one of/,
    );
    await expect(startOfdEmulator({ port: 0, slowMs: -1 })).rejects.toThrow(/"slowMs"/);
  });
});

describe("OFD emulator HTTP control", () => {
  it("shows stats and switches mode at run time", async () => {
    const ofd = await emulator({ controlPort: 0 });
    const base = `http://127.0.0.1:${ofd.controlPort}`;
    await clientFor(ofd).send(fnMessage(1));
    const stats = await (await fetch(`${base}/stats`)).json();
    expect(stats).toMatchObject({ mode: "up", documents: 1, received: 1 });

    const switched = await fetch(`${base}/mode`, {
      method: "POST",
      body: JSON.stringify({ mode: "reject", rejectReason: "bad INN" }),
    });
    expect(switched.status).toBe(200);
    await expect(clientFor(ofd).send(fnMessage(2))).rejects.toMatchObject({ reason: "bad INN" });

    const viaQuery = await fetch(`${base}/mode?mode=down`, { method: "POST" });
    expect(((await viaQuery.json()) as { mode: string }).mode).toBe("down");

    const documents = await (await fetch(`${base}/documents`)).json();
    expect(documents).toEqual([expect.objectContaining({ fnNumber: FN, fdNumber: 1, receivedCount: 1 })]);

    const bad = await fetch(`${base}/mode`, { method: "POST", body: '{"mode":"sideways"}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/must be one of/);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});

describe("OFD client error typing", () => {
  const rawServer = async (onConnection: (socket: import("node:net").Socket) => void): Promise<number> => {
    const server: Server = createServer(onConnection);
    running.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    return typeof address === "object" && address ? address.port : 0;
  };

  it("refuses to send something that is not an OFD message, before touching the network", async () => {
    const client = new OfdClient({ host: "127.0.0.1", port: 1 });
    await expect(client.send(Uint8Array.of(1, 2, 3))).rejects.toBeInstanceOf(OfdMessageError);
  });

  it("connection refused → OFD_DOWN", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await rejection(new OfdClient({ host: "127.0.0.1", port }).send(fnMessage(1)));
    expect(error).toMatchObject({ code: "OFD_DOWN", retryable: true });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it("closed before answering → OFD_DOWN; garbage → OFD_PROTOCOL; answer for another FD → OFD_PROTOCOL", async () => {
    const closes = await rawServer((socket) => socket.once("data", () => socket.end()));
    await expect(new OfdClient({ host: "127.0.0.1", port: closes }).send(fnMessage(1))).rejects.toMatchObject(
      {
        code: "OFD_DOWN",
      },
    );

    const garbage = await rawServer((socket) =>
      socket.once("data", () => socket.write(new Uint8Array(64).fill(0xee))),
    );
    await expect(
      new OfdClient({ host: "127.0.0.1", port: garbage }).send(fnMessage(1)),
    ).rejects.toMatchObject({
      code: "OFD_PROTOCOL",
    });

    const wrongFd = await rawServer((socket) =>
      socket.once("data", () =>
        socket.write(
          encodeConfirmation({
            fnNumber: FN,
            fdNumber: 99,
            dateTime: 0,
            operatorSign: new Uint8Array(18),
            replyCode: 0,
          }),
        ),
      ),
    );
    const error = await rejection(new OfdClient({ host: "127.0.0.1", port: wrongFd }).send(fnMessage(1)));
    expect(error).toBeInstanceOf(OfdUnavailableError);
    expect(error).toMatchObject({ code: "OFD_PROTOCOL" });
  });

  it("validates its options", () => {
    expect(() => new OfdClient({ host: "", port: 1 })).toThrow(/"host"/);
    expect(() => new OfdClient({ host: "x", port: 70000 })).toThrow(/"port"/);
    expect(() => new OfdClient({ host: "x", port: 1, timeoutMs: 0 })).toThrow(/"timeoutMs"/);
  });
});
