"use server";

import { clientAddress, signIn, signOut } from "@kassa/api/central/auth";
import { AppError } from "@kassa/api/errors";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getEnv } from "~/env.ts";
import { getAuth } from "~/server/auth.ts";
import { applySetCookies } from "~/server/set-cookies.ts";

/** What the form shows after a failed sign-in: message keys of the `login` namespace, not English text. */
export interface SignInState {
  error?: "wrongPassword" | "invalid" | "throttled";
  /** With "throttled": how long to wait before the next attempt. */
  retryAfterSeconds?: number;
  /** The fields the server refused (their messages are the form's, in the user's language). */
  fieldErrors?: Array<"email" | "password">;
  email?: string;
}

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  const requestHeaders = new Headers(await headers());
  try {
    const result = await signIn(
      await getAuth(),
      { email, password: String(form.get("password") ?? "") },
      { headers: requestHeaders, address: clientAddress(requestHeaders, getEnv().trustedProxyHops) },
    );
    await applySetCookies(result.setCookies);
  } catch (error) {
    if (error instanceof AppError) {
      if (error.kassaCode === "USER_LOCKED") {
        return { error: "throttled", retryAfterSeconds: error.retryAfterSeconds ?? 60, email };
      }
      const fields = Object.keys(error.fieldErrors ?? {}).filter(
        (field): field is "email" | "password" => field === "email" || field === "password",
      );
      return {
        error: error.code === "UNAUTHORIZED" ? "wrongPassword" : "invalid",
        ...(fields.length > 0 ? { fieldErrors: fields } : {}),
        email,
      };
    }
    throw error;
  }
  redirect("/");
}

/** Ends the session everywhere (its row is deleted, so a copied cookie is refused too). */
export async function signOutAction(): Promise<void> {
  await applySetCookies(await signOut(await getAuth(), new Headers(await headers())));
  redirect("/login");
}
