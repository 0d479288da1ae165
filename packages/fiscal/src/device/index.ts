export * from "./errors.ts";
export * from "./fiscal-device.ts";
