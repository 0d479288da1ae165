import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import {
  lineSum,
  MAX_QUANTITY,
  normalizeQuantity,
  normalizeRegisterText,
  quantityUnits,
  registerTextProblem,
  storedTextProblem,
} from "./content.ts";

const roundTrips = (text: string, encoding: "cp1251" | "cp866") =>
  iconv.decode(iconv.encode(text, encoding), encoding) === text;

/** Any UTF-16 code unit, lone surrogates included: what a buggy POS can put into JSON. */
const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });

describe("register text", () => {
  it("makes Russian catalogue typography plain, by the one table", () => {
    expect(normalizeRegisterText("  Молоко «Простоквашино» 3,2 % — 1 л…  ")).toBe(
      'Молоко "Простоквашино" 3,2 % - 1 л...',
    );
    expect(normalizeRegisterText("“Lens” ‘A’ –\u00a0x\u00ady")).toBe("\"Lens\" 'A' - xy");
    // и + combining breve is one printable letter after NFC.
    expect(normalizeRegisterText("Чаи\u0306")).toBe("Чай");
  });

  it("accepts Cyrillic, Latin, digits, punctuation, № and °", () => {
    expect(registerTextProblem("Оправа Ray-Ban RB5154 №12, 45° (шт.) ё Ё")).toBeNull();
  });

  it.each([
    ["NUL", "a\u0000b", "U+0000 at position 2: control characters are not allowed"],
    ["a tab", "a\tb", "U+0009 at position 2: control characters are not printed"],
    ["an unpaired surrogate", "ab\ud800", "U+D800 at position 3: half of a surrogate pair"],
    ["an emoji", "Сок 🍊", '"🍊" (U+1F34A) at position 5: the fiscal register cannot print it'],
    ["Latin with a diacritic", "Café", '"é" (U+00E9) at position 4: the fiscal register cannot print it'],
    ["a C1 control", "a\u0085", "U+0085 at position 2: control characters are not allowed"],
  ])("names the first character it refuses: %s", (_what, text, message) => {
    expect(registerTextProblem(text)?.message).toContain(message);
  });

  it("property: accepted text is a fixed point of normalisation and survives both code pages", () => {
    fc.assert(
      fc.property(fc.oneof(anyUnits, fc.string({ unit: "grapheme" })), (raw) => {
        const text = normalizeRegisterText(raw);
        expect(normalizeRegisterText(text)).toBe(text);
        if (registerTextProblem(text) === null) {
          expect(roundTrips(text, "cp1251")).toBe(true);
          expect(roundTrips(text, "cp866")).toBe(true);
          expect(storedTextProblem(text)).toBeNull();
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("stored text allows line breaks but never NUL or broken UTF-16", () => {
    expect(storedTextProblem("Инкассация\nсмена 12 😀")).toBeNull();
    expect(storedTextProblem("x\u0000")?.message).toContain("U+0000");
    expect(storedTextProblem("x\udc00y")?.message).toContain("surrogate");
    fc.assert(
      fc.property(anyUnits, (text) => {
        if (storedTextProblem(text) === null) {
          // What PostgreSQL text/jsonb would refuse can never pass.
          expect(text.includes("\u0000")).toBe(false);
          expect(/\p{Surrogate}/u.test(text)).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("quantities", () => {
  it("normalises float noise and refuses a real seventh decimal", () => {
    expect(normalizeQuantity(0.1 + 0.2)).toBe(0.3);
    expect(normalizeQuantity(1.1 * 3)).toBe(3.3);
    expect(normalizeQuantity(1.234567)).toBe(1.234567);
    expect(normalizeQuantity(1.0000001)).toBeNull();
    expect(normalizeQuantity(0.0000004)).toBeNull();
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, MAX_QUANTITY + 0.000001]) {
      expect(quantityUnits(bad)).toBeNull();
    }
  });

  it("property: a normalised quantity is exactly units × 10⁻⁶ and normalises to itself", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_QUANTITY * 1e6 }),
        fc.integer({ min: 1, max: 1000 }),
        (units, parts) => {
          // Arrive at units/10⁶ through float arithmetic, as a scale's driver does.
          let q = 0;
          for (let i = 0; i < parts; i++) q += units / 1e6 / parts;
          const normalised = normalizeQuantity(q);
          if (normalised === null) return; // more noise than the rule tolerates: refused, never mangled
          expect(Math.round(normalised * 1e6)).toBe(units);
          expect(normalizeQuantity(normalised)).toBe(normalised);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("lineSum", () => {
  it("rounds half up, exactly", () => {
    expect(lineSum(333, 0.1)).toBe(33);
    expect(lineSum(1, 0.5)).toBe(1);
    expect(lineSum(25, 0.58)).toBe(15);
    expect(lineSum(999_999_999_999, 1)).toBe(999_999_999_999);
  });

  it("property: equals round(price × units / 10⁶) computed on integers", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 1, max: MAX_QUANTITY * 1e6 }),
        (price, units) => {
          const exact = (BigInt(price) * BigInt(units) * 2n + 1_000_000n) / 2_000_000n;
          const expected = exact > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(exact);
          expect(lineSum(price, units / 1e6)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
