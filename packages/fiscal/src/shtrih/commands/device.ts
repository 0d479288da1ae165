/**
 * Device-level commands a driver sends on connect and around documents: FC device type, 13 beep,
 * 25 cut, 1A/1B money and operating registers, 1E/1F table write/read, 2D/2E table and field
 * structure, 21/22/23 time and date. Layouts: Shtrih-M protocol v1.17 ("Протокол работы ККТ с ФН",
 * sections of the same names: «Получить тип устройства», «Гудок», «Отрезка чека», «Запрос
 * денежного регистра», «Запрос операционного регистра», «Запись таблицы», «Чтение таблицы»,
 * «Запрос структуры таблицы», «Запрос структуры поля», «Программирование времени»,
 * «Программирование даты», «Подтверждение программирования даты»); cross-checked with
 * oleg-golovanov/pyshtrih (pyshtrih/commands.py and handlers/commands.py read the same fields).
 */
import { type ByteReader, encodeText } from "../binary.ts";
import {
  defineCommand,
  type Empty,
  type OperatorAnswer,
  type PasswordRequest,
  passwordOnlyCommand,
} from "./define.ts";

export interface DeviceType {
  /** 0 = KKT (fiscal register). */
  type: number;
  subtype: number;
  protocolVersion: number;
  protocolSubversion: number;
  /** The vendor's model number. */
  model: number;
  /** 0 = Russian, 1 = English. */
  language: number;
  /** Model name, CP1251, up to the end of the answer (≤ 32 bytes). */
  name: string;
}

/**
 * FC: the only command without an operator password — a driver can ask it before it knows which
 * passwords the device takes. The request is the command byte alone (LEN = 1).
 */
export const deviceType = defineCommand<Empty, DeviceType>({
  code: 0xfc,
  name: "get device type",
  writeRequest: () => {},
  readRequest: () => ({}),
  writeAnswer: (w, a) => {
    w.u8(a.type, "type")
      .u8(a.subtype, "subtype")
      .u8(a.protocolVersion, "protocolVersion")
      .u8(a.protocolSubversion, "protocolSubversion")
      .u8(a.model, "model")
      .u8(a.language, "language");
    w.bytes(encodeText(a.name, "cp1251"));
  },
  readAnswer: (r) => ({
    type: r.u8("device type"),
    subtype: r.u8("device subtype"),
    protocolVersion: r.u8("protocol version"),
    protocolSubversion: r.u8("protocol subversion"),
    model: r.u8("model"),
    language: r.u8("language"),
    name: r.textRest("cp1251"),
  }),
});

export const beep = passwordOnlyCommand(0x13, "beep");

export const CutType = { full: 0, partial: 1 } as const;

export interface CutRequest extends PasswordRequest {
  /** 0 full cut, 1 partial cut. */
  cutType: number;
}

export const cutPaper = defineCommand<CutRequest, OperatorAnswer>({
  code: 0x25,
  name: "cut paper",
  writeRequest: (w, r) => w.u32(r.password, "password").u8(r.cutType, "cutType"),
  readRequest: (r) => ({ password: r.u32("password"), cutType: r.u8("cut type") }),
  writeAnswer: (w, a) => w.u8(a.operator, "operator"),
  readAnswer: (r) => ({ operator: r.u8("operator") }),
});

/** Money registers (0x1A) Kassa reads. 241: cash in the drawer, by the register's own count. */
export const MoneyRegister = { cashInDrawer: 241 } as const;

export interface RegisterRequest extends PasswordRequest {
  register: number;
}

export interface MoneyRegisterAnswer {
  operator: number;
  /** Kopecks (6 bytes on the wire). */
  value: number;
}

export const readMoneyRegister = defineCommand<RegisterRequest, MoneyRegisterAnswer>({
  code: 0x1a,
  name: "read money register",
  writeRequest: (w, r) => w.u32(r.password, "password").u8(r.register, "register"),
  readRequest: (r) => ({ password: r.u32("password"), register: r.u8("register") }),
  writeAnswer: (w, a) => w.u8(a.operator, "operator").uint(a.value, 6, "value"),
  readAnswer: (r) => ({ operator: r.u8("operator"), value: r.uint(6, "register value") }),
});

export const readOperatingRegister = defineCommand<RegisterRequest, { operator: number; value: number }>({
  code: 0x1b,
  name: "read operating register",
  writeRequest: (w, r) => w.u32(r.password, "password").u8(r.register, "register"),
  readRequest: (r) => ({ password: r.u32("password"), register: r.u8("register") }),
  writeAnswer: (w, a) => w.u8(a.operator, "operator").u16(a.value, "value"),
  readAnswer: (r) => ({ operator: r.u8("operator"), value: r.u16("register value") }),
});

export interface TableCell extends PasswordRequest {
  table: number;
  row: number;
  field: number;
}

export interface TableWrite extends TableCell {
  /** The field's raw bytes: little-endian integer for a BIN field, CP1251 text for a CHAR field. */
  value: Uint8Array;
}

const readCell = (r: ByteReader) => ({
  password: r.u32("password"),
  table: r.u8("table"),
  row: r.u16("row"),
  field: r.u8("field"),
});

export const writeTable = defineCommand<TableWrite, Empty>({
  code: 0x1e,
  name: "write table",
  writeRequest: (w, r) =>
    w.u32(r.password, "password").u8(r.table, "table").u16(r.row, "row").u8(r.field, "field").bytes(r.value),
  readRequest: (r) => ({ ...readCell(r), value: r.rest() }),
  writeAnswer: () => {},
  readAnswer: () => ({}),
});

export const readTable = defineCommand<TableCell, { value: Uint8Array }>({
  code: 0x1f,
  name: "read table",
  writeRequest: (w, r) =>
    w.u32(r.password, "password").u8(r.table, "table").u16(r.row, "row").u8(r.field, "field"),
  readRequest: readCell,
  writeAnswer: (w, a) => w.bytes(a.value),
  readAnswer: (r) => ({ value: r.rest() }),
});

export const TABLE_NAME_LENGTH = 40;

export interface TableStructure {
  name: string;
  rows: number;
  fields: number;
}

export const tableStructure = defineCommand<PasswordRequest & { table: number }, TableStructure>({
  code: 0x2d,
  name: "read table structure",
  writeRequest: (w, r) => w.u32(r.password, "password").u8(r.table, "table"),
  readRequest: (r) => ({ password: r.u32("password"), table: r.u8("table") }),
  writeAnswer: (w, a) => w.textFixed(a.name, TABLE_NAME_LENGTH).u16(a.rows, "rows").u8(a.fields, "fields"),
  readAnswer: (r) => ({
    name: r.textFixed(TABLE_NAME_LENGTH, "cp1251", "table name"),
    rows: r.u16("rows"),
    fields: r.u8("fields"),
  }),
});

/** Field type in 2E: 0 binary (integer), 1 text. */
export const FieldType = { bin: 0, char: 1 } as const;

export interface FieldStructure {
  name: string;
  type: number;
  size: number;
  /** BIN fields only: the smallest and largest value, `size` bytes each. */
  min: number;
  max: number;
}

export const fieldStructure = defineCommand<
  PasswordRequest & { table: number; field: number },
  FieldStructure
>({
  code: 0x2e,
  name: "read field structure",
  writeRequest: (w, r) => w.u32(r.password, "password").u8(r.table, "table").u8(r.field, "field"),
  readRequest: (r) => ({ password: r.u32("password"), table: r.u8("table"), field: r.u8("field") }),
  writeAnswer: (w, a) => {
    w.textFixed(a.name, TABLE_NAME_LENGTH).u8(a.type, "type").u8(a.size, "size");
    if (a.type === FieldType.bin) w.uint(a.min, a.size, "min").uint(a.max, a.size, "max");
  },
  readAnswer: (r) => {
    const name = r.textFixed(TABLE_NAME_LENGTH, "cp1251", "field name");
    const type = r.u8("field type");
    const size = r.u8("field size");
    if (type !== FieldType.bin) return { name, type, size, min: 0, max: 0 };
    return { name, type, size, min: r.uint(size, "min"), max: r.uint(size, "max") };
  },
});

export interface TimeRequest extends PasswordRequest {
  hour: number;
  minute: number;
  second: number;
}

export const setTime = defineCommand<TimeRequest, Empty>({
  code: 0x21,
  name: "set time",
  writeRequest: (w, r) =>
    w.u32(r.password, "password").u8(r.hour, "hour").u8(r.minute, "minute").u8(r.second, "second"),
  readRequest: (r) => ({ password: r.u32("password"), ...r.time() }),
  writeAnswer: () => {},
  readAnswer: () => ({}),
});

export interface DateRequest extends PasswordRequest {
  year: number;
  month: number;
  day: number;
}

function dateCommand(code: number, name: string) {
  return defineCommand<DateRequest, Empty>({
    code,
    name,
    writeRequest: (w, r) =>
      w
        .u32(r.password, "password")
        .u8(r.day, "day")
        .u8(r.month, "month")
        .u8(r.year % 100, "year"),
    readRequest: (r) => ({ password: r.u32("password"), ...r.date() }),
    writeAnswer: () => {},
    readAnswer: () => ({}),
  });
}

/** 22 programs the date; it takes effect only when 23 confirms the same date. */
export const setDate = dateCommand(0x22, "set date");
export const confirmDate = dateCommand(0x23, "confirm date");
