import { MIGRATIONS_TABLE } from "../migrate/run-migrations.ts";
import type { ColumnShape, SchemaShape, TableShape } from "./schema-shape.ts";

type Query = <T>(sql: string) => Promise<T[]>;

// A partition (e.g. rum_samples_p20261201 of rum_samples) is storage of its partitioned parent, not a
// table of its own: PostgreSQL gives it exactly the parent's columns, keys and indexes, and Prisma's
// schema engine ignores it too. Only the parent is compared with schema.prisma.
const PARTITIONS = `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relispartition AND n.nspname = current_schema()`;

const COLUMNS = `
SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, datetime_precision,
       character_maximum_length, numeric_precision, numeric_scale
FROM information_schema.columns WHERE table_schema = current_schema()
  AND table_name NOT IN (${PARTITIONS})
ORDER BY table_name, ordinal_position`;

const INDEXES = `
SELECT t.relname AS table_name, i.relname AS index_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
       ARRAY(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND NOT t.relispartition
  -- Expression indexes (on a JSON field) have no Prisma form: schema.prisma cannot list them, and
  -- Prisma's schema engine leaves them be too (db:diff); their migration says why they exist.
  AND ix.indexprs IS NULL`;

const FOREIGN_KEYS = `
SELECT c.conname AS name, t.relname AS table_name, r.relname AS references, c.confdeltype::text AS on_delete,
       ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
       ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS referenced_columns
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_class r ON r.oid = c.confrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE c.contype = 'f' AND n.nspname = current_schema() AND NOT t.relispartition`;

const ENUMS = `
SELECT t.typname AS name, e.enumlabel AS value
FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = current_schema() ORDER BY t.typname, e.enumsortorder`;

const ON_DELETE: Record<string, string> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: "YES" | "NO";
  column_default: string | null;
  datetime_precision: number | null;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
}

/** The migrated database as it is, read from information_schema and pg_catalog (works on PGlite too). */
export async function readPostgresSchema(query: Query): Promise<SchemaShape> {
  const tables: Record<string, TableShape> = {};
  const table = (name: string) => {
    tables[name] ??= { columns: {}, primaryKey: [], indexes: {}, foreignKeys: {} };
    return tables[name];
  };
  for (const row of await query<ColumnRow>(COLUMNS)) {
    if (row.table_name === MIGRATIONS_TABLE) continue;
    const column: ColumnShape = {
      type: columnType(row),
      nullable: row.is_nullable === "YES",
      hasDefault: row.column_default !== null,
    };
    table(row.table_name).columns[row.column_name] = column;
  }
  type IndexRow = {
    table_name: string;
    index_name: string;
    is_unique: boolean;
    is_primary: boolean;
    columns: string[];
  };
  for (const row of await query<IndexRow>(INDEXES)) {
    if (row.table_name === MIGRATIONS_TABLE) continue;
    if (row.is_primary) table(row.table_name).primaryKey = row.columns;
    else table(row.table_name).indexes[row.index_name] = { unique: row.is_unique, columns: row.columns };
  }
  type FkRow = {
    name: string;
    table_name: string;
    references: string;
    on_delete: string;
    columns: string[];
    referenced_columns: string[];
  };
  for (const row of await query<FkRow>(FOREIGN_KEYS)) {
    table(row.table_name).foreignKeys[row.name] = {
      columns: row.columns,
      references: row.references,
      referencedColumns: row.referenced_columns,
      onDelete: ON_DELETE[row.on_delete] ?? row.on_delete,
    };
  }
  const enums: Record<string, string[]> = {};
  for (const row of await query<{ name: string; value: string }>(ENUMS)) {
    enums[row.name] = [...(enums[row.name] ?? []), row.value];
  }
  return { tables, enums };
}

function columnType(row: ColumnRow): string {
  if (row.data_type === "USER-DEFINED") return `enum:${row.udt_name}`;
  if (row.data_type === "ARRAY") return `${baseType(row.udt_name.slice(1), row)}[]`;
  return baseType(row.udt_name, row);
}

function baseType(udt: string, row: ColumnRow): string {
  switch (udt) {
    case "text":
      return "text";
    case "int4":
      return "integer";
    case "int8":
      return "bigint";
    case "bool":
      return "boolean";
    case "float8":
      return "double precision";
    case "jsonb":
      return "jsonb";
    case "bytea":
      return "bytea";
    case "timestamptz":
      return `timestamptz(${row.datetime_precision})`;
    case "timestamp":
      return `timestamp(${row.datetime_precision})`;
    case "varchar":
      return `varchar(${row.character_maximum_length})`;
    case "numeric":
      return `numeric(${row.numeric_precision},${row.numeric_scale})`;
    default:
      return row.data_type === "ARRAY" ? udt : udt;
  }
}
