import type { Database } from "better-sqlite3";
import { MIGRATIONS_TABLE } from "../migrate/run-migrations.ts";
import { type SchemaShape, sqliteForeignKeyKey, type TableShape } from "./schema-shape.ts";

/** The migrated SQLite file as it is, read with PRAGMA table_info / index_list / foreign_key_list. */
export function readSqliteSchema(db: Database): SchemaShape {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ?")
    .pluck()
    .all(MIGRATIONS_TABLE) as string[];
  const tables: Record<string, TableShape> = {};
  for (const name of names) {
    const table: TableShape = { columns: {}, primaryKey: [], indexes: {}, foreignKeys: {} };
    type Column = { name: string; type: string; notnull: number; dflt_value: string | null; pk: number };
    const columns = db.pragma(`table_info("${name}")`) as Column[];
    for (const column of columns) {
      table.columns[column.name] = {
        type: column.type.toUpperCase(),
        nullable: column.notnull === 0,
        hasDefault: column.dflt_value !== null,
      };
    }
    table.primaryKey = columns
      .filter((column) => column.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((column) => column.name);
    type Index = { name: string; unique: number; origin: string };
    for (const index of db.pragma(`index_list("${name}")`) as Index[]) {
      if (index.origin === "pk") continue;
      const info = db.pragma(`index_info("${index.name}")`) as { seqno: number; name: string }[];
      table.indexes[index.name] = {
        unique: index.unique === 1,
        columns: info.sort((a, b) => a.seqno - b.seqno).map((column) => column.name),
      };
    }
    type Fk = { id: number; seq: number; table: string; from: string; to: string; on_delete: string };
    const fks = new Map<number, Fk[]>();
    for (const fk of db.pragma(`foreign_key_list("${name}")`) as Fk[])
      fks.set(fk.id, [...(fks.get(fk.id) ?? []), fk]);
    for (const parts of fks.values()) {
      parts.sort((a, b) => a.seq - b.seq);
      const columns = parts.map((part) => part.from);
      table.foreignKeys[sqliteForeignKeyKey(columns, parts[0]!.table)] = {
        columns,
        references: parts[0]!.table,
        referencedColumns: parts.map((part) => part.to),
        onDelete: parts[0]!.on_delete,
      };
    }
    tables[name] = table;
  }
  return { tables, enums: {} };
}
