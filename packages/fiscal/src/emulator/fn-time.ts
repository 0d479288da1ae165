import { type DeviceDateTime, dateTimeToIso, dateToDeviceDateTime } from "../shtrih/binary.ts";

/**
 * The FN and the KKT keep local wall-clock time without a zone (FFD UnixTime fields carry it as if
 * it were UTC: see ffd/ffd-time.ts).
 */
export function deviceIso(date: Date): string {
  return dateTimeToIso(dateToDeviceDateTime(date));
}

/** Wall-clock ISO (no zone) → the device's date-time fields. */
export function isoToDevice(iso: string): DeviceDateTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  if (!m) throw new TypeError(`"${iso}" is not a device date-time (YYYY-MM-DDThh:mm:ss)`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return { year: y!, month: mo!, day: d!, hour: h!, minute: mi!, second: s! };
}

export const ZERO_DEVICE_TIME: DeviceDateTime = {
  year: 2000,
  month: 0,
  day: 0,
  hour: 0,
  minute: 0,
  second: 0,
};
