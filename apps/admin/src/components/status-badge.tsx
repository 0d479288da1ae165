import { CircleCheck, CircleDashed, Wifi, WifiOff } from "lucide-react";

export function OnlineBadge({ online, retired }: { online: boolean; retired?: boolean }) {
  if (retired) return <span className="badge neutral">Retired</span>;
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

export function ReceiptStatusBadge({ status }: { status: "accepted" | "fiscalized" }) {
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
