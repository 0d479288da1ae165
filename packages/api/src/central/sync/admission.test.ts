import { afterEach, describe, expect, it, vi } from "vitest";
import { AdmissionControl } from "./admission.ts";

afterEach(() => vi.useRealTimers());

describe("AdmissionControl", () => {
  it("limits pushes per store and answers the excess with retry-after instead of queueing forever", async () => {
    const control = new AdmissionControl({ perStore: 2, total: 10, maxWaitMs: 0 }, () => 0.5);
    const a = await control.admit("s1");
    await control.admit("s1");
    await expect(control.admit("s1")).rejects.toMatchObject({
      kassaCode: "RETRY_LATER",
      retryAfterSeconds: 1,
    });
    // Another store is not held back by a busy one.
    await expect(control.admit("s2")).resolves.toBeTypeOf("function");
    a();
    await expect(control.admit("s1")).resolves.toBeTypeOf("function");
    expect(control.active).toBe(3);
  });

  it("lets a waiting push in when a slot frees, and refuses it once its wait runs out", async () => {
    vi.useFakeTimers();
    const control = new AdmissionControl({ perStore: 1, total: 1, maxWaitMs: 1000, maxQueue: 1 });
    const first = await control.admit("s1");
    const waiting = control.admit("s1");
    await expect(control.admit("s1")).rejects.toMatchObject({ kassaCode: "RETRY_LATER" }); // queue full
    first();
    const second = await waiting;
    expect(control.active).toBe(1);
    const timedOut = control.admit("s1");
    vi.advanceTimersByTime(1000);
    await expect(timedOut).rejects.toMatchObject({ kassaCode: "RETRY_LATER" });
    second();
    expect(control.active).toBe(0);
  });
});
