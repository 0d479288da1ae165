import { Ban, CircleAlert, CircleCheck, CircleDashed, Wifi, WifiOff } from "lucide-react";

/**
 * The till's state on Fleet: retired, offline, online with receipts its KKT refused (they need
 * support on the till: never shown as plain "Online"), or online.
 */
export function OnlineBadge({
  online,
  retired,
  needsAttention = 0,
}: {
  online: boolean;
  retired?: boolean;
  needsAttention?: number;
}) {
  if (retired) return <span className="badge neutral">Retired</span>;
  if (online && needsAttention > 0) {
    return (
      <span
        className="badge danger"
        title={`${needsAttention} receipt(s) refused by the KKT for their content: void them on the till (kassa-agent receipts attention)`}
      >
        <CircleAlert size={13} aria-hidden /> Needs attention · {needsAttention}
      </span>
    );
  }
  return online ? (
    <span className="badge ok">
      <Wifi size={13} aria-hidden /> Online
    </span>
  ) : (
    <span className="badge warn">
      <WifiOff size={13} aria-hidden /> Offline
    </span>
  );
}

export function ReceiptStatusBadge({
  status,
}: {
  status: "accepted" | "fiscalized" | "needs_attention" | "voided";
}) {
  if (status === "needs_attention") {
    return (
      <span className="badge danger" title="The KKT refused this receipt for its content: it will not print">
        <CircleAlert size={13} aria-hidden /> Refused by KKT
      </span>
    );
  }
  if (status === "voided") {
    return (
      <span className="badge neutral" title="Voided by support on the till: no fiscal document exists">
        <Ban size={13} aria-hidden /> Voided
      </span>
    );
  }
  return status === "fiscalized" ? (
    <span className="badge ok">
      <CircleCheck size={13} aria-hidden /> Fiscalized
    </span>
  ) : (
    <span className="badge warn">
      <CircleDashed size={13} aria-hidden /> Awaiting KKT
    </span>
  );
}

const BREAKER_CLASS: Record<string, string> = {
  closed: "ok",
  half_open: "warn",
  open: "danger",
  isolated: "danger",
};

/** One badge per destination: "central closed", "ofd open"… */
export function BreakerBadges({
  breakers,
}: {
  breakers: { destination: string; state: string; cause: string }[];
}) {
  if (breakers.length === 0) return <span className="muted">—</span>;
  return (
    <span className="badges">
      {breakers.map((b) => (
        <span
          key={b.destination}
          className={`badge ${BREAKER_CLASS[b.state] ?? "neutral"}`}
          title={`${b.destination}: ${b.state.replace("_", "-")} (${b.cause})`}
        >
          {b.destination} {b.state.replace("_", "-")}
        </span>
      ))}
    </span>
  );
}

/** FN documents not yet confirmed by the OFD, and the days left before the 30-day block. */
export function FnBacklog({ fn }: { fn: { unsentCount: number | null; daysLeft: number | null } }) {
  if (fn.unsentCount === null) return <span className="muted">—</span>;
  if (fn.unsentCount === 0) return <span>0</span>;
  const tone =
    fn.daysLeft === null ? "neutral" : fn.daysLeft <= 3 ? "danger" : fn.daysLeft <= 10 ? "warn" : "ok";
  return (
    <span>
      {fn.unsentCount}{" "}
      {fn.daysLeft !== null && (
        <span className={`badge ${tone}`} title="Days until the FN blocks for lack of OFD confirmation">
          {fn.daysLeft < 0 ? "blocked" : `${fn.daysLeft} d left`}
        </span>
      )}
    </span>
  );
}
