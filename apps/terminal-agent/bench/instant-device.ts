import type {
  FiscalAttributes,
  FiscalCorrection,
  FiscalDevice,
  FiscalReceipt,
  ReceiptResult,
  RecoveryResult,
  ShiftReport,
} from "@kassa/fiscal/device";

/**
 * A register that prints instantly and costs nothing: measures the agent's own work per receipt
 * (validation, HLC, durable commit, the device queue) without the Shtrih protocol. The bench reports
 * the protocol emulator separately, since its cost is the driver's and the emulator's, not the agent's.
 */
export function instantDevice(): FiscalDevice {
  let fd = 1;
  let shift = 0;
  // The shift state is kept honestly: the agent compares it with its own at start-up (shift
  // reconciliation) and would adopt a shift a register claims to have open.
  let shiftOpen = false;
  const byId = new Map<string, FiscalAttributes>();
  const now = () => new Date().toISOString();
  const report = (): ShiftReport => ({
    shiftNumber: shift,
    fdNumber: ++fd,
    fiscalSign: "1",
    dateTime: now(),
  });
  let drawer = 0;
  return {
    identify: async () => ({
      family: "shtrih",
      model: "instant bench device",
      modelId: null,
      firmware: null,
    }),
    status: async () => ({
      mode: shiftOpen ? "shift_open" : "shift_closed",
      rawMode: shiftOpen ? 2 : 4,
      rawSubmode: 0,
      paperPresent: true,
      printing: false,
      awaitingContinuePrint: false,
    }),
    fnStatus: async () => ({
      lifePhase: 3,
      shiftOpen,
      fnNumber: "9999078900000000",
      lastFdNumber: fd,
      dateTime: now(),
      warnings: {
        keyExpiresIn3Days: false,
        keyExpiresIn30Days: false,
        archiveNearlyFull: false,
        ofdTimeout: false,
      },
    }),
    openShift: async () => {
      shift++;
      shiftOpen = true;
      return report();
    },
    xReport: async () => undefined,
    closeShift: async () => {
      shiftOpen = false;
      return report();
    },
    fiscalizeReceipt: async (receipt: FiscalReceipt): Promise<ReceiptResult> => {
      const attributes = {
        fdNumber: ++fd,
        fiscalSign: String(fd * 7919),
        fnNumber: "9999078900000000",
        shiftNumber: shift,
        dateTime: now(),
      };
      byId.set(receipt.receiptId, attributes);
      return { ...attributes, change: 0 };
    },
    fiscalizeCorrection: async (correction: FiscalCorrection): Promise<ReceiptResult> => {
      const attributes = {
        fdNumber: ++fd,
        fiscalSign: String(fd * 7919),
        fnNumber: "9999078900000000",
        shiftNumber: shift,
        dateTime: now(),
      };
      byId.set(correction.receiptId, attributes);
      return { ...attributes, change: 0 };
    },
    moveCash: async (movement) => {
      drawer += movement.kind === "cash_in" ? movement.amount : -movement.amount;
      return { documentNumber: null, cashInDrawer: drawer };
    },
    cashInDrawer: async () => drawer,
    cancelReceipt: async () => undefined,
    continuePrint: async () => undefined,
    findDocument: async () => null,
    recoverReceipt: async (receiptId: string): Promise<RecoveryResult> => {
      const attributes = byId.get(receiptId);
      return attributes ? { fiscalized: true, attributes } : { fiscalized: false, lastFdNumber: fd };
    },
    ofdStatus: async () => ({ unsentCount: 0, firstUnsentFd: null, oldestUnsentAt: null }),
    readOfdMessage: async () => null,
    writeOfdReceipt: async () => undefined,
    close: async () => undefined,
  };
}
