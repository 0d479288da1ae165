import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FiscalDeviceError } from "../device/errors.ts";
import type { FiscalReceipt } from "../device/fiscal-device.ts";
import { AtolDevice } from "./atol-device.ts";
import { REQUESTS_PATH } from "./protocol.ts";
import { type AtolRig, atolRig, sale } from "./test-fixtures.ts";
import { MAX_ANSWER_BYTES } from "./web-client.ts";

// An adversarial review of the ATOL path: answers of the wrong shape or type, error codes that
// hide a document, a driver that will not hand a document out, answers too large to read. Each
// must end as a typed FiscalDeviceError — never a crash — and, following the agent's protocol
// (uncertain → recover from the FN first; certain → post again), in exactly one document.

let rig: AtolRig;
const servers: http.Server[] = [];
afterEach(async () => {
  await rig?.close();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

type Edit = (json: Record<string, unknown>, taskType: string | undefined) => unknown;

/**
 * A fetch in front of the emulator that rewrites the JSON of task-state answers (GET) with `edit`,
 * told which task type the request was posted with, while `active()` says so.
 */
function tampering(edit: Edit, active: () => boolean = () => true): typeof fetch {
  const types = new Map<string, string>();
  return async (input, init) => {
    if (init?.method === "POST" && typeof init.body === "string") {
      const body = JSON.parse(init.body) as { uuid: string; request: { type: string }[] };
      types.set(body.uuid, body.request[0]!.type);
    }
    const res = await fetch(input, init);
    const path = new URL(String(input)).pathname;
    if (init?.method !== "GET" || !path.startsWith(`${REQUESTS_PATH}/`) || res.status !== 200 || !active())
      return res;
    const json = (await res.json()) as Record<string, unknown>;
    const uuid = decodeURIComponent(path.slice(REQUESTS_PATH.length + 1));
    return new Response(JSON.stringify(edit(json, types.get(uuid)) ?? json), { status: 200 });
  };
}

/** What the agent's fiscal queue does with a receipt, as far as the device sees it. */
async function asTheAgentDoes(device: AtolDevice, receipt: FiscalReceipt, expectedFd: number) {
  for (let round = 0; round < 10; round++) {
    try {
      return await device.fiscalizeReceipt(receipt);
    } catch (err) {
      expect(err, "a typed device error, never a crash").toBeInstanceOf(FiscalDeviceError);
      if (!(err as FiscalDeviceError).uncertain) continue; // certain: nothing printed, post again
      try {
        const r = await device.recoverReceipt(receipt.receiptId, expectedFd);
        if (r.fiscalized) return r.attributes;
      } catch (e) {
        expect(e, "a typed device error, never a crash").toBeInstanceOf(FiscalDeviceError);
      }
    }
  }
  throw new Error("not settled in 10 rounds");
}

describe("bad answers from the ATOL web server", () => {
  it("every garbage answer (not JSON, null, no results, unknown status, string code, ready without params) is a typed uncertain error; in the end one document", async () => {
    rig = await atolRig();
    for (let i = 0; i < 8; i++) {
      const id = `garbage-${i}`;
      const expectedFd = rig.emulator.fn.lastFdNumber + 1;
      rig.emulator.control("garbage 1");
      const err = await rig.device.fiscalizeReceipt(sale(id)).catch((e: unknown) => e);
      expect(err, `garbage answer ${i}`).toBeInstanceOf(FiscalDeviceError);
      expect((err as FiscalDeviceError).uncertain, `garbage answer ${i}`).toBe(true);
      expect(rig.documentsFor(id)).toBe(0);
      await asTheAgentDoes(rig.device, sale(id), expectedFd);
      expect(rig.documentsFor(id), `garbage answer ${i}`).toBe(1);
    }
  });

  it("an uncertain error code sent as a string (241 after the FN made the document) is still uncertain: one document", async () => {
    const stringCodes: Edit = (json) => ({
      results: (json.results as { errorCode: number }[]).map((r) => ({
        ...r,
        errorCode: String(r.errorCode),
      })),
    });
    rig = await atolRig({}, { fetch: tampering(stringCodes) });
    const expectedFd = rig.emulator.fn.lastFdNumber + 1;
    rig.emulator.control("error 241 stage=after-fn");
    const err = await rig.device.fiscalizeReceipt(sale("str-241")).catch((e: unknown) => e);
    expect(err).toMatchObject({ kassaCode: "DEVICE_DISCONNECTED", uncertain: true });
    const done = await asTheAgentDoes(rig.device, sale("str-241"), expectedFd);
    expect(done.fdNumber).toBe(expectedFd);
    expect(rig.documentsFor("str-241")).toBe(1);
  });

  it('"ready" without a usable fiscal sign is not stored as sign "undefined": recovery reads the FN\'s own', async () => {
    let tamper = true;
    const noSign: Edit = (json, type) => {
      if (type !== "sell") return json;
      const [r] = json.results as { result: { fiscalParams: Record<string, unknown> } }[];
      const { fiscalDocumentSign: _, ...rest } = r!.result.fiscalParams;
      return { results: [{ ...r, result: { ...r!.result, fiscalParams: rest } }] };
    };
    rig = await atolRig({}, { fetch: tampering(noSign, () => tamper) });
    const expectedFd = rig.emulator.fn.lastFdNumber + 1;
    const err = await rig.device.fiscalizeReceipt(sale("no-sign")).catch((e: unknown) => e);
    expect(err).toMatchObject({ kassaCode: "PROTOCOL_ERROR", uncertain: true });
    const r = await rig.device.recoverReceipt("no-sign", expectedFd);
    const doc = rig.emulator.fn.find(expectedFd)!;
    expect(r).toEqual({
      fiscalized: true,
      attributes: expect.objectContaining({ fdNumber: expectedFd, fiscalSign: String(doc.fiscalSign) }),
    });
    tamper = false;
    expect(rig.documentsFor("no-sign")).toBe(1);
  });

  it("query answers without their fields are typed errors, not TypeErrors", async () => {
    rig = await atolRig(
      {},
      { fetch: tampering((json) => ({ results: [{ ...(json.results as object[])[0], result: {} }] })) },
    );
    for (const call of [
      () => rig.device.identify(),
      () => rig.device.status(),
      () => rig.device.fnStatus(),
      () => rig.device.ofdStatus(),
      () => rig.device.cashInDrawer(),
      () => rig.device.recoverReceipt("nothing", 1),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: "FiscalDeviceError", kassaCode: "PROTOCOL_ERROR" });
    }
  });

  it("an answer larger than the cap is refused as a typed error without reading it whole", async () => {
    const server = http.createServer((_req, res) => {
      // An endless JSON-looking body: a misconfigured URL pointing at a stream, not the driver.
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"results":[{"status":"wait","pad":"');
      const chunk = "x".repeat(64 * 1024);
      const pump = () => {
        while (res.write(chunk));
        res.once("drain", pump);
      };
      pump();
      res.on("close", () => res.removeAllListeners("drain"));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    rig = await atolRig({}, { url: `http://127.0.0.1:${port}`, requestTimeoutMs: 20_000 });
    const started = Date.now();
    const err = await rig.device.fiscalizeReceipt(sale("huge")).catch((e: unknown) => e);
    expect(err).toMatchObject({ kassaCode: "PROTOCOL_ERROR", uncertain: true });
    expect((err as Error).message).toContain(String(MAX_ANSWER_BYTES));
    expect(Date.now() - started).toBeLessThan(10_000); // the cap, not the request timeout, ended it
  });
});

describe("error codes that may hide a document", () => {
  for (const code of [140, 115, 4242]) {
    it(`driver error ${code} after the FN made the document: uncertain, settled by the FN, one document`, async () => {
      rig = await atolRig();
      const expectedFd = rig.emulator.fn.lastFdNumber + 1;
      rig.emulator.control(`error ${code} stage=after-fn`);
      const err = await rig.device.fiscalizeReceipt(sale(`code-${code}`)).catch((e: unknown) => e);
      expect(err).toMatchObject({ uncertain: true });
      await asTheAgentDoes(rig.device, sale(`code-${code}`), expectedFd);
      expect(rig.documentsFor(`code-${code}`)).toBe(1);
    });
  }

  it("a driver that will not hand out a document in the FN's range: recovery stays uncertain, never 'not fiscalized'", async () => {
    const refuseDocuments: Edit = (json, type) =>
      type === "getFnDocument"
        ? { results: [{ status: "error", errorCode: 13, errorDescription: "Неверный параметр" }] }
        : json;
    rig = await atolRig({}, { fetch: tampering(refuseDocuments) });
    const expectedFd = rig.emulator.fn.lastFdNumber + 1;
    rig.emulator.control("power-loss stage=after-fn");
    await expect(rig.device.fiscalizeReceipt(sale("hidden"))).rejects.toMatchObject({ uncertain: true });
    await rig.emulator.up(); // before "power-on", whose own up() would race this listen
    rig.emulator.control("power-on");
    expect(rig.documentsFor("hidden")).toBe(1);
    await expect(rig.device.recoverReceipt("hidden", expectedFd)).rejects.toMatchObject({
      kassaCode: "PROTOCOL_ERROR",
      uncertain: true,
    });
  });
});

describe("paper out mid-receipt", () => {
  it("a device reopened after the receipt still knows it was not printed to the end, and finishes it", async () => {
    rig = await atolRig();
    rig.emulator.control("paper mid-receipt");
    await rig.device.fiscalizeReceipt(sale("mid-reopen"));
    // The agent reopens the device after a disconnect: a new instance on the same driver.
    const reopened = new AtolDevice({ url: rig.emulator.url, pollMs: 2 });
    expect(await reopened.status()).toMatchObject({ paperPresent: false, awaitingContinuePrint: true });
    rig.emulator.control("paper in");
    await reopened.continuePrint();
    expect((await reopened.status()).awaitingContinuePrint).toBe(false);
    expect(rig.documentsFor("mid-reopen")).toBe(1);
  });
});

describe("a receipt refused many times", () => {
  it("is never given up for good: after more certain refusals than one call reads, it still prints once when fixed", async () => {
    // maxAttempts bounds the attempts one call reads (3 here, 1000 by default): a register that
    // refuses every receipt for half an hour (the agent retries every 2 s) must not make the
    // receipt at the head of the queue unprintable once it is fixed.
    rig = await atolRig({}, { maxAttempts: 3 });
    rig.emulator.control("paper out");
    for (let i = 0; i < 5; i++)
      await expect(rig.device.fiscalizeReceipt(sale("refused"))).rejects.toMatchObject({
        kassaCode: "PAPER_OUT",
      });
    rig.emulator.control("paper in");
    const done = await rig.device.fiscalizeReceipt(sale("refused"));
    expect(done.fdNumber).toBe(rig.emulator.fn.lastFdNumber);
    expect(rig.documentsFor("refused")).toBe(1);
  });

  it("a device that has not seen the earlier attempts (the agent restarted) reads on across calls, and prints once", async () => {
    rig = await atolRig({}, { maxAttempts: 3 });
    rig.emulator.control("paper out");
    for (let i = 0; i < 5; i++) await rig.device.fiscalizeReceipt(sale("cold")).catch(() => undefined);
    rig.emulator.control("paper in");
    // Another spelling of the same server: nothing remembered for it, as after a restart.
    const cold = new AtolDevice({
      url: rig.emulator.url.replace("127.0.0.1", "localhost"),
      pollMs: 2,
      maxAttempts: 3,
    });
    let result: Awaited<ReturnType<AtolDevice["fiscalizeReceipt"]>> | null = null;
    for (let call = 0; call < 4 && !result; call++) {
      result = await cold.fiscalizeReceipt(sale("cold")).catch((e: unknown) => {
        expect(e).toMatchObject({ kassaCode: "DEVICE_BUSY", uncertain: false });
        return null;
      });
    }
    expect(result?.fdNumber).toBe(rig.emulator.fn.lastFdNumber);
    expect(rig.documentsFor("cold")).toBe(1);
  });
});

describe("recovery across many attempts", () => {
  it("never asks the FN before it has read up to the last attempt: a later one may still be running", async () => {
    rig = await atolRig({}, { taskTimeoutMs: 100 });
    rig.emulator.control("paper out");
    for (let i = 0; i < 2; i++) await rig.device.fiscalizeReceipt(sale("late")).catch(() => undefined);
    rig.emulator.control("paper in");
    rig.emulator.control("stuck sell");
    await expect(rig.device.fiscalizeReceipt(sale("late"))).rejects.toMatchObject({ uncertain: true });
    // The agent restarted: a device that reads 2 attempts per call.
    const cold = new AtolDevice({
      url: rig.emulator.url.replace("127.0.0.1", "localhost"),
      pollMs: 2,
      maxAttempts: 2,
    });
    const expectedFd = rig.emulator.fn.lastFdNumber + 1;
    await expect(cold.recoverReceipt("late", expectedFd)).rejects.toMatchObject({ uncertain: true });
    await expect(cold.recoverReceipt("late", expectedFd)).rejects.toMatchObject({
      kassaCode: "DEVICE_TIMEOUT",
    });
    rig.emulator.control("release");
    await expect
      .poll(async () => (await cold.recoverReceipt("late", expectedFd).catch(() => null))?.fiscalized)
      .toBe(true);
    expect(rig.documentsFor("late")).toBe(1);
  });
});

describe("HTTP refusals of the post", () => {
  for (const [status, kassaCode] of [
    [401, "DEVICE_ERROR"],
    [403, "DEVICE_ERROR"],
    [404, "DEVICE_ERROR"],
    [400, "BAD_PARAMETERS"],
  ] as const) {
    it(`HTTP ${status}: ${kassaCode} (a content refusal sets the receipt aside; access or URL trouble must not)`, async () => {
      const server = http.createServer((req, res) => {
        // Nothing held: every state read is 404; the post itself is refused with `status`.
        res.writeHead(req.method === "POST" ? status : 404, { "content-type": "application/json" });
        res.end('{"error":{"code":1,"description":"refused"}}');
      });
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const { port } = server.address() as AddressInfo;
      rig = await atolRig({}, { url: `http://127.0.0.1:${port}` });
      await expect(rig.device.fiscalizeReceipt(sale(`http-${status}`))).rejects.toMatchObject({
        kassaCode,
        uncertain: false,
      });
    });
  }
});
