/**
 * `kassa-kkt`: drive a Shtrih-M register (or the emulator on a pty) by hand.
 * Argument parsing with node:util parseArgs (commander is not a dependency of packages/fiscal).
 */
import { parseArgs } from "node:util";
import { FiscalDeviceError } from "../device/errors.ts";
import type { FiscalCorrection, FiscalReceipt, ReceiptKind, TaxSystem } from "../device/fiscal-device.ts";
import { toHex } from "./binary.ts";
import { openShtrihSerial } from "./serial.ts";
import type { ShtrihDevice } from "./shtrih-device.ts";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const KKT_USAGE = `Usage: kassa-kkt <command> --port <path> [--baud 115200] [options]

Commands:
  status                      model, firmware, device mode, paper, printing state
  fn-status                   FN life phase, shift, FN number, last FD, warnings
  ofd-status                  documents not yet confirmed by the OFD
  open-shift [--cashier N]    open a shift
  x-report                    print an X report (shift totals, no closing)
  sell --item SPEC [--item SPEC…] [--cash RUB] [--card RUB] [--refund] [--id ID] [--tax osn]
                              fiscalize a receipt; SPEC is "name:price:qty[:vat]",
                              price in roubles (59.90), vat an id like vat20, vat10, none (default vat20)
  close-shift [--cashier N]   Z report: close the shift
  find-doc <fd>               read a fiscal document back (type, date, FP, tag 1192)
  recover --id ID --fd N      was receipt ID fiscalized at FD ≥ N? (never prints)
  cash-in --amount RUB        put cash into the drawer (50); cash-out --amount RUB takes it out (51)
  drawer                      cash in the drawer by the register's count (money register 241)
  correct --item SPEC… --date YYYY-MM-DD [--order NUM] [--cash RUB] [--card RUB] [--refund] [--id ID]
                              correction receipt (FFD 1.2) for a settlement of that date;
                              --order NUM = by the tax authority's order NUM, else own initiative
  cancel                      cancel a receipt left open on the device
  continue-print              resume printing after paper was loaded

Options:
  --port <path>      serial port or pty, e.g. /dev/ttyUSB0 (required)
  --baud <rate>      2400…115200 (default 115200)
  --password <n>     cashier password (default 1)
  --admin <n>        administrator password (default 30)
  --trace            print every byte on the line
  -h, --help         this text`;

class UsageError extends Error {}

/** Roubles as typed by a person ("59.90", "59,9", "60") → kopecks, without floating point. */
export function parseRoubles(text: string, what: string): number {
  const m = /^(\d{1,10})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new UsageError(`${what} must be an amount in roubles like 59.90, got "${text}"`);
  return Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
}

export function parseItem(spec: string, index: number): FiscalReceipt["items"][number] {
  const parts = spec.split(":");
  if (parts.length < 3 || parts.length > 4 || !parts[0]) {
    throw new UsageError(`--item ${index + 1} must be "name:price:qty[:vat]", got "${spec}"`);
  }
  const [name, priceText, qtyText, vat = "vat20"] = parts as [string, string, string, string?];
  const price = parseRoubles(priceText, `--item ${index + 1} price`);
  const quantity = Number(qtyText.replace(",", "."));
  if (!(quantity > 0) || !/^\d+([.,]\d{1,6})?$/.test(qtyText)) {
    throw new UsageError(
      `--item ${index + 1} quantity must be a number > 0 with ≤ 6 decimals, got "${qtyText}"`,
    );
  }
  const weighed = !Number.isInteger(quantity);
  return {
    name,
    price,
    quantity,
    sum: Math.round(price * quantity),
    vat,
    subject: "goods",
    paymentMethod: "full_payment",
    unit: weighed ? "kg" : "pcs",
  };
}

const money = (k: number) => `${Math.floor(k / 100)}.${String(k % 100).padStart(2, "0")}`;

export async function runKktCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    io.err(`kassa-kkt: ${(err as Error).message}\n\n${KKT_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    io.out(KKT_USAGE);
    return values.help ? 0 : 2;
  }
  const [command, ...rest] = positionals as [string, ...string[]];
  let device: ShtrihDevice | null = null;
  try {
    const job = plan(command, rest, values);
    if (!values.port) throw new UsageError('"--port" is required, e.g. --port /dev/ttyUSB0');
    device = await openShtrihSerial({
      path: values.port,
      baudRate: values.baud ? Number(values.baud) : 115200,
      ...(values.password ? { cashierPassword: Number(values.password) } : {}),
      ...(values.admin ? { adminPassword: Number(values.admin) } : {}),
      ...(values.trace
        ? { onTrace: (dir, bytes) => io.err(`${dir === "tx" ? "→" : "←"} ${toHex(bytes)}`) }
        : {}),
    });
    await job(device, io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof TypeError) {
      io.err(`kassa-kkt: ${err.message}`);
      return 2;
    }
    if (err instanceof FiscalDeviceError) {
      io.err(`kassa-kkt: ${err.kassaCode}: ${err.message}`);
      if (err.uncertain)
        io.err("The outcome is uncertain: run `kassa-kkt recover --id … --fd …` before selling again.");
      return 1;
    }
    throw err;
  } finally {
    await device?.close();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      baud: { type: "string" },
      password: { type: "string" },
      admin: { type: "string" },
      trace: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      cashier: { type: "string" },
      item: { type: "string", multiple: true },
      cash: { type: "string" },
      card: { type: "string" },
      refund: { type: "boolean" },
      id: { type: "string" },
      tax: { type: "string" },
      fd: { type: "string" },
      amount: { type: "string" },
      date: { type: "string" },
      order: { type: "string" },
    },
  });
}

type Values = ReturnType<typeof parse>["values"];
type Job = (device: ShtrihDevice, io: CliIo) => Promise<void>;

/** Validates the arguments before the port is opened, so a typo never reaches the device. */
function plan(command: string, rest: string[], v: Values): Job {
  const cashier = { name: v.cashier ?? "Кассир" };
  switch (command) {
    case "status":
      return async (d, io) => {
        // A register that does not answer FC still reports its state.
        const info = await d.identify().catch((err: Error) => err);
        if (info instanceof Error) io.out(`model:           unknown (${info.message})`);
        else {
          io.out(`model:           ${info.model} (model ${info.modelId})`);
          io.out(`firmware:        ${info.firmware ?? "unknown"}`);
        }
        const s = await d.status();
        io.out(`mode:            ${s.mode} (raw ${s.rawMode}, submode ${s.rawSubmode})`);
        io.out(`paper:           ${s.paperPresent ? "present" : "OUT"}`);
        io.out(`printing:        ${s.printing ? "yes" : "no"}`);
        if (s.awaitingContinuePrint) io.out("waiting for continue-print: run `kassa-kkt continue-print`");
      };
    case "fn-status":
      return async (d, io) => {
        const f = await d.fnStatus();
        const warnings = Object.entries(f.warnings)
          .filter(([, on]) => on)
          .map(([k]) => k);
        io.out(`FN number:       ${f.fnNumber}`);
        io.out(`life phase:      ${f.lifePhase}${f.lifePhase === 3 ? " (fiscal mode)" : ""}`);
        io.out(`shift:           ${f.shiftOpen ? "open" : "closed"}`);
        io.out(`last FD:         ${f.lastFdNumber} (${f.dateTime})`);
        io.out(`warnings:        ${warnings.length ? warnings.join(", ") : "none"}`);
      };
    case "ofd-status":
      return async (d, io) => {
        const o = await d.ofdStatus();
        io.out(`unsent to OFD:   ${o.unsentCount}`);
        if (o.firstUnsentFd !== null) io.out(`oldest unsent:   FD ${o.firstUnsentFd} at ${o.oldestUnsentAt}`);
      };
    case "open-shift":
      return async (d, io) => {
        const r = await d.openShift(cashier);
        io.out(`shift ${r.shiftNumber} opened: FD ${r.fdNumber}, FP ${r.fiscalSign}, ${r.dateTime}`);
      };
    case "x-report":
      return async (d, io) => {
        await d.xReport(cashier);
        io.out("X report printed");
      };
    case "close-shift":
      return async (d, io) => {
        const r = await d.closeShift(cashier);
        io.out(`shift ${r.shiftNumber} closed: FD ${r.fdNumber}, FP ${r.fiscalSign}, ${r.dateTime}`);
      };
    case "sell":
      return sellJob(v, cashier);
    case "find-doc": {
      const fd = Number(rest[0] ?? v.fd);
      if (!Number.isSafeInteger(fd) || fd < 1)
        throw new UsageError("find-doc needs a document number, e.g. find-doc 42");
      return async (d, io) => {
        const doc = await d.findDocument(fd);
        if (!doc) {
          io.out(`FD ${fd}: no such document in the FN`);
          return;
        }
        io.out(`FD ${doc.fdNumber}: type ${doc.documentType}, ${doc.dateTime}, FP ${doc.fiscalSign}`);
        io.out(`tag 1192:        ${doc.receiptTag ?? "(none)"}`);
        io.out(`TLV:             ${doc.tlv.length} bytes`);
      };
    }
    case "recover": {
      const fd = Number(v.fd);
      if (!v.id || !Number.isSafeInteger(fd) || fd < 1)
        throw new UsageError("recover needs --id <receiptId> --fd <expected FD>");
      const id = v.id;
      return async (d, io) => {
        const r = await d.recoverReceipt(id, fd);
        if (r.fiscalized) {
          const a = r.attributes;
          io.out(
            `receipt ${id} IS fiscalized: FD ${a.fdNumber}, FP ${a.fiscalSign}, FN ${a.fnNumber}, shift ${a.shiftNumber}, ${a.dateTime}`,
          );
        } else {
          io.out(`receipt ${id} was NOT fiscalized (last FD ${r.lastFdNumber}): it is safe to sell it again`);
        }
      };
    }
    case "cash-in":
    case "cash-out": {
      if (!v.amount) throw new UsageError(`${command} needs --amount <roubles>, e.g. --amount 1500`);
      const amount = parseRoubles(v.amount, "--amount");
      const kind = command === "cash-in" ? "cash_in" : "cash_out";
      return async (d, io) => {
        const r = await d.moveCash({ kind, amount, cashier });
        io.out(
          `${command === "cash-in" ? "cash in" : "cash out"} ${money(amount)}: document ${r.documentNumber ?? "(answer lost, checked by the drawer count)"}, drawer ${money(r.cashInDrawer)}`,
        );
      };
    }
    case "drawer":
      return async (d, io) => {
        io.out(`cash in drawer:  ${money(await d.cashInDrawer())}`);
      };
    case "correct":
      return correctJob(v, cashier);
    case "cancel":
      return async (d, io) => {
        await d.cancelReceipt();
        io.out("no receipt is open on the device");
      };
    case "continue-print":
      return async (d, io) => {
        await d.continuePrint();
        io.out("printing resumed");
      };
    default:
      throw new UsageError(`unknown command "${command}" (see --help)`);
  }
}

function correctJob(v: Values, cashier: { name: string }): Job {
  const items = (v.item ?? []).map(parseItem);
  if (items.length === 0) throw new UsageError('correct needs at least one --item "name:price:qty[:vat]"');
  if (!v.date || !/^\d{4}-\d{2}-\d{2}$/.test(v.date))
    throw new UsageError("correct needs --date YYYY-MM-DD (the corrected settlement's date)");
  const total = items.reduce((s, i) => s + i.sum, 0);
  const card = v.card ? parseRoubles(v.card, "--card") : 0;
  const cash = v.cash ? parseRoubles(v.cash, "--cash") : Math.max(0, total - card);
  const correction: FiscalCorrection = {
    receiptId: v.id ?? `cli-corr-${Date.now().toString(36)}`,
    kind: v.refund ? "income_return" : "income",
    correctionType: v.order ? "instruction" : "self",
    basis: { date: v.date, ...(v.order ? { documentNumber: v.order } : {}) },
    items,
    payments: { cash, electronic: card },
    taxSystem: (v.tax ?? "osn") as TaxSystem,
    cashier,
  };
  return async (d, io) => {
    const expected = (await d.fnStatus()).lastFdNumber + 1;
    io.out(`correction ${correction.receiptId}: total ${money(total)}, expected FD ${expected}`);
    const r = await d.fiscalizeCorrection(correction);
    io.out(
      `fiscalized: FD ${r.fdNumber}, FP ${r.fiscalSign}, FN ${r.fnNumber}, shift ${r.shiftNumber}, ${r.dateTime}`,
    );
  };
}

function sellJob(v: Values, cashier: { name: string }): Job {
  const items = (v.item ?? []).map(parseItem);
  if (items.length === 0) throw new UsageError('sell needs at least one --item "name:price:qty[:vat]"');
  const total = items.reduce((s, i) => s + i.sum, 0);
  const card = v.card ? parseRoubles(v.card, "--card") : 0;
  const cash = v.cash ? parseRoubles(v.cash, "--cash") : Math.max(0, total - card);
  const kind: ReceiptKind = v.refund ? "income_return" : "income";
  const receipt: FiscalReceipt = {
    receiptId: v.id ?? `cli-${Date.now().toString(36)}`,
    kind,
    items,
    payments: { cash, electronic: card },
    taxSystem: (v.tax ?? "osn") as TaxSystem,
    cashier,
  };
  return async (d, io) => {
    const expected = (await d.fnStatus()).lastFdNumber + 1;
    io.out(
      `receipt ${receipt.receiptId}: ${items.length} item(s), total ${money(total)}, expected FD ${expected}`,
    );
    const r = await d.fiscalizeReceipt(receipt);
    io.out(
      `fiscalized: FD ${r.fdNumber}, FP ${r.fiscalSign}, FN ${r.fnNumber}, shift ${r.shiftNumber}, ${r.dateTime}`,
    );
    if (r.change > 0) io.out(`change:          ${money(r.change)}`);
  };
}
