"use client";

import type { TGetTerminalOutput } from "@kassa/api/central/dashboard";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { DataTable, dataTableColumns } from "~/components/data-table.tsx";
import { HealthReasons } from "~/components/status-badge.tsx";
import { Badge, Card, Muted } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";

type Terminal = TGetTerminalOutput;

/** The terminal page's last 24 h: status changes, breaker transitions, its shifts, correction receipts and DLQ items. */
export function TerminalSections({ terminal }: { terminal: Terminal }) {
  const t = useTranslations("terminal.sections");
  const format = useFormat();
  const tz = terminal.store.timezone;
  const when = (d: Date | null) => format.dateTime(d, tz);

  const history = dataTableColumns<Terminal["history"][number]>();
  const historyColumns = [
    history.accessor((h) => h.at.getTime(), {
      id: "at",
      header: t("at"),
      cell: ({ row }) => when(row.original.at),
    }),
    history.accessor((h) => h.reasons.length, {
      id: "state",
      header: t("state"),
      cell: ({ row }) =>
        row.original.reasons.length === 0 ? (
          <Badge tone="ok">{t("allGood")}</Badge>
        ) : (
          <HealthReasons reasons={row.original.reasons} />
        ),
    }),
    history.accessor("receiptsWaiting", { header: t("waiting"), meta: { numeric: true } }),
    history.accessor("dlqPending", { header: t("dlq"), meta: { numeric: true } }),
    history.accessor((h) => `${h.breakers.central} / ${h.breakers.ofd}`, {
      id: "breakers",
      header: t("breakers"),
    }),
  ];

  const shift = dataTableColumns<Terminal["shifts"][number]>();
  const shiftColumns = [
    shift.accessor((s) => s.number ?? 0, { id: "number", header: t("shiftNumber"), meta: { numeric: true } }),
    shift.accessor("status", {
      header: t("shiftStatus"),
      cell: ({ row }) => t(`shiftStatuses.${row.original.status === "open" ? "open" : "closed"}`),
    }),
    shift.accessor((s) => s.openedAt?.getTime() ?? 0, {
      id: "opened",
      header: t("opened"),
      cell: ({ row }) => when(row.original.openedAt),
    }),
    shift.accessor((s) => s.closedAt?.getTime() ?? 0, {
      id: "closed",
      header: t("closed"),
      cell: ({ row }) =>
        row.original.closedAt ? (
          when(row.original.closedAt)
        ) : (
          <Muted>{t("deadline", { at: when(row.original.expiresAt) })}</Muted>
        ),
    }),
    shift.accessor((s) => s.cashierName ?? "", { id: "cashier", header: t("cashier") }),
    shift.accessor((s) => Number(s.expectedCash ?? 0n), {
      id: "expected",
      header: t("expected"),
      meta: { numeric: true },
      cell: ({ row }) => format.money(row.original.expectedCash),
    }),
    shift.accessor((s) => Number(s.countedCash ?? 0n), {
      id: "counted",
      header: t("counted"),
      meta: { numeric: true },
      cell: ({ row }) => format.money(row.original.countedCash),
    }),
    shift.accessor((s) => Number(s.variance ?? 0n), {
      id: "variance",
      header: t("variance"),
      meta: { numeric: true },
      cell: ({ row }) => format.money(row.original.variance),
    }),
  ];

  const dlq = dataTableColumns<Terminal["dlq"][number]>();
  const dlqColumns = [
    dlq.accessor("itemKind", {
      header: t("kind"),
      cell: ({ row }) => (
        <Link href={`/dlq/${terminal.id}/${encodeURIComponent(row.original.id)}`}>
          {row.original.itemKind}
        </Link>
      ),
    }),
    dlq.accessor("status", { header: t("dlqStatus") }),
    dlq.accessor("reason", { header: t("reason") }),
    dlq.accessor("attempts", { header: t("attempts"), meta: { numeric: true } }),
    dlq.accessor((d) => d.updatedAt.getTime(), {
      id: "updated",
      header: t("at"),
      cell: ({ row }) => when(row.original.updatedAt),
    }),
  ];

  const correction = dataTableColumns<Terminal["corrections"][number]>();
  const correctionKinds = ["income", "income_return", "expense", "expense_return"];
  const correctionColumns = [
    correction.accessor((c) => c.acceptedAt?.getTime() ?? 0, {
      id: "at",
      header: t("at"),
      cell: ({ row }) => when(row.original.acceptedAt),
    }),
    correction.accessor("kind", {
      header: t("correctionKind"),
      cell: ({ row }) =>
        correctionKinds.includes(row.original.kind)
          ? t(`correctionKinds.${row.original.kind}` as "correctionKinds.income")
          : t("correctionKinds.other", { kind: row.original.kind }),
    }),
    correction.accessor("correctionType", {
      header: t("correctionBasis"),
      cell: ({ row }) =>
        row.original.correctionType === "instruction"
          ? t("correctionBasisOrder", {
              number: row.original.basisNumber ?? "",
              date: row.original.basisDate ?? "",
            })
          : t("correctionBasisSelf", { date: row.original.basisDate ?? "" }),
    }),
    correction.accessor((c) => c.total ?? 0, {
      id: "total",
      header: t("correctionTotal"),
      meta: { numeric: true },
      cell: ({ row }) => format.money(row.original.total === null ? null : BigInt(row.original.total)),
    }),
    correction.accessor((c) => c.cash ?? 0, {
      id: "cash",
      header: t("correctionCash"),
      meta: { numeric: true },
      cell: ({ row }) => format.money(row.original.cash === null ? null : BigInt(row.original.cash)),
    }),
    correction.accessor((c) => c.fdNumber ?? 0, {
      id: "fiscal",
      header: t("correctionFiscal"),
      cell: ({ row }) =>
        row.original.fdNumber === null ? (
          <Badge tone="warn">{t("correctionUnprinted")}</Badge>
        ) : (
          t("correctionFd", { fd: row.original.fdNumber, at: when(row.original.fiscalizedAt) })
        ),
    }),
  ];

  const breaker = dataTableColumns<Terminal["breakerTimeline"][number]>();
  const breakerColumns = [
    breaker.accessor((b) => b.at.getTime(), {
      id: "at",
      header: t("at"),
      cell: ({ row }) => when(row.original.at),
    }),
    breaker.accessor("destination", { header: t("destination") }),
    breaker.accessor((b) => `${b.from} → ${b.to}`, { id: "change", header: t("change") }),
    breaker.accessor("cause", { header: t("cause") }),
    breaker.accessor("failures", { header: t("failures"), meta: { numeric: true } }),
  ];

  return (
    <>
      <Card title={t("historyTitle")} wide testId="terminal-history">
        <DataTable
          caption={t("historyCaption")}
          columns={historyColumns}
          data={terminal.history}
          getRowId={(h) => String(h.at.getTime())}
          empty={t("historyEmpty")}
        />
      </Card>
      <Card title={t("breakersTitle")} wide testId="terminal-breakers">
        <DataTable
          caption={t("breakersCaption")}
          columns={breakerColumns}
          data={terminal.breakerTimeline}
          getRowId={(b) => `${b.destination}-${b.at.getTime()}-${b.to}`}
          empty={t("breakersEmpty")}
        />
      </Card>
      <Card title={t("shiftsTitle")} wide testId="terminal-shifts">
        <DataTable
          caption={t("shiftsCaption")}
          columns={shiftColumns}
          data={terminal.shifts}
          getRowId={(s) => s.id}
          empty={t("shiftsEmpty")}
        />
      </Card>
      <Card title={t("correctionsTitle")} wide testId="terminal-corrections">
        <DataTable
          caption={t("correctionsCaption")}
          columns={correctionColumns}
          data={terminal.corrections}
          getRowId={(c) => c.id}
          empty={t("correctionsEmpty")}
        />
      </Card>
      <Card title={t("dlqTitle")} wide testId="terminal-dlq">
        <DataTable
          caption={t("dlqCaption")}
          columns={dlqColumns}
          data={terminal.dlq}
          getRowId={(d) => d.id}
          empty={t("dlqEmpty")}
        />
      </Card>
      <Muted block>{t("window", { from: when(terminal.window.from), to: when(terminal.window.to) })}</Muted>
    </>
  );
}
