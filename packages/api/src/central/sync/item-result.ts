/** What the central server answers for one delivered item. */
export type ItemStatus = "accepted" | "duplicate" | "rejected";

export interface ItemResult {
  id: string;
  kind: string;
  status: ItemStatus;
  /** For rejections: a stable code the agent and the DLQ group by. */
  code?: string;
  /** For rejections: what went wrong and what to do next. */
  reason?: string;
  /** A rejection that may succeed later (e.g. a fiscalization arriving before its receipt). */
  retryable?: boolean;
}

export const accepted = (kind: string, id: string): ItemResult => ({ id, kind, status: "accepted" });
export const duplicate = (kind: string, id: string): ItemResult => ({ id, kind, status: "duplicate" });
export const rejected = (
  kind: string,
  id: string,
  code: string,
  reason: string,
  retryable = false,
): ItemResult => ({ id, kind, status: "rejected", code, reason, retryable });
