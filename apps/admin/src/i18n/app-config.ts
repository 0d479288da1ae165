import type en from "../../messages/en.json";
import type { Locale } from "./locales.ts";

// Types every `t("…")` key against the English messages: a missing or misspelt key fails `tsc`.
// ru.json is held to the same keys by messages.test.ts.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof en;
  }
}
