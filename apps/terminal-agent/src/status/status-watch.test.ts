import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { watchStatusChanges } from "./status-watch.ts";

describe("watchStatusChanges", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("asks for a round once per change of the signature, never while it stays the same", () => {
    let reason = "";
    const onChange = vi.fn();
    const watch = watchStatusChanges({ signature: () => reason, onChange, everyMs: 1000 });
    vi.advanceTimersByTime(3000);
    expect(onChange).not.toHaveBeenCalled();
    reason = "PAPER_OUT";
    vi.advanceTimersByTime(1000);
    expect(onChange).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5000);
    expect(onChange).toHaveBeenCalledTimes(1);
    reason = "";
    vi.advanceTimersByTime(1000);
    expect(onChange).toHaveBeenCalledTimes(2);
    watch.stop();
    reason = "DEVICE_DISCONNECTED";
    vi.advanceTimersByTime(5000);
    expect(onChange).toHaveBeenCalledTimes(2);
  });
});
