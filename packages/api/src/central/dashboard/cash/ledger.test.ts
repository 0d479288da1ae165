import { describe, expect, it } from "vitest";
import { csvCell, roubles } from "./csv.ts";
import { expectedCash, isProvisional, missingByCounters, reconciliationState, seqGaps } from "./ledger.ts";

describe("expectedCash", () => {
  it("is opening float + cash sales − cash refunds + cash in − cash out, in exact kopecks", () => {
    expect(
      expectedCash({
        openingFloat: 500_000n,
        cashSales: 120_001n,
        cashRefunds: 20_000n,
        cashIn: 10_000n,
        cashOut: 300_000n,
      }),
    ).toBe(310_001n);
    // Beyond 2^53 kopecks nothing is rounded.
    expect(
      expectedCash({ openingFloat: 2n ** 60n, cashSales: 1n, cashRefunds: 0n, cashIn: 0n, cashOut: 0n }),
    ).toBe(2n ** 60n + 1n);
  });
});

describe("reconciliationState", () => {
  const base = { closed: true, expected: 10_000n, counted: 0n, tolerance: 10_000n, latestApproval: null };
  it("a variance of exactly the tolerance needs nothing; one kopeck more needs approval (either sign)", () => {
    expect(reconciliationState(base)).toEqual({ state: "within_tolerance", variance: -10_000n });
    expect(reconciliationState({ ...base, counted: -1n })).toMatchObject({ state: "needs_approval" });
    expect(reconciliationState({ ...base, counted: 20_001n })).toMatchObject({
      state: "needs_approval",
      variance: 10_001n,
    });
  });
  it("an approval holds only for the figures it approved", () => {
    const approval = { expected: 10_000n, counted: -1n, variance: -10_001n };
    expect(reconciliationState({ ...base, counted: -1n, latestApproval: approval }).state).toBe("approved");
    expect(
      reconciliationState({ ...base, expected: 10_500n, counted: -1n, latestApproval: approval }).state,
    ).toBe("needs_approval");
  });
  it("open and not-counted shifts have no variance", () => {
    expect(reconciliationState({ ...base, closed: false })).toEqual({ state: "open", variance: null });
    expect(reconciliationState({ ...base, counted: null })).toEqual({ state: "not_counted", variance: null });
  });
});

describe("seqGaps", () => {
  it("counts the holes from the last seq before the shift, as ranges", () => {
    expect(seqGaps(4, [5, 6, 7])).toEqual({ ranges: [], count: 0 });
    expect(seqGaps(4, [7, 8, 10])).toEqual({
      ranges: [
        { from: 5, to: 6 },
        { from: 9, to: 9 },
      ],
      count: 3,
    });
    expect(seqGaps(0, [3])).toEqual({ ranges: [{ from: 1, to: 2 }], count: 2 });
  });
  it("lists at most `limit` ranges but counts them all", () => {
    const gaps = seqGaps(0, [2, 4, 6, 8], 2);
    expect(gaps.ranges).toHaveLength(2);
    expect(gaps.count).toBe(4);
  });
});

describe("missingByCounters", () => {
  const stored = {
    storedIncludingVoided: { cashSales: 100n, cashRefunds: 0n },
    storedMovements: { cashIn: 0n, cashOut: 0n },
  };
  it("the Z report's FD range and the till's totals say what has not arrived", () => {
    const missing = missingByCounters({
      ...stored,
      till: { cashSales: 150, cashRefunds: 0, cashIn: 0, cashOut: 0 },
      openFd: 10,
      closeFd: 14,
      fiscalStored: 2,
    });
    expect(missing).toEqual({ fiscalDocuments: 1, cashSales: 50n, cashRefunds: 0n, cashIn: 0n, cashOut: 0n });
    expect(isProvisional({ ...missing, receiptSeqs: [], missingReceipts: 0 })).toBe(true);
  });
  it("more stored than the till counted (a void after close) is not 'missing'", () => {
    const missing = missingByCounters({
      ...stored,
      till: { cashSales: 80, cashRefunds: 0, cashIn: 0, cashOut: 0 },
      openFd: null,
      closeFd: null,
      fiscalStored: 0,
    });
    expect(isProvisional({ ...missing, receiptSeqs: [], missingReceipts: 0 })).toBe(false);
  });
});

describe("csv", () => {
  it("roubles from kopecks exactly, negative too", () => {
    expect(roubles(-123_405n)).toBe("-1234.05");
    expect(roubles(5n)).toBe("0.05");
    expect(roubles(-5n)).toBe("-0.05");
    expect(roubles(0n)).toBe("0.00");
    expect(roubles(40n)).toBe("0.40");
    expect(roubles(-100n)).toBe("-1.00");
    expect(roubles(900_719_925_474_099_312_345n)).toBe("9007199254740993123.45");
    expect(roubles(null)).toBe("");
  });
  it("quotes per RFC 4180 and neutralises formula-looking text", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvCell("-5", "number")).toBe("-5");
  });
});
