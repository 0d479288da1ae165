export * from "./clock.ts";
export * from "./confirmation.ts";
export * from "./crc16.ts";
export * from "./errors.ts";
export * from "./ofd-client.ts";
export * from "./ofd-emulator.ts";
export * from "./relay.ts";
export * from "./session-header.ts";
