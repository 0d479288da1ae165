import { newId } from "@kassa/db/central";
import { z } from "zod";
import { AppError, zodFieldErrors } from "../../../errors.ts";
import { setUserPassword, ZNewPassword } from "../../auth/users.ts";
import type { CentralDatabase } from "../../context.ts";
import { recordAudit } from "./audit.ts";
import { hashInvitationToken } from "./people.ts";
import type { InvitationPreview } from "./people.types.ts";

// The public side of an invitation: the set-password page (no session) reads a link and accepts it.
// Nothing here trusts anything but the token, and every refusal is the same typed INVITATION_INVALID.

const ZToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** Why a link does not work, as `fieldErrors.token[0]`: the page says it in the reader's language. */
export type InvitationRefusal = "unknown" | "used" | "revoked" | "expired";

const invalid = (reason: InvitationRefusal, why: string) =>
  new AppError("INVITATION_INVALID", {
    message: `${why} Ask the organization's owner for a new invitation.`,
    fieldErrors: { token: [reason] },
  });

async function openInvitation(db: CentralDatabase, token: string, now: Date) {
  if (!ZToken.safeParse(token).success) throw invalid("unknown", "This set-password link is not valid.");
  const row = await db.prisma.userInvitation.findUnique({ where: { tokenHash: hashInvitationToken(token) } });
  if (!row) throw invalid("unknown", "This set-password link is not valid.");
  if (row.acceptedAt) throw invalid("used", "This set-password link was already used.");
  if (row.revokedAt) throw invalid("revoked", "This set-password link was withdrawn.");
  if (row.expiresAt <= now) throw invalid("expired", "This set-password link has expired.");
  return row;
}

/** What the page shows before a password is typed: who is invited where, and whether a password is asked. */
export async function previewInvitation(
  db: CentralDatabase,
  token: string,
  now: Date,
): Promise<InvitationPreview> {
  const row = await openInvitation(db, token, now);
  const [organization, user] = await Promise.all([
    db.prisma.organization.findUniqueOrThrow({ where: { id: row.organizationId }, select: { name: true } }),
    db.prisma.user.findUnique({ where: { email: row.email }, select: { id: true } }),
  ]);
  return {
    email: row.email,
    name: row.name,
    organizationName: organization.name,
    role: row.role,
    expiresAt: row.expiresAt,
    existingAccount: user !== null,
  };
}

/**
 * Accepts an invitation, once: a new person's account is created with the password they chose
 * (setUserPassword); a person who already has an account only joins — an invitation never sets the
 * password of an existing account (an owner of another chain could otherwise take it over). The link
 * is claimed by a conditional UPDATE, so two tabs cannot both use it.
 */
export async function acceptInvitation(
  db: CentralDatabase,
  input: { token: string; password?: string | undefined },
  now: Date,
): Promise<{ email: string; passwordSet: boolean }> {
  const invitation = await openInvitation(db, input.token, now);
  const existing = await db.prisma.user.findUnique({
    where: { email: invitation.email },
    select: { id: true },
  });
  let password: string | null = null;
  if (!existing) {
    const parsed = ZNewPassword.safeParse(input.password ?? "");
    if (!parsed.success) {
      throw new AppError("VALIDATION_FAILED", {
        message: parsed.error.issues[0]?.message ?? "Choose a password.",
        fieldErrors: { password: zodFieldErrors(parsed.error)._ ?? ["Choose a password."] },
      });
    }
    password = parsed.data;
  }
  const userId = existing?.id ?? newId(now.getTime());
  await db.prisma.$transaction(async (tx) => {
    const { count } = await tx.userInvitation.updateMany({
      where: { tokenHash: invitation.tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now, acceptedUserId: userId },
    });
    if (count !== 1) throw invalid("used", "This set-password link was already used.");
    if (!existing) {
      // The link was sent to this address and opened: that proves it (better-auth's emailVerified).
      await tx.user.create({
        data: { id: userId, email: invitation.email, name: invitation.name, emailVerified: true },
      });
    }
    await tx.membership.upsert({
      where: { organizationId_userId: { organizationId: invitation.organizationId, userId } },
      create: {
        organizationId: invitation.organizationId,
        userId,
        role: invitation.role,
        storeIds: invitation.storeIds,
      },
      update: {},
    });
    await recordAudit(
      tx,
      invitation.organizationId,
      { id: userId, email: invitation.email, role: invitation.role },
      {
        action: "invitation.accept",
        targetType: "member",
        targetId: userId,
        summary: `${invitation.email} accepted the invitation as ${invitation.role}${existing ? " (existing account)" : ""}`,
        storeIds: invitation.storeIds,
      },
      now,
    );
  });
  if (password !== null) {
    try {
      await setUserPassword(db, userId, password);
    } catch (error) {
      // No half-made account: without its password it could never sign in, and the link is spent.
      await db.prisma.$transaction([
        db.prisma.membership.deleteMany({ where: { organizationId: invitation.organizationId, userId } }),
        db.prisma.user.deleteMany({ where: { id: userId } }),
        db.prisma.userInvitation.updateMany({
          where: { tokenHash: invitation.tokenHash },
          data: { acceptedAt: null, acceptedUserId: null },
        }),
      ]);
      throw error;
    }
  }
  return { email: invitation.email, passwordSet: password !== null };
}
