"use server";

import { clientAddress } from "@kassa/api/central/auth";
import { acceptInvitation } from "@kassa/api/central/dashboard";
import { AppError } from "@kassa/api/errors";
import { headers } from "next/headers";
import { getEnv } from "~/env.ts";
import { getAuth } from "~/server/auth.ts";
import { getDb } from "~/server/db.ts";

/** What the form shows: message keys of `admin.setPassword` (the user's language), never English server text. */
export interface SetPasswordState {
  error?:
    | "mismatch"
    | "passwordHint"
    | "invalidTitle"
    | "failed"
    | "currentRequired"
    | "currentWrong"
    | "noAccount"
    | "throttled";
  /** With "throttled": how long to wait before the next attempt. */
  retryAfterSeconds?: number;
  /**
   * What the server found out once a password was submitted: the email has an account (the form
   * asks for its current password) or not (it asks for a new one). Undefined until then — the
   * page does not tell the inviting owner up front whether an email has an account.
   */
  existingAccount?: boolean;
  done?: { email: string; joined: boolean };
}

/**
 * Accepts the invitation behind the link: a new person sets their password; a person whose email
 * already has an account types its current password (checked and counted by the sign-in throttle).
 */
export async function setPasswordAction(
  _previous: SetPasswordState,
  form: FormData,
): Promise<SetPasswordState> {
  const token = String(form.get("token") ?? "");
  const currentPassword = form.get("currentPassword");
  const password = form.get("password");
  if (currentPassword === null && password !== form.get("confirm")) return { error: "mismatch" };
  const requestHeaders = new Headers(await headers());
  try {
    const result = await acceptInvitation(
      await getDb(),
      currentPassword === null
        ? { token, password: String(password ?? "") }
        : { token, currentPassword: String(currentPassword) },
      new Date(),
      {
        throttle: (await getAuth()).throttle,
        address: clientAddress(requestHeaders, getEnv().trustedProxyHops),
      },
    );
    return { done: { email: result.email, joined: !result.passwordSet } };
  } catch (error) {
    if (error instanceof AppError) {
      if (error.kassaCode === "USER_LOCKED") {
        return {
          error: "throttled",
          retryAfterSeconds: error.retryAfterSeconds ?? 60,
          existingAccount: true,
        };
      }
      if (error.kassaCode === "INVITATION_INVALID") {
        const proof = error.fieldErrors?.currentPassword?.[0];
        if (proof === "required") return { error: "currentRequired", existingAccount: true };
        if (proof === "wrong") return { error: "currentWrong", existingAccount: true };
        return { error: "invalidTitle" };
      }
      if (error.kassaCode === "VALIDATION_FAILED") {
        // A current password was typed, but no account has the email: a new password is asked.
        return currentPassword === null
          ? { error: "passwordHint", existingAccount: false }
          : { error: "noAccount", existingAccount: false };
      }
    }
    throw error;
  }
}
