"use client";

import { useLocale, useTranslations } from "next-intl";
import { createFormatter, type Formatter } from "./format.ts";

/** The formatter for the signed-in user's locale, in client components. */
export function useFormat(): Formatter {
  const t = useTranslations("common");
  return createFormatter(useLocale(), { missing: t("dash"), never: t("never") });
}
