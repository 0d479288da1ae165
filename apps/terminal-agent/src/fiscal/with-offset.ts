/**
 * The register keeps local time without a zone (Shtrih-M, FFD tag 1012); the API promises ISO-8601
 * with an offset, so the till's own offset is added — the register's clock is set to the till's zone.
 * Every register time that leaves the agent (receipt and Z report attributes, the FN's oldest unsent document) goes through here.
 */
export function withOffset(dateTime: string): string {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(dateTime)) return dateTime;
  const minutes = -new Date(dateTime).getTimezoneOffset();
  if (Number.isNaN(minutes)) return dateTime;
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `${dateTime}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
