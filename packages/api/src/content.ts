/**
 * The content contract as zod schemas (docs/content-rules.md): the agent's `receipts.create`, its
 * other inputs and central ingest all build on these, and the register driver checks the same rules
 * through `@kassa/fiscal/ffd`, so what one accepts the others can print and store.
 */
import {
  MAX_QUANTITY,
  MAX_RECEIPT_MONEY,
  normalizeQuantity,
  normalizeRegisterText,
  registerTextProblem,
  storedTextProblem,
} from "@kassa/fiscal/ffd";
import { z } from "zod";

/** Money: integer minor units (kopecks), 0..10¹²: fits the register's 5-byte money and a bigint. */
export const ZMoney = z.int("must be an integer number of kopecks").nonnegative().max(MAX_RECEIPT_MONEY);
export const ZPositiveMoney = ZMoney.positive();

/**
 * Text the register prints (item names, cashier names): normalised (NFC, typographic quotes and
 * dashes made plain, trimmed), then every character must be printable in CP1251 and CP866.
 */
export function ZRegisterText(maxLength: number) {
  return z
    .string()
    .overwrite(normalizeRegisterText)
    .min(1, "must not be empty")
    .max(maxLength, `must be at most ${maxLength} characters`)
    .check((ctx) => {
      const problem = registerTextProblem(ctx.value);
      if (problem) ctx.issues.push({ code: "custom", input: ctx.value, message: problem.message });
    });
}

/** Free text that is stored and shown but never printed: no control characters, well-formed Unicode. */
export function ZStoredText(maxLength: number) {
  return z
    .string()
    .overwrite((text) => text.normalize("NFC").trim())
    .min(1, "must not be empty")
    .max(maxLength, `must be at most ${maxLength} characters`)
    .check((ctx) => {
      const problem = storedTextProblem(ctx.value);
      if (problem) ctx.issues.push({ code: "custom", input: ctx.value, message: problem.message });
    });
}

/**
 * A quantity > 0 with at most six decimals (kg, litres). Float noise is normalised by one rule
 * (`normalizeQuantity`: 0.1 + 0.2 is 0.3); a real seventh decimal is refused.
 */
export const ZQuantity = z
  .number()
  .positive()
  .max(MAX_QUANTITY)
  .check((ctx) => {
    if (normalizeQuantity(ctx.value) === null) {
      ctx.issues.push({ code: "custom", input: ctx.value, message: "must have at most 6 decimals" });
    }
  })
  .overwrite((quantity) => normalizeQuantity(quantity) ?? quantity);
