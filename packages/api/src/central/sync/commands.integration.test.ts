import type { CentralDatabase } from "@kassa/db/central";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueDlqCommand, issueDlqCommands, storeCommandAcks } from "./commands.ts";
import { storeDlqMirror } from "./store-dlq-mirror.ts";
import { recordTerminalSync } from "./terminal-sync-state.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "./test-central.ts";

let db: CentralDatabase;
let dispose: () => Promise<void>;
let terminals: SeededTerminal[];
const now = new Date("2026-11-22T09:00:00Z");
/** The commands a push's answer hands back (ingest records the sync and delivers them in one statement). */
const pendingCommands = (sql: CentralDatabase["sql"], terminal: SeededTerminal, at: Date) =>
  recordTerminalSync(sql, terminal, { now: at, clockSkewMs: 0, hlc: "0", ofd: undefined });

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
  terminals = await seedFleet(db, { stores: 1, perStore: 2 });
  for (const t of terminals) {
    await storeDlqMirror(
      db.sql,
      t,
      [1, 2, 3].map((n) => ({
        id: `central.receipt.r${n}`,
        hlc: `176379480000${n}.00000`,
        data: {
          destination: "central",
          itemKind: "receipt",
          itemId: `r${n}`,
          status: "pending" as const,
          reason: "refused",
          fingerprint: "VALIDATION_FAILED:abc",
          attempts: 1,
          errors: [{ at: now.toISOString(), message: "refused" }],
          payload: { n },
        },
      })),
      now,
    );
  }
}, 60_000);
afterAll(async () => dispose?.());

describe("DLQ commands", () => {
  it("are delivered until acknowledged, acknowledged once, and audited with who and when", async () => {
    const [t] = terminals;
    await expect(
      issueDlqCommand(
        db.sql,
        {
          organizationId: t!.organizationId,
          terminalId: t!.id,
          dlqItemId: "central.receipt.r1",
          action: "discard",
          actor: "sam",
        },
        now,
      ),
    ).rejects.toMatchObject({ kassaCode: "VALIDATION_FAILED" });
    const id = await issueDlqCommand(
      db.sql,
      {
        organizationId: t!.organizationId,
        terminalId: t!.id,
        dlqItemId: "central.receipt.r1",
        action: "retry",
        actor: "sam@kassa.test",
      },
      now,
    );
    expect((await pendingCommands(db.sql, t!, now)).map((c) => c.id)).toEqual([id]);
    expect((await pendingCommands(db.sql, t!, now)).map((c) => c.id)).toEqual([id]); // until acked
    const ack = { id, data: { commandId: id, outcome: "applied" as const, appliedAt: now.toISOString() } };
    expect((await storeCommandAcks(db.sql, t!, [ack])).get(id)?.status).toBe("accepted");
    expect((await storeCommandAcks(db.sql, t!, [ack])).get(id)?.status).toBe("duplicate");
    expect(await pendingCommands(db.sql, t!, now)).toEqual([]);
    const audit = await db.sql.query<{ event: string; actor: string }>(
      "SELECT event, actor FROM sync_audit WHERE command_id = $1 ORDER BY at",
      [id],
    );
    expect(audit).toEqual([
      { event: "retry_issued", actor: "sam@kassa.test" },
      { event: "retry_applied", actor: `terminal:${t!.id}` },
    ]);
  });

  it("a terminal cannot acknowledge another terminal's command", async () => {
    const [a, b] = terminals;
    const id = await issueDlqCommand(
      db.sql,
      {
        organizationId: a!.organizationId,
        terminalId: a!.id,
        dlqItemId: "central.receipt.r2",
        action: "retry",
        actor: "sam",
      },
      now,
    );
    const result = await storeCommandAcks(db.sql, b!, [
      { id, data: { commandId: id, outcome: "applied", appliedAt: now.toISOString() } },
    ]);
    expect(result.get(id)).toMatchObject({ status: "rejected", code: "COMMAND_UNKNOWN" });
    expect((await pendingCommands(db.sql, a!, now)).map((c) => c.id)).toContain(id);
  });

  it("are handed to the terminal in the order support issued them, whatever order they were written", async () => {
    const [, b] = terminals;
    const issue = (dlqItemId: string, at: Date) =>
      issueDlqCommand(
        db.sql,
        { organizationId: b!.organizationId, terminalId: b!.id, dlqItemId, action: "retry", actor: "sam" },
        at,
      );
    const later = await issue("central.receipt.r1", new Date(now.getTime() + 2000));
    const earlier = await issue("central.receipt.r2", new Date(now.getTime() + 1000));
    expect((await pendingCommands(db.sql, b!, now)).map((c) => c.id)).toEqual([earlier, later]);
  });

  it("bulk-issues one command per known item with its audit row, skipping unknown ones", async () => {
    const [a, b] = terminals;
    const result = await issueDlqCommands(
      db.sql,
      {
        organizationId: a!.organizationId,
        items: [
          { terminalId: a!.id, dlqItemId: "central.receipt.r3" },
          { terminalId: b!.id, dlqItemId: "central.receipt.r3" },
          { terminalId: b!.id, dlqItemId: "central.receipt.nope" },
        ],
        action: "discard",
        reason: "duplicate sale",
        actor: "sam",
      },
      now,
    );
    expect(result).toEqual({ issued: 2, skipped: 1, stores: [a!.storeId] });
    const audit = await db.sql.query<{ n: bigint }>(
      "SELECT count(*) AS n FROM sync_audit WHERE event = 'discard_issued'",
    );
    expect(Number(audit[0]!.n)).toBe(2);
  });
});
