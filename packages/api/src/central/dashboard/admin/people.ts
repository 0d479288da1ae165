import { createHash, randomBytes } from "node:crypto";
import { newId, type Prisma, type Role } from "@kassa/db/central";
import type { z } from "zod";
import { AppError } from "../../../errors.ts";
import { revokeUserSessions } from "../../auth/users.ts";
import type { CentralDatabase } from "../../context.ts";
import type { MembershipScope } from "../scope.ts";
import { type AuditActor, recordAudit } from "./audit.ts";
import {
  INVITATION_TTL_MS,
  type TListPeopleOutput,
  type TPendingInvitation,
  type ZInviteMemberInput,
  type ZRemoveMemberInput,
  type ZRevokeInvitationInput,
  type ZUpdateMemberInput,
} from "./people.types.ts";

export const hashInvitationToken = (token: string) =>
  createHash("sha256").update(token, "utf8").digest("hex");

const scopeOf = (storeIds: string[]) => (storeIds.length === 0 ? null : storeIds);

function invitationView(
  row: {
    id: string;
    email: string;
    name: string;
    role: Role;
    storeIds: string[];
    invitedBy: string;
    createdAt: Date;
    expiresAt: Date;
  },
  now: Date,
): TPendingInvitation {
  return { ...row, storeIds: scopeOf(row.storeIds), expired: row.expiresAt <= now };
}

export async function listPeople(
  db: CentralDatabase,
  membership: MembershipScope,
  now: Date,
): Promise<TListPeopleOutput> {
  const organizationId = membership.organizationId;
  const [members, invitations] = await Promise.all([
    db.prisma.membership.findMany({
      where: { organizationId },
      select: {
        role: true,
        storeIds: true,
        createdAt: true,
        user: { select: { id: true, email: true, name: true } },
      },
      orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    }),
    db.prisma.userInvitation.findMany({
      where: { organizationId, acceptedAt: null, revokedAt: null },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  return {
    organizationId,
    members: members.map((m) => ({
      userId: m.user.id,
      email: m.user.email,
      name: m.user.name,
      role: m.role,
      storeIds: scopeOf(m.storeIds),
      createdAt: m.createdAt,
    })),
    invitations: invitations.map((i) => invitationView(i, now)),
  };
}

/**
 * The store scope a role may have, checked against the organization's stores. Managers run named
 * stores (an empty list would mean every store, so it is refused: scope fails closed); owners run
 * everything (a list is refused rather than silently ignored); support may be narrowed or not.
 */
async function checkedScope(
  db: CentralDatabase,
  organizationId: string,
  role: Role,
  storeIds: string[],
): Promise<string[]> {
  const unique = [...new Set(storeIds)];
  if (role === "manager" && unique.length === 0) {
    throw new AppError("VALIDATION_FAILED", {
      message: "Choose the stores this manager runs: a manager without stores would see nothing.",
      fieldErrors: { storeIds: ["At least one store for a manager"] },
    });
  }
  if (role === "owner" && unique.length > 0) {
    throw new AppError("VALIDATION_FAILED", {
      message: "An owner runs every store: leave the store list empty.",
      fieldErrors: { storeIds: ["Owners are not store-scoped"] },
    });
  }
  if (unique.length > 0) {
    const found = await db.prisma.store.count({
      where: { organizationId, id: { in: unique } },
    });
    if (found !== unique.length) {
      throw new AppError("VALIDATION_FAILED", {
        message: "Some of the chosen stores are not in your organization: reload and choose again.",
        fieldErrors: { storeIds: ["Unknown store"] },
      });
    }
  }
  return unique;
}

/**
 * Invites a person: the owner is shown a one-time set-password link (there is no mail server).
 * Only the token's SHA-256 is stored; a new invitation to the same email replaces the pending one.
 */
export async function inviteMember(
  db: CentralDatabase,
  membership: MembershipScope,
  actor: AuditActor,
  input: z.output<typeof ZInviteMemberInput>,
  now: Date,
): Promise<{ invitation: TPendingInvitation; path: string }> {
  const organizationId = membership.organizationId;
  const storeIds = await checkedScope(db, organizationId, input.role, input.storeIds);
  const member = await db.prisma.membership.findFirst({
    where: { organizationId, user: { email: input.email } },
    select: { userId: true },
  });
  if (member) {
    throw new AppError("ALREADY_EXISTS", {
      message: `${input.email} is already a member: change their role instead.`,
      fieldErrors: { email: ["Already a member"] },
    });
  }
  const token = randomBytes(32).toString("base64url");
  const row = await db.prisma.$transaction(async (tx) => {
    await tx.userInvitation.updateMany({
      where: { organizationId, email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    const created = await tx.userInvitation.create({
      data: {
        organizationId,
        id: newId(now.getTime()),
        email: input.email,
        name: input.name,
        role: input.role,
        storeIds,
        tokenHash: hashInvitationToken(token),
        invitedById: actor.id,
        invitedBy: actor.email,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      },
    });
    await recordAudit(
      tx,
      organizationId,
      actor,
      {
        action: "member.invite",
        targetType: "invitation",
        targetId: created.id,
        summary: `Invited ${input.email} as ${input.role}${storeIds.length ? ` of ${storeIds.length} store(s)` : ""}`,
        details: { email: input.email, role: input.role, storeIds },
        storeIds,
      },
      now,
    );
    return created;
  });
  return { invitation: invitationView(row, now), path: `/set-password?token=${token}` };
}

/** Serialises membership changes of one organization, so two owners cannot demote each other at once. */
async function lockMembers(tx: Prisma.TransactionClient, organizationId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`kassa.members:${organizationId}`}))`;
}

async function refuseLastOwner(tx: Prisma.TransactionClient, organizationId: string, what: string) {
  const owners = await tx.membership.count({ where: { organizationId, role: "owner" } });
  if (owners <= 1) {
    throw new AppError("LAST_OWNER", {
      message: `This is the organization's last owner: make someone else owner before you ${what}.`,
    });
  }
}

async function currentMember(tx: Prisma.TransactionClient, organizationId: string, userId: string) {
  const row = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { role: true, storeIds: true, user: { select: { email: true } } },
  });
  if (!row)
    throw new AppError("NOT_FOUND", { message: `User ${userId} is not a member of your organization.` });
  return row;
}

/** Changes a member's role and store scope; it applies from their next request (scope is read per request). */
export async function updateMember(
  db: CentralDatabase,
  membership: MembershipScope,
  actor: AuditActor,
  input: z.output<typeof ZUpdateMemberInput>,
  now: Date,
): Promise<void> {
  const organizationId = membership.organizationId;
  const storeIds = await checkedScope(db, organizationId, input.role, input.storeIds);
  await db.prisma.$transaction(async (tx) => {
    await lockMembers(tx, organizationId);
    const before = await currentMember(tx, organizationId, input.userId);
    const sameScope =
      before.storeIds.length === storeIds.length && before.storeIds.every((s) => storeIds.includes(s));
    if (before.role === input.role && sameScope) {
      throw new AppError("VALIDATION_FAILED", {
        message: "Nothing to change: the member already has this role and these stores.",
        fieldErrors: { _: ["No change"] },
      });
    }
    if (before.role === "owner" && input.role !== "owner")
      await refuseLastOwner(tx, organizationId, "demote this one");
    await tx.membership.update({
      where: { organizationId_userId: { organizationId, userId: input.userId } },
      data: { role: input.role, storeIds },
    });
    await recordAudit(
      tx,
      organizationId,
      actor,
      {
        action: "member.update",
        targetType: "member",
        targetId: input.userId,
        summary: `${before.user.email}: ${before.role} → ${input.role}, stores ${before.storeIds.length ? before.storeIds.length : "all"} → ${storeIds.length ? storeIds.length : "all"}`,
        details: {
          before: { role: before.role, storeIds: before.storeIds },
          after: { role: input.role, storeIds },
        },
      },
      now,
    );
  });
}

/**
 * Removes a member. Their sessions end only when this was their last membership: access is read
 * per request from the memberships, so removal from this organization takes effect at once without
 * it, and ending the sessions of someone who still belongs elsewhere would let one organization's
 * owner sign a member of another organization out at will.
 */
export async function removeMember(
  db: CentralDatabase,
  membership: MembershipScope,
  actor: AuditActor,
  input: z.output<typeof ZRemoveMemberInput>,
  now: Date,
): Promise<{ removed: true; sessionsEnded: number }> {
  const organizationId = membership.organizationId;
  const remaining = await db.prisma.$transaction(async (tx) => {
    await lockMembers(tx, organizationId);
    const before = await currentMember(tx, organizationId, input.userId);
    if (before.role === "owner") await refuseLastOwner(tx, organizationId, "remove this one");
    await tx.membership.delete({
      where: { organizationId_userId: { organizationId, userId: input.userId } },
    });
    const left = await tx.membership.count({ where: { userId: input.userId } });
    await recordAudit(
      tx,
      organizationId,
      actor,
      {
        action: "member.remove",
        targetType: "member",
        targetId: input.userId,
        summary: `Removed ${before.user.email} (${before.role}); ${
          left === 0 ? "their sessions were ended" : "they can no longer open this organization"
        }`,
        details: { role: before.role, storeIds: before.storeIds },
      },
      now,
    );
    return left;
  });
  // After the commit: the removal stands even if ending sessions failed, and the next request of
  // any session left would find no membership anyway.
  const sessionsEnded = remaining === 0 ? await revokeUserSessions(db, input.userId) : 0;
  return { removed: true, sessionsEnded };
}

export async function revokeInvitation(
  db: CentralDatabase,
  membership: MembershipScope,
  actor: AuditActor,
  input: z.output<typeof ZRevokeInvitationInput>,
  now: Date,
): Promise<{ revoked: true }> {
  const organizationId = membership.organizationId;
  await db.prisma.$transaction(async (tx) => {
    const { count } = await tx.userInvitation.updateMany({
      where: { organizationId, id: input.invitationId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count !== 1) {
      throw new AppError("NOT_FOUND", {
        message: "There is no pending invitation with this id: reload the page.",
      });
    }
    const row = await tx.userInvitation.findUniqueOrThrow({
      where: { organizationId_id: { organizationId, id: input.invitationId } },
      select: { email: true, storeIds: true },
    });
    await recordAudit(
      tx,
      organizationId,
      actor,
      {
        action: "invitation.revoke",
        targetType: "invitation",
        targetId: input.invitationId,
        summary: `Revoked the invitation of ${row.email}: its link no longer works`,
        storeIds: row.storeIds,
      },
      now,
    );
  });
  return { revoked: true };
}
