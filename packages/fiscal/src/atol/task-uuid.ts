/**
 * The UUID a fiscal task is posted under is derived from Kassa's receipt id (RFC 9562 UUIDv5: SHA-1
 * of a fixed namespace and a name), so posting the same receipt again — after a timeout, a crash,
 * an agent restart — names the same task, and the ATOL web server answers the task it already has
 * instead of printing a second receipt. The name carries an attempt number: a task that certainly
 * failed (paper out, shift expired) keeps its UUID and its error forever, so printing the receipt
 * again once the cashier fixed the cause needs the next attempt's UUID (see AtolDevice.runFiscal).
 */
import { createHash } from "node:crypto";

/** Kassa's namespace for ATOL task UUIDs (a fixed random v4 UUID; never change it: tasks in flight use it). */
export const KASSA_ATOL_NAMESPACE = "6f1d3c2e-8a4b-4f7e-9c1d-2b5a7e9f0c31";

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new TypeError(`"${uuid}" is not a UUID`);
  return Buffer.from(hex, "hex");
}

export function uuidV5(name: string, namespace: string = KASSA_ATOL_NAMESPACE): string {
  const hash = createHash("sha1").update(uuidBytes(namespace)).update(name, "utf8").digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC variant
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The UUID of attempt `attempt` (0, 1, …) to fiscalize `receiptId` (receipt or correction). */
export function fiscalTaskUuid(receiptId: string, attempt: number): string {
  if (typeof receiptId !== "string" || receiptId.length === 0)
    throw new TypeError('"receiptId" must be a non-empty string');
  if (!Number.isSafeInteger(attempt) || attempt < 0)
    throw new TypeError(`"attempt" must be an integer ≥ 0, got ${attempt}`);
  return uuidV5(`kassa-receipt:${receiptId}#${attempt}`);
}
