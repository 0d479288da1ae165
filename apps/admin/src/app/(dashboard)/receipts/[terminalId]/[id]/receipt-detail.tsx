"use client";

import type { TReceiptDetail } from "@kassa/api/central/dashboard";
import { useSuspenseQuery } from "@tanstack/react-query";
import { Check, Circle } from "lucide-react";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTable, dataTableColumns } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { ReceiptStatusBadge } from "~/components/status-badge.tsx";
import { BackLink, Card, Fact, Facts, Mono, Muted, Strong } from "~/components/ui.tsx";
import type { Formatter } from "~/lib/format.ts";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "./receipt-detail.module.css";

type Item = TReceiptDetail["items"][number] & { position: number };
type Payment = TReceiptDetail["payments"][number] & { position: number };

function itemColumns(
  t: ReturnType<typeof useTranslations<"receipts.detail">>,
  format: Formatter,
  dash: string,
) {
  const column = dataTableColumns<Item>();
  return [
    column.accessor("name", { header: t("item") }),
    column.accessor("price", {
      header: t("price"),
      meta: { numeric: true },
      cell: ({ row }) => format.money(row.original.price),
    }),
    column.accessor("quantity", {
      header: t("quantity"),
      meta: { numeric: true },
      cell: ({ row }) => `${format.number(row.original.quantity)} ${row.original.unit ?? ""}`.trim(),
    }),
    column.accessor("sum", {
      header: t("sum"),
      meta: { numeric: true },
      cell: ({ row }) => format.money(row.original.sum),
    }),
    column.accessor("vat", { header: t("vat"), cell: ({ row }) => row.original.vat ?? dash }),
  ];
}

function paymentColumns(
  t: ReturnType<typeof useTranslations<"receipts.detail">>,
  common: ReturnType<typeof useTranslations<"common">>,
  format: Formatter,
) {
  const column = dataTableColumns<Payment>();
  return [
    column.accessor("type", {
      header: t("paymentType"),
      cell: ({ row }) => common("payment", { type: row.original.type }),
    }),
    column.accessor("amount", {
      header: t("amount"),
      meta: { numeric: true },
      cell: ({ row }) => format.money(row.original.amount),
    }),
  ];
}

export function ReceiptDetail({ terminalId, receiptId }: { terminalId: string; receiptId: string }) {
  const trpc = useTRPC();
  const t = useTranslations("receipts.detail");
  const common = useTranslations("common");
  const format = useFormat();
  const { data: r } = useSuspenseQuery(trpc.dashboard.receipts.get.queryOptions({ terminalId, receiptId }));
  const tz = r.timezone;
  const items = useMemo(() => itemColumns(t, format, common("dash")), [t, format, common]);
  const payments = useMemo(() => paymentColumns(t, common, format), [t, common, format]);
  const steps = [
    { key: "accepted", label: t("accepted"), at: r.lineage.acceptedAt, note: null },
    { key: "fiscalized", label: t("fiscalized"), at: r.lineage.fiscalizedAt, note: null },
    { key: "central", label: t("receivedCentrally"), at: r.lineage.receivedCentrallyAt, note: null },
    {
      key: "ofd",
      label: t("ofdConfirmed"),
      at: r.lineage.ofdConfirmedAt,
      note: ofdNote(r.lineage.ofdBacklog, (date) => format.dateTime(date, tz), t),
    },
  ];
  return (
    <>
      <PageHeader
        back={<BackLink href={`/terminals/${terminalId}`}>{r.terminalName}</BackLink>}
        title={
          <>
            {t("title")} <ReceiptStatusBadge status={r.status} />
          </>
        }
        intro={<Muted mono>{receiptId}</Muted>}
      />
      {r.attention && (
        <Card title={r.voided ? t("voidedTitle") : t("refusedTitle")} testId="receipt-attention">
          <p>
            <Mono>{r.attention.code}</Mono> · {r.attention.message}
          </p>
          <Muted block>{t("refusedAt", { at: format.dateTime(r.attention.at, tz) })}</Muted>
          {r.voided ? (
            <p data-testid="receipt-void">
              {t("voidedBy", {
                by: r.voided.by,
                at: format.dateTime(r.voided.at, tz),
                reason: r.voided.reason,
              })}
            </p>
          ) : (
            <Muted block>
              {t("refusedHint")} <Mono>kassa-agent receipts void {r.id} --reason …</Mono>
            </Muted>
          )}
        </Card>
      )}
      <div className={styles.grid}>
        <Card title={t("sale")}>
          <Facts compact>
            <Fact label={t("kind")}>{common("kind", { kind: r.kind })}</Fact>
            <Fact label={t("total")} testId="detail-total">
              <Strong>{format.money(r.total)}</Strong>
            </Fact>
            <Fact label={t("cashAndChange")}>
              {format.money(r.cashTotal)} · {format.money(r.change)}
            </Fact>
            <Fact label={t("cashier")}>
              {r.cashierName}
              {r.cashierInn && <Muted block>{t("inn", { inn: r.cashierInn })}</Muted>}
            </Fact>
            <Fact label={t("storeTerminal")}>
              {r.storeName} · {r.terminalName}
            </Fact>
            <Fact label={t("taxSystem")}>{r.taxSystem}</Fact>
          </Facts>
        </Card>
        <Card title={t("fiscal")}>
          <Facts compact>
            <Fact label={t("fdNumber")} testId="detail-fd">
              <Mono>{r.fdNumber ?? common("dash")}</Mono>
            </Fact>
            <Fact label={t("fiscalSign")}>
              <Mono>{r.fiscalSign ?? common("dash")}</Mono>
            </Fact>
            <Fact label={t("fnNumber")}>
              <Mono>{r.fnNumber ?? common("dash")}</Mono>
            </Fact>
            <Fact label={t("shift")}>{r.shiftNumber ?? common("dash")}</Fact>
          </Facts>
        </Card>
        <Card title={t("lineage")}>
          <ol className={styles.timeline}>
            {steps.map((step) => (
              <li key={step.key} className={step.at ? styles.done : styles.todo}>
                {step.at ? <Check size={14} aria-hidden /> : <Circle size={14} aria-hidden />}
                <div>
                  <div>{step.label}</div>
                  <Muted block>
                    {step.at ? format.dateTime(step.at, tz) : (step.note ?? common("notYet"))}
                  </Muted>
                </div>
              </li>
            ))}
          </ol>
          <Muted mono block>
            HLC {r.hlc} · seq {r.seq.toString()} · key {r.idempotencyKey}
          </Muted>
        </Card>
      </div>
      <h2>{t("items")}</h2>
      <DataTable
        caption={t("itemsCaption")}
        columns={items}
        // Items and payments have no id of their own; their position on the receipt is their identity.
        data={r.items.map((item, position) => ({ ...item, position }))}
        getRowId={(item) => String(item.position)}
        empty={common("dash")}
      />
      <h2>{t("payments")}</h2>
      <DataTable
        caption={t("paymentsCaption")}
        columns={payments}
        data={r.payments.map((payment, position) => ({ ...payment, position }))}
        getRowId={(payment) => String(payment.position)}
        empty={common("dash")}
      />
    </>
  );
}

/** While the confirmation is not known: what the till last said about its FN's OFD backlog. */
function ofdNote(
  backlog: TReceiptDetail["lineage"]["ofdBacklog"],
  at: (date: Date) => string,
  t: ReturnType<typeof useTranslations<"receipts.detail">>,
): string {
  if (!backlog) return t("ofdUnknown");
  const asOf = at(backlog.measuredAt);
  if (backlog.unsentCount === 0) return t("ofdNone", { at: asOf });
  return backlog.oldestUnsentAt
    ? t("ofdWaitingOldest", { count: backlog.unsentCount, oldest: at(backlog.oldestUnsentAt), at: asOf })
    : t("ofdWaiting", { count: backlog.unsentCount, at: asOf });
}
