import { decodeTime } from "ulid";
import { describe, expect, it } from "vitest";
import { newUlid } from "./ids.ts";

describe("newUlid", () => {
  it("is a valid ULID carrying the given time, sortable by time", () => {
    const id = newUlid(1_795_334_783_996);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(decodeTime(id)).toBe(1_795_334_783_996);
    expect(newUlid(1_795_334_783_997) > id).toBe(true);
  });

  it("does not repeat", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newUlid(0)));
    expect(ids.size).toBe(10_000);
  });
});
