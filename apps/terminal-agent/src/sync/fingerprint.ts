import { createHash } from "node:crypto";

/**
 * Groups failures by cause for the DLQ view: the error code plus the message with ids, numbers and
 * quoted values blanked, so "receipt 01JD… conflicts" and "receipt 01JE… conflicts" group together.
 */
export function errorFingerprint(code: string, message: string): string {
  const shape = message
    .replace(/"[^"]*"/g, '""')
    .replace(/[0-9A-HJKMNP-TV-Z]{26}/g, "<id>")
    .replace(/\b[\w-]*\d[\w-]*\b/g, "#");
  return `${code}:${createHash("sha1").update(shape).digest("hex").slice(0, 12)}`;
}
