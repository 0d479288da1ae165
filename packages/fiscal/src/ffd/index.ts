export * from "./errors.ts";
export * from "./tags.ts";
export * from "./tlv.ts";
export * from "./vat-rates.ts";
