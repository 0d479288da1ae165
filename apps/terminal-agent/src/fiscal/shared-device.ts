import type { FiscalDevice } from "@kassa/fiscal/device";
import type { DeviceRunner } from "./device-runner.ts";

/**
 * The register as a FiscalDevice whose every call waits its turn in the runner, so other parts
 * (the sync worker's OFD relay) can use it without interleaving with a receipt on the serial line.
 */
export function sharedDevice(runner: DeviceRunner): FiscalDevice {
  return {
    identify: () => runner.run((d) => d.identify()),
    status: () => runner.run((d) => d.status()),
    fnStatus: () => runner.run((d) => d.fnStatus()),
    openShift: (cashier) => runner.run((d) => d.openShift(cashier)),
    xReport: (cashier) => runner.run((d) => d.xReport(cashier)),
    closeShift: (cashier) => runner.run((d) => d.closeShift(cashier)),
    fiscalizeReceipt: (receipt) => runner.run((d) => d.fiscalizeReceipt(receipt)),
    fiscalizeCorrection: (correction) => runner.run((d) => d.fiscalizeCorrection(correction)),
    moveCash: (movement) => runner.run((d) => d.moveCash(movement)),
    cashInDrawer: () => runner.run((d) => d.cashInDrawer()),
    cancelReceipt: () => runner.run((d) => d.cancelReceipt()),
    continuePrint: () => runner.run((d) => d.continuePrint()),
    findDocument: (fdNumber) => runner.run((d) => d.findDocument(fdNumber)),
    recoverReceipt: (receiptId, expectedFd) => runner.run((d) => d.recoverReceipt(receiptId, expectedFd)),
    ofdStatus: () => runner.run((d) => d.ofdStatus()),
    readOfdMessage: () => runner.run((d) => d.readOfdMessage()),
    writeOfdReceipt: (answer) => runner.run((d) => d.writeOfdReceipt(answer)),
    // The agent owns the line: closing it is the agent's shutdown, not a caller's.
    close: async () => undefined,
  };
}
