"use server";

import { acceptInvitation } from "@kassa/api/central/dashboard";
import { AppError } from "@kassa/api/errors";
import { getDb } from "~/server/db.ts";

/** What the form shows: message keys of `admin.setPassword` (the user's language), never English server text. */
export interface SetPasswordState {
  error?: "mismatch" | "passwordHint" | "invalidTitle" | "failed";
  done?: { email: string };
}

/** Accepts the invitation behind the link: sets the new person's password (or only joins an existing account). */
export async function setPasswordAction(
  _previous: SetPasswordState,
  form: FormData,
): Promise<SetPasswordState> {
  const token = String(form.get("token") ?? "");
  const password = form.get("password");
  if (password !== null && password !== form.get("confirm")) return { error: "mismatch" };
  try {
    const result = await acceptInvitation(
      await getDb(),
      { token, ...(password === null ? {} : { password: String(password) }) },
      new Date(),
    );
    return { done: { email: result.email } };
  } catch (error) {
    if (error instanceof AppError) {
      if (error.kassaCode === "INVITATION_INVALID") return { error: "invalidTitle" };
      if (error.kassaCode === "VALIDATION_FAILED") return { error: "passwordHint" };
    }
    throw error;
  }
}
