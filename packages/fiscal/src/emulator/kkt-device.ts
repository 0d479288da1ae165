/**
 * The register's logic above the wire: modes, operator passwords, the print engine, the receipt in
 * RAM and the fake FN. `execute(command, data)` takes a decoded frame and returns the answer's
 * error byte and data — the byte-level handshake lives in device-link.ts.
 *
 * Mode numbers follow Shtrih-M protocol v1.17 "Режимы ФР": 2 shift open, 3 shift open and over
 * 24 h, 4 shift closed, 8 document open (high nibble: 0 sale, 1 purchase, 2 sale return,
 * 3 purchase return).
 */
import { FiscalDeviceError } from "../device/errors.ts";
import type { CommandDef } from "../shtrih/commands/define.ts";
import type { DeviceType } from "../shtrih/commands/device.ts";
import { ERR_BAD_FORMAT, ERR_NOT_SUPPORTED, ERR_OK, ERR_WRONG_PASSWORD } from "../shtrih/error-codes.ts";
import type { Clock } from "./clock.ts";
import type { FakeFn } from "./fake-fn.ts";
import { modeStatusOf, type OpenReceipt } from "./open-receipt.ts";
import { Printer } from "./printer.ts";
import { DEFAULT_TAX_GROUPS } from "./tax-groups.ts";

export interface Answer {
  error: number;
  data: Uint8Array;
}

const EMPTY = new Uint8Array(0);
export const ok = (data: Uint8Array = EMPTY): Answer => ({ error: ERR_OK, data });
export const fail = (error: number): Answer => ({ error, data: EMPTY });

/** The OFD relay's progress (FF30–FF33): KKT RAM, restarted after a power loss. */
export interface OfdRelay {
  /** The outgoing message FF30 handed out, and its document. */
  message: Uint8Array | null;
  fdNumber: number | null;
  /** The OFD's answer being written with FF32/FF33. */
  answer: Uint8Array | null;
  written: number;
}

const idleRelay = (): OfdRelay => ({ message: null, fdNumber: null, answer: null, written: 0 });

export type Handler = (device: KktDevice, data: Uint8Array) => Answer;

export interface KktDeviceOptions {
  clock: Clock;
  fn: FakeFn;
  /** Print time per printed line, ms. Default 0 (instant). */
  printMsPerLine?: number;
  /** Operator passwords → operator number. Default: password n is operator n for 1..30 (30 = system administrator). */
  operators?: ReadonlyMap<number, number>;
  /** FF46 tax group → FFD 1199 code (see tax-groups.ts). */
  taxGroups?: Readonly<Record<number, number>>;
  /** Factory serial number (0x11). */
  serialNumber?: number;
  /** Owner's INN (0x11), digits. */
  inn?: string;
  /** What FC answers (type, model, name…). Default: DEFAULT_DEVICE_TYPE. */
  deviceType?: DeviceType;
}

/**
 * FC answer of the emulated model. Type 0 (KKT) and language 0 (Russian) follow v1.17; the model
 * and subtype numbers of real Shtrih-M models are *unverified* (no public table was found), so
 * they are configuration: pass `deviceType` to model another device.
 */
export const DEFAULT_DEVICE_TYPE: DeviceType = {
  type: 0,
  subtype: 0,
  protocolVersion: 1,
  protocolSubversion: 17,
  model: 0,
  language: 0,
  name: "ШТРИХ-М-01Ф (Kassa emulator)",
};

function defaultOperators(): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 1; i <= 30; i++) m.set(i, i);
  return m;
}

export class KktDevice {
  readonly clock: Clock;
  fn: FakeFn;
  readonly printer: Printer;
  readonly operators: ReadonlyMap<number, number>;
  readonly taxGroups: Readonly<Record<number, number>>;
  readonly serialNumber: number;
  readonly inn: string;
  receipt: OpenReceipt | null = null;
  /** The document FF3A selected for reading and how far FF3B got. */
  tlvCursor: { tlv: Uint8Array; offset: number } | null = null;
  ofdRelay: OfdRelay = idleRelay();
  readonly deviceType: DeviceType;
  /**
   * Money register 241: cash in the drawer (kopecks), moved by cash in/out (50/51) and by the cash
   * part of every receipt. Non-volatile on a real KKT, so a power loss keeps it.
   */
  cashInDrawer = 0;
  /** The KKT's running document number (0x11, 50/51 answers): every printed document counts. */
  documentNumber = 0;
  /** Called after the non-volatile counters change (the state file hook). */
  onCountersChange: (() => void) | null = null;
  /** Set by 21/22+23: the device clock's distance from the host clock, ms. */
  clockOffsetMs = 0;
  /** A date programmed by 22, waiting for 23 to confirm it. */
  pendingDate: { year: number; month: number; day: number } | null = null;
  /** Table values written by 1E, by "table:row:field" (see tables.ts for the defaults). */
  readonly tableValues = new Map<string, Uint8Array>();
  private readonly handlers = new Map<number, Handler>();

  constructor(options: KktDeviceOptions) {
    this.clock = options.clock;
    this.fn = options.fn;
    this.printer = new Printer(options.clock, options.printMsPerLine ?? 0);
    this.operators = options.operators ?? defaultOperators();
    this.taxGroups = options.taxGroups ?? DEFAULT_TAX_GROUPS;
    this.serialNumber = options.serialNumber ?? 4312;
    this.inn = options.inn ?? "7700000000";
    this.deviceType = options.deviceType ?? DEFAULT_DEVICE_TYPE;
  }

  register(code: number, handler: Handler): void {
    this.handlers.set(code, handler);
  }

  /** The device clock: the host clock moved by what 21/22/23 programmed. */
  now(): Date {
    const t = this.clock.now();
    return this.clockOffsetMs === 0 ? t : new Date(t.getTime() + this.clockOffsetMs);
  }

  /** Counts a printed document (the KKT numbers every document, fiscal or not; u16 wraps). */
  nextDocumentNumber(): number {
    this.documentNumber = (this.documentNumber + 1) & 0xffff;
    // Every document that moves the drawer counts one, after the move: one save covers both.
    this.onCountersChange?.();
    return this.documentNumber;
  }

  /** Full mode byte (low nibble mode, high nibble its status). */
  mode(now: Date = this.now()): number {
    if (this.receipt) return 8 | (modeStatusOf(this.receipt.operationType) << 4);
    if (this.fn.shiftOpen) return this.fn.shiftExpired(now) ? 3 : 2;
    return 4;
  }

  execute(command: number, data: Uint8Array): Answer {
    const handler = this.handlers.get(command);
    if (!handler) return fail(ERR_NOT_SUPPORTED);
    try {
      return handler(this, data);
    } catch (err) {
      // A request too short for its layout (decodeRequest throws a PROTOCOL_ERROR) or a bad value.
      if (err instanceof FiscalDeviceError || err instanceof RangeError || err instanceof TypeError) {
        return fail(ERR_BAD_FORMAT);
      }
      throw err;
    }
  }

  /** Operator number for a password, or null when the password is wrong. */
  operatorFor(password: number): number | null {
    return this.operators.get(password) ?? null;
  }

  /** Power loss: everything in the KKT's RAM is gone; the FN keeps its documents. */
  powerOff(): void {
    // Design assumption (unverified on hardware): an open receipt is annulled when power returns,
    // as Shtrih-M devices print "ЧЕК АННУЛИРОВАН" after a restart.
    this.receipt = null;
    this.tlvCursor = null;
    this.ofdRelay = idleRelay();
    this.printer.powerOff();
  }
}

/**
 * Who may run a command (protocol v1.17 names the password each command takes): any operator;
 * the administrator (operator 29) or system administrator (30) for X/Z reports; the system
 * administrator only for FN (FF xx service) commands.
 */
export type PasswordLevel = "operator" | "admin" | "sysadmin";

const ADMIN_OPERATOR = 29;
const SYSADMIN_OPERATOR = 30;

function allowed(operator: number, level: PasswordLevel): boolean {
  if (level === "operator") return true;
  if (level === "admin") return operator === ADMIN_OPERATOR || operator === SYSADMIN_OPERATOR;
  return operator === SYSADMIN_OPERATOR;
}

/**
 * Wraps a command definition: decodes the request, checks the password and hands the typed
 * request and operator number to `run`.
 */
export function handle<Req extends { password: number }, Ans>(
  def: CommandDef<Req, Ans>,
  run: (device: KktDevice, req: Req, operator: number) => Ans | number,
  level: PasswordLevel = "operator",
): Handler {
  return (device, data) => {
    const req = def.decodeRequest(data);
    const operator = device.operatorFor(req.password);
    if (operator === null || !allowed(operator, level)) return fail(ERR_WRONG_PASSWORD);
    const result = run(device, req, operator);
    if (typeof result === "number") return fail(result);
    return ok(def.encodeAnswer(result));
  };
}

/** `handle` for FN (FF xx service) commands: system administrator password only. */
export function handleFn<Req extends { password: number }, Ans>(
  def: CommandDef<Req, Ans>,
  run: (device: KktDevice, req: Req, operator: number) => Ans | number,
): Handler {
  return handle(def, run, "sysadmin");
}

/** `handle` for X/Z reports: administrator or system administrator. */
export function handleAdmin<Req extends { password: number }, Ans>(
  def: CommandDef<Req, Ans>,
  run: (device: KktDevice, req: Req, operator: number) => Ans | number,
): Handler {
  return handle(def, run, "admin");
}
