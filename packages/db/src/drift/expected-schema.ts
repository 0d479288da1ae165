import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { MigrationDialect } from "../migrate/backend.ts";
import { type ColumnShape, type SchemaShape, sqliteForeignKeyKey, type TableShape } from "./schema-shape.ts";

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const schemaPaths = {
  central: join(packageRoot, "prisma", "central", "schema.prisma"),
  agent: join(packageRoot, "prisma", "agent", "schema.prisma"),
};

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
export interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] }[];
    indexes: {
      model: string;
      type: "id" | "unique" | "normal" | "fulltext";
      dbName?: string | null;
      fields: { name: string }[];
    }[];
  };
}

/** The full DMMF of a schema file, from Prisma's own schema parser (wasm; works offline). */
export function loadDmmf(schemaPath: string): Dmmf {
  const require = createRequire(import.meta.url);
  const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };
  const schema = readFileSync(schemaPath, "utf8");
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schema]] })));
}

// Defaults Prisma computes in the client: the column itself has none.
const CLIENT_SIDE_DEFAULTS = new Set(["uuid", "cuid", "ulid", "nanoid"]);

/** What a database migrated from `schemaPath` must look like, by Prisma's rules and naming conventions. */
export function expectedSchema(dmmf: Dmmf, dialect: MigrationDialect): SchemaShape {
  const models = new Map(dmmf.datamodel.models.map((model) => [model.name, model]));
  const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
  const columnOf = (model: DmmfModel, fieldName: string) => {
    const field = model.fields.find((f) => f.name === fieldName);
    return field?.dbName ?? fieldName;
  };
  const tables: Record<string, TableShape> = {};
  for (const model of dmmf.datamodel.models) {
    const columns: Record<string, ColumnShape> = {};
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      columns[field.dbName ?? field.name] = {
        type: dialect === "postgresql" ? postgresType(field) : sqliteType(field),
        nullable: !field.isRequired || (field.isList && dialect === "postgresql"),
        hasDefault: hasDatabaseDefault(field, dialect),
      };
    }
    tables[tableOf(model)] = { columns, primaryKey: [], indexes: {}, foreignKeys: {} };
  }
  for (const index of dmmf.datamodel.indexes) {
    const model = models.get(index.model)!;
    const table = tables[tableOf(model)]!;
    const columns = index.fields.map((field) => columnOf(model, field.name));
    if (index.type === "id") {
      table.primaryKey = columns;
      continue;
    }
    const suffix = index.type === "unique" ? "key" : "idx";
    const name = index.dbName ?? `${tableOf(model)}_${columns.join("_")}_${suffix}`;
    table.indexes[name] = { unique: index.type === "unique", columns };
  }
  for (const model of dmmf.datamodel.models) {
    for (const field of model.fields) {
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const target = models.get(field.type)!;
      const columns = field.relationFromFields.map((name) => columnOf(model, name));
      const references = tableOf(target);
      const fk = {
        columns,
        references,
        referencedColumns: (field.relationToFields ?? []).map((name) => columnOf(target, name)),
        // Prisma's defaults: Restrict for a required relation, SetNull for an optional one.
        onDelete: referentialAction(field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull")),
      };
      const key =
        dialect === "postgresql"
          ? `${tableOf(model)}_${columns.join("_")}_fkey`
          : sqliteForeignKeyKey(columns, references);
      tables[tableOf(model)]!.foreignKeys[key] = fk;
    }
  }
  const enums: Record<string, string[]> = {};
  if (dialect === "postgresql") {
    for (const e of dmmf.datamodel.enums) enums[e.dbName ?? e.name] = e.values.map((v) => v.dbName ?? v.name);
  }
  return { tables, enums };
}

function hasDatabaseDefault(field: DmmfField, dialect: MigrationDialect): boolean {
  // `@updatedAt` alone is client-side (no column default); with `@default(now())` beside it (the auth
  // tables better-auth writes) the column has DEFAULT CURRENT_TIMESTAMP like any other.
  if (!field.hasDefaultValue) return false;
  const d = field.default;
  if (d && typeof d === "object" && !Array.isArray(d) && "name" in d) {
    const name = String((d as { name: string }).name);
    if (CLIENT_SIDE_DEFAULTS.has(name)) return false;
    // SQLite's INTEGER PRIMARY KEY AUTOINCREMENT is the rowid: no declared default.
    if (name === "autoincrement" && dialect === "sqlite") return false;
  }
  return true;
}

export function referentialAction(action: string): string {
  return (
    {
      Cascade: "CASCADE",
      Restrict: "RESTRICT",
      NoAction: "NO ACTION",
      SetNull: "SET NULL",
      SetDefault: "SET DEFAULT",
    }[action] ?? action
  );
}

function postgresType(field: DmmfField): string {
  const base = postgresBaseType(field);
  return field.isList ? `${base}[]` : base;
}

function postgresBaseType(field: DmmfField): string {
  if (field.kind === "enum") return `enum:${field.type}`;
  const native = field.nativeType;
  if (native) {
    const [name, args] = native;
    const lower = name.toLowerCase();
    return args.length ? `${lower}(${args.join(",")})` : lower;
  }
  const defaults: Record<string, string> = {
    String: "text",
    Int: "integer",
    BigInt: "bigint",
    Boolean: "boolean",
    Float: "double precision",
    Decimal: "numeric(65,30)",
    DateTime: "timestamp(3)",
    Json: "jsonb",
    Bytes: "bytea",
  };
  return defaults[field.type] ?? `unknown:${field.type}`;
}

function sqliteType(field: DmmfField): string {
  const types: Record<string, string> = {
    String: "TEXT",
    Int: "INTEGER",
    BigInt: "BIGINT",
    Boolean: "BOOLEAN",
    Float: "REAL",
    Decimal: "DECIMAL",
    DateTime: "DATETIME",
    Json: "JSONB",
    Bytes: "BLOB",
  };
  return field.kind === "enum" ? "TEXT" : (types[field.type] ?? `unknown:${field.type}`);
}
