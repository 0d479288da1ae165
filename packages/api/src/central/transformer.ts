import superjson from "superjson";

/**
 * True when `value` survives JSON.stringify unchanged: null, booleans, strings, finite numbers
 * (not −0), arrays of those and plain objects of those. An object key holding `undefined` is
 * allowed (JSON drops it, and a missing key parses as undefined); an array hole or `undefined`
 * element is not (JSON would turn it into null).
 */
export function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value) || !isPlainJson(value[i])) return false;
        }
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) {
        const field = (value as Record<string, unknown>)[key];
        if (field !== undefined && !isPlainJson(field)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * superjson, skipped where it has nothing to do. A sync batch is hundreds of items parsed from
 * JSON (no BigInt, Date or Map anywhere), yet superjson's walker visits every value building
 * paths: ~100 µs per receipt, the largest cost of a till's push. A plain value goes as
 * `{ json: value }` — exactly what superjson itself sends when it finds nothing to annotate — so
 * either side may use plain superjson; anything else (dashboard money, times) is superjson's.
 */
export const wireTransformer = {
  serialize(value: unknown): { json: unknown; meta?: unknown } {
    return isPlainJson(value) ? { json: value } : superjson.serialize(value);
  },
  deserialize<T>(payload: unknown): T {
    return superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0]);
  },
};
