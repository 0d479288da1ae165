"use client";

import { useQuery } from "@tanstack/react-query";
import { Search, X } from "lucide-react";
import { type FormEvent, useState } from "react";
import { ReceiptsTable } from "~/components/receipts-table.tsx";
import { useTRPC } from "~/trpc/react.tsx";

interface Filter {
  storeId?: string;
  terminalId?: string;
  status?: "accepted" | "fiscalized";
  from?: Date;
  to?: Date;
  fdNumber?: number;
}

function readForm(form: HTMLFormElement): Filter {
  const data = new FormData(form);
  const text = (name: string) => {
    const value = String(data.get(name) ?? "").trim();
    return value === "" ? undefined : value;
  };
  const filter: Filter = {};
  const storeId = text("storeId");
  const terminalId = text("terminalId");
  const status = text("status");
  const from = text("from");
  const to = text("to");
  const fd = text("fdNumber");
  if (storeId) filter.storeId = storeId;
  if (terminalId) filter.terminalId = terminalId;
  if (status === "accepted" || status === "fiscalized") filter.status = status;
  // datetime-local has no zone: it is read in the browser's zone, which is the user's intent.
  if (from) filter.from = new Date(from);
  if (to) filter.to = new Date(to);
  if (fd && /^\d+$/.test(fd)) filter.fdNumber = Number(fd);
  return filter;
}

export function ReceiptSearch() {
  const trpc = useTRPC();
  const me = useQuery(trpc.dashboard.me.queryOptions());
  const fleet = useQuery(trpc.dashboard.fleet.list.queryOptions());
  const [filter, setFilter] = useState<Filter>({});

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilter(readForm(event.currentTarget));
  }

  return (
    <>
      <form className="filters card" onSubmit={onSubmit} onReset={() => setFilter({})}>
        <label>
          Store
          <select name="storeId" defaultValue="">
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
          <select name="terminalId" defaultValue="">
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
          <select name="status" defaultValue="">
            <option value="">Any</option>
            <option value="fiscalized">Fiscalized</option>
            <option value="accepted">Awaiting KKT</option>
          </select>
        </label>
        <label>
          From
          <input name="from" type="datetime-local" />
        </label>
        <label>
          To
          <input name="to" type="datetime-local" />
        </label>
        <label>
          FD №
          <input name="fdNumber" inputMode="numeric" pattern="\d*" placeholder="e.g. 1234" />
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
