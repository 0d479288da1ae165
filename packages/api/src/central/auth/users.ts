import { newId } from "@kassa/db/central";
import { hashPassword } from "@kassa/db/secrets";
import { z } from "zod";
import { AppError, zodFieldErrors } from "../../errors.ts";
import type { CentralDatabase } from "../context.ts";

/** better-auth's provider id for email + password; the account's `accountId` is the user's id. */
export const CREDENTIAL_PROVIDER = "credential";

/**
 * What a new password must be: NIST SP 800-63B's floor (8 characters, no composition rules), and a
 * ceiling so one sign-in cannot make scrypt hash megabytes.
 */
export const ZNewPassword = z
  .string()
  .min(8, "Choose a password of at least 8 characters.")
  .max(1024, "Choose a password of at most 1024 characters.");

export const ZNewUser = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.")),
  name: z.string().trim().min(1, "Enter the person's name.").max(200),
  /** Optional: an invited person sets it later through their one-time link (setUserPassword). */
  password: ZNewPassword.optional(),
  /** True when the person proved the address (e.g. they opened an invitation link sent to it). */
  emailVerified: z.boolean().default(false),
});
export type TNewUser = z.input<typeof ZNewUser>;

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError("VALIDATION_FAILED", {
      message: result.error.issues[0]?.message ?? "The input is not valid.",
      fieldErrors: zodFieldErrors(result.error),
    });
  }
  return result.data;
}

/**
 * Creates a person who can sign in to the dashboard (no membership: the caller adds it in the
 * same flow). Without `password` the account exists but no password signs in until
 * setUserPassword runs. An email already taken is a VALIDATION_FAILED on `email`, nothing written.
 */
export async function createUser(
  db: CentralDatabase,
  input: TNewUser,
): Promise<{ id: string; email: string; name: string }> {
  const { email, name, password, emailVerified } = parsed(ZNewUser, input);
  const taken = await db.prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (taken) {
    throw new AppError("VALIDATION_FAILED", {
      message: "An account with this email already exists.",
      fieldErrors: { email: ["An account with this email already exists."] },
    });
  }
  // Hashed before the write, so the row and its credential appear together or not at all.
  const hash = password === undefined ? undefined : await hashPassword(password);
  const id = newId();
  const user = await db.prisma.user.create({
    data: {
      id,
      email,
      name,
      emailVerified,
      ...(hash
        ? {
            accounts: {
              create: { id: newId(), providerId: CREDENTIAL_PROVIDER, accountId: id, password: hash },
            },
          }
        : {}),
    },
    select: { id: true, email: true, name: true },
  });
  return user;
}

/**
 * Sets the password the sign-in checks (Kassa's scrypt, OWASP parameters) and ends every session
 * of the user, in one transaction: whoever held a session with the old password holds nothing.
 * A password outside ZNewPassword is VALIDATION_FAILED; an unknown user NOT_FOUND; nothing changes.
 */
export async function setUserPassword(db: CentralDatabase, userId: string, plaintext: string): Promise<void> {
  const password = parsed(ZNewPassword, plaintext);
  const hash = await hashPassword(password);
  await db.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw new AppError("NOT_FOUND", { message: `There is no user ${userId}.` });
    await tx.account.upsert({
      where: { providerId_accountId: { providerId: CREDENTIAL_PROVIDER, accountId: userId } },
      create: { id: newId(), providerId: CREDENTIAL_PROVIDER, accountId: userId, userId, password: hash },
      update: { password: hash },
    });
    await tx.session.deleteMany({ where: { userId } });
  });
}

/**
 * Ends every session of the user on every central instance (the rows are the sessions: the next
 * request with an old cookie finds none). For removal from an organization, a role change that
 * must take effect now, or "sign out everywhere". Returns how many sessions ended.
 */
export async function revokeUserSessions(db: CentralDatabase, userId: string): Promise<number> {
  const { count } = await db.prisma.session.deleteMany({ where: { userId } });
  return count;
}
