"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Suspense } from "react";
import { DataTableSkeleton } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { ReceiptsTable } from "~/components/receipts-table.tsx";
import { BreakerBadges, FnBacklog, HealthBadge, HealthReasons } from "~/components/status-badge.tsx";
import { BackLink, Card, Fact, Facts, Muted } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { TerminalSections } from "./terminal-sections.tsx";

/** The terminal page is a live view of one till: its facts, what is wrong, and its receipts. */
const REFRESH_MS = 5_000;

export function TerminalView({ terminalId }: { terminalId: string }) {
  const trpc = useTRPC();
  const t = useTranslations("terminal");
  const common = useTranslations("common");
  const family = useTranslations("registerFamily");
  const format = useFormat();
  const { data: terminal } = useSuspenseQuery(
    trpc.dashboard.terminals.get.queryOptions({ terminalId }, { refetchInterval: REFRESH_MS }),
  );
  const tz = terminal.store.timezone;
  const device = terminal.device;
  return (
    <>
      <PageHeader
        back={<BackLink href="/">{t("backToFleet")}</BackLink>}
        title={
          <>
            {terminal.name} <HealthBadge terminal={terminal} />
          </>
        }
        intro={<Muted mono>{terminalId}</Muted>}
      />
      <Facts>
        <Fact label={t("store")}>{terminal.store.name}</Fact>
        <Fact label={t("lastSync")}>
          {format.age(terminal.lastSyncAt, terminal.window.to)}
          <Muted block>{format.dateTime(terminal.lastSyncAt, tz)}</Muted>
        </Fact>
        <Fact label={t("receiptsDelivered")}>{format.number(terminal.receiptsCount)}</Fact>
        <Fact label={t("lastReceipt")}>{format.dateTime(terminal.lastReceiptAt, tz)}</Fact>
        <Fact label={t("pending")}>{format.number(terminal.pending)}</Fact>
        <Fact label={t("bufferFill")}>
          {terminal.bufferFillPercent === null
            ? common("dash")
            : `${format.number(terminal.bufferFillPercent)} %`}
        </Fact>
        <Fact label={t("dlqPending")}>{format.number(terminal.dlqPending)}</Fact>
        <Fact label={t("breakers")}>
          <BreakerBadges breakers={terminal.breakers} />
        </Fact>
        <Fact label={t("fnBacklog")}>
          <FnBacklog fn={terminal.fn} />
        </Fact>
        <Fact label={t("clockSkew")}>{format.skew(terminal.clockSkewMs)}</Fact>
        <Fact label={t("timezone")}>{tz}</Fact>
        <Fact label={t("device")}>
          {device
            ? t("deviceState", {
                connected: String(device.connected),
                paper: String(device.paper),
                mode: device.mode,
              })
            : common("dash")}
        </Fact>
        <Fact label={family("label")}>
          {terminal.register.family ? family(`family.${terminal.register.family}`) : common("dash")}
        </Fact>
        <Fact label={t("model")}>{terminal.register.model ?? common("dash")}</Fact>
        <Fact label={t("fnNumber")}>{terminal.register.fnNumber ?? common("dash")}</Fact>
        <Fact label={t("firmware")}>{terminal.register.firmware ?? common("dash")}</Fact>
      </Facts>
      <Card title={t("health")}>
        {terminal.reasons.some((r) => r.code !== "offline") ? (
          <HealthReasons reasons={terminal.reasons} />
        ) : (
          <p>{t("allGood")}</p>
        )}
      </Card>
      <TerminalSections terminal={terminal} />
      <h2>{t("receipts")}</h2>
      <Suspense fallback={<DataTableSkeleton caption={t("receiptsCaption")} columns={7} />}>
        <ReceiptsTable
          filter={{ terminalId }}
          caption={t("receiptsCaption")}
          showTerminal={false}
          refetchInterval={REFRESH_MS}
        />
      </Suspense>
    </>
  );
}
