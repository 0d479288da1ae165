import type { FiscalDevice } from "@kassa/fiscal/device";
import {
  OfdError,
  OfdRejectedError,
  type OfdTransport,
  type RelayResult,
  relayUnsentDocuments,
} from "@kassa/fiscal/ofd";
import { withOffset } from "../fiscal/with-offset.ts";
import type { DestinationBreaker } from "./breaker.ts";
import type { DlqStore } from "./dlq-store.ts";
import { errorFingerprint } from "./fingerprint.ts";
import type { OutboxStore } from "./outbox-store.ts";
import type { SyncClock } from "./sync-clock.ts";
import type { SyncDb } from "./types.ts";

/** The OFD could not be reached this run: the breaker counts it (a rejection is not this). */
export class OfdRelayFailure extends Error {
  override readonly name = "OfdRelayFailure";
  constructor(readonly result: RelayResult) {
    super(result.lastError?.message ?? "the OFD relay failed");
  }
}

export function isOfdFailure(error: unknown): boolean {
  return (
    error instanceof OfdRelayFailure || (error instanceof OfdError && !(error instanceof OfdRejectedError))
  );
}

export interface OfdRelayDeps {
  db: SyncDb;
  device: FiscalDevice;
  client: OfdTransport;
  outbox: OutboxStore;
  dlq: DlqStore;
  breaker: DestinationBreaker;
  clock: SyncClock;
  /** Documents per relay run. Default 200. */
  maxDocuments?: number;
}

export interface OfdState {
  unsentCount: number | null;
  oldestUnsentAt: string | null;
  lastRelayAt: string | null;
}

/**
 * The second destination: the fiscal drive's unsent documents go to the OFD through F3's relay
 * (FN → OFD → confirmation back into the FN), behind the "ofd" breaker. A document the OFD rejects
 * blocks the FN's queue (the FN always offers its oldest first), so it goes to the DLQ and the relay
 * waits for support's retry instead of resending it in a loop. After every run the unsent count and
 * the oldest unsent document's age are queued for the central server (the 30-day rule).
 */
export function createOfdRelay(deps: OfdRelayDeps) {
  const { dlq, breaker, clock } = deps;
  const state: OfdState = { unsentCount: null, oldestUnsentAt: null, lastRelayAt: null };
  const blocked = deps.db.prepare<[], { id: string; item_id: string }>(
    "SELECT id, item_id FROM dlq WHERE destination = 'ofd' AND status = 'pending' LIMIT 1",
  );

  async function reportStatus(): Promise<void> {
    const status = await deps.device.ofdStatus();
    const changed =
      status.unsentCount !== state.unsentCount || status.oldestUnsentAt !== state.oldestUnsentAt;
    state.unsentCount = status.unsentCount;
    state.oldestUnsentAt = status.oldestUnsentAt;
    if (changed) {
      deps.outbox.enqueue("central", "ofd_status", "ofd-status", clock.hlc(), {
        unsentCount: status.unsentCount,
        // The register's zone-less local time: central ingest takes ISO-8601 with an offset only.
        oldestUnsentAt: status.oldestUnsentAt && withOffset(status.oldestUnsentAt),
        measuredAt: clock.iso(),
      });
    }
  }

  /** One relay run; returns how many documents the OFD confirmed. */
  async function round(): Promise<{
    confirmed: number;
    deadLettered: number;
    stoppedBecause: string | null;
  }> {
    const outcome = { confirmed: 0, deadLettered: 0, stoppedBecause: null as string | null };
    const stuck = blocked.get();
    if (stuck) {
      outcome.stoppedBecause = `fiscal document ${stuck.item_id} was rejected by the OFD; retry or resolve it from the DLQ`;
    } else {
      try {
        const result = await breaker.execute(async () => {
          const run = await relayUnsentDocuments(deps.device, deps.client, {
            maxDocuments: deps.maxDocuments ?? 200,
          });
          if (
            run.lastError &&
            !(run.lastError instanceof OfdRejectedError) &&
            run.lastError instanceof OfdError
          ) {
            throw new OfdRelayFailure(run);
          }
          return run;
        });
        outcome.confirmed = result.confirmed;
        state.lastRelayAt = clock.iso();
        for (const rejection of result.rejected) {
          const itemId = `fd-${rejection.fd ?? "unknown"}`;
          const reason = `The OFD rejected fiscal document ${rejection.fd ?? "?"}: ${rejection.reason}`;
          dlq.deadLetter(
            {
              id: -1,
              destination: "ofd",
              kind: "fiscal_document",
              item_id: itemId,
              hlc: clock.hlc(),
              payload: JSON.stringify({ fdNumber: rejection.fd, reason: rejection.reason }),
              attempts: 0,
              next_attempt_at: 0,
              last_error: null,
            },
            reason,
            errorFingerprint("OFD_REJECTED", rejection.reason),
          );
          outcome.deadLettered += 1;
        }
        if (result.lastError && !(result.lastError instanceof OfdRejectedError)) {
          outcome.stoppedBecause = result.lastError.message;
        }
      } catch (error) {
        if (error instanceof OfdRelayFailure) outcome.confirmed = error.result.confirmed;
        outcome.stoppedBecause = (error as Error).message;
      }
    }
    try {
      await reportStatus();
    } catch (error) {
      outcome.stoppedBecause ??= `cannot read the FN's OFD status: ${(error as Error).message}`;
    }
    return outcome;
  }

  return { round, state };
}

export type OfdRelay = ReturnType<typeof createOfdRelay>;
