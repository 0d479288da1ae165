// The dashboard's languages and how one is chosen for a request. No locale prefix in URLs: a link a
// support engineer pastes opens in the reader's language, not the sender's.

export const LOCALES = ["en", "ru"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Set by the language switcher in the shell; a year, so the choice outlives the 12 h session. */
export const LOCALE_COOKIE = "kassa-locale";
export const LOCALE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best supported locale for an Accept-Language header ("ru-RU,ru;q=0.9,en;q=0.8"): languages by
 * descending q (ties keep header order), matched on the primary subtag; q=0 means "not this one".
 * Falls back to English.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { language: tag.trim().toLowerCase().split("-")[0] ?? "", weight, index };
    })
    .filter((entry) => entry.language && Number.isFinite(entry.weight) && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.map((entry) => entry.language).find(isLocale) ?? DEFAULT_LOCALE;
}

/**
 * The cookie wins (an explicit choice), then the signed-in person's organization default (admin
 * settings), then the browser's Accept-Language, then English.
 */
export function resolveLocale(
  cookie: string | undefined,
  acceptLanguage: string | null,
  organizationDefault?: string | null,
): Locale {
  if (isLocale(cookie)) return cookie;
  return isLocale(organizationDefault) ? organizationDefault : negotiateLocale(acceptLanguage);
}
