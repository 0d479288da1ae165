/**
 * @kassa/fiscal/atol: ATOL registers through the ATOL driver's web requests API (`AtolDevice`),
 * and an emulator of that API over the fake FN (`AtolEmulator`, CLI `kassa-atol-emulator`).
 */
export { AtolDevice, type AtolDeviceOptions } from "./atol-device.ts";
export { AtolEmulator, type AtolEmulatorOptions, CONTROL_HELP_ATOL } from "./atol-emulator.ts";
export { AtolDeviceError, atolError } from "./error-codes.ts";
export * from "./protocol.ts";
export { fiscalTaskUuid, uuidV5 } from "./task-uuid.ts";
export { AtolWebClient, type AtolWebClientOptions } from "./web-client.ts";
