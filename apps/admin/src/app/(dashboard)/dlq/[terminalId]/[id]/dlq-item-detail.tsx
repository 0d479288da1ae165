"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { RotateCcw, Trash2 } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge, buttonClass, Card, Fact, Facts, Mono, Muted } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "../../dlq.module.css";
import { ConfirmAction } from "../../dlq-view.tsx";

/** One DLQ item: why it died, its payload, its error history, and every command and audit row on it. */
export function DlqItemDetail({ itemKey }: { itemKey: { terminalId: string; id: string } }) {
  const trpc = useTRPC();
  const t = useTranslations("dlq");
  const format = useFormat();
  const { data: item } = useSuspenseQuery(trpc.dashboard.dlq.get.queryOptions(itemKey));
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const [action, setAction] = useState<"retry" | "discard" | null>(null);
  const role = me.memberships.find((m) => m.organizationId === item.organizationId)?.role;
  const mayAct = (role === "owner" || role === "support") && item.state === "pending";
  const zone = me.stores.find((s) => s.id === item.storeId)?.timezone ?? "Europe/Moscow";
  return (
    <>
      <Card title={t("detail.summary")}>
        <Facts>
          <Fact label={t("items.columns.terminal")}>
            <Link href={`/terminals/${item.terminalId}`}>{item.terminalName}</Link> · {item.storeName}
          </Fact>
          <Fact label={t("items.columns.kind")}>{item.kind}</Fact>
          <Fact label={t("items.columns.item")}>
            <Mono>{item.itemId}</Mono>
          </Fact>
          <Fact label={t("items.columns.state")} testId="dlq-item-state">
            {t("filters.states", { state: item.state })}
          </Fact>
          <Fact label={t("items.columns.error")}>
            <Mono>{item.errorCode}</Mono> <Muted block>{item.reason}</Muted>
          </Fact>
          <Fact label={t("items.columns.attempts")}>{format.number(item.attempts)}</Fact>
          <Fact label={t("items.columns.deadAt")}>{format.dateTime(item.deadAt, zone)}</Fact>
          {item.discardReason && <Fact label={t("detail.discardReason")}>{item.discardReason}</Fact>}
        </Facts>
        {mayAct && (
          <div className={styles.actions}>
            <button type="button" className={buttonClass.base} onClick={() => setAction("retry")}>
              <RotateCcw size={15} aria-hidden /> {t("detail.retry")}
            </button>
            <button type="button" className={buttonClass.base} onClick={() => setAction("discard")}>
              <Trash2 size={15} aria-hidden /> {t("detail.discard")}
            </button>
          </div>
        )}
      </Card>
      <Card title={t("detail.payload", { bytes: item.payload.bytes, json: String(item.payload.isJson) })}>
        <pre className={styles.payload} data-testid="dlq-payload">
          {item.payload.pretty}
        </pre>
      </Card>
      <Card title={t("detail.errors")}>
        {item.errors.length === 0 ? (
          <Muted>{t("detail.noErrors")}</Muted>
        ) : (
          <ol className={styles.history}>
            {item.errors.map((e) => (
              <li key={`${e.attempt}-${e.at}`}>
                {t("detail.attempt", { attempt: e.attempt })} · {format.dateTime(new Date(e.at), zone)} —{" "}
                {e.message}
              </li>
            ))}
          </ol>
        )}
      </Card>
      <Card title={t("detail.commands")}>
        {item.commands.length === 0 ? (
          <Muted>{t("command.none")}</Muted>
        ) : (
          <ol className={styles.history}>
            {item.commands.map((c) => (
              <li key={c.id}>
                <Badge tone={c.state === "applied" ? "ok" : c.state === "failed" ? "danger" : "warn"}>
                  {t("command.state", { action: c.action, state: c.state })}
                </Badge>{" "}
                {t("detail.issued", { by: c.issuedBy, at: format.dateTime(c.issuedAt, zone) })}
                {c.deliveredAt && ` · ${t("detail.delivered", { at: format.dateTime(c.deliveredAt, zone) })}`}
                {c.ackedAt && ` · ${t("detail.acked", { at: format.dateTime(c.ackedAt, zone) })}`}
              </li>
            ))}
          </ol>
        )}
      </Card>
      <Card title={t("detail.audit")}>
        {item.audit.length === 0 ? (
          <Muted>{t("audit.empty")}</Muted>
        ) : (
          <ol className={styles.history}>
            {item.audit.map((a) => (
              <li key={`${a.commandId}-${a.event}`}>
                {format.dateTime(a.at, zone)} · {a.actor} · <Mono>{a.event}</Mono>
                {a.reason && ` — ${a.reason}`}
              </li>
            ))}
          </ol>
        )}
      </Card>
      {action && (
        <ConfirmAction
          pending={{
            action,
            organizationId: item.organizationId,
            selection: { type: "items", items: [{ terminalId: item.terminalId, id: item.id }] },
          }}
          onClose={() => setAction(null)}
        />
      )}
    </>
  );
}
