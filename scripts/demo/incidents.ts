/**
 * The scripted incident: one run of it gives every dashboard page something true to show. Times
 * are shop time from the start of the run (scaled by `--speed`); the steps only use controls a
 * real shop's failures would touch — the OFD's availability, a store's uplink, a printer's paper,
 * the OFD refusing a document. (The fifth failure, one till's drifting clock, is given to that
 * till's process at start-up: see clock-drift.mjs.)
 */
export interface IncidentControls {
  setOfd(mode: "up" | "down" | "reject"): void;
  /** Documents the OFD has rejected so far. */
  ofdRejected(): number;
  setStoreLink(storeIndex: number, up: boolean): void;
  /** One line of the KKT emulator's control language on till `till` (1-based). */
  kkt(till: number, line: string): void;
  /** Whether till `till` reports its printer out of paper (its agent's `status`). */
  paperOut(till: number): Promise<boolean>;
}

export interface IncidentStep {
  /** Shop ms from the start of the run. */
  at: number;
  /** What the status board says happened (past tense) or is happening. */
  label: string;
  run(controls: IncidentControls, wait: (virtualMs: number) => Promise<boolean>): Promise<void> | void;
}

const s = 1000;

export interface IncidentPlan {
  /** Till whose printer runs out of paper mid-receipt. */
  paperTill: number;
  /** Index of the store whose uplink flaps. */
  flappingStore: number;
  /** Till whose clock drifts from its start (given to its process at spawn: clock-drift.mjs). */
  driftTill: number;
}

export function planIncidents(tills: number, stores: number): IncidentPlan {
  return {
    paperTill: Math.min(tills, 3),
    flappingStore: stores > 1 ? 1 : 0,
    driftTill: tills >= 5 ? 5 : tills,
  };
}

export function incidentScript(plan: IncidentPlan): IncidentStep[] {
  return [
    { at: 30 * s, label: "OFD down (for 2 minutes)", run: (c) => c.setOfd("down") },
    {
      at: 60 * s,
      label: `till ${plan.paperTill}: paper runs out mid-receipt`,
      run: (c) => c.kkt(plan.paperTill, "paper-out-after 2"),
    },
    {
      at: 70 * s,
      label: `till ${plan.paperTill}: the cashier refills the paper`,
      run: async (c, wait) => {
        // Once the roll has really run out (a sale of two lines or more), the cashier needs half a
        // minute to find a new one; the receipts meanwhile wait, then print in order.
        for (let waited = 0; !(await c.paperOut(plan.paperTill)) && waited < 120 * s; waited += s) {
          if (!(await wait(s))) break;
        }
        await wait(30 * s);
        c.kkt(plan.paperTill, "paper-in");
      },
    },
    { at: 150 * s, label: "OFD back up", run: (c) => c.setOfd("up") },
    {
      at: 170 * s,
      label: `store ${plan.flappingStore + 1}: network to the central server flapping (90 s)`,
      run: async (c, wait) => {
        // Down 20 s, up 10 s, three times: the tills' central breakers open, half-open, close.
        for (let i = 0; i < 3; i++) {
          c.setStoreLink(plan.flappingStore, false);
          if (!(await wait(20 * s))) break;
          c.setStoreLink(plan.flappingStore, true);
          if (!(await wait(10 * s))) break;
        }
        c.setStoreLink(plan.flappingStore, true);
      },
    },
    {
      at: 270 * s,
      label: "OFD rejects one receipt (it goes to the DLQ)",
      run: async (c, wait) => {
        const before = c.ofdRejected();
        c.setOfd("reject");
        // Back to normal as soon as one document was refused (or after 2 minutes of shop time).
        for (let waited = 0; c.ofdRejected() === before && waited < 120 * s; waited += 250) {
          if (!(await wait(250))) break;
        }
        c.setOfd("up");
      },
    },
  ];
}

/**
 * Runs the script once: each step starts at its own time, whether or not an earlier one is still
 * going (the paper refill waits for the roll to run out; the OFD still comes back on time).
 */
export async function runIncidents(
  steps: IncidentStep[],
  controls: IncidentControls,
  clock: { until(virtualAt: number): Promise<boolean>; wait(virtualMs: number): Promise<boolean> },
  onStep: (step: IncidentStep) => void,
): Promise<void> {
  await Promise.all(
    steps.map(async (step) => {
      if (!(await clock.until(step.at))) return;
      onStep(step);
      await step.run(controls, (ms) => clock.wait(ms));
    }),
  );
}
