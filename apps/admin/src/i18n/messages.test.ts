import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it } from "vitest";
import en from "../../messages/en.json";
import ru from "../../messages/ru.json";
import { LOCALES } from "./locales.ts";

/** Every leaf key as "namespace.path.to.key". */
function keys(messages: object, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

function leaf(messages: object, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], messages);
}

/**
 * The ICU arguments a message uses ({count}, {count, plural, …}, nested in branches), so a translation
 * cannot drop or rename one. Parsing with next-intl's own ICU engine (intl-messageformat, a dependency
 * of use-intl) also fails the test on a syntax error.
 */
function argumentsOf(message: string, locale: string): string[] {
  const names = new Set<string>();
  type Element = { value?: unknown; options?: Record<string, { value: Element[] }>; children?: Element[] };
  const walk = (elements: Element[]) => {
    for (const element of elements) {
      // Literals (0) and "#" (7) carry no argument; every other element's value is its name.
      const type = (element as { type: number }).type;
      if (type !== 0 && type !== 7 && typeof element.value === "string") names.add(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst() as Element[]);
  return [...names].sort();
}

describe("messages", () => {
  it("en.json and ru.json have exactly the same keys", () => {
    const missingInRu = keys(en).filter((key) => !keys(ru).includes(key));
    const extraInRu = keys(ru).filter((key) => !keys(en).includes(key));
    expect({ missingInRu, extraInRu }).toEqual({ missingInRu: [], extraInRu: [] });
  });

  it("every translation uses the same ICU arguments as the English message", () => {
    const mismatched = keys(en).filter((key) => {
      const english = leaf(en, key);
      const russian = leaf(ru, key);
      return typeof english !== "string" || typeof russian !== "string"
        ? true
        : argumentsOf(english, "en").join() !== argumentsOf(russian, "ru").join();
    });
    expect(mismatched).toEqual([]);
  });

  it("has one namespace per page, the same in every locale", () => {
    expect(Object.keys(en).sort()).toEqual(
      [
        "admin",
        "alerts",
        "breakers",
        "cash",
        "common",
        "dlq",
        "fleet",
        "login",
        "nav",
        "receipts",
        "registerFamily",
        "rum",
        "terminal",
      ].sort(),
    );
    expect(LOCALES).toEqual(["en", "ru"]);
  });

  it("no message is left empty", () => {
    for (const messages of [en, ru]) {
      expect(keys(messages).filter((key) => String(leaf(messages, key)).trim() === "")).toEqual([]);
    }
  });
});
