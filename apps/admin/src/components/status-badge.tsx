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
