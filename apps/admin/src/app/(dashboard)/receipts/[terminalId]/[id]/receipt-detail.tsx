"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, Check, Circle } from "lucide-react";
import Link from "next/link";
import { ErrorNote } from "~/components/query-state.tsx";
import { ReceiptStatusBadge } from "~/components/status-badge.tsx";
import { formatInZone, formatKopecks } from "~/lib/format.ts";
import { useTRPC } from "~/trpc/react.tsx";

export function ReceiptDetail({ terminalId, receiptId }: { terminalId: string; receiptId: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.dashboard.receipts.get.queryOptions({ terminalId, receiptId }));
  const r = query.data;
  const tz = r?.timezone ?? "UTC";
  const steps = r
    ? [
        { label: "Accepted by the till", at: r.lineage.acceptedAt },
        { label: "Fiscalized by the KKT", at: r.lineage.fiscalizedAt },
        { label: "Received centrally", at: r.lineage.receivedCentrallyAt },
        {
          label: "Confirmed by the OFD",
          at: r.lineage.ofdConfirmedAt,
          note: ofdNote(r.lineage.ofdBacklog, tz),
        },
      ]
    : [];
  return (
    <>
      <Link href={`/terminals/${terminalId}`} className="back">
        <ArrowLeft size={14} aria-hidden /> {r?.terminalName ?? "Terminal"}
      </Link>
      <header className="page-header">
        <h1>Receipt {r && <ReceiptStatusBadge status={r.status} />}</h1>
        <p className="muted mono small">{receiptId}</p>
      </header>
      {query.error && <ErrorNote error={query.error} />}
      {query.isPending && <p className="muted">Loading…</p>}
      {r?.attention && (
        <section className="card" data-testid="receipt-attention">
          <h2>{r.voided ? "Voided by support" : "Refused by the KKT"}</h2>
          <p>
            <span className="mono">{r.attention.code}</span> · {r.attention.message}
          </p>
          <p className="muted small">Refused {formatInZone(r.attention.at, r.timezone)}</p>
          {r.voided ? (
            <p data-testid="receipt-void">
              Voided by <span className="strong">{r.voided.by}</span> {formatInZone(r.voided.at, r.timezone)}:{" "}
              {r.voided.reason}. No fiscal document exists for this receipt.
            </p>
          ) : (
            <p className="muted small">
              It will not print and the till goes on selling. Settle the sale with the customer, then void it
              on the till: <span className="mono">kassa-agent receipts void {r.id} --reason …</span>
            </p>
          )}
        </section>
      )}
      {r && (
        <div className="detail-grid">
          <section className="card">
            <h2>Sale</h2>
            <dl className="facts compact">
              <div>
                <dt>Kind</dt>
                <dd className="capitalize">{r.kind}</dd>
              </div>
              <div>
                <dt>Total</dt>
                <dd className="strong" data-testid="detail-total">
                  {formatKopecks(r.total)}
                </dd>
              </div>
              <div>
                <dt>Cash kept · change</dt>
                <dd>
                  {formatKopecks(r.cashTotal)} · {formatKopecks(r.change)}
                </dd>
              </div>
              <div>
                <dt>Cashier</dt>
                <dd>
                  {r.cashierName}
                  {r.cashierInn && <div className="muted small">INN {r.cashierInn}</div>}
                </dd>
              </div>
              <div>
                <dt>Store · terminal</dt>
                <dd>
                  {r.storeName} · {r.terminalName}
                </dd>
              </div>
              <div>
                <dt>Tax system</dt>
                <dd>{r.taxSystem}</dd>
              </div>
            </dl>
          </section>
          <section className="card">
            <h2>Fiscal attributes</h2>
            <dl className="facts compact">
              <div>
                <dt>FD №</dt>
                <dd className="mono" data-testid="detail-fd">
                  {r.fdNumber ?? "—"}
                </dd>
              </div>
              <div>
                <dt>FP (fiscal sign)</dt>
                <dd className="mono">{r.fiscalSign ?? "—"}</dd>
              </div>
              <div>
                <dt>FN №</dt>
                <dd className="mono">{r.fnNumber ?? "—"}</dd>
              </div>
              <div>
                <dt>Shift</dt>
                <dd>{r.shiftNumber ?? "—"}</dd>
              </div>
            </dl>
          </section>
          <section className="card">
            <h2>Lineage</h2>
            <ol className="timeline">
              {steps.map((step) => (
                <li key={step.label} className={step.at ? "done" : "todo"}>
                  {step.at ? <Check size={14} aria-hidden /> : <Circle size={14} aria-hidden />}
                  <div>
                    <div>{step.label}</div>
                    <div className="muted small">
                      {step.at ? formatInZone(step.at, tz) : (step.note ?? "not yet")}
                    </div>
                  </div>
                </li>
              ))}
            </ol>
            <div className="muted small mono">
              HLC {r.hlc} · seq {r.seq.toString()} · key {r.idempotencyKey}
            </div>
          </section>
          <section className="card wide">
            <h2>Items</h2>
            <table className="table">
              <thead>
                <tr>
                  <th>Item</th>
                  <th className="num">Price</th>
                  <th className="num">Quantity</th>
                  <th className="num">Sum</th>
                  <th>VAT</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((item, index) => (
                  // Items have no id of their own; their position on the receipt is their identity.
                  // biome-ignore lint/suspicious/noArrayIndexKey: position is the item's identity
                  <tr key={index}>
                    <td>{item.name}</td>
                    <td className="num">{formatKopecks(item.price)}</td>
                    <td className="num">
                      {item.quantity} {item.unit ?? ""}
                    </td>
                    <td className="num">{formatKopecks(item.sum)}</td>
                    <td>{item.vat ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Payments</h2>
            <table className="table">
              <tbody>
                {r.payments.map((p, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: payments have no id; order is identity
                  <tr key={index}>
                    <td className="capitalize">{p.type}</td>
                    <td className="num">{formatKopecks(p.amount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
    </>
  );
}

/** While the confirmation is not known: what the till last said about its FN's OFD backlog. */
function ofdNote(
  backlog: { unsentCount: number; oldestUnsentAt: Date | null; measuredAt: Date } | null,
  tz: string,
): string {
  if (!backlog) return "the till has not reported its OFD backlog yet";
  const asOf = `as of ${formatInZone(backlog.measuredAt, tz)}`;
  if (backlog.unsentCount === 0) return `the till reports no documents awaiting the OFD (${asOf})`;
  const oldest = backlog.oldestUnsentAt ? `, oldest from ${formatInZone(backlog.oldestUnsentAt, tz)}` : "";
  return `the till reports ${backlog.unsentCount} documents awaiting the OFD${oldest} (${asOf})`;
}
