/**
 * An emulator of the ATOL Driver v10 web requests API (protocol.ts) in front of the same fake FN as
 * the Shtrih-M emulator (documents, 24 h shift rule, 30-day OFD rule, full archive, state file).
 * Requests are queued and run one at a time, like the driver's task queue; their results live in RAM
 * only, so a power loss forgets them while the FN keeps its documents.
 *
 * Fault injection (control(), also on the CLI's stdin and --control-port): slow tasks, a task stuck
 * in progress, the web server down, paper out (before a receipt, or mid-receipt: the document is in
 * the FN, printing stops, the result says warnings.notPrinted), power loss with a task half done
 * (before or after the FN made the document), the driver forgetting its results; duplicate UUIDs
 * are always refused (409) and never run twice.
 *
 * Assumed, not verified against a real driver: 201 for an accepted POST, 409 for a UUID already
 * held, 123 (FN_NO_MORE_DATA) for a document number not in the FN, and that a task whose receipt was
 * closed in the FN but not printed answers "ready" with warnings.notPrinted (the driver's receipt
 * script checks documentClosed after a failed close; public JSON-task scripts do so).
 */

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type Clock, parseDuration, systemClock } from "../emulator/clock.ts";
import { FakeFn, SHIFT_MAX_MS } from "../emulator/fake-fn.ts";
import { documentStlv, type FnDocument } from "../emulator/fn-document.ts";
import { loadState } from "../emulator/state-file.ts";
import { ITEM_SUBJECT, MEASURE_UNIT, PAYMENT_METHOD, TAX_SYSTEM } from "../ffd/codes.ts";
import { ffdTimeFromIso } from "../ffd/ffd-time.ts";
import { Tag } from "../ffd/tags.ts";
import { type TlvField, tlv } from "../ffd/tlv.ts";
import { ERR_FN_ARCHIVE_FULL, ERR_FN_OFD_30_DAYS } from "../shtrih/error-codes.ts";
import {
  ATOL_ERROR_DENIED_IN_CLOSED_SHIFT,
  ATOL_ERROR_DENIED_IN_OPENED_SHIFT,
  ATOL_ERROR_FN_HAS_NOT_SEND_DOCUMENTS,
  ATOL_ERROR_FN_NO_MORE_DATA,
  ATOL_ERROR_FN_OVERFLOW,
  ATOL_ERROR_INVALID_PARAM,
  ATOL_ERROR_INVALID_SUM,
  ATOL_ERROR_INVALID_TAX_TYPE,
  ATOL_ERROR_INVALID_TAXATION_TYPE,
  ATOL_ERROR_NO_CASH,
  ATOL_ERROR_NO_PAPER,
  ATOL_ERROR_NOT_FULLY_PAID,
  ATOL_ERROR_SHIFT_EXPIRED,
} from "./error-codes.ts";
import type { AtolItem, AtolPosition, AtolReceiptTask, AtolTaskResult } from "./protocol.ts";
import { FINAL_STATUSES, kopecks, REQUESTS_PATH } from "./protocol.ts";
import { ATOL_PAYMENT_METHOD, ATOL_PAYMENT_OBJECT, ATOL_TAXATION, ATOL_UNIT } from "./receipt-task.ts";

const STATE_VERSION = 1;
/** FFD 1199 code per ATOL tax type (the inverse of receipt-task.ts's table). */
const VAT_CODE: Record<string, number> = {
  vat20: 1,
  vat10: 2,
  vat120: 3,
  vat110: 4,
  vat0: 5,
  none: 6,
  vat22: 11,
  vat122: 12,
};
const invert = <K extends string>(t: Readonly<Record<K, string>>) =>
  new Map(Object.entries(t).map(([k, v]) => [v as string, k as K]));
const SUBJECT = invert(ATOL_PAYMENT_OBJECT);
const METHOD = invert(ATOL_PAYMENT_METHOD);
const UNIT = invert(ATOL_UNIT);
const TAXATION = invert(ATOL_TAXATION);
const OPERATION: Record<string, number> = {
  sell: 1,
  sellReturn: 2,
  buy: 3,
  buyReturn: 4,
  sellCorrection: 1,
  sellReturnCorrection: 2,
  buyCorrection: 3,
  buyReturnCorrection: 4,
};
const DOCUMENT_NAME: Record<number, string> = {
  1: "registration",
  2: "openShift",
  3: "receipt",
  5: "closeShift",
  31: "correction",
};

export interface AtolEmulatorOptions {
  /** Keep the FN (and the drawer's cash) in this JSON file across restarts. */
  stateFile?: string;
  clock?: Clock;
  fnNumber?: string;
  modelName?: string;
  /** Every task takes this long, ms (the "slow" fault). Default 0. */
  taskMs?: number;
  /** Open a shift at start-up if none is open. */
  openShift?: boolean;
  log?: (line: string) => void;
}

interface HeldRequest {
  uuid: string;
  tasks: Record<string, unknown>[];
  results: AtolTaskResult[];
}

type PowerStage = "before-fn" | "after-fn";

class TaskError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The till's UTC offset as "+03:00": the driver's date-times carry one. */
function localOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

const FISCAL_TYPES = new Set(Object.keys(OPERATION));

export class AtolEmulator {
  readonly fn: FakeFn;
  readonly clock: Clock;
  private readonly stateFile: string | undefined;
  private readonly log: (line: string) => void;
  readonly modelName: string;
  paper = true;
  ofdUp = true;
  /** Kopecks in the drawer by the register's count. */
  cash = 0;
  taskMs: number;
  private readonly requests = new Map<string, HeldRequest>();
  private readonly queue: string[] = [];
  private working = false;
  private stuck: { match: string; release: (() => void) | null; armed: boolean } | null = null;
  private paperOutMidReceipt = false;
  private power: { stage: PowerStage; restoreMs: number | null } | null = null;
  /** The next fiscal document task ends with this driver error, before or after the FN made the document. */
  private failNext: { code: number; stage: PowerStage } | null = null;
  private powered = true;
  private server: http.Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private host = "127.0.0.1";
  private downTimer: NodeJS.Timeout | null = null;
  /** The "garbage" fault: this many answers to task-state reads are replaced by GARBAGE_ANSWERS. */
  private garbage = 0;
  private garbageSent = 0;
  /** Requests executed per UUID: a duplicate POST must never raise it above 1. */
  readonly executions = new Map<string, number>();

  constructor(options: AtolEmulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.stateFile = options.stateFile;
    this.log = options.log ?? (() => {});
    this.modelName = options.modelName ?? "АТОЛ 30Ф (эмулятор Kassa)";
    this.taskMs = options.taskMs ?? 0;
    const saved = this.stateFile ? loadState(this.stateFile) : null;
    this.fn = saved
      ? FakeFn.fromJSON(saved)
      : FakeFn.create(options.fnNumber ? { fnNumber: options.fnNumber } : {}, this.clock.now());
    if (saved && this.stateFile) this.cash = readCash(this.stateFile);
    this.fn.onChange = () => this.save();
    if (options.openShift && !this.fn.shiftOpen) this.fn.openShift(this.clock.now(), []);
    this.save();
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  /** Starts the web server; resolves with the port. */
  async listen(port = 0, host = "127.0.0.1"): Promise<number> {
    this.host = host;
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  /** The web server goes away (connections refused); the queue keeps running. */
  async down(forMs: number | null = null): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      for (const s of this.sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
    if (forMs !== null) {
      this.downTimer = setTimeout(() => {
        this.downTimer = null;
        void this.up();
      }, forMs);
    }
  }

  async up(): Promise<void> {
    if (this.downTimer) clearTimeout(this.downTimer);
    this.downTimer = null;
    this.powered = true;
    if (!this.server) await this.listen(this.port, this.host);
  }

  async close(): Promise<void> {
    if (this.downTimer) clearTimeout(this.downTimer);
    this.stuck?.release?.();
    this.stuck = null;
    await this.down();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://x");
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
        res.end(json === undefined ? "" : JSON.stringify(json));
      };
      if (url.pathname === "/control") {
        const answer = req.method === "POST" ? this.control(body.trim()) : this.describe();
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        res.end(`${answer}\n`);
        return;
      }
      if (req.method === "POST" && url.pathname === REQUESTS_PATH) {
        const [status, json] = this.post(body);
        send(status, json);
        return;
      }
      const m = new RegExp(`^${REQUESTS_PATH}/([^/]+)$`).exec(url.pathname);
      if (req.method === "GET" && m && this.garbage > 0) {
        // A broken proxy, a half-written answer, a driver version with other types: 200 regardless.
        this.garbage--;
        const bad = GARBAGE_ANSWERS[this.garbageSent++ % GARBAGE_ANSWERS.length]!;
        res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
        res.end(bad);
        return;
      }
      if (req.method === "GET" && m) {
        const held = this.requests.get(decodeURIComponent(m[1]!));
        if (!held) send(404, { error: { code: 404, description: "Задание не найдено" } });
        else send(200, { results: held.results });
        return;
      }
      send(404, { error: { code: 404, description: "Not found" } });
    });
  }

  private post(body: string): [number, unknown] {
    let parsed: { uuid?: unknown; request?: unknown };
    try {
      parsed = JSON.parse(body);
    } catch {
      return [400, { error: { code: 400, description: "Тело запроса не является JSON" } }];
    }
    const { uuid, request } = parsed ?? {};
    const tasks = Array.isArray(request)
      ? request
      : request && typeof request === "object"
        ? [request]
        : null;
    if (typeof uuid !== "string" || uuid.length === 0 || uuid.length > 64) {
      return [400, { error: { code: 400, description: 'Поле "uuid" отсутствует или некорректно' } }];
    }
    if (
      !tasks ||
      tasks.length === 0 ||
      tasks.some((t) => !t || typeof (t as { type?: unknown }).type !== "string")
    ) {
      return [
        400,
        { error: { code: 400, description: 'Поле "request" должно содержать задания с полем "type"' } },
      ];
    }
    if (this.requests.has(uuid)) {
      // A UUID names one request forever: posting it again must never run it again.
      return [409, { error: { code: 409, description: `Задание с uuid ${uuid} уже существует` } }];
    }
    this.requests.set(uuid, {
      uuid,
      tasks: tasks as Record<string, unknown>[],
      results: tasks.map(() => ({ status: "wait", errorCode: 0, errorDescription: "" })),
    });
    this.queue.push(uuid);
    void this.work();
    return [201, {}];
  }

  // ---- the task queue -------------------------------------------------------------------------

  private async work(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      while (this.queue.length > 0 && this.powered) {
        const uuid = this.queue.shift()!;
        const held = this.requests.get(uuid);
        if (held) await this.runRequest(held);
      }
    } finally {
      this.working = false;
    }
  }

  private async runRequest(held: HeldRequest): Promise<void> {
    this.executions.set(held.uuid, (this.executions.get(held.uuid) ?? 0) + 1);
    let failed = false;
    for (let i = 0; i < held.tasks.length; i++) {
      if (!this.powered) return;
      const task = held.tasks[i]!;
      if (failed) {
        held.results[i] = { status: "interrupted", errorCode: 0, errorDescription: "" };
        continue;
      }
      held.results[i] = { status: "inProgress", errorCode: 0, errorDescription: "" };
      if (this.taskMs > 0) await new Promise((r) => setTimeout(r, this.taskMs));
      if (this.stuck?.armed && (this.stuck.match === "any" || this.stuck.match === task.type)) {
        this.stuck.armed = false;
        this.log(`task ${held.uuid} (${String(task.type)}) stuck in progress`);
        await new Promise<void>((r) => {
          if (this.stuck) this.stuck.release = r;
        });
        this.stuck = null;
      }
      if (!this.powered) return;
      try {
        const result = this.execute(task);
        if (!this.powered) return; // power went during the task: no answer was ever stored
        held.results[i] = { status: "ready", errorCode: 0, errorDescription: "", result };
      } catch (err) {
        if (!(err instanceof TaskError)) throw err;
        held.results[i] = { status: "error", errorCode: err.code, errorDescription: err.message };
        failed = true;
      }
    }
  }

  /** Power off: RAM (the queue, every result) is gone, the web server with it; the FN stays. */
  private powerOff(restoreMs: number | null): void {
    this.powered = false;
    this.requests.clear();
    this.queue.length = 0;
    this.log("power lost: task results forgotten");
    void this.down(restoreMs);
  }

  // ---- tasks ----------------------------------------------------------------------------------

  private now(): Date {
    return this.clock.now();
  }

  private dateTime(iso: string, at: Date): string {
    return `${iso}${localOffset(at)}`;
  }

  private execute(task: Record<string, unknown>): unknown {
    const type = String(task.type);
    if (this.ofdUp) for (const d of this.fn.unsent()) this.fn.confirm(d.fdNumber);
    switch (type) {
      case "getDeviceInfo":
        return {
          deviceInfo: {
            model: 61,
            modelName: this.modelName,
            serial: `00106${this.fn.fnNumber.slice(-9)}`,
            firmwareVersion: "5.8.100",
            configurationVersion: "kassa-emulator",
            ffdVersion: "1.2",
            fnFfdVersion: "1.2",
          },
        };
      case "getDeviceStatus":
        return { deviceStatus: this.deviceStatus() };
      case "getShiftStatus": {
        const s = this.shiftState();
        const opened = this.fn.allDocuments().findLast((d) => d.documentType === 2);
        const expires = opened ? new Date(opened.issuedAtMs + SHIFT_MAX_MS) : this.now();
        return {
          shiftStatus: {
            number: this.fn.shiftNumber,
            state: s,
            expiredTime: this.dateTime(isoOf(expires), expires),
          },
        };
      }
      case "getFnInfo":
        return { fnInfo: this.fnInfo() };
      case "getFnStatus":
        return {
          fnStatus: {
            fiscalDocumentNumber: this.fn.lastFdNumber,
            fiscalReceiptNumber: this.fn.receiptsInShift,
            warnings: this.fnInfo().warnings,
          },
        };
      case "ofdExchangeStatus": {
        const first = this.fn.firstUnsent();
        return {
          status: {
            notSentCount: this.fn.unsentCount,
            notSentFirstDocNumber: first?.fdNumber ?? 0,
            notSentFirstDocDateTime: first ? this.dateTime(first.dateTime, new Date(first.issuedAtMs)) : "",
          },
        };
      }
      case "getShiftTotals":
        return { shiftTotals: { shiftNumber: this.fn.shiftNumber, cashDrawer: { sum: this.cash / 100 } } };
      case "getFnDocument":
        return this.fnDocument(task);
      case "openShift":
        return this.openShift(task);
      case "closeShift":
        return this.closeShift(task);
      case "reportX":
        this.needPaper();
        return {};
      case "continuePrint":
        this.needPaper();
        return {};
      case "cashIn":
      case "cashOut":
        return this.cashMove(type, task);
      default:
        if (FISCAL_TYPES.has(type)) return this.receipt(task as unknown as AtolReceiptTask);
        throw new TaskError(ATOL_ERROR_INVALID_PARAM, `Неизвестный тип задания "${type}"`);
    }
  }

  private shiftState(): "closed" | "opened" | "expired" {
    if (!this.fn.shiftOpen) return "closed";
    return this.fn.shiftExpired(this.now()) ? "expired" : "opened";
  }

  private deviceStatus() {
    const now = this.now();
    return {
      currentDateTime: this.dateTime(isoOf(now), now),
      shift: this.shiftState(),
      blocked: false,
      coverOpened: false,
      paperPresent: this.paper,
      fiscal: true,
      fnFiscal: true,
      fnPresent: true,
      cashDrawerOpened: false,
    };
  }

  private fnInfo() {
    const now = this.now();
    const bits = this.fn.warnings(now);
    const valid = new Date(this.fn.validUntilMs);
    return {
      serial: this.fn.fnNumber,
      validityDate: this.dateTime(isoOf(valid), valid),
      ffdVersion: "1.2",
      fnFfdVersion: "1.2",
      livePhase: "fiscal",
      warnings: {
        criticalError: false,
        memoryOverflow: (bits & 4) !== 0,
        needReplacement: (bits & 2) !== 0,
        resourceExhausted: (bits & 1) !== 0,
        ofdTimeout: (bits & 8) !== 0,
      },
    };
  }

  private needPaper(): void {
    if (!this.paper) throw new TaskError(ATOL_ERROR_NO_PAPER, "Нет бумаги");
  }

  private canIssue(): void {
    const e = this.fn.canIssue(this.now());
    if (e === ERR_FN_ARCHIVE_FULL) throw new TaskError(ATOL_ERROR_FN_OVERFLOW, "ФН: переполнение ФН");
    if (e === ERR_FN_OFD_30_DAYS)
      throw new TaskError(
        ATOL_ERROR_FN_HAS_NOT_SEND_DOCUMENTS,
        "ФН: исчерпан ресурс хранения (есть неотправленные ФД)",
      );
  }

  private cashierTags(task: Record<string, unknown>): TlvField[] {
    const op = task.operator as { name?: unknown; vatin?: unknown } | undefined;
    const out: TlvField[] = [];
    if (op && typeof op.name === "string" && op.name) out.push(tlv.string(Tag.CASHIER, op.name));
    if (op && typeof op.vatin === "string" && op.vatin) out.push(tlv.string(Tag.CASHIER_INN, op.vatin));
    return out;
  }

  /** The power-loss fault, if armed, fires around the FN's document. */
  private maybePowerLoss(stage: PowerStage): boolean {
    if (!this.power || this.power.stage !== stage) return false;
    const { restoreMs } = this.power;
    this.power = null;
    this.powerOff(restoreMs);
    return true;
  }

  /** The "error" fault: the driver reports `code` (e.g. 241 connection lost) for this document task. */
  private maybeFail(stage: PowerStage): void {
    if (!this.failNext || this.failNext.stage !== stage) return;
    const { code } = this.failNext;
    this.failNext = null;
    throw new TaskError(code, `Ошибка ${code} (внесена эмулятором)`);
  }

  private fiscalResult(doc: FnDocument, extra: Record<string, unknown> = {}, notPrinted = false) {
    return {
      fiscalParams: {
        fiscalDocumentDateTime: this.dateTime(doc.dateTime, new Date(doc.issuedAtMs)),
        fiscalDocumentNumber: doc.fdNumber,
        fiscalDocumentSign: String(doc.fiscalSign),
        fnNumber: this.fn.fnNumber,
        registrationNumber: "0000000001012345",
        shiftNumber: doc.shiftNumber,
        fnsUrl: "www.nalog.gov.ru",
        ...extra,
      },
      warnings: { notPrinted },
    };
  }

  private openShift(task: Record<string, unknown>) {
    this.needPaper();
    if (this.fn.shiftOpen)
      throw new TaskError(ATOL_ERROR_DENIED_IN_OPENED_SHIFT, "Смена открыта - операция невозможна");
    this.canIssue();
    if (this.maybePowerLoss("before-fn")) return null;
    const doc = this.fn.openShift(this.now(), this.cashierTags(task));
    if (this.maybePowerLoss("after-fn")) return null;
    return this.fiscalResult(doc);
  }

  private closeShift(task: Record<string, unknown>) {
    this.needPaper();
    if (!this.fn.shiftOpen)
      throw new TaskError(ATOL_ERROR_DENIED_IN_CLOSED_SHIFT, "Смена закрыта - операция невозможна");
    // The same fake FN rule as the Shtrih-M emulator's Z report: the 30-day OFD block still lets the
    // cashier close the shift; only a full archive stops the shift-close report.
    if (this.fn.canIssue(this.now()) === ERR_FN_ARCHIVE_FULL)
      throw new TaskError(ATOL_ERROR_FN_OVERFLOW, "ФН: переполнение ФН");
    if (this.maybePowerLoss("before-fn")) return null;
    const receipts = this.fn.receiptsInShift;
    const doc = this.fn.closeShift(this.now(), this.cashierTags(task));
    if (this.maybePowerLoss("after-fn")) return null;
    return this.fiscalResult(doc, { receiptsCount: receipts });
  }

  private cashMove(type: "cashIn" | "cashOut", task: Record<string, unknown>) {
    const sum = task.cashSum;
    if (typeof sum !== "number" || !Number.isFinite(sum) || sum <= 0) {
      throw new TaskError(ATOL_ERROR_INVALID_SUM, 'Некорректное значение поля "cashSum"');
    }
    this.needPaper();
    if (!this.fn.shiftOpen)
      throw new TaskError(ATOL_ERROR_DENIED_IN_CLOSED_SHIFT, "Смена закрыта - операция невозможна");
    const amount = kopecks(sum);
    if (type === "cashOut" && amount > this.cash)
      throw new TaskError(ATOL_ERROR_NO_CASH, "В ККТ нет денег для выплаты");
    this.cash += type === "cashIn" ? amount : -amount;
    this.save();
    return { counters: { cashSum: this.cash / 100 } };
  }

  private receipt(task: AtolReceiptTask) {
    const now = this.now();
    this.needPaper();
    if (!this.fn.shiftOpen)
      throw new TaskError(ATOL_ERROR_DENIED_IN_CLOSED_SHIFT, "Смена закрыта - операция невозможна");
    if (this.fn.shiftExpired(now)) throw new TaskError(ATOL_ERROR_SHIFT_EXPIRED, "Смена превысила 24 часа");
    const taxation = TAXATION.get(String(task.taxationType));
    if (!taxation) throw new TaskError(ATOL_ERROR_INVALID_TAXATION_TYPE, "Неверная система налогообложения");
    if (!Array.isArray(task.items) || !Array.isArray(task.payments)) {
      throw new TaskError(ATOL_ERROR_INVALID_PARAM, 'Поля "items" и "payments" обязательны');
    }
    const items: TlvField[] = [];
    let total = 0;
    let tag1192: string | null = null;
    for (const raw of task.items as AtolItem[]) {
      if (raw?.type === "additionalAttribute") {
        if (typeof raw.value !== "string" || raw.value.length === 0 || raw.value.length > 16) {
          throw new TaskError(ATOL_ERROR_INVALID_PARAM, 'Некорректное значение поля "value" (1192)');
        }
        tag1192 = raw.value;
        continue;
      }
      if (raw?.type !== "position") continue; // text, barcodes and the like print only
      items.push(this.position(raw));
      total += kopecks(raw.amount);
    }
    if (items.length === 0) throw new TaskError(ATOL_ERROR_INVALID_PARAM, "В чеке нет предметов расчета");
    let cash = 0;
    let electronic = 0;
    for (const p of task.payments as { type?: unknown; sum?: unknown }[]) {
      if (typeof p?.sum !== "number" || !Number.isFinite(p.sum) || p.sum < 0) {
        throw new TaskError(ATOL_ERROR_INVALID_SUM, 'Некорректное значение поля "payments.sum"');
      }
      if (p.type === "cash") cash += kopecks(p.sum);
      else if (p.type === "electronically") electronic += kopecks(p.sum);
      else
        throw new TaskError(
          ATOL_ERROR_INVALID_PARAM,
          `Вид оплаты "${String(p.type)}" не поддерживается эмулятором`,
        );
    }
    if (cash + electronic < total) throw new TaskError(ATOL_ERROR_NOT_FULLY_PAID, "Чек оплачен не полностью");
    const hostTags: TlvField[] = [...this.cashierTags(task as unknown as Record<string, unknown>)];
    if (tag1192) hostTags.push(tlv.string(Tag.ADDITIONAL_RECEIPT_ATTRIBUTE, tag1192));
    const leadFields: TlvField[] = [];
    if (task.correctionType !== undefined) {
      const m = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(String(task.correctionBaseDate ?? ""));
      if (!m || (task.correctionType !== "self" && task.correctionType !== "instruction")) {
        throw new TaskError(
          ATOL_ERROR_INVALID_PARAM,
          'Некорректные поля "correctionType"/"correctionBaseDate"',
        );
      }
      const basis: TlvField[] = [
        tlv.unixtime(Tag.CORRECTION_BASIS_DATE, ffdTimeFromIso(`${m[1]}-${m[2]}-${m[3]}T00:00:00`)),
      ];
      if (task.correctionBaseNumber)
        basis.push(tlv.string(Tag.CORRECTION_BASIS_NUMBER, String(task.correctionBaseNumber)));
      leadFields.push(tlv.byte(Tag.CORRECTION_TYPE, task.correctionType === "instruction" ? 1 : 0));
      leadFields.push(tlv.stlv(Tag.CORRECTION_BASIS, basis));
    }
    this.canIssue();
    if (this.maybePowerLoss("before-fn")) return null;
    this.maybeFail("before-fn");
    // A correction is FFD document type 31 with 1173/1174 ahead of 1054, like the FN makes it.
    const doc = this.fn.registerReceipt(now, {
      ...(leadFields.length > 0 ? { documentType: 31 as const, leadFields } : {}),
      operationType: OPERATION[task.type]!,
      total,
      cash: Math.max(0, total - electronic),
      electronic,
      taxSystem: TAX_SYSTEM[taxation],
      items,
      hostTags,
    });
    const income = task.type.startsWith("sell") !== task.type.includes("Return");
    const cashPart = Math.max(0, total - electronic);
    this.cash += income ? cashPart : -cashPart;
    this.save();
    if (this.maybePowerLoss("after-fn")) return null;
    this.maybeFail("after-fn");
    let notPrinted = false;
    if (this.paperOutMidReceipt) {
      this.paperOutMidReceipt = false;
      this.paper = false;
      notPrinted = true;
      this.log(`paper ran out while FD ${doc.fdNumber} printed`);
    }
    return this.fiscalResult(
      doc,
      { fiscalReceiptNumber: this.fn.receiptsInShift, total: total / 100 },
      notPrinted,
    );
  }

  private position(p: AtolPosition): TlvField {
    const bad = (field: string) =>
      new TaskError(ATOL_ERROR_INVALID_PARAM, `Некорректное значение поля "${field}"`);
    if (typeof p.name !== "string" || p.name.length === 0 || p.name.length > 128) throw bad("name");
    for (const f of ["price", "quantity", "amount"] as const) {
      if (typeof p[f] !== "number" || !Number.isFinite(p[f]) || p[f] < 0) throw bad(f);
    }
    if (p.quantity <= 0) throw bad("quantity");
    const price = kopecks(p.price);
    const amount = kopecks(p.amount);
    // The driver checks the position's cost against price × quantity, to the kopeck.
    if (Math.abs(Math.round(price * p.quantity) - amount) > 1) {
      throw new TaskError(ATOL_ERROR_INVALID_SUM, "Неверная цена (сумма)");
    }
    const vat = VAT_CODE[String(p.tax?.type)];
    if (vat === undefined) throw new TaskError(ATOL_ERROR_INVALID_TAX_TYPE, "Неверный тип налога");
    const subject = SUBJECT.get(String(p.paymentObject));
    const method = METHOD.get(String(p.paymentMethod));
    if (!subject) throw bad("paymentObject");
    if (!method) throw bad("paymentMethod");
    const unit = p.measurementUnit === undefined ? "pcs" : UNIT.get(String(p.measurementUnit));
    if (!unit) throw bad("measurementUnit");
    return tlv.stlv(Tag.ITEM, [
      tlv.string(Tag.ITEM_NAME, p.name),
      tlv.vln(Tag.PRICE, price),
      tlv.fvln(Tag.QUANTITY, p.quantity),
      tlv.vln(Tag.ITEM_SUM, amount),
      tlv.byte(Tag.VAT_RATE, vat),
      tlv.byte(Tag.ITEM_SUBJECT, ITEM_SUBJECT[subject]),
      tlv.byte(Tag.PAYMENT_METHOD, PAYMENT_METHOD[method]),
      tlv.byte(Tag.MEASURE_UNIT, MEASURE_UNIT[unit]),
    ]);
  }

  private fnDocument(task: Record<string, unknown>) {
    const n = task.fiscalDocumentNumber;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) {
      throw new TaskError(ATOL_ERROR_INVALID_PARAM, 'Некорректное значение поля "fiscalDocumentNumber"');
    }
    const doc = this.fn.find(n);
    if (!doc) throw new TaskError(ATOL_ERROR_FN_NO_MORE_DATA, "ФН: запрошенные данные отсутствуют");
    return {
      fiscalDocumentType: DOCUMENT_NAME[doc.documentType] ?? String(doc.documentType),
      short: false,
      ...(task.withRawData ? { rawData: Buffer.from(documentStlv(doc)).toString("base64") } : {}),
    };
  }

  // ---- faults and control ---------------------------------------------------------------------

  /** Runs one control line; returns what happened. Unknown lines throw TypeError (nothing changes). */
  control(line: string): string {
    const [cmd = "", ...args] = line.trim().split(/\s+/);
    const arg = args[0];
    const opts = Object.fromEntries(
      args.filter((a) => a.includes("=")).map((a) => a.split("=") as [string, string]),
    );
    switch (cmd) {
      case "":
      case "status":
        return this.describe();
      case "slow":
        this.taskMs = parseDuration(arg ?? "0");
        return `every task takes ${this.taskMs} ms`;
      case "stuck": {
        const match = arg && !arg.includes("=") ? arg : "any";
        this.stuck = { match, release: null, armed: true };
        return `the next ${match === "any" ? "" : `${match} `}task stays in progress until "release"`;
      }
      case "release":
        if (this.stuck?.release) this.stuck.release();
        else this.stuck = null;
        return "stuck task released";
      case "down": {
        const ms = arg ? parseDuration(arg) : null;
        void this.down(ms);
        return ms === null ? 'web server down until "up"' : `web server down for ${ms} ms`;
      }
      case "up":
        void this.up();
        return "web server up";
      case "paper":
        if (arg === "out") this.paper = false;
        else if (arg === "in") this.paper = true;
        else if (arg === "mid-receipt") this.paperOutMidReceipt = true;
        else throw new TypeError('paper: use "paper out", "paper in" or "paper mid-receipt"');
        return arg === "mid-receipt" ? "paper runs out while the next receipt prints" : `paper ${arg}`;
      case "power-loss": {
        const stage = (opts.stage ?? "after-fn") as PowerStage;
        if (stage !== "before-fn" && stage !== "after-fn")
          throw new TypeError("power-loss: stage=before-fn|after-fn");
        this.power = { stage, restoreMs: opts.restore ? parseDuration(opts.restore) : null };
        return `power is lost ${stage === "before-fn" ? "before" : "after"} the FN makes the next document`;
      }
      case "power-on":
        void this.up();
        void this.work();
        return "power on";
      case "error": {
        const code = Number(arg);
        const stage = (opts.stage ?? "before-fn") as PowerStage;
        if (!Number.isInteger(code) || code <= 0 || (stage !== "before-fn" && stage !== "after-fn")) {
          throw new TypeError('error: use "error <code> [stage=before-fn|after-fn]"');
        }
        this.failNext = { code, stage };
        return `the next receipt ends with driver error ${code} ${stage === "before-fn" ? "before" : "after"} the FN makes it`;
      }
      case "garbage": {
        const n = arg === undefined ? 1 : Number(arg);
        if (!Number.isSafeInteger(n) || n < 0) throw new TypeError('garbage: use "garbage [count]"');
        this.garbage = n;
        return `the next ${n} task-state answers are garbage`;
      }
      case "forget":
        this.requests.clear();
        return "the driver forgot every task result";
      case "advance": {
        const ms = parseDuration(arg ?? "");
        const c = this.clock as { advance?: (ms: number) => void };
        if (!c.advance) throw new TypeError("advance: this emulator's clock cannot move");
        c.advance(ms);
        return `clock advanced ${ms} ms`;
      }
      case "expire-shift":
        this.fn.expireShift(this.now());
        return "the shift is now over 24 h old";
      case "fn-full":
        this.fn.fillUp();
        return "the FN archive is full";
      case "ofd":
        if (arg !== "up" && arg !== "down") throw new TypeError('ofd: use "ofd up" or "ofd down"');
        this.ofdUp = arg === "up";
        return `OFD ${arg}`;
      default:
        throw new TypeError(`unknown control "${cmd}": ${CONTROL_HELP_ATOL}`);
    }
  }

  describe(): string {
    const held = [...this.requests.values()];
    const pending = held.filter((h) => h.results.some((r) => !FINAL_STATUSES.has(r.status))).length;
    return [
      `web server ${this.server ? `up on ${this.url}` : "down"}`,
      `shift ${this.shiftState()} #${this.fn.shiftNumber}`,
      `last FD ${this.fn.lastFdNumber}, unsent ${this.fn.unsentCount}`,
      `paper ${this.paper ? "in" : "out"}`,
      `cash ${(this.cash / 100).toFixed(2)}`,
      `requests ${held.length} (${pending} pending)`,
    ].join("; ");
  }

  // ---- state ----------------------------------------------------------------------------------

  private save(): void {
    if (!this.stateFile) return;
    // The Shtrih-M emulator's state file format ({version, fn}) plus the drawer's count, so the
    // same tools (and loadState) read both.
    const tmp = `${this.stateFile}.tmp`;
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(
        fd,
        JSON.stringify({ version: STATE_VERSION, fn: this.fn.toJSON(), atol: { cash: this.cash } }),
      );
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.stateFile);
  }
}

/**
 * What the "garbage" fault answers a task-state read with, in turn: not JSON, truncated JSON, and
 * JSON of the wrong shape or types (a null result, a status that is no status, an error code as a
 * string, a "ready" without usable fiscalParams). Each must become a typed, uncertain device error.
 */
const GARBAGE_ANSWERS = [
  "<html><body>502 Bad Gateway</body></html>",
  '{"results":[{"status":"re',
  '{"results":[null]}',
  '{"results":[]}',
  '{"results":[{"status":"done","errorCode":0,"errorDescription":""}]}',
  '{"results":[{"status":"error","errorCode":"241","errorDescription":"Соединение с ККТ потеряно"}]}',
  '{"results":[{"status":"ready","errorCode":0,"errorDescription":"","result":{"fiscalParams":{"fiscalDocumentNumber":7}}}]}',
  '{"results":"ready"}',
];

function readCash(path: string): number {
  try {
    // loadState validated the file; the drawer count is ours.
    const cash = (JSON.parse(readFileSync(path, "utf8")) as { atol?: { cash?: unknown } }).atol?.cash;
    return typeof cash === "number" && Number.isSafeInteger(cash) ? cash : 0;
  } catch {
    return 0;
  }
}

function isoOf(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}

export const CONTROL_HELP_ATOL = [
  "status",
  "slow <duration> (every task; 0 = off)",
  "stuck [taskType] (next task stays in progress) / release",
  "down [duration] / up (the web server)",
  "paper out | in | mid-receipt",
  "power-loss stage=before-fn|after-fn [restore=<duration>] / power-on",
  "error <code> [stage=before-fn|after-fn] (the next receipt ends with that driver error)",
  "forget (the driver loses every task result)",
  "garbage [count] (the next task-state answers are not the API's JSON)",
  "advance <duration>, expire-shift, fn-full, ofd up|down",
].join("; ");
