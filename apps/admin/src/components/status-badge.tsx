"use client";

import type { TTerminalView } from "@kassa/api/central/dashboard";
import { Ban, CircleAlert, CircleCheck, CircleDashed, Wifi, WifiOff } from "lucide-react";
import { useTranslations } from "next-intl";
import styles from "./ui.module.css";
import { Badge, Badges, type Tone } from "./ui.tsx";

/**
 * The till's state on Fleet: retired, offline, needing attention (never shown as plain "Online"
 * while something is wrong: the first reason says what), or online.
 */
export function HealthBadge({
  terminal,
}: {
  terminal: Pick<TTerminalView, "status" | "health" | "reasons" | "online">;
}) {
  const t = useTranslations("common.status");
  const reasons = useTranslations("fleet.reasons");
  if (terminal.status === "retired") return <Badge tone="neutral">{t("retired")}</Badge>;
  if (terminal.health === "attention") {
    const faults = terminal.reasons.filter((r) => r.code !== "offline" && r.code !== "no_status");
    return (
      <Badge
        tone="danger"
        title={faults.map((r) => reasons(r.code, { count: r.count ?? 0 })).join(" · ")}
        testId="health-badge"
      >
        <CircleAlert size={13} aria-hidden /> {t("needsAttention", { count: faults.length })}
      </Badge>
    );
  }
  return terminal.online ? (
    <Badge tone="ok" testId="health-badge">
      <Wifi size={13} aria-hidden /> {t("online")}
    </Badge>
  ) : (
    <Badge tone="warn" testId="health-badge">
      <WifiOff size={13} aria-hidden /> {t("offline")}
    </Badge>
  );
}

/** What is wrong with a till, most urgent first, in words (Fleet's status cell, the terminal page). */
export function HealthReasons({ reasons: list }: { reasons: TTerminalView["reasons"] }) {
  const reasons = useTranslations("fleet.reasons");
  const shown = list.filter((r) => r.code !== "offline");
  if (shown.length === 0) return null;
  return (
    <ul className={styles.reasons} data-testid="health-reasons">
      {shown.map((r) => (
        // "No status report yet" is not a fault (an agent that has not sent its first snapshot): grey.
        <li
          key={r.code}
          title={r.detail ?? undefined}
          className={r.code === "no_status" ? styles.info : undefined}
        >
          {reasons(r.code, { count: r.count ?? 0 })}
        </li>
      ))}
    </ul>
  );
}

export function ReceiptStatusBadge({
  status,
}: {
  status: "accepted" | "fiscalized" | "needs_attention" | "voided";
}) {
  const t = useTranslations("common.status");
  if (status === "needs_attention") {
    return (
      <Badge tone="danger" title={t("needs_attentionHint")}>
        <CircleAlert size={13} aria-hidden /> {t("needs_attention")}
      </Badge>
    );
  }
  if (status === "voided") {
    return (
      <Badge tone="neutral" title={t("voidedHint")}>
        <Ban size={13} aria-hidden /> {t("voided")}
      </Badge>
    );
  }
  return status === "fiscalized" ? (
    <Badge tone="ok">
      <CircleCheck size={13} aria-hidden /> {t("fiscalized")}
    </Badge>
  ) : (
    <Badge tone="warn">
      <CircleDashed size={13} aria-hidden /> {t("accepted")}
    </Badge>
  );
}

const BREAKER_TONE: Record<string, Tone> = {
  closed: "ok",
  half_open: "warn",
  open: "danger",
  isolated: "danger",
};

/** One badge per destination: "central closed", "OFD open"… */
export function BreakerBadges({ breakers }: { breakers: TTerminalView["breakers"] }) {
  const t = useTranslations("common.breaker");
  const common = useTranslations("common");
  if (breakers.length === 0) return <span>{common("dash")}</span>;
  return (
    <Badges>
      {breakers.map((b) => {
        const destination = t("destination", { destination: b.destination });
        const state = t("state", { state: b.state });
        return (
          <Badge
            key={b.destination}
            tone={BREAKER_TONE[b.state] ?? "neutral"}
            title={t("hint", { destination, state, cause: b.cause ?? common("dash") })}
          >
            {t("badge", { destination, state })}
          </Badge>
        );
      })}
    </Badges>
  );
}

/** FN documents not yet confirmed by the OFD, and the days left before the 30-day block. */
export function FnBacklog({ fn }: { fn: TTerminalView["fn"] }) {
  const t = useTranslations("common.fnBacklog");
  const common = useTranslations("common");
  if (fn.unsentCount === null) return <span>{common("dash")}</span>;
  if (fn.unsentCount === 0) return <span>0</span>;
  const tone: Tone =
    fn.level === "overdue"
      ? "danger"
      : fn.level === "warn"
        ? "warn"
        : fn.daysLeft === null
          ? "neutral"
          : "ok";
  return (
    <span>
      {fn.unsentCount}{" "}
      {fn.daysLeft !== null && (
        <Badge tone={tone} title={t("hint")}>
          {fn.daysLeft < 0 ? t("blocked") : t("daysLeft", { days: fn.daysLeft })}
        </Badge>
      )}
    </span>
  );
}
