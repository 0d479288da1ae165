import { describe, expect, it } from "vitest";
import { createFormatter } from "./format.ts";

// Intl separates groups and units with (narrow) no-break spaces: compare with plain spaces.
const spaces = /[\s\u202f\u00a0]/g;
const plain = (text: string) => text.replace(spaces, " ");
const ru = createFormatter("ru");
const en = createFormatter("en");

describe("money", () => {
  it("formats kopecks as roubles in the user's locale, without floating point", () => {
    expect(plain(ru.money(123456n))).toBe("1 234,56 ₽");
    expect(plain(ru.money(5n))).toBe("0,05 ₽");
    expect(plain(ru.money(-100n))).toMatch(/^[-−]1,00 ₽$/);
    expect(en.money(123456n)).toBe("₽1,234.56");
    expect(en.money(-100n)).toMatch(/^[-−]₽1\.00$/);
    // Beyond 2^53 a float would round; the decimal string keeps every kopeck.
    expect(plain(ru.money(9007199254740993n)).replace(/ /g, "")).toBe("90071992547409,93₽");
    expect(en.money(9007199254740993n)).toBe("₽90,071,992,547,409.93");
  });

  it("shows a missing amount as the missing label, never as 0", () => {
    expect(ru.money(null)).toBe("—");
    expect(createFormatter("en", { missing: "n/a", never: "never" }).money(undefined)).toBe("n/a");
  });
});

describe("number", () => {
  it("groups digits per locale", () => {
    expect(plain(ru.number(1234567))).toBe("1 234 567");
    expect(en.number(1234567)).toBe("1,234,567");
  });
});

describe("dateTime", () => {
  it("shows the instant in the store's timezone, 24-hour, with the locale's month names", () => {
    const at = new Date("2026-11-22T07:15:03Z");
    expect(en.dateTime(at, "Europe/Moscow")).toContain("10:15:03");
    expect(en.dateTime(at, "Asia/Vladivostok")).toContain("17:15:03");
    expect(en.dateTime(at, "Europe/Moscow")).toMatch(/Nov/);
    expect(ru.dateTime(at, "Europe/Moscow")).toMatch(/нояб/);
    expect(en.dateTime(new Date("2026-11-22T20:00:00Z"), "UTC")).toContain("20:00:00");
    expect(ru.dateTime(null, "UTC")).toBe("—");
  });
});

describe("age and skew", () => {
  it("describes ages relative to the server's clock", () => {
    const now = new Date("2026-11-22T10:00:00Z");
    expect(en.age(new Date("2026-11-22T09:55:00Z"), now)).toBe("5 min. ago");
    expect(ru.age(new Date("2026-11-22T09:55:00Z"), now)).toBe("5 мин. назад");
    expect(en.age(new Date("2026-11-22T09:59:55Z"), now)).toBe("now");
    expect(en.age(new Date("2026-11-20T09:00:00Z"), now)).toBe("2 days ago");
    expect(en.age(null, now)).toBe("never");
    expect(createFormatter("ru", { missing: "—", never: "никогда" }).age(null, now)).toBe("никогда");
  });

  it("signs clock skews and switches to seconds from one second", () => {
    expect(en.skew(1200)).toBe("+1.2 sec");
    expect(plain(ru.skew(1200))).toBe("+1,2 с");
    expect(en.skew(-350)).toMatch(/^[-−]350 ms$/);
    expect(en.skew(0)).toBe("0 ms");
    expect(en.skew(null)).toBe("—");
  });
});
