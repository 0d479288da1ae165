"use client";

import { useQuery } from "@tanstack/react-query";
import { Search, X } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { FormEvent } from "react";
import { ReceiptsTable } from "~/components/receipts-table.tsx";
import { useTRPC } from "~/trpc/react.tsx";

const FIELDS = ["storeId", "terminalId", "status", "from", "to", "fdNumber"] as const;
const STATUSES = ["accepted", "fiscalized", "needs_attention", "voided"] as const;

interface Filter {
  storeId?: string;
  terminalId?: string;
  status?: (typeof STATUSES)[number];
  from?: Date;
  to?: Date;
  fdNumber?: number;
}

/** The filter lives in the URL, so a search can be bookmarked, shared and survives a reload. */
function filterFromParams(params: URLSearchParams): Filter {
  const filter: Filter = {};
  const storeId = params.get("storeId");
  const terminalId = params.get("terminalId");
  const status = params.get("status");
  const fd = params.get("fdNumber");
  if (storeId) filter.storeId = storeId;
  if (terminalId) filter.terminalId = terminalId;
  const known = STATUSES.find((s) => s === status);
  if (known) filter.status = known;
  // datetime-local values carry no zone: they are read in the browser's zone, the user's intent.
  for (const key of ["from", "to"] as const) {
    const value = params.get(key);
    const date = value ? new Date(value) : undefined;
    if (date && !Number.isNaN(date.getTime())) filter[key] = date;
  }
  if (fd && /^\d{1,9}$/.test(fd) && Number(fd) > 0) filter.fdNumber = Number(fd);
  return filter;
}

export function ReceiptSearch() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const me = useQuery(trpc.dashboard.me.queryOptions());
  const fleet = useQuery(trpc.dashboard.fleet.list.queryOptions());
  const filter = filterFromParams(new URLSearchParams(searchParams.toString()));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const field of FIELDS) {
      const value = String(data.get(field) ?? "").trim();
      if (value) next.set(field, value);
    }
    router.replace(next.size > 0 ? `${pathname}?${next}` : pathname);
  }

  const value = (field: (typeof FIELDS)[number]) => searchParams.get(field) ?? "";
  return (
    <>
      {/* Keyed by the query string so "Clear" and back/forward reset the inputs to the URL's values. */}
      <form
        key={searchParams.toString()}
        className="filters card"
        onSubmit={onSubmit}
        onReset={(event) => {
          event.preventDefault();
          router.replace(pathname);
        }}
      >
        <label>
          Store
          <select name="storeId" defaultValue={value("storeId")}>
            <option value="">All stores</option>
            {me.data?.stores.map((s) => (
              <option key={`${s.organizationId}/${s.id}`} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Terminal
          <select name="terminalId" defaultValue={value("terminalId")}>
            <option value="">All terminals</option>
            {fleet.data?.terminals.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} · {t.store.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status" defaultValue={value("status")}>
            <option value="">Any</option>
            <option value="fiscalized">Fiscalized</option>
            <option value="accepted">Awaiting KKT</option>
            <option value="needs_attention">Refused by KKT</option>
            <option value="voided">Voided</option>
          </select>
        </label>
        <label>
          From
          <input name="from" type="datetime-local" defaultValue={value("from")} />
        </label>
        <label>
          To
          <input name="to" type="datetime-local" defaultValue={value("to")} />
        </label>
        <label>
          FD №
          <input
            name="fdNumber"
            inputMode="numeric"
            pattern="\d*"
            placeholder="e.g. 1234"
            defaultValue={value("fdNumber")}
          />
        </label>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            <Search size={16} aria-hidden /> Search
          </button>
          <button type="reset" className="button ghost">
            <X size={16} aria-hidden /> Clear
          </button>
        </div>
      </form>
      <ReceiptsTable filter={filter} />
    </>
  );
}
