/**
 * Opt-in: a real ATOL register behind a real ATOL driver's web server.
 *   KASSA_ATOL_URL=http://127.0.0.1:16732 npx vitest run src/atol/real-device
 * Read-only unless KASSA_ATOL_ALLOW_SALE=1 (a sale is a permanent fiscal document: use a test FN).
 */
import { describe, expect, it } from "vitest";
import { AtolDevice } from "./atol-device.ts";
import { sale } from "./test-fixtures.ts";

const url = process.env.KASSA_ATOL_URL;

describe.skipIf(!url)("a real ATOL driver (KASSA_ATOL_URL)", () => {
  const device = new AtolDevice({ url: url ?? "http://127.0.0.1:16732", taskTimeoutMs: 120_000 });

  it("identifies the register and reads its status, FN and OFD backlog", async () => {
    const info = await device.identify();
    expect(info.family).toBe("atol");
    expect(info.model.length).toBeGreaterThan(0);
    const status = await device.status();
    expect(["shift_open", "shift_closed", "shift_expired"]).toContain(status.mode);
    const fn = await device.fnStatus();
    expect(fn.fnNumber).toMatch(/^\d{16}$/);
    expect(fn.lastFdNumber).toBeGreaterThan(0);
    const ofd = await device.ofdStatus();
    expect(ofd.unsentCount).toBeGreaterThanOrEqual(0);
    const last = await device.findDocument(fn.lastFdNumber);
    expect(last?.fdNumber).toBe(fn.lastFdNumber);
  });

  it.skipIf(process.env.KASSA_ATOL_ALLOW_SALE !== "1")(
    "sells once, and re-posting returns the same document",
    async () => {
      const id = `kassa-test-${Date.now()}`;
      const expectedFd = (await device.fnStatus()).lastFdNumber + 1;
      const first = await device.fiscalizeReceipt(sale(id));
      expect(await device.fiscalizeReceipt(sale(id))).toEqual(first);
      expect(await device.recoverReceipt(id, expectedFd)).toMatchObject({
        fiscalized: true,
        attributes: { fdNumber: first.fdNumber },
      });
    },
  );
});
