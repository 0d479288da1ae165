/** 0x10 / 0x11 status, 0x14 exchange parameters, 0x17 print string, B0 continue print. */
import { dateToDeviceDateTime } from "../shtrih/binary.ts";
import { setExchangeParams } from "../shtrih/commands/exchange.ts";
import { continuePrint, printString } from "../shtrih/commands/receipt.ts";
import { DeviceFlags, fullStatus, shortStatus } from "../shtrih/commands/status.ts";
import { handle, type KktDevice } from "./kkt-device.ts";

/** Status flag word: receipt roll present and its optical sensor, decimal point. */
function flags(device: KktDevice): number {
  let f = DeviceFlags.decimalPoint | DeviceFlags.journalRoll;
  if (device.printer.paperPresent) f |= DeviceFlags.receiptRoll | DeviceFlags.receiptPaperSensor;
  return f;
}

export function registerStatusCommands(device: KktDevice): void {
  device.register(
    shortStatus.code,
    handle(shortStatus, (d, _req, operator) => ({
      operator,
      flags: flags(d),
      mode: d.mode(),
      submode: d.printer.submode(),
      receiptOperations: d.receipt?.items.length ?? 0,
      batteryVoltage: 0x9f,
      powerVoltage: 0xf8,
      fpError: 0,
      eklzError: 0,
    })),
  );

  device.register(
    fullStatus.code,
    handle(fullStatus, (d, _req, operator) => ({
      operator,
      firmwareVersion: "C1",
      firmwareBuild: 0x864a,
      documentNumber: d.fn.lastFdNumber,
      flags: flags(d),
      mode: d.mode(),
      submode: d.printer.submode(),
      port: 0,
      dateTime: dateToDeviceDateTime(d.now()),
      serialNumber: d.serialNumber,
      lastClosedShift: d.fn.shiftOpen ? d.fn.shiftNumber - 1 : d.fn.shiftNumber,
      inn: Number(d.inn),
    })),
  );

  // Speed and byte timeout only matter on a real line; the emulator accepts and ignores them.
  device.register(
    setExchangeParams.code,
    handle(setExchangeParams, () => ({})),
  );

  device.register(
    printString.code,
    handle(printString, (d, _req, operator) => {
      const e = d.printer.check();
      if (e) return e;
      d.printer.print(1);
      return { operator };
    }),
  );

  device.register(
    continuePrint.code,
    handle(continuePrint, (d, _req, operator) => {
      const e = d.printer.continuePrint();
      if (e) return e;
      return { operator };
    }),
  );
}
