/** The worker's notion of time: wall ms (injectable for fake clocks) and the agent's HLC. */
export interface SyncClock {
  nowMs(): number;
  iso(): string;
  hlc(): string;
}

export function createSyncClock(now: () => number = Date.now, hlc?: { now(): string }): SyncClock {
  let last = 0;
  let counter = 0;
  // Without the agent's HLC (tests, tools) a local one keeps the same sortable format.
  const fallbackHlc = () => {
    const wall = now();
    if (wall > last) {
      last = wall;
      counter = 0;
    } else counter += 1;
    return `${String(last).padStart(13, "0")}.${String(counter).padStart(5, "0")}`;
  };
  return {
    nowMs: now,
    iso: () => new Date(now()).toISOString(),
    hlc: hlc ? () => hlc.now() : fallbackHlc,
  };
}
