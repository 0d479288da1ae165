import type { Dmmf } from "./expected-schema.ts";

type Model = Dmmf["datamodel"]["models"][number];

/** True when a model has no foreign keys, so a row can be written without parents. */
export function isStandalone(model: Model): boolean {
  return !model.fields.some((field) => field.kind === "object" && field.relationFromFields?.length);
}

/**
 * A row with every scalar field set (optional ones too), so writing and reading it back exercises
 * every column's type mapping. `n` varies the values, so unique keys do not collide.
 */
export function sampleRow(model: Model, dmmf: Dmmf, n: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of model.fields) {
    if (field.kind === "object" || field.isUpdatedAt) continue;
    const d = field.default as { name?: string } | undefined;
    if (d && typeof d === "object" && d.name === "autoincrement") continue;
    const value = sampleValue(field.type, field.kind, dmmf, n);
    row[field.name] = field.isList ? [value] : value;
  }
  return row;
}

function sampleValue(type: string, kind: string, dmmf: Dmmf, n: number): unknown {
  if (kind === "enum") return dmmf.datamodel.enums.find((e) => e.name === type)!.values[0]!.name;
  switch (type) {
    case "String":
      return `sample-${n}`;
    case "Int":
      return 2_000_000_000 + n;
    case "BigInt":
      return 9_007_199_254_740_993n + BigInt(n);
    case "Float":
      return 1.5 + n;
    case "Boolean":
      return true;
    case "DateTime":
      return new Date(Date.UTC(2026, 10, 22, 8, 0, 0, 123 + n));
    case "Json":
      return { sample: n, nested: [1, "two"] };
    case "Bytes":
      return new Uint8Array([1, 2, n % 256]);
    default:
      throw new TypeError(`sampleValue: no sample for Prisma type ${type}`);
  }
}
