import { describe, expect, it } from "vitest";
import { incidentScript, planIncidents, runIncidents } from "./incidents.ts";

/** Shop time that jumps: `until` and `wait` advance it at once, up to `endMs`. */
function jumpingClock(endMs: number) {
  let now = 0;
  return {
    get now() {
      return now;
    },
    until: async (at: number) => {
      now = Math.max(now, at);
      return now <= endMs;
    },
    wait: async (ms: number) => {
      now += ms;
      return now <= endMs;
    },
  };
}

function recordingControls(rejectAfterWaits: number) {
  const log: string[] = [];
  let rejected = 0;
  let waitsInReject = 0;
  let ofd = "up";
  return {
    log,
    controls: {
      setOfd: (mode: "up" | "down" | "reject") => {
        ofd = mode;
        log.push(`ofd ${mode}`);
      },
      ofdRejected: () => {
        // The OFD refuses a document a few polls after it started rejecting.
        if (ofd === "reject" && ++waitsInReject > rejectAfterWaits) rejected = 1;
        return rejected;
      },
      setStoreLink: (store: number, up: boolean) => log.push(`store ${store} ${up ? "up" : "down"}`),
      kkt: (till: number, line: string) => log.push(`till ${till} ${line}`),
    },
  };
}

describe("the incident script", () => {
  it("takes the OFD down for two minutes, runs a printer out of paper and refills it, flaps one store, rejects one document", async () => {
    const plan = planIncidents(6, 2);
    const { log, controls } = recordingControls(3);
    const clock = jumpingClock(600_000);
    const started: { at: number; label: string }[] = [];
    await runIncidents(incidentScript(plan), controls, clock, (step) =>
      started.push({ at: clock.now, label: step.label }),
    );

    expect(log.filter((l) => l.startsWith("ofd"))).toEqual(["ofd down", "ofd up", "ofd reject", "ofd up"]);
    const down = started.find((s) => s.label.startsWith("OFD down"))!;
    const back = started.find((s) => s.label.startsWith("OFD back"))!;
    expect(back.at - down.at).toBe(120_000);
    expect(log).toContain("till 3 paper-out-after 2");
    expect(log.indexOf("till 3 paper-in")).toBeGreaterThan(log.indexOf("till 3 paper-out-after 2"));
    // Store 2 (index 1) goes down and up five times, and ends up.
    expect(log.filter((l) => l === "store 1 down")).toHaveLength(5);
    expect(log.filter((l) => l.startsWith("store")).at(-1)).toBe("store 1 up");
    expect(started.map((s) => s.at)).toEqual([...started.map((s) => s.at)].sort((a, b) => a - b));
  });

  it("stops between steps when the run ends, leaving the store link up", async () => {
    const { log, controls } = recordingControls(0);
    const clock = jumpingClock(180_000);
    await runIncidents(incidentScript(planIncidents(6, 2)), controls, clock, () => undefined);
    expect(log).not.toContain("ofd reject");
    expect(log.filter((l) => l.startsWith("store")).at(-1)).toBe("store 1 up");
  });

  it("picks tills and stores that exist in a small fleet", () => {
    expect(planIncidents(1, 1)).toMatchObject({ paperTill: 1, flappingStore: 0, driftTill: 1 });
    expect(planIncidents(2, 2)).toMatchObject({ paperTill: 2, flappingStore: 1, driftTill: 2 });
  });
});
