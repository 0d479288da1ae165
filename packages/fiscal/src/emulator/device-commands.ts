/**
 * FC device type, 13 beep, 25 cut, 1A/1B registers, 1E/1F/2D/2E tables, 21/22/23 time and date:
 * what drivers send on connect and between documents (layouts: shtrih/commands/device.ts).
 */
import {
  beep,
  confirmDate,
  cutPaper,
  deviceType,
  FieldType,
  fieldStructure,
  MoneyRegister,
  readMoneyRegister,
  readOperatingRegister,
  readTable,
  setDate,
  setTime,
  tableStructure,
  writeTable,
} from "../shtrih/commands/device.ts";
import {
  ERR_BAD_DATE,
  ERR_BAD_PARAMETERS,
  ERR_DATE_MISMATCH,
  ERR_RECEIPT_OPEN,
} from "../shtrih/error-codes.ts";
import { handle, handleAdmin, type KktDevice, ok } from "./kkt-device.ts";
import { defaultValue, fieldOf, TABLES } from "./tables.ts";

export function registerDeviceCommands(device: KktDevice): void {
  // FC takes no password: answered whatever follows the command byte.
  device.register(deviceType.code, (d) => ok(deviceType.encodeAnswer(d.deviceType)));

  device.register(
    beep.code,
    handle(beep, (_d, _req, operator) => ({ operator })),
  );

  device.register(
    cutPaper.code,
    handle(cutPaper, (d, req, operator) => {
      if (req.cutType > 1) return ERR_BAD_PARAMETERS;
      const e = d.printer.check();
      if (e) return e;
      return { operator };
    }),
  );

  device.register(
    readMoneyRegister.code,
    // Registers Kassa does not model read as 0: a real KKT has 256 of them, most counters of sales.
    handle(readMoneyRegister, (d, req, operator) => ({
      operator,
      value: req.register === MoneyRegister.cashInDrawer ? d.cashInDrawer : 0,
    })),
  );

  device.register(
    readOperatingRegister.code,
    handle(readOperatingRegister, (_d, _req, operator) => ({ operator, value: 0 })),
  );

  device.register(
    tableStructure.code,
    handleAdmin(tableStructure, (_d, req) => {
      const table = TABLES.get(req.table);
      if (!table) return ERR_BAD_PARAMETERS;
      return { name: table.name, rows: table.rows, fields: table.fields.length };
    }),
  );

  device.register(
    fieldStructure.code,
    handleAdmin(fieldStructure, (_d, req) => {
      const field = fieldOf(req.table, 1, req.field);
      if (!field) return ERR_BAD_PARAMETERS;
      return {
        name: field.name,
        type: field.type,
        size: field.size,
        min: field.min ?? 0,
        max: field.max ?? 0,
      };
    }),
  );

  device.register(
    readTable.code,
    handleAdmin(readTable, (d, req) => {
      const field = fieldOf(req.table, req.row, req.field);
      if (!field) return ERR_BAD_PARAMETERS;
      const value =
        d.tableValues.get(`${req.table}:${req.row}:${req.field}`) ?? defaultValue(d, field, req.row);
      return { value };
    }),
  );

  device.register(
    writeTable.code,
    handleAdmin(writeTable, (d, req) => {
      const field = fieldOf(req.table, req.row, req.field);
      if (!field) return ERR_BAD_PARAMETERS;
      let value: Uint8Array;
      if (field.type === FieldType.bin) {
        if (req.value.length !== field.size) return ERR_BAD_PARAMETERS;
        let n = 0;
        for (let i = field.size - 1; i >= 0; i--) n = n * 256 + req.value[i]!;
        if (n < (field.min ?? 0) || n > (field.max ?? 2 ** (8 * field.size) - 1)) return ERR_BAD_PARAMETERS;
        value = req.value.slice();
      } else {
        if (req.value.length > field.size) return ERR_BAD_PARAMETERS;
        value = new Uint8Array(field.size);
        value.set(req.value);
      }
      d.tableValues.set(`${req.table}:${req.row}:${req.field}`, value);
      return {};
    }),
  );

  device.register(
    setTime.code,
    handleAdmin(setTime, (d, req) => {
      if (d.receipt) return ERR_RECEIPT_OPEN;
      if (req.hour > 23 || req.minute > 59 || req.second > 59) return ERR_BAD_DATE;
      const now = d.now();
      const target = new Date(now);
      target.setHours(req.hour, req.minute, req.second, 0);
      d.clockOffsetMs += target.getTime() - now.getTime();
      return {};
    }),
  );

  // 22 only programs the date; it takes effect when 23 confirms the same date.
  device.register(
    setDate.code,
    handleAdmin(setDate, (d, req) => {
      if (d.receipt) return ERR_RECEIPT_OPEN;
      if (!validDate(req)) return ERR_BAD_DATE;
      d.pendingDate = { year: req.year, month: req.month, day: req.day };
      return {};
    }),
  );

  device.register(
    confirmDate.code,
    handleAdmin(confirmDate, (d, req) => {
      const p = d.pendingDate;
      if (!p || p.year !== req.year || p.month !== req.month || p.day !== req.day) return ERR_DATE_MISMATCH;
      d.pendingDate = null;
      const now = d.now();
      const target = new Date(now);
      target.setFullYear(req.year, req.month - 1, req.day);
      d.clockOffsetMs += target.getTime() - now.getTime();
      return {};
    }),
  );
}

function validDate(r: { year: number; month: number; day: number }): boolean {
  if (r.month < 1 || r.month > 12 || r.day < 1) return false;
  return r.day <= new Date(r.year, r.month, 0).getDate();
}
