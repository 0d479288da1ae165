import { expect, it } from "vitest";
import { ConfigError, parseConfig } from "./env.ts";

const base = { KASSA_TERMINAL_ID: "till-1", KASSA_API_TOKEN: "0123456789abcdef" };

it("defaults to Shtrih-M: KASSA_KKT_KIND unset is shtrih, no ATOL address", () => {
  const config = parseConfig({ ...base, KASSA_KKT_PORT: "/dev/ttyUSB0" });
  expect(config).toMatchObject({ kktKind: "shtrih", atol: null });
});

it("KASSA_KKT_KIND=atol with the driver's web server needs no serial port", () => {
  const config = parseConfig({ ...base, KASSA_KKT_KIND: "atol", KASSA_ATOL_URL: "http://127.0.0.1:16732" });
  expect(config).toMatchObject({ kktKind: "atol", atol: { url: "http://127.0.0.1:16732" } });
});

it("KASSA_KKT_KIND=atol with KASSA_KKT_EMULATOR=1 runs the in-process ATOL emulator", () => {
  expect(parseConfig({ ...base, KASSA_KKT_KIND: "atol", KASSA_KKT_EMULATOR: "1" })).toMatchObject({
    kktKind: "atol",
    atol: null,
    kkt: { emulator: true },
  });
});

it.each([
  [{ KASSA_KKT_KIND: "atol" }, /^KASSA_ATOL_URL is required with KASSA_KKT_KIND=atol/],
  [
    { KASSA_KKT_KIND: "atol", KASSA_ATOL_URL: "not a url" },
    /^KASSA_ATOL_URL must be the ATOL driver's web server/,
  ],
  [{ KASSA_KKT_KIND: "evotor", KASSA_KKT_PORT: "/dev/ttyUSB0" }, /^KASSA_KKT_KIND must be shtrih .* or atol/],
  [
    {
      KASSA_KKT_KIND: "atol",
      KASSA_ATOL_URL: "http://127.0.0.1:16732",
      KASSA_OFD_ADDRESS: "ofd.example.ru:7777",
    },
    /^KASSA_OFD_ADDRESS must be unset with KASSA_KKT_KIND=atol/,
  ],
])("refuses %j with one line saying what to set", (env, message) => {
  expect(() => parseConfig({ ...base, ...env })).toThrow(ConfigError);
  expect(() => parseConfig({ ...base, ...env })).toThrow(message);
});
