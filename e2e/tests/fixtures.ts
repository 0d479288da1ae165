import { test as base } from "@playwright/test";
import type { CashBreakersSeed } from "../seed-cash-breakers.ts";

/** What global-setup.ts started, handed to the tests through KASSA_E2E_STACK. */
export interface E2eStack {
  url: string;
  ownerEmail: string;
  ownerPassword: string;
  organizationId: string;
  /** A support engineer of the organization: may retry and discard dead letters. */
  support: { email: string; password: string };
  /** A manager scoped to Till 1's store (Tverskaya 12): may look, not act. */
  manager: { email: string; password: string };
  terminalId: string;
  /** Till 1's agent: its local API (callAgent) and `POST /emulator/control`. */
  agent: { url: string; token: string };
  /** The fault proxy between that agent and the central server (central-fault-proxy.ts). */
  faultProxyUrl: string;
  receipt: { id: string; total: number; fdNumber: number | null };
  logs: string[];
  /** Seeded for the cash and breakers pages (seed-cash-breakers.ts). */
  cashBreakers: CashBreakersSeed;
}

export const test = base.extend<{ stack: E2eStack }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
  stack: async ({}, use) => {
    const raw = process.env.KASSA_E2E_STACK;
    if (!raw)
      throw new Error("KASSA_E2E_STACK is not set: run the suite through `npm run e2e` (global-setup.ts).");
    await use(JSON.parse(raw) as E2eStack);
  },
});

export { expect } from "@playwright/test";
