/**
 * What a receipt may contain: the one content contract the agent API, the register driver and the
 * central server share (docs/content-rules.md). Everything here is pure; `@kassa/api` wraps it in zod
 * schemas, the Shtrih-M driver calls it before it sends anything, so "accepted" always means "the
 * register can print it and PostgreSQL can store it".
 *
 * Text: the register prints CP1251 (device text, e.g. the FF46 item name) and the FN stores FFD
 * strings in CP866 (fiscal-reference: "Text: CP1251 on the KKT side; FFD strings CP866"), so a
 * character is printable only if both code pages carry it. Typographic characters Russian catalogues
 * are full of (« » — … and curly quotes) are not in CP866: they are normalised to their plain
 * equivalents by one fixed table, so what is stored is exactly what the fiscal document holds.
 * Anything else outside the set (emoji, CJK, control characters, unpaired surrogates) is refused.
 */
import iconv from "iconv-lite";

/** Integer kopecks a receipt figure (price, line sum, total, payment) may reach: 10¹² (10 bn roubles). */
export const MAX_RECEIPT_MONEY = 1_000_000_000_000;
/** Quantities travel as integers ×10⁶ (FF46: 6 bytes; FFD tag 1023). */
export const QUANTITY_SCALE = 1_000_000;
/** The largest quantity Kassa accepts (kg, litres, pieces). */
export const MAX_QUANTITY = 99_999;

/** Characters both CP1251 (printed) and CP866 (FFD strings in the FN) carry, space included. */
const REGISTER_CHARACTERS: ReadonlySet<string> = (() => {
  const set = new Set<string>();
  for (let byte = 0x20; byte <= 0xff; byte++) {
    const char = iconv.decode(Buffer.from([byte]), "cp1251");
    if (byte === 0x7f || char === "\ufffd") continue;
    if (iconv.decode(iconv.encode(char, "cp866"), "cp866") === char) set.add(char);
  }
  return set;
})();

/**
 * The normalisation table: typographic characters with a plain register equivalent. Applied after
 * Unicode NFC (so "й" typed as и + combining breve becomes one printable letter).
 */
const TYPOGRAPHIC: Readonly<Record<string, string>> = {
  "\u00ab": '"', // «
  "\u00bb": '"', // »
  "\u201c": '"', // “
  "\u201d": '"', // ”
  "\u201e": '"', // „
  "\u2039": '"', // ‹
  "\u203a": '"', // ›
  "\u2018": "'", // ‘
  "\u2019": "'", // ’
  "\u201a": "'", // ‚
  "\u2013": "-", // –
  "\u2014": "-", // —
  "\u2212": "-", // −
  "\u2026": "...", // …
  "\u2022": "\u00b7", // • → ·
  "\u00a0": " ", // no-break space
  "\u00ad": "", // soft hyphen
};

const TYPOGRAPHIC_PATTERN = new RegExp(`[${Object.keys(TYPOGRAPHIC).join("")}]`, "gu");

/** A reason a text cannot be accepted, naming the first offending character. */
export interface TextProblem {
  /** Index in code points of the normalised text. */
  position: number;
  codePoint: number;
  message: string;
}

/** NFC, then the typographic table, then trimmed: the text as it will be printed and stored. */
export function normalizeRegisterText(text: string): string {
  return text
    .normalize("NFC")
    .replace(TYPOGRAPHIC_PATTERN, (c) => TYPOGRAPHIC[c] ?? c)
    .trim();
}

/** Why `text` (already normalised) cannot be printed by the register, or null if it can. */
export function registerTextProblem(text: string): TextProblem | null {
  return firstProblem(
    text,
    (char, code) =>
      unstorable(char, code) ??
      (REGISTER_CHARACTERS.has(char)
        ? null
        : code < 0x20
          ? "control characters are not printed"
          : "the fiscal register cannot print it (its code pages are CP1251 and CP866)"),
  );
}

/**
 * Why `text` cannot be stored, or null: PostgreSQL text and jsonb refuse NUL and unpaired surrogates,
 * and other control characters corrupt logs and exports. Tab and line breaks are allowed: this is for
 * free text that is never printed (a cash movement's reason, a void or discard reason).
 */
export function storedTextProblem(text: string): TextProblem | null {
  return firstProblem(text, unstorable);
}

function unstorable(char: string, code: number): string | null {
  if (code >= 0xd800 && code <= 0xdfff) return "half of a surrogate pair (broken UTF-16)";
  if (code === 0 || (code < 0x20 && !"\t\n\r".includes(char)) || (code >= 0x7f && code < 0xa0)) {
    return "control characters are not allowed";
  }
  return null;
}

function firstProblem(text: string, why: (char: string, code: number) => string | null): TextProblem | null {
  let position = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const reason = why(char, codePoint);
    if (reason !== null) {
      const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
      const visible =
        codePoint >= 0x20 &&
        !(codePoint >= 0x7f && codePoint < 0xa0) &&
        !(codePoint >= 0xd800 && codePoint <= 0xdfff);
      const label = visible ? `"${char}" (${hex})` : hex;
      return { position, codePoint, message: `character ${label} at position ${position + 1}: ${reason}` };
    }
    position++;
  }
  return null;
}

/**
 * A quantity as integer micro-units, by one rule: the nearest multiple of 10⁻⁶ is taken when the
 * quantity differs from it by float noise only (≤ 10⁻⁹ of its value and ≤ 10⁻⁹: `0.1 + 0.2` is 0.3); a
 * quantity with a real seventh decimal, ≤ 0, above MAX_QUANTITY or not finite is null (refused).
 */
export function quantityUnits(quantity: number): number | null {
  if (!Number.isFinite(quantity) || quantity <= 0 || quantity > MAX_QUANTITY) return null;
  const units = Math.round(quantity * QUANTITY_SCALE);
  if (units < 1) return null;
  // Relative 10⁻⁹, but never more than 10⁻⁹ absolute: above 500 a relative bound alone would reach half
  // the 10⁻⁶ step and round any quantity; float noise of a few operations stays far below either.
  if (Math.abs(quantity - units / QUANTITY_SCALE) > Math.min(quantity, 1) * 1e-9) return null;
  return units;
}

/** The quantity the register prints for `quantity`, or null when `quantityUnits` refuses it. */
export function normalizeQuantity(quantity: number): number | null {
  const units = quantityUnits(quantity);
  return units === null ? null : units / QUANTITY_SCALE;
}

/**
 * A line's sum: round(price × quantity) half up, exact on integers (BigInt), so the agent, the
 * register and the central server always agree — 0.1 kg × 333 is 33, never 33.300000000000004.
 * `quantity` must be accepted by `quantityUnits`.
 */
export function lineSum(price: number, quantity: number): number {
  const units = quantityUnits(quantity);
  if (units === null || !Number.isSafeInteger(price) || price < 0) {
    throw new TypeError(`"lineSum" needs whole kopecks and a valid quantity, got ${price} × ${quantity}`);
  }
  const scale = BigInt(QUANTITY_SCALE);
  const product = BigInt(price) * BigInt(units);
  const sum = (product + scale / 2n) / scale;
  return sum > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(sum);
}

/** Whole kopecks from 0 to MAX_RECEIPT_MONEY. */
export function isReceiptMoney(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_RECEIPT_MONEY;
}

/** Length limits, in characters of normalised text (one byte each in both code pages). */
export const TEXT_LIMITS = {
  /** FF46 name field and FFD tag 1030: 128 bytes. */
  itemName: 128,
  /** FFD tag 1021: 64 bytes. */
  cashierName: 64,
} as const;

/**
 * The largest FFD document (its TLV list, in bytes) a receipt may make. The FN hands a document out
 * whole through 16-bit lengths: FF3A answers the document's length as u16, and the OFD message is a
 * 30-byte session header plus the document's STLV (4-byte header) within 65 535 bytes. A larger
 * document would be fiscalized but could never be read back (recovery by tag 1192) nor sent to the
 * OFD, and after 30 days unsent the FN issues nothing more: the till stops.
 */
export const MAX_RECEIPT_DOCUMENT_BYTES = 0xffff - 30 - 4;
/**
 * A receipt's document besides its lines — FN head (1012, 1040, 1041, 1037, 1018, 1209, 1038), totals
 * (1042, 1054, 1055, 1020, 1031, 1081, 1215-1217), the host's 1021 (≤ 64), 1203 and 1192 and the
 * fiscal sign: about 320 bytes at most; 1 KiB leaves room for a tag more.
 */
const RECEIPT_DOCUMENT_OVERHEAD = 1024;

function vlnBytes(value: number): number {
  let bytes = 1;
  for (let rest = Math.floor(value / 256); rest > 0; rest = Math.floor(rest / 256)) bytes++;
  return bytes;
}

/**
 * An upper bound of the bytes of the FFD document a receipt makes (its lines are an STLV 1059 each:
 * 1030 name — one byte a character in CP866 —, 1079 price, 1023 quantity, 1043 sum, and one byte each
 * for 1199, 1212, 1214 and 2108). Lines whose price or quantity is not valid count as the largest.
 */
export function receiptDocumentBytes(
  items: readonly { name: string; price: number; quantity: number }[],
): number {
  let bytes = RECEIPT_DOCUMENT_OVERHEAD;
  for (const item of items) {
    const units = quantityUnits(item.quantity);
    const valid = units !== null && isReceiptMoney(item.price);
    const name = typeof item.name === "string" ? item.name.length : TEXT_LIMITS.itemName;
    // STLV header + 8 TLV headers + 4 one-byte values + name + price + FVLN (scale byte + mantissa) + sum
    bytes += 4 + 8 * 4 + 4 + name;
    bytes += valid
      ? vlnBytes(item.price) + 1 + vlnBytes(units) + vlnBytes(lineSum(item.price, item.quantity))
      : 5 + 1 + 5 + 5;
  }
  return bytes;
}
