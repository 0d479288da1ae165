import type { CentralDatabase } from "@kassa/db/central";
import { seedTerminal } from "@kassa/db/seed";

/** The till the alerts spec expects to find silent. */
export const SILENT_TILL_NAME = "Till 5";

/**
 * A till of the demo store that last synced three hours ago and never again: past the default
 * 30-minute threshold from the first evaluation round, so the central schedule fires `till_silent`
 * for it without the spec waiting on a clock. Offline like tills 2–4, so Fleet's order is unchanged.
 */
export async function seedSilentTill(
  db: CentralDatabase,
  demo: { organizationId: string; storeId: string },
  now: Date = new Date(),
): Promise<void> {
  await seedTerminal(db.prisma, {
    organizationId: demo.organizationId,
    storeId: demo.storeId,
    name: SILENT_TILL_NAME,
    lastSyncAt: new Date(now.getTime() - 3 * 3_600_000),
  });
}
