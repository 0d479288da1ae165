import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedUser } from "@kassa/db/seed";
import { createThrowawayDatabase, type ThrowawayDatabase } from "@kassa/db/testing";
import {
  callAgent,
  createSampleReceipt,
  openStackDatabase,
  provisionDemo,
  stackPaths,
  startAgent,
  startCentral,
} from "../scripts/stack.ts";
import { startFaultProxy } from "./central-fault-proxy.ts";
import { assertLocalDatabase } from "./local-database.ts";
import { seedSilentTill } from "./seed-alerts.ts";
import { seedCashAndBreakers } from "./seed-cash-breakers.ts";
import type { E2eStack } from "./tests/fixtures.ts";
import { THROTTLED_ACCOUNT } from "./throttle-account.ts";

const SUPPORT = { email: "support@kassa.local", password: "support-e2e-password" };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * A fresh stack for the run: a throwaway database (a new database on TEST_DATABASE_URL's local
 * server, else PGlite in a temp dir), the demo organization, the central server, one agent with
 * the KKT emulator, and one receipt created through the agent's local API and synced centrally.
 * Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const log = (line: string) => console.log(`[e2e] ${line}`);
  const dataDir = mkdtempSync(join(tmpdir(), "kassa-e2e-"));
  const serverUrl = process.env.TEST_DATABASE_URL;
  let throwaway: ThrowawayDatabase | undefined;
  if (serverUrl) {
    assertLocalDatabase(serverUrl);
    throwaway = await createThrowawayDatabase(serverUrl);
  }
  const databaseUrl = throwaway?.url;
  const cleanups: Array<() => Promise<void>> = [];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
    await throwaway?.drop();
    if (!process.env.KASSA_E2E_KEEP) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const db = await openStackDatabase({ databaseUrl, dataDir });
    const { provision, cashBreakers } = await provisionDemo(db, {
      credentialsFile: stackPaths(dataDir).credentials,
    })
      .then(async (provision) => ({ provision, cashBreakers: await seedCashAndBreakers(db, provision) }))
      .then(async (seeded) => {
        // Support may retry and discard dead letters (the DLQ spec); the store-scoped manager is
        // seed-cash-breakers.ts's, who may only look.
        await seedUser(db.prisma, {
          organizationId: seeded.provision.organizationId,
          role: "support",
          email: SUPPORT.email,
          name: "Sokolov Ilya",
          password: SUPPORT.password,
        });
        await seedUser(db.prisma, {
          organizationId: seeded.provision.organizationId,
          role: "support",
          name: "Throttled Tester",
          ...THROTTLED_ACCOUNT,
        });
        await seedSilentTill(db, seeded.provision);
        return seeded;
      })
      .finally(() => db.close());
    // Alerts are evaluated every 2 s instead of every minute, so the alerts spec waits on nothing.
    process.env.KASSA_ALERT_INTERVAL_MS = "2000";
    const central = await startCentral({ port: await freePort(), databaseUrl, dataDir, log });
    cleanups.push(central.stop);
    // The agent reaches the central server through the DLQ spec's fault proxy (central-fault-proxy.ts),
    // a plain pass-through until a spec switches it on.
    const proxy = await startFaultProxy(central.url);
    cleanups.push(proxy.stop);
    const agent = await startAgent({
      centralUrl: proxy.url,
      terminalId: provision.terminalId,
      terminalKey: provision.terminalKey,
      dataDir: stackPaths(dataDir).agent("1"),
      port: await freePort(),
      log,
    });
    cleanups.push(agent.stop);

    const receipt = await createSampleReceipt(agent, `e2e-${Date.now()}`);
    const sync = await callAgent<{ delivered?: { central?: number } }>(agent, "sync.now");
    log(`receipt ${receipt.receiptId} (${receipt.status}) created; sync.now: ${JSON.stringify(sync)}`);

    const stack: E2eStack = {
      url: central.url,
      ownerEmail: provision.ownerEmail,
      ownerPassword: provision.ownerPassword,
      organizationId: provision.organizationId,
      support: SUPPORT,
      manager: { email: cashBreakers.managerEmail, password: cashBreakers.managerPassword },
      terminalId: provision.terminalId,
      agent: { url: agent.url, token: agent.token },
      faultProxyUrl: proxy.controlUrl,
      receipt: {
        id: receipt.receiptId,
        total: receipt.total,
        fdNumber: receipt.fiscal?.fdNumber ?? null,
      },
      logs: [join(stackPaths(dataDir).logs, "central.log"), agent.logFile],
      cashBreakers,
    };
    // Workers inherit the environment globalSetup leaves behind.
    process.env.KASSA_E2E_STACK = JSON.stringify(stack);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
