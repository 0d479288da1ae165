export * from "./binary.ts";
export * from "./commands/index.ts";
export * from "./error-codes.ts";
export * from "./frame.ts";
