/**
 * The register's settings tables that drivers read or write at start-up (1F/1E, with 2D/2E for
 * their structure): 2 operators (password, name — drivers write the cashier's name into row N
 * field 2, as the vendor's JavaPOS `writeCashierName` does), 5 payment type names, 6 tax rates,
 * 18 the FN and registration data, 1 a few mode fields.
 *
 * The table numbers and the meaning of tables 2, 5 and 6 follow protocol v1.17 «Таблицы»; the
 * field numbers beyond table 2's first two, their sizes and default texts are *unverified*
 * (Kassa's own choice, no public copy of the firmware's table file was found).
 */
import { encodeText } from "../shtrih/binary.ts";
import { FieldType } from "../shtrih/commands/device.ts";
import type { KktDevice } from "./kkt-device.ts";

export interface FieldDef {
  name: string;
  type: number;
  size: number;
  min?: number;
  max?: number;
  /** The value a fresh register has in `row` (a number for BIN fields, text for CHAR fields). */
  initial: (device: KktDevice, row: number) => number | string;
}

export interface TableDef {
  name: string;
  rows: number;
  fields: FieldDef[];
}

const bin = (name: string, size: number, initial: FieldDef["initial"], max?: number): FieldDef => ({
  name,
  type: FieldType.bin,
  size,
  min: 0,
  max: max ?? 2 ** (8 * size) - 1,
  initial,
});
const char = (name: string, size: number, initial: FieldDef["initial"]): FieldDef => ({
  name,
  type: FieldType.char,
  size,
  initial,
});

const OPERATOR_NAMES: Record<number, string> = { 29: "АДМИНИСТРАТОР", 30: "СИС. АДМИНИСТРАТОР" };
const PAYMENT_NAMES = ["НАЛИЧНЫМИ", "ЭЛЕКТРОННЫМИ"];
/** Table 6 rows in the order of the default tax groups (tax-groups.ts): rate ×100 and name. */
const TAX_ROWS: [number, string][] = [
  [2000, "НДС 20%"],
  [1000, "НДС 10%"],
  [0, "НДС 0%"],
  [0, "БЕЗ НДС"],
  [2000, "НДС 20/120"],
  [1000, "НДС 10/110"],
];

export const TABLES: ReadonlyMap<number, TableDef> = new Map<number, TableDef>([
  [
    1,
    {
      name: "ТИП И РЕЖИМ КАССЫ",
      rows: 1,
      fields: [
        bin("НОМЕР КАССЫ В МАГАЗИНЕ", 1, () => 1),
        bin("АВТОМАТИЧЕСКОЕ ОБНУЛЕНИЕ ДЕНЕЖНОЙ НАЛИЧНОСТИ", 1, () => 0, 1),
      ],
    },
  ],
  [
    2,
    {
      name: "ПАРОЛИ КАССИРОВ И АДМИНИСТРАТОРОВ",
      rows: 30,
      fields: [
        bin("ПАРОЛЬ", 4, (_d, row) => row),
        char("ИМЯ", 21, (_d, row) => OPERATOR_NAMES[row] ?? `КАССИР ${row}`),
      ],
    },
  ],
  [
    5,
    {
      name: "НАИМЕНОВАНИЯ ТИПОВ ОПЛАТЫ",
      rows: 16,
      fields: [char("НАИМЕНОВАНИЕ", 24, (_d, row) => PAYMENT_NAMES[row - 1] ?? "")],
    },
  ],
  [
    6,
    {
      name: "НАЛОГОВЫЕ СТАВКИ",
      rows: 6,
      fields: [
        bin("СТАВКА", 2, (_d, row) => TAX_ROWS[row - 1]![0], 9999),
        char("НАИМЕНОВАНИЕ", 24, (_d, row) => TAX_ROWS[row - 1]![1]),
      ],
    },
  ],
  [
    18,
    {
      name: "FISCAL STORAGE",
      rows: 1,
      fields: [
        char("ЗАВОДСКОЙ НОМЕР ККТ", 20, (d) => String(d.serialNumber)),
        char("ИНН", 12, (d) => d.inn),
        char("НОМЕР ФН", 16, (d) => d.fn.fnNumber),
      ],
    },
  ],
]);

export function fieldOf(table: number, row: number, field: number): FieldDef | null {
  const t = TABLES.get(table);
  if (!t || row < 1 || row > t.rows) return null;
  return t.fields[field - 1] ?? null;
}

export function defaultValue(device: KktDevice, field: FieldDef, row: number): Uint8Array {
  const initial = field.initial(device, row);
  const out = new Uint8Array(field.size);
  if (field.type === FieldType.bin) {
    let n = Number(initial);
    for (let i = 0; i < field.size; i++) {
      out[i] = n % 256;
      n = Math.floor(n / 256);
    }
  } else {
    out.set(encodeText(String(initial), "cp1251").subarray(0, field.size));
  }
  return out;
}
