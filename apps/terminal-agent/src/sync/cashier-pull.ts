import type { CentralClient } from "@kassa/api/central/client";
import type { DestinationBreaker } from "./breaker.ts";
import type { SyncDb } from "./types.ts";

export interface PulledCashier {
  id: string;
  login: string;
  name: string;
  inn: string | null;
  pinHash: string;
}

/**
 * Keeps the till's cashier cache (users + PIN hashes, for offline PIN login) in step with the
 * central server: at most every `everyMs`, asking only whether the list changed since the version
 * we hold; a new list is handed to the agent's cache (`replaceCashiers`).
 */
export function createCashierPull(
  db: SyncDb,
  client: CentralClient,
  breaker: DestinationBreaker,
  apply: (cashiers: PulledCashier[]) => void,
  everyMs: number,
) {
  const key = "sync.cashiers.version";
  const read = db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?");
  const write = db.prepare<[string, string]>(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  let lastPullMs = Number.NEGATIVE_INFINITY;
  return {
    /** Returns how many cashiers were installed (0 when unchanged or not due). */
    async maybePull(nowMs: number): Promise<number> {
      if (nowMs - lastPullMs < everyMs) return 0;
      lastPullMs = nowMs;
      const since = read.get(key)?.value ?? null;
      const answer = await breaker.execute(() => client.ingest.cashiers.query({ since }));
      if (answer.cashiers === null) return 0;
      db.transaction(() => {
        apply(answer.cashiers!);
        write.run(key, answer.version);
      })();
      return answer.cashiers.length;
    },
  };
}
