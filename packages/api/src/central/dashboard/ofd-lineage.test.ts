import { describe, expect, it } from "vitest";
import { ofdConfirmedAt } from "./ofd-lineage.ts";

const at = (hhmmss: string) => new Date(`2026-11-22T${hhmmss}+03:00`);
const fiscalizedAt = at("12:31:00"); // the FFD time: the document was made between 12:31:00 and 12:32:00

describe("ofdConfirmedAt", () => {
  it("is known once a report made after the document shows no backlog", () => {
    const backlog = { ofdUnsentCount: 0, ofdOldestUnsentAt: null, ofdMeasuredAt: at("12:40:00") };
    expect(ofdConfirmedAt(fiscalizedAt, backlog)).toEqual(at("12:40:00"));
  });

  it("is known when the backlog starts with a later document (the FN sends oldest first)", () => {
    const backlog = { ofdUnsentCount: 3, ofdOldestUnsentAt: at("12:35:00"), ofdMeasuredAt: at("12:40:00") };
    expect(ofdConfirmedAt(fiscalizedAt, backlog)).toEqual(at("12:40:00"));
  });

  it("is not known while the backlog may still hold the document", () => {
    const sameMinute = {
      ofdUnsentCount: 1,
      ofdOldestUnsentAt: at("12:31:00"),
      ofdMeasuredAt: at("12:40:00"),
    };
    const older = { ofdUnsentCount: 12, ofdOldestUnsentAt: at("09:00:00"), ofdMeasuredAt: at("12:40:00") };
    expect(ofdConfirmedAt(fiscalizedAt, sameMinute)).toBeNull();
    expect(ofdConfirmedAt(fiscalizedAt, older)).toBeNull();
  });

  it("ignores a report that may predate the document, and receipts not fiscalized", () => {
    const early = { ofdUnsentCount: 0, ofdOldestUnsentAt: null, ofdMeasuredAt: at("12:31:40") };
    expect(ofdConfirmedAt(fiscalizedAt, early)).toBeNull();
    expect(ofdConfirmedAt(null, { ...early, ofdMeasuredAt: at("13:00:00") })).toBeNull();
    expect(ofdConfirmedAt(fiscalizedAt, null)).toBeNull();
  });
});
