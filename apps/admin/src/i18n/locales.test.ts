import { describe, expect, it } from "vitest";
import { negotiateLocale, resolveLocale } from "./locales.ts";

describe("negotiateLocale", () => {
  it("picks the best supported language of Accept-Language", () => {
    expect(negotiateLocale("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7")).toBe("ru");
    expect(negotiateLocale("en-US,en;q=0.9,ru;q=0.8")).toBe("en");
    expect(negotiateLocale("de-DE,de;q=0.9,ru;q=0.5")).toBe("ru");
    expect(negotiateLocale("en;q=0.2, ru;q=0.8")).toBe("ru");
  });

  it("falls back to English for nothing, unsupported languages, q=0 and garbage", () => {
    expect(negotiateLocale(undefined)).toBe("en");
    expect(negotiateLocale("")).toBe("en");
    expect(negotiateLocale("de,fr;q=0.5")).toBe("en");
    expect(negotiateLocale("ru;q=0")).toBe("en");
    expect(negotiateLocale(";;;,q=abc")).toBe("en");
  });
});

describe("resolveLocale", () => {
  it("prefers the user's cookie, ignores an unknown cookie value", () => {
    expect(resolveLocale("ru", "en-US")).toBe("ru");
    expect(resolveLocale("en", "ru-RU")).toBe("en");
    expect(resolveLocale("xx", "ru-RU")).toBe("ru");
    expect(resolveLocale(undefined, null)).toBe("en");
  });

  it("without a cookie, the organization's default language comes before the browser's", () => {
    expect(resolveLocale(undefined, "en-US", "ru")).toBe("ru");
    expect(resolveLocale("en", "ru-RU", "ru")).toBe("en");
    expect(resolveLocale(undefined, "ru-RU", null)).toBe("ru");
    expect(resolveLocale(undefined, "ru-RU", "xx")).toBe("ru");
  });
});
