/**
 * A database schema reduced to what must agree between schema.prisma and a migrated database.
 * Both sides are built into this shape, so a drift shows up as a readable `toEqual` diff.
 */
export interface ColumnShape {
  /** Normalised SQL type: `text`, `bigint`, `timestamptz(3)`, `enum:Role`, `text[]`; SQLite: `TEXT`, `INTEGER`. */
  type: string;
  nullable: boolean;
  /** Has a database-side default (client-side defaults like uuid() do not count). */
  hasDefault: boolean;
}

export interface IndexShape {
  unique: boolean;
  columns: string[];
}

export interface ForeignKeyShape {
  columns: string[];
  references: string;
  referencedColumns: string[];
  onDelete: string;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: string[];
  /** By index name (Prisma's naming convention), primary key excluded. */
  indexes: Record<string, IndexShape>;
  /** By constraint name on PostgreSQL; by `<columns> -> <table>` on SQLite, which keeps no names. */
  foreignKeys: Record<string, ForeignKeyShape>;
}

export interface SchemaShape {
  tables: Record<string, TableShape>;
  /** PostgreSQL enum types and their values, in order. */
  enums: Record<string, string[]>;
}

export const sqliteForeignKeyKey = (columns: string[], references: string) =>
  `${columns.join(",")} -> ${references}`;
