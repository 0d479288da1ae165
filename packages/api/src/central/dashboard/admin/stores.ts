import { newId } from "@kassa/db/central";
import type { z } from "zod";
import { AppError } from "../../../errors.ts";
import type { CentralDatabase } from "../../context.ts";
import type { DashboardScope, MembershipScope } from "../scope.ts";
import { type AuditActor, recordAudit } from "./audit.ts";
import type { TAdminStore, ZCreateStoreInput, ZUpdateStoreInput } from "./store.types.ts";

const STORE_SELECT = {
  organizationId: true,
  id: true,
  name: true,
  timezone: true,
  address: true,
  createdAt: true,
  _count: { select: { terminals: { where: { status: "active" as const } } } },
} as const;

type StoreRow = {
  organizationId: string;
  id: string;
  name: string;
  timezone: string;
  address: string | null;
  createdAt: Date;
  _count: { terminals: number };
};
const view = ({ _count, ...store }: StoreRow): TAdminStore => ({ ...store, tills: _count.terminals });

/** The stores the scope may see (a store-scoped role: its stores only), by organization and name. */
export async function listStores(
  db: CentralDatabase,
  scope: DashboardScope,
  organizationId: string | undefined,
): Promise<TAdminStore[]> {
  const memberships = scope.memberships.filter(
    (m) => organizationId === undefined || m.organizationId === organizationId,
  );
  if (memberships.length === 0) return [];
  const rows = await db.prisma.store.findMany({
    where: {
      OR: memberships.map((m) => ({
        organizationId: m.organizationId,
        ...(m.storeIds === null ? {} : { id: { in: m.storeIds } }),
      })),
    },
    select: STORE_SELECT,
    orderBy: [{ organizationId: "asc" }, { name: "asc" }],
  });
  return rows.map(view);
}

async function refuseTakenName(db: CentralDatabase, organizationId: string, name: string, except?: string) {
  const taken = await db.prisma.store.findFirst({
    where: {
      organizationId,
      name: { equals: name, mode: "insensitive" },
      ...(except ? { id: { not: except } } : {}),
    },
    select: { id: true },
  });
  if (taken) {
    throw new AppError("ALREADY_EXISTS", {
      message: `A store named "${name}" already exists: choose another name.`,
      fieldErrors: { name: ["Already taken"] },
    });
  }
}

export async function createStore(
  db: CentralDatabase,
  membership: MembershipScope,
  actor: AuditActor,
  input: z.output<typeof ZCreateStoreInput>,
  now: Date,
): Promise<TAdminStore> {
  const organizationId = membership.organizationId;
  await refuseTakenName(db, organizationId, input.name);
  const id = newId(now.getTime());
  return db.prisma.$transaction(async (tx) => {
    const store = await tx.store.create({
      data: {
        organizationId,
        id,
        name: input.name,
        timezone: input.timezone,
        address: input.address || null,
        createdAt: now,
      },
      select: STORE_SELECT,
    });
    await recordAudit(
      tx,
      organizationId,
      actor,
      {
        action: "store.create",
        targetType: "store",
        targetId: id,
        summary: `Created store "${input.name}" (${input.timezone})`,
        details: { name: input.name, timezone: input.timezone, address: input.address ?? null },
        storeIds: [id],
      },
      now,
    );
    return view(store);
  });
}

export async function updateStore(
  db: CentralDatabase,
  membership: MembershipScope,
  actor: AuditActor,
  input: z.output<typeof ZUpdateStoreInput>,
  now: Date,
): Promise<TAdminStore> {
  const organizationId = membership.organizationId;
  const before = await db.prisma.store.findUnique({
    where: { organizationId_id: { organizationId, id: input.storeId } },
    select: { name: true, timezone: true, address: true },
  });
  if (!before || (membership.storeIds !== null && !membership.storeIds.includes(input.storeId))) {
    throw new AppError("NOT_FOUND", { message: `There is no store ${input.storeId} in your organization.` });
  }
  if (input.name !== undefined) await refuseTakenName(db, organizationId, input.name, input.storeId);
  const after = {
    name: input.name ?? before.name,
    timezone: input.timezone ?? before.timezone,
    address: input.address === undefined ? before.address : input.address || null,
  };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => after[k] !== before[k]);
  if (changed.length === 0) {
    throw new AppError("VALIDATION_FAILED", {
      message: "Nothing to change: the store already has these values.",
      fieldErrors: { _: ["No change"] },
    });
  }
  return db.prisma.$transaction(async (tx) => {
    const store = await tx.store.update({
      where: { organizationId_id: { organizationId, id: input.storeId } },
      data: after,
      select: STORE_SELECT,
    });
    await recordAudit(
      tx,
      organizationId,
      actor,
      {
        action: "store.update",
        targetType: "store",
        targetId: input.storeId,
        summary: changed
          .map((k) => `${k}: ${JSON.stringify(before[k])} → ${JSON.stringify(after[k])}`)
          .join("; ")
          .replace(/^/, `Store "${after.name}": `),
        details: { before, after },
        storeIds: [input.storeId],
      },
      now,
    );
    return view(store);
  });
}
