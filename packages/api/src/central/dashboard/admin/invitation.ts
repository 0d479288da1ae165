import { newId } from "@kassa/db/central";
import { verifyPassword } from "@kassa/db/secrets";
import { z } from "zod";
import { AppError, zodFieldErrors } from "../../../errors.ts";
import { waitText } from "../../auth/sign-in.ts";
import type { SignInThrottle } from "../../auth/throttle.ts";
import { CREDENTIAL_PROVIDER, setUserPassword, ZNewPassword } from "../../auth/users.ts";
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

/**
 * What the page shows before a password is typed: who is invited where. Not whether the email
 * already has an account — the inviting owner holds the link, and the preview would tell them that
 * of any address for free; it comes out only when a password is submitted (acceptInvitation).
 */
export async function previewInvitation(
  db: CentralDatabase,
  token: string,
  now: Date,
): Promise<InvitationPreview> {
  const row = await openInvitation(db, token, now);
  const organization = await db.prisma.organization.findUniqueOrThrow({
    where: { id: row.organizationId },
    select: { name: true },
  });
  return {
    email: row.email,
    name: row.name,
    organizationName: organization.name,
    role: row.role,
    expiresAt: row.expiresAt,
  };
}

/** Why an existing account's holder was not let in, as `fieldErrors.currentPassword[0]`. */
export type AccountProofRefusal = "required" | "wrong";

/** The sign-in throttle the current-password check is counted in, and the client's address for it. */
export interface AccountProofThrottle {
  throttle: SignInThrottle;
  address: string | null;
}

function locked(seconds: number): AppError {
  return new AppError("USER_LOCKED", {
    message: `Too many failed sign-ins for this account or from this network. Wait ${waitText(seconds)} and try again.`,
    retryAfterSeconds: seconds,
  });
}

/**
 * The person opening the link holds the invited email's existing account: its current password,
 * checked against that account's credential and counted in the sign-in throttle under the same
 * account key as the sign-in page (the link is no second, unthrottled place to guess passwords).
 * Anyone else — the inviting owner opening their own link — gets INVITATION_INVALID and nothing joins.
 */
async function proveAccount(
  db: CentralDatabase,
  account: { id: string; email: string },
  currentPassword: string | undefined,
  { throttle, address }: AccountProofThrottle,
): Promise<void> {
  if (!currentPassword) {
    throw new AppError("INVITATION_INVALID", {
      message: `${account.email} already has a Kassa account: enter its current password to accept.`,
      fieldErrors: { currentPassword: ["required" satisfies AccountProofRefusal] },
    });
  }
  const reservation = await throttle.reserve(account.email, address);
  if (reservation.wait > 0) throw locked(reservation.wait);
  const credential = await db.prisma.account.findUnique({
    where: { providerId_accountId: { providerId: CREDENTIAL_PROVIDER, accountId: account.id } },
    select: { userId: true, password: true },
  });
  const proven =
    credential !== null &&
    credential.userId === account.id &&
    credential.password !== null &&
    (await verifyPassword(currentPassword.slice(0, 1024), credential.password));
  if (!proven) {
    const blocked = await throttle.recordFailure(reservation);
    if (blocked > 0) throw locked(blocked);
    throw new AppError("INVITATION_INVALID", {
      message: `This is not the password of ${account.email}. Enter the password you sign in to Kassa with.`,
      fieldErrors: { currentPassword: ["wrong" satisfies AccountProofRefusal] },
    });
  }
  await throttle.recordSuccess(reservation);
}

/**
 * Accepts an invitation, once: a new person's account is created with the password they chose
 * (setUserPassword); a person who already has an account joins only after proving they hold it
 * with its current password (proveAccount) — else the inviting owner could open the link and join
 * anyone's account to their organization. An invitation never sets the password of an existing
 * account (an owner of another chain could otherwise take it over). The link is claimed by a
 * conditional UPDATE, so two tabs cannot both use it.
 */
export async function acceptInvitation(
  db: CentralDatabase,
  input: { token: string; password?: string | undefined; currentPassword?: string | undefined },
  now: Date,
  proof: AccountProofThrottle,
): Promise<{ email: string; passwordSet: boolean }> {
  const invitation = await openInvitation(db, input.token, now);
  const existing = await db.prisma.user.findUnique({
    where: { email: invitation.email },
    select: { id: true, email: true },
  });
  let password: string | null = null;
  if (existing) {
    await proveAccount(db, existing, input.currentPassword, proof);
  } else {
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
