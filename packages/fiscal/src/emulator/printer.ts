/**
 * The print engine: paper sensor, print time and continue-print. Submodes follow Shtrih-M protocol
 * v1.17: 1 passive paper-out (ran out while idle), 2 active paper-out (ran out while printing),
 * 3 paper loaded after an active paper-out — waiting for continue-print (B0), 5 printing.
 */

import { Submode } from "../shtrih/commands/status.ts";
import { ERR_AWAITING_CONTINUE_PRINT, ERR_BUSY, ERR_NO_PAPER } from "../shtrih/error-codes.ts";
import type { Clock } from "./clock.ts";

export type PaperState = "ok" | "out-passive" | "out-active" | "awaiting-continue";

export class Printer {
  paper: PaperState = "ok";
  /** Clock time (ms) when the current printout ends. */
  private printingUntil = 0;
  /** Lines printed since power-on (the benches check nothing is printed twice). */
  linesPrinted = 0;

  constructor(
    private readonly clock: Clock,
    /** Print time per line, ms; 0 = instant (benches). */
    public msPerLine: number,
  ) {}

  get paperPresent(): boolean {
    return this.paper === "ok" || this.paper === "awaiting-continue";
  }

  printing(now = this.clock.now().getTime()): boolean {
    return this.msPerLine > 0 && now < this.printingUntil;
  }

  submode(): number {
    switch (this.paper) {
      case "out-passive":
        return Submode.paperOutPassive;
      case "out-active":
        return Submode.paperOutActive;
      case "awaiting-continue":
        return Submode.awaitingContinuePrint;
      case "ok":
        return this.printing() ? Submode.printing : Submode.idle;
    }
  }

  /** 0 when a print command may run now, else the device's error byte. */
  check(): number {
    if (this.paper === "out-passive" || this.paper === "out-active") return ERR_NO_PAPER;
    if (this.paper === "awaiting-continue") return ERR_AWAITING_CONTINUE_PRINT;
    if (this.printing()) return ERR_BUSY;
    return 0;
  }

  print(lines: number): void {
    this.linesPrinted += lines;
    if (this.msPerLine > 0) this.printingUntil = this.clock.now().getTime() + lines * this.msPerLine;
  }

  /** The paper roll ends. While (or right after) printing that is an "active" paper-out. */
  paperOut(whilePrinting = this.printing()): void {
    this.paper = whilePrinting ? "out-active" : "out-passive";
    this.printingUntil = 0;
  }

  paperIn(): void {
    if (this.paper === "out-active") this.paper = "awaiting-continue";
    else if (this.paper === "out-passive") this.paper = "ok";
  }

  /** Continue-print (B0): finishes the interrupted printout. */
  continuePrint(): number {
    if (this.paper === "out-passive" || this.paper === "out-active") return ERR_NO_PAPER;
    if (this.paper === "awaiting-continue") {
      this.paper = "ok";
      this.print(3);
    }
    return 0;
  }

  /** Power-off: the printout in progress stops; the paper sensor is physical and keeps its state. */
  powerOff(): void {
    this.printingUntil = 0;
    if (this.paper === "awaiting-continue") this.paper = "ok";
  }
}
