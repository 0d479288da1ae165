/**
 * The ATOL emulator driven over real HTTP by a client written for this test from the public
 * material on the web requests API (see protocol.ts's header for the sources), not with AtolDevice
 * or protocol.ts: plain fetch, the documented paths, field names typed out here. If the emulator
 * drifted from the documented shapes, this fails even if AtolDevice drifted with it.
 */
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, expect, it } from "vitest";
import { FakeClock } from "../emulator/clock.ts";
import { decodeTlvRaw } from "../ffd/tlv.ts";
import { AtolEmulator } from "./atol-emulator.ts";

let emulator: AtolEmulator;
let base: string;

beforeEach(async () => {
  emulator = new AtolEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z"), openShift: true });
  base = `http://127.0.0.1:${await emulator.listen(0)}`;
});
afterEach(async () => {
  await emulator.close();
});

/** POST /api/v2/requests {uuid, request: [task…]}. */
async function post(uuid: string, request: unknown[]) {
  const res = await fetch(`${base}/api/v2/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ uuid, request }),
  });
  return res.status;
}

/** GET /api/v2/requests/{uuid} until no subtask is wait/inProgress. */
async function results(
  uuid: string,
): Promise<{ status: string; errorCode: number; errorDescription: string; result?: any }[]> {
  for (;;) {
    const res = await fetch(`${base}/api/v2/requests/${uuid}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { status: string }[] };
    if (body.results.every((r) => r.status !== "wait" && r.status !== "inProgress"))
      return body.results as never;
    await new Promise((r) => setTimeout(r, 2));
  }
}

const sell = {
  type: "sell",
  taxationType: "osn",
  operator: { name: "Иванов И.И.", vatin: "123654789507" },
  items: [
    {
      type: "position",
      name: "Бананы",
      price: 73.15,
      quantity: 1.0,
      amount: 73.15,
      tax: { type: "vat20" },
      paymentMethod: "fullPayment",
      paymentObject: "commodity",
      measurementUnit: "kilogram",
    },
    { type: "additionalAttribute", value: "kassa-r-001", print: true },
  ],
  payments: [{ type: "cash", sum: 100.0 }],
};

it("sell: 201, then ready with fiscalParams named as documented", async () => {
  const uuid = randomUUID();
  expect(await post(uuid, [sell])).toBe(201);
  const [r] = await results(uuid);
  expect(r).toMatchObject({ status: "ready", errorCode: 0 });
  const p = r!.result.fiscalParams;
  expect(Object.keys(p)).toEqual(
    expect.arrayContaining([
      "fiscalDocumentDateTime",
      "fiscalDocumentNumber",
      "fiscalDocumentSign",
      "fiscalReceiptNumber",
      "fnNumber",
      "registrationNumber",
      "shiftNumber",
      "total",
      "fnsUrl",
    ]),
  );
  expect(p.total).toBe(73.15);
  expect(typeof p.fiscalDocumentSign).toBe("string");
  expect(p.fiscalDocumentDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  expect(r!.result.warnings).toEqual({ notPrinted: false });
  // The FN holds it with tag 1192 = the additionalAttribute, readable by getFnDocument's raw TLV.
  const uuid2 = randomUUID();
  await post(uuid2, [
    { type: "getFnDocument", fiscalDocumentNumber: p.fiscalDocumentNumber, withRawData: true },
  ]);
  const [doc] = await results(uuid2);
  expect(doc!.result.fiscalDocumentType).toBe("receipt");
  const [outer] = decodeTlvRaw(Buffer.from(doc!.result.rawData, "base64"));
  expect(outer!.tag).toBe(3);
  const tag1192 = decodeTlvRaw(outer!.value).find((t) => t.tag === 1192);
  expect(Buffer.from(tag1192!.value).toString("latin1")).toBe("kassa-r-001");
});

it("a duplicate UUID is refused and never runs twice", async () => {
  const uuid = randomUUID();
  expect(await post(uuid, [sell])).toBe(201);
  expect(await post(uuid, [sell])).toBe(409);
  await results(uuid);
  expect(await post(uuid, [sell])).toBe(409);
  expect(emulator.executions.get(uuid)).toBe(1);
  expect(emulator.fn.allDocuments().filter((d) => d.receiptTag === "kassa-r-001")).toHaveLength(1);
});

it("an unknown UUID is 404; a body without uuid or tasks is 400", async () => {
  expect((await fetch(`${base}/api/v2/requests/${randomUUID()}`)).status).toBe(404);
  const bad = await fetch(`${base}/api/v2/requests`, {
    method: "POST",
    body: JSON.stringify({ request: [sell] }),
  });
  expect(bad.status).toBe(400);
  expect((await fetch(`${base}/api/v2/requests`, { method: "POST", body: "{" })).status).toBe(400);
});

it("status queries answer with the documented objects", async () => {
  const uuid = randomUUID();
  await post(uuid, [
    { type: "getDeviceStatus" },
    { type: "getShiftStatus" },
    { type: "getFnInfo" },
    { type: "getFnStatus" },
    { type: "getDeviceInfo" },
    { type: "ofdExchangeStatus" },
    { type: "getShiftTotals" },
  ]);
  const [device, shift, fnInfo, fnStatus, info, ofd, totals] = await results(uuid);
  expect(Object.keys(device!.result.deviceStatus)).toEqual(
    expect.arrayContaining([
      "currentDateTime",
      "shift",
      "blocked",
      "coverOpened",
      "paperPresent",
      "fiscal",
      "fnFiscal",
      "fnPresent",
      "cashDrawerOpened",
    ]),
  );
  expect(device!.result.deviceStatus.shift).toBe("opened");
  expect(shift!.result.shiftStatus).toMatchObject({ number: 1, state: "opened" });
  expect(shift!.result.shiftStatus.expiredTime).toMatch(/^\d{4}-/);
  expect(fnInfo!.result.fnInfo.serial).toMatch(/^\d{16}$/);
  expect(fnStatus!.result.fnStatus).toMatchObject({ fiscalDocumentNumber: 2 });
  expect(Object.keys(info!.result.deviceInfo)).toEqual(
    expect.arrayContaining(["model", "modelName", "serial", "firmwareVersion"]),
  );
  expect(Object.keys(ofd!.result.status)).toEqual([
    "notSentCount",
    "notSentFirstDocNumber",
    "notSentFirstDocDateTime",
  ]);
  expect(totals!.result.shiftTotals.cashDrawer.sum).toBe(0);
});

it("a failing subtask is error with its code; the ones after it are interrupted", async () => {
  emulator.control("paper out");
  const uuid = randomUUID();
  await post(uuid, [sell, { type: "getDeviceStatus" }]);
  const [first, second] = await results(uuid);
  expect(first).toMatchObject({ status: "error", errorCode: 44 });
  expect(first!.errorDescription).toBe("Нет бумаги");
  expect(second!.status).toBe("interrupted");
});

it("cashIn answers counters.cashSum; closeShift answers fiscalParams with receiptsCount", async () => {
  const uuid = randomUUID();
  await post(uuid, [
    { type: "cashIn", cashSum: 500.5, operator: { name: "Иванов И.И." } },
    { type: "closeShift", operator: { name: "Иванов И.И." } },
  ]);
  const [cash, z] = await results(uuid);
  expect(cash!.result).toEqual({ counters: { cashSum: 500.5 } });
  expect(z!.result.fiscalParams).toMatchObject({ shiftNumber: 1, receiptsCount: 0 });
});

it("the web server down refuses connections; the control endpoint brings faults over HTTP", async () => {
  const res = await fetch(`${base}/control`, { method: "POST", body: "stuck" });
  expect(await res.text()).toMatch(/stays in progress/);
  const uuid = randomUUID();
  await post(uuid, [{ type: "getDeviceStatus" }]);
  const held = (await (await fetch(`${base}/api/v2/requests/${uuid}`)).json()) as {
    results: { status: string }[];
  };
  expect(held.results[0]!.status).toBe("inProgress");
  emulator.control("release");
  await results(uuid);
  await emulator.down();
  await expect(fetch(`${base}/api/v2/requests/${uuid}`)).rejects.toThrow();
});
