import { describe, expect, it } from "vitest";
import { incidentScript, planIncidents, runIncidents } from "./incidents.ts";

/**
 * A fake shop clock for steps that run side by side: each wait is a timer; `run` fires them in
 * time order (letting the promises settle between two), so shop time only moves when every step
 * is waiting — the way real time passes, without any real waiting.
 */
function fakeClock(endMs: number) {
  let now = 0;
  const timers: { at: number; resolve: (more: boolean) => void }[] = [];
  const wait = (ms: number) =>
    new Promise<boolean>((resolve) => {
      timers.push({ at: now + Math.max(0, ms), resolve });
    });
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    get now() {
      return now;
    },
    wait,
    until: (at: number) => wait(at - now),
    async run(work: Promise<void>) {
      let done = false;
      void work.then(() => {
        done = true;
      });
      while (!done) {
        await settle();
        if (done) break;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next) throw new Error("nothing is waiting and the work has not finished");
        now = Math.max(now, next.at);
        next.resolve(now <= endMs);
      }
      await work;
    },
  };
}

function recordingControls(rejectAfterWaits: number) {
  const log: string[] = [];
  let rejected = 0;
  let waitsInReject = 0;
  let ofd = "up";
  let paperPolls = 0;
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
      // The roll runs out a little after the fault is armed (when a two-line sale prints).
      paperOut: async () => log.filter((l) => l.endsWith("paper-out-after 2")).length > 0 && ++paperPolls > 3,
    },
  };
}

describe("the incident script", () => {
  it("takes the OFD down for two minutes, runs a printer out of paper and refills it, flaps one store, rejects one document", async () => {
    const plan = planIncidents(6, 2);
    const { log, controls } = recordingControls(3);
    const clock = fakeClock(600_000);
    const started: { at: number; label: string }[] = [];
    await clock.run(
      runIncidents(incidentScript(plan), controls, clock, (step) => {
        started.push({ at: clock.now, label: step.label });
      }),
    );

    expect(log.filter((l) => l.startsWith("ofd"))).toEqual(["ofd down", "ofd up", "ofd reject", "ofd up"]);
    const down = started.find((s) => s.label.startsWith("OFD down"))!;
    const back = started.find((s) => s.label.startsWith("OFD back"))!;
    expect(back.at - down.at).toBe(120_000);
    expect(log).toContain("till 3 paper-out-after 2");
    expect(log.indexOf("till 3 paper-in")).toBeGreaterThan(log.indexOf("till 3 paper-out-after 2"));
    const refill = started.find((s) => s.label.includes("refills"))!;
    expect(refill.at).toBe(70_000);
    // Store 2 (index 1) goes down and up three times, and ends up.
    expect(log.filter((l) => l === "store 1 down")).toHaveLength(3);
    expect(log.filter((l) => l.startsWith("store")).at(-1)).toBe("store 1 up");
    expect(started.map((s) => s.at)).toEqual([...started.map((s) => s.at)].sort((a, b) => a - b));
    // The refill waited for the roll to run out (4 polls of 1 s), then 30 s for the cashier.
    expect(log.indexOf("till 3 paper-in")).toBeGreaterThan(log.indexOf("ofd down"));
  });

  it("stops between steps when the run ends, leaving the store link up", async () => {
    const { log, controls } = recordingControls(0);
    const clock = fakeClock(200_000);
    await clock.run(runIncidents(incidentScript(planIncidents(6, 2)), controls, clock, () => undefined));
    expect(log).not.toContain("ofd reject");
    expect(log.filter((l) => l.startsWith("store")).at(-1)).toBe("store 1 up");
  });

  it("picks tills and stores that exist in a small fleet", () => {
    expect(planIncidents(1, 1)).toMatchObject({ paperTill: 1, flappingStore: 0, driftTill: 1 });
    expect(planIncidents(2, 2)).toMatchObject({ paperTill: 2, flappingStore: 1, driftTill: 2 });
  });
});
