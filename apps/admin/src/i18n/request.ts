import { defaultLocaleOf } from "@kassa/api/central/dashboard";
import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getDb } from "~/server/db.ts";
import { currentSession } from "~/server/session.ts";
import { isLocale, LOCALE_COOKIE, resolveLocale } from "./locales.ts";

/** The organization's default language for a signed-in person; none when signed out or unreadable. */
async function organizationDefault(): Promise<string | null> {
  try {
    const session = await currentSession();
    return session ? await defaultLocaleOf(await getDb(), session.userId) : null;
  } catch {
    // A language is never worth an error page: the browser's choice is used instead.
    return null;
  }
}

// next-intl's per-request configuration (wired in next.config.ts): the user's locale and its messages.
export default getRequestConfig(async () => {
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = resolveLocale(
    cookie,
    (await headers()).get("accept-language"),
    // Read only when it can matter: an explicit choice needs no session lookup.
    isLocale(cookie) ? null : await organizationDefault(),
  );
  const messages = (await import(`../../messages/${locale}.json`)).default;
  return { locale, messages };
});
