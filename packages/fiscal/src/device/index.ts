export * from "./fiscal-device.ts";
export * from "./errors.ts";
