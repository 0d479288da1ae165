"use server";

import { SESSION_COOKIE, signIn } from "@kassa/api/central/auth";
import { AppError } from "@kassa/api/errors";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getEnv } from "~/env.ts";
import { getDb } from "~/server/db.ts";

export interface SignInState {
  error?: string;
  fieldErrors?: Record<string, string[]>;
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
      return {
        error: error.message,
        ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
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
