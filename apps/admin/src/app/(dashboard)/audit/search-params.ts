import type { TListAuditLogInput } from "@kassa/api/central/dashboard";
import { createLoader, type inferParserType, parseAsStringLiteral } from "nuqs/server";
import { parseAsCursor } from "~/lib/table-search-params.ts";

// The audit log's state in the URL: which kind of entries, and the page (cursor).

export const AUDIT_KINDS = ["admin", "dlq"] as const;
export const AUDIT_PAGE_SIZE = 25;

export const auditSearchParams = { kind: parseAsStringLiteral(AUDIT_KINDS), cursor: parseAsCursor };
export type AuditSearch = inferParserType<typeof auditSearchParams>;
export const loadAuditSearch = createLoader(auditSearchParams);

export function auditListInput(search: AuditSearch): TListAuditLogInput {
  return {
    ...(search.kind ? { kind: search.kind } : {}),
    ...(search.cursor ? { cursor: search.cursor } : {}),
    limit: AUDIT_PAGE_SIZE,
  };
}
