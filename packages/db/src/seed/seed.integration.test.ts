import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CentralDatabase } from "../central/create-central-database.ts";
import { verifyTerminalKey } from "../central/terminal-credentials.ts";
import { verifyPassword } from "../secrets/passwords.ts";
import { createTestCentralDatabase } from "../testing/create-test-central-database.ts";
import { canonicalHash } from "./canonical-hash.ts";
import { seedOrganization, seedReceipt, seedStore, seedTerminal, seedUser } from "./index.ts";

let db: CentralDatabase;
beforeAll(async () => {
  db = await createTestCentralDatabase();
}, 60_000);
afterAll(() => db?.close());

describe("seed factories", () => {
  it("create whatever parents they need, with fresh ULID-shaped ids", async () => {
    const receipt = await seedReceipt(db.prisma);
    const terminal = await db.prisma.terminal.findUniqueOrThrow({ where: { id: receipt.terminalId } });
    const store = await db.prisma.store.findUniqueOrThrow({
      where: { organizationId_id: { organizationId: receipt.organizationId, id: receipt.storeId } },
    });
    expect(terminal.storeId).toBe(store.id);
    for (const id of [receipt.id, terminal.id, store.id, receipt.organizationId])
      expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const again = await seedReceipt(db.prisma);
    expect(again.organizationId).not.toBe(receipt.organizationId);
  });

  it("take overrides and reuse given parents", async () => {
    const org = await seedOrganization(db.prisma, { name: "Optika Plus" });
    const store = await seedStore(db.prisma, {
      organizationId: org.id,
      name: "Tverskaya 1",
      timezone: "Asia/Yekaterinburg",
    });
    const { terminal } = await seedTerminal(db.prisma, {
      organizationId: org.id,
      storeId: store.id,
      name: "Till 1",
    });
    expect(org.name).toBe("Optika Plus");
    expect(store).toMatchObject({ organizationId: org.id, timezone: "Asia/Yekaterinburg" });
    expect(terminal).toMatchObject({
      organizationId: org.id,
      storeId: store.id,
      name: "Till 1",
      status: "active",
    });
    const inOrg = await seedTerminal(db.prisma, { organizationId: org.id });
    expect(inOrg.terminal.organizationId).toBe(org.id);
    expect(inOrg.terminal.storeId).not.toBe(store.id);
    await expect(seedTerminal(db.prisma, { storeId: store.id })).rejects.toThrow(
      /"organizationId" is required/,
    );
  });

  it("seedTerminal returns a key that verifies against the stored hash, and only for its own terminal", async () => {
    const a = await seedTerminal(db.prisma);
    const b = await seedTerminal(db.prisma);
    expect(a.key.startsWith(`${a.terminal.id}.`)).toBe(true);
    expect(a.terminal.keyHash).not.toContain(a.key.split(".")[1]);
    expect(verifyTerminalKey(a.key, a.terminal.keyHash)).toBe(true);
    expect(verifyTerminalKey(b.key, a.terminal.keyHash)).toBe(false);
  });

  it("seedUser creates a user with a scrypt password and a role membership", async () => {
    const org = await seedOrganization(db.prisma);
    const { user, membership, password } = await seedUser(db.prisma, {
      organizationId: org.id,
      role: "owner",
      password: "s3cret-pass",
    });
    expect(membership).toMatchObject({
      organizationId: org.id,
      userId: user.id,
      role: "owner",
      storeIds: [],
    });
    const credential = await db.prisma.account.findUniqueOrThrow({
      where: { providerId_accountId: { providerId: "credential", accountId: user.id } },
    });
    expect(await verifyPassword(password, credential.password ?? "")).toBe(true);
    expect(await verifyPassword("wrong", credential.password ?? "")).toBe(false);
    const manager = await seedUser(db.prisma, { organizationId: org.id });
    expect(manager.membership.role).toBe("manager");
    expect(manager.user.email).not.toBe(user.email);
  });

  it("seedReceipt keeps money consistent in kopecks, numbers seq per terminal, and hashes the body like the ingest", async () => {
    const { terminal } = await seedTerminal(db.prisma);
    const first = await seedReceipt(db.prisma, { terminal });
    expect(first).toMatchObject({
      total: 15_000n,
      cashTotal: 15_000n,
      change: 5_000n,
      seq: 1n,
      kind: "sale",
    });
    expect(first.payments).toEqual([{ type: "cash", amount: 20_000 }]);
    expect(first.fdNumber).toBeNull();
    expect(first.hlc).toMatch(/^\d{13}\.\d{5}$/);
    const second = await seedReceipt(db.prisma, {
      terminal,
      items: [{ name: "Frames", price: 1_250_050, quantity: 2, sum: 2_500_100, vat: "vat20" }],
      payments: [
        { type: "card", amount: 2_000_000 },
        { type: "cash", amount: 600_000 },
      ],
      fiscal: {
        fdNumber: 12,
        fiscalSign: "3522786601",
        fnNumber: "7380440700012345",
        shiftNumber: 4,
        fiscalizedAt: new Date(),
      },
    });
    expect(second).toMatchObject({
      seq: 2n,
      total: 2_500_100n,
      change: 99_900n,
      cashTotal: 500_100n,
      fdNumber: 12,
    });
    const {
      organizationId,
      terminalId,
      storeId,
      id,
      bodyHash,
      hlc,
      receivedAt,
      cashTotal,
      cashierInn,
      ...rest
    } = first;
    expect(bodyHash).toBe(
      canonicalHash({
        idempotencyKey: rest.idempotencyKey,
        seq: 1,
        kind: "sale",
        taxSystem: rest.taxSystem,
        cashier: { name: rest.cashierName },
        items: rest.items,
        payments: rest.payments,
        total: 15_000,
        change: 5_000,
        acceptedAt: rest.acceptedAt.toISOString(),
      }),
    );
  });
});
