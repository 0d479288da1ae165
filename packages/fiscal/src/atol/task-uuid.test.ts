import { expect, it } from "vitest";
import { fiscalTaskUuid, uuidV5 } from "./task-uuid.ts";

it("is RFC 9562 UUIDv5 (the RFC's own example: DNS namespace, www.example.com)", () => {
  expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
    "2ed6657d-e927-568b-95e1-2665a8aea6a2",
  );
});

it("derives the same UUID for the same receipt and attempt, another for the next attempt", () => {
  const a = fiscalTaskUuid("0193f6a0-7c1e-7d2a-9b7e-3f4c5d6e7f80", 0);
  expect(fiscalTaskUuid("0193f6a0-7c1e-7d2a-9b7e-3f4c5d6e7f80", 0)).toBe(a);
  expect(fiscalTaskUuid("0193f6a0-7c1e-7d2a-9b7e-3f4c5d6e7f80", 1)).not.toBe(a);
  expect(fiscalTaskUuid("another", 0)).not.toBe(a);
  expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

it("refuses what is not a receipt id or an attempt", () => {
  expect(() => fiscalTaskUuid("", 0)).toThrow(TypeError);
  expect(() => fiscalTaskUuid("r", -1)).toThrow(TypeError);
  expect(() => uuidV5("x", "not-a-uuid")).toThrow(TypeError);
});
