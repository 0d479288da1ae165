import { hashPassword, PasswordHashError, verifyPassword } from "@kassa/db/central";
import { AppError, zodFieldErrors } from "../../errors.ts";
import type { CentralDatabase } from "../context.ts";
import { createSessionToken, SESSION_TTL_MS } from "./session-token.ts";
import { ZSignInInput } from "./sign-in.types.ts";

export interface SignInResult {
  token: string;
  expiresAt: Date;
  user: { id: string; email: string; name: string };
}

// Verified against when the email is unknown, so a wrong email costs the same time as a wrong
// password and response times do not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;

/**
 * Checks an email and password against `users.password_hash` and returns a signed session token.
 * Why our own session instead of an auth framework: the dashboard needs one thing (email +
 * password → who is this, which organizations/stores), the central server must stay stateless,
 * and a signed cookie is ~60 lines we can test completely. Invites, SSO and 2FA would change that.
 */
export async function signIn(
  db: CentralDatabase,
  input: unknown,
  options: { sessionSecret: string; now: Date },
): Promise<SignInResult> {
  const parsed = ZSignInInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", {
      message: "Enter an email address and a password.",
      fieldErrors: zodFieldErrors(parsed.error),
    });
  }
  const { email, password } = parsed.data;
  const user = await db.prisma.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      name: true,
      accounts: { where: { providerId: "credential" }, select: { password: true } },
    },
  });
  const passwordHash = user?.accounts[0]?.password ?? undefined;
  decoyHash ??= hashPassword("decoy");
  // A stored hash outside the accepted scrypt bounds is never computed: the account cannot sign in
  // until its password is set again, and the caller sees the same answer as for a wrong password.
  const valid = await verifyPassword(password, passwordHash ?? (await decoyHash)).catch((error) => {
    if (error instanceof PasswordHashError) return false;
    throw error;
  });
  if (!user || !valid) {
    throw new AppError("UNAUTHORIZED", {
      message: "The email or password is wrong. Check both and try again.",
    });
  }
  const expiresAt = new Date(options.now.getTime() + SESSION_TTL_MS);
  return {
    token: createSessionToken({ userId: user.id, expiresAt }, options.sessionSecret),
    expiresAt,
    user: { id: user.id, email: user.email, name: user.name },
  };
}
