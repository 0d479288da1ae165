"use server";

import { cookies, headers } from "next/headers";
import { isLocale, LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_S } from "./locales.ts";

/** The language switcher's action: remembers the choice; setting a cookie re-renders the page in it. */
export async function setLocaleAction(locale: string): Promise<void> {
  // An unknown value changes nothing (the cookie is only ever one of LOCALES).
  if (!isLocale(locale)) return;
  const secure = (await headers()).get("x-forwarded-proto") === "https";
  (await cookies()).set(LOCALE_COOKIE, locale, {
    path: "/",
    sameSite: "lax",
    secure,
    maxAge: LOCALE_COOKIE_MAX_AGE_S,
  });
}
