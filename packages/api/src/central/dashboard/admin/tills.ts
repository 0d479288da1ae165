import { issueTerminalCredential, newId } from "@kassa/db/central";
import type { z } from "zod";
import { AppError } from "../../../errors.ts";
import type { CentralDatabase } from "../../context.ts";
import { type DashboardScope, type MembershipScope, scopeWhere } from "../scope.ts";
import { coversStore } from "./admin-scope.ts";
import { agentConfiguration } from "./agent-config.ts";
import { type AuditActor, recordAudit } from "./audit.ts";
import type {
  TAdminTill,
  TTillKeyOutput,
  ZListTillsInput,
  ZProvisionTillInput,
  ZRetireTillInput,
  ZRotateTillKeyInput,
} from "./till.types.ts";

const TILL_SELECT = {
  organizationId: true,
  storeId: true,
  id: true,
  name: true,
  status: true,
  createdAt: true,
  lastSyncAt: true,
  keyRotatedAt: true,
  retiredAt: true,
  store: { select: { name: true, timezone: true } },
} as const;

type TillRow = {
  organizationId: string;
  storeId: string;
  id: string;
  name: string;
  status: "active" | "retired";
  createdAt: Date;
  lastSyncAt: Date | null;
  keyRotatedAt: Date | null;
  retiredAt: Date | null;
  store: { name: string; timezone: string };
};

type Register = TAdminTill["register"];
const UNKNOWN_REGISTER: Register = { model: null, fnNumber: null, firmware: null };

/** Each till's register as its last status snapshot said (validated by ingest's ZTerminalStatusData). */
async function registersOf(db: CentralDatabase, rows: readonly TillRow[]): Promise<Map<string, Register>> {
  const live = await db.prisma.terminalLiveStatus.findMany({
    where: {
      OR: rows.map((r) => ({ organizationId: r.organizationId, terminalId: r.id })),
    },
    select: { terminalId: true, snapshot: true },
  });
  return new Map(
    live.map((l) => {
      const register = (l.snapshot as { register?: Partial<Register> } | null)?.register;
      return [
        l.terminalId,
        {
          model: register?.model ?? null,
          fnNumber: register?.fnNumber ?? null,
          firmware: register?.firmware ?? null,
        },
      ];
    }),
  );
}

function view({ store, ...row }: TillRow, register: Register | undefined): TAdminTill {
  return { ...row, storeName: store.name, timezone: store.timezone, register: register ?? UNKNOWN_REGISTER };
}

/** The tills the scope sees, with their register and last contact. */
export async function listTills(
  db: CentralDatabase,
  scope: DashboardScope,
  input: z.output<typeof ZListTillsInput>,
): Promise<TAdminTill[]> {
  const rows = await db.prisma.terminal.findMany({
    where: {
      AND: [
        scopeWhere(scope),
        input.organizationId ? { organizationId: input.organizationId } : {},
        input.storeId ? { storeId: input.storeId } : {},
        input.status === "all" ? {} : { status: input.status },
      ],
    },
    select: TILL_SELECT,
    orderBy: [
      input.sort === "lastSyncAt"
        ? { lastSyncAt: { sort: input.order, nulls: input.order === "asc" ? "first" : "last" } }
        : { [input.sort]: input.order },
      { id: "asc" },
    ],
  });
  if (rows.length === 0) return [];
  const registers = await registersOf(db, rows);
  return rows.map((row) => view(row, registers.get(row.id)));
}

async function oneTill(db: CentralDatabase, membership: MembershipScope, terminalId: string) {
  const row = await db.prisma.terminal.findUnique({
    where: { organizationId_id: { organizationId: membership.organizationId, id: terminalId } },
    select: { ...TILL_SELECT, keyHash: true },
  });
  if (!row || !coversStore(membership, row.storeId)) {
    throw new AppError("NOT_FOUND", { message: `There is no till ${terminalId} in your organization.` });
  }
  return row;
}

/**
 * Creates a till in a store and issues its key. The key (and the configuration built around it) is
 * returned to the owner once; only its hash is stored, so a lost key means rotating it.
 */
export async function provisionTill(
  db: CentralDatabase,
  membership: MembershipScope,
  actor: AuditActor,
  input: z.output<typeof ZProvisionTillInput>,
  now: Date,
): Promise<TTillKeyOutput> {
  const organizationId = membership.organizationId;
  const store = await db.prisma.store.findUnique({
    where: { organizationId_id: { organizationId, id: input.storeId } },
    select: { id: true, name: true },
  });
  if (!store || !coversStore(membership, store.id)) {
    throw new AppError("NOT_FOUND", {
      message: `There is no store ${input.storeId} in your organization: create it first.`,
      fieldErrors: { storeId: ["Unknown store"] },
    });
  }
  const id = newId(now.getTime());
  const { key, keyHash } = issueTerminalCredential(id);
  const row = await db.prisma.$transaction(async (tx) => {
    const created = await tx.terminal.create({
      data: { organizationId, storeId: store.id, id, name: input.name, keyHash, createdAt: now },
      select: TILL_SELECT,
    });
    await recordAudit(
      tx,
      organizationId,
      actor,
      {
        action: "till.provision",
        targetType: "till",
        targetId: id,
        summary: `Provisioned till "${input.name}" in store "${store.name}"`,
        details: { name: input.name, storeId: store.id },
        storeIds: [store.id],
      },
      now,
    );
    return created;
  });
  return withKey(view(row, undefined), key, input.centralUrl, now);
}

/**
 * A new key for the till; the old one stops working at once (the hash is replaced in the same
 * statement that remembers it as the previous one, so a till still sending it is answered
 * TERMINAL_KEY_ROTATED rather than a bare wrong-key error).
 */
export async function rotateTillKey(
  db: CentralDatabase,
  membership: MembershipScope,
  actor: AuditActor,
  input: z.output<typeof ZRotateTillKeyInput>,
  now: Date,
): Promise<TTillKeyOutput> {
  const till = await oneTill(db, membership, input.terminalId);
  if (till.status === "retired") {
    throw new AppError("VALIDATION_FAILED", {
      message: `Till "${till.name}" is retired: a retired till gets no new key. Provision a new till instead.`,
      fieldErrors: { terminalId: ["Retired"] },
    });
  }
  const { key, keyHash } = issueTerminalCredential(till.id);
  const row = await db.prisma.$transaction(async (tx) => {
    // Conditional on the hash read above: two owners rotating at once cannot both show a working key.
    const { count } = await tx.terminal.updateMany({
      where: { organizationId: till.organizationId, id: till.id, keyHash: till.keyHash, status: "active" },
      data: { keyHash, previousKeyHash: till.keyHash, keyRotatedAt: now },
    });
    if (count !== 1) {
      throw new AppError("VALIDATION_FAILED", {
        message: `Till "${till.name}" changed while its key was being rotated: reload and try again.`,
      });
    }
    await recordAudit(
      tx,
      till.organizationId,
      actor,
      {
        action: "till.rotate_key",
        targetType: "till",
        targetId: till.id,
        summary: `Rotated the key of till "${till.name}" (store "${till.store.name}"): the old key no longer syncs`,
        storeIds: [till.storeId],
      },
      now,
    );
    return tx.terminal.findUniqueOrThrow({
      where: { organizationId_id: { organizationId: till.organizationId, id: till.id } },
      select: TILL_SELECT,
    });
  });
  const registers = await registersOf(db, [row]);
  return withKey(view(row, registers.get(row.id)), key, input.centralUrl, now);
}

/** Retires a till: its key is refused from now on (TERMINAL_RETIRED); its data stays. */
export async function retireTill(
  db: CentralDatabase,
  membership: MembershipScope,
  actor: AuditActor,
  input: z.output<typeof ZRetireTillInput>,
  now: Date,
): Promise<TAdminTill> {
  const till = await oneTill(db, membership, input.terminalId);
  if (till.status === "retired") {
    throw new AppError("VALIDATION_FAILED", {
      message: `Till "${till.name}" is already retired.`,
      fieldErrors: { terminalId: ["Already retired"] },
    });
  }
  const row = await db.prisma.$transaction(async (tx) => {
    const updated = await tx.terminal.update({
      where: { organizationId_id: { organizationId: till.organizationId, id: till.id } },
      data: { status: "retired", retiredAt: now },
      select: TILL_SELECT,
    });
    await recordAudit(
      tx,
      till.organizationId,
      actor,
      {
        action: "till.retire",
        targetType: "till",
        targetId: till.id,
        summary: `Retired till "${till.name}" (store "${till.store.name}"): its key is refused from now on`,
        storeIds: [till.storeId],
      },
      now,
    );
    return updated;
  });
  const registers = await registersOf(db, [row]);
  return view(row, registers.get(row.id));
}

function withKey(till: TAdminTill, key: string, centralUrl: string, now: Date): TTillKeyOutput {
  return {
    till,
    terminalKey: key,
    config: agentConfiguration({
      centralUrl,
      terminalId: till.id,
      terminalKey: key,
      tillName: till.name,
      storeName: till.storeName,
      at: now,
    }),
  };
}
