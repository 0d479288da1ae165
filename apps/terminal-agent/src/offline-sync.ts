import type { SyncEngine } from "@kassa/api/agent";
import { AppError } from "@kassa/api/errors";

const message =
  "This till runs offline-only: set KASSA_CENTRAL_URL and KASSA_TERMINAL_KEY to deliver receipts to the central server.";

/** The sync engine of an agent without a central server: receipts stay buffered, nothing is sent. */
export function offlineSyncEngine(): SyncEngine {
  const refuse = () => {
    throw new AppError("SYNC_DISABLED", { message });
  };
  return {
    now: async () => refuse(),
    status: () => ({
      online: false,
      breakers: { central: "closed", ofd: "closed" },
      lastSyncAt: null,
      clockSkewMs: null,
    }),
    dlq: { list: () => ({ items: [], nextCursor: null, total: 0 }), retry: refuse, discard: refuse },
  };
}
