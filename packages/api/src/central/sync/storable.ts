import type { TIngestItem } from "../ingest/ingest-items.types.ts";
import { type ItemResult, rejected } from "./item-result.ts";

/**
 * What PostgreSQL cannot store exactly, whatever the schema says: U+0000 (refused by `text` —
 * "invalid byte sequence for encoding UTF8: 0x00" — and by `jsonb` — "unsupported Unicode escape
 * sequence") and a lone UTF-16 surrogate (`jsonb` refuses `\ud800`; a `text` parameter would be
 * silently turned into U+FFFD by the driver). One such string in a bulk INSERT fails the whole
 * statement — the whole batch — so ingest screens every item before anything is written.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what is being looked for.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, "g");

/** Deeper JSON than any item needs; PostgreSQL's JSON parser would run out of stack long after. */
const MAX_DEPTH = 32;

/** The first value PostgreSQL would refuse, as "path: why", or null when all of it is storable. */
export function unstorableReason(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === "string") return UNSTORABLE.test(value) ? `${path}: ${describe(value)}` : null;
  if (value === null || typeof value !== "object") return null;
  if (depth >= MAX_DEPTH) return `${path}: nested deeper than ${MAX_DEPTH} levels`;
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, child] of entries) {
    const at = `${path}.${key}`;
    if (typeof key === "string" && UNSTORABLE.test(key)) return `${path}: a key with ${describe(key)}`;
    const reason = unstorableReason(child, at, depth + 1);
    if (reason) return reason;
  }
  return null;
}

function describe(text: string): string {
  const match = UNSTORABLE.exec(text)!;
  const code = match[0].charCodeAt(0);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return code === 0
    ? `contains ${hex} (NUL) at position ${match.index + 1}, which PostgreSQL cannot store`
    : `contains a lone surrogate ${hex} at position ${match.index + 1} (broken UTF-16), which PostgreSQL cannot store`;
}

/**
 * Diagnostic text (a DLQ reason, a breaker cause) made storable: each refused character becomes
 * U+FFFD. Used only where the text describes a failure and the exact bytes travel elsewhere.
 */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE_ALL, "\uFFFD");
}

/**
 * The storage gate of `ingest.push`: items PostgreSQL could not store are refused one by one
 * (`UNSTORABLE_TEXT`, naming the field), so they go to the till's DLQ and the rest of the batch is
 * stored. The DLQ mirror and breaker transitions are diagnostics: their text is made storable
 * instead (the mirrored payload itself travels as bytes and is never refused). An id PostgreSQL
 * cannot store is refused whatever the kind.
 */
export function screenUnstorable(items: readonly TIngestItem[]): {
  items: TIngestItem[];
  refused: Map<number, ItemResult>;
} {
  const kept: TIngestItem[] = [];
  const refused = new Map<number, ItemResult>();
  items.forEach((item, index) => {
    if (UNSTORABLE.test(item.id)) {
      refused.set(index, unstorable(item, `id: ${describe(item.id)}`));
      return;
    }
    switch (item.kind) {
      case "dlq_item":
        // Stored as bytes plus diagnostic words made storable (store-dlq-mirror.ts): never refused.
        kept.push(item);
        return;
      case "breaker_transition":
        kept.push({
          ...item,
          data: {
            ...item.data,
            destination: storableText(item.data.destination),
            cause: storableText(item.data.cause),
          },
        });
        return;
      default: {
        const reason = unstorableReason(item.data, "data");
        if (reason) refused.set(index, unstorable(item, reason));
        else kept.push(item);
      }
    }
  });
  return { items: kept, refused };
}

function unstorable(item: TIngestItem, reason: string): ItemResult {
  return rejected(
    item.kind,
    item.id,
    "UNSTORABLE_TEXT",
    `${item.kind} ${item.id.replace(UNSTORABLE_ALL, "\uFFFD")}: ${reason}. It was not stored; the rest of the batch was.`,
  );
}

/** Puts the screened-out refusals back in the batch's order around the stored items' results. */
export function mergeResults(
  total: number,
  refused: ReadonlyMap<number, ItemResult>,
  stored: readonly ItemResult[],
): ItemResult[] {
  if (refused.size === 0) return [...stored];
  const out: ItemResult[] = [];
  let next = 0;
  for (let index = 0; index < total; index++) out.push(refused.get(index) ?? stored[next++]!);
  return out;
}
