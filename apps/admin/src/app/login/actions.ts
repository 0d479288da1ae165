"use server";

import { SESSION_COOKIE, signIn } from "@kassa/api/central/auth";
import { AppError } from "@kassa/api/errors";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getEnv } from "~/env.ts";
import { getDb } from "~/server/db.ts";

/** What the form shows after a failed sign-in: message keys of the `login` namespace, not English text. */
export interface SignInState {
  error?: "wrongPassword" | "invalid";
  /** The fields the server refused (their messages are the form's, in the user's language). */
  fieldErrors?: Array<"email" | "password">;
  email?: string;
}

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  try {
    const result = await signIn(
      await getDb(),
      { email, password: String(form.get("password") ?? "") },
      { sessionSecret: getEnv().sessionSecret, now: new Date() },
    );
    // Secure only behind HTTPS: browsers drop Secure cookies set over plain http on a LAN address.
    const secure = (await headers()).get("x-forwarded-proto") === "https";
    (await cookies()).set(SESSION_COOKIE, result.token, {
      httpOnly: true,
      sameSite: "lax",
      secure,
      path: "/",
      expires: result.expiresAt,
    });
  } catch (error) {
    if (error instanceof AppError) {
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

export async function signOutAction(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect("/login");
}
