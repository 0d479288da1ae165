import { describe, expect, it } from "vitest";
import { parseAsSort } from "./table-search-params.ts";

describe("parseAsSort", () => {
  const sort = parseAsSort(["name", "lastSync"]);

  it("reads and writes column.direction", () => {
    expect(sort.parse("lastSync.desc")).toEqual({ id: "lastSync", desc: true });
    expect(sort.parse("name.asc")).toEqual({ id: "name", desc: false });
    expect(sort.serialize({ id: "name", desc: true })).toBe("name.desc");
  });

  it("refuses unknown columns and directions, so a stale link falls back to the default", () => {
    expect(sort.parse("password.asc")).toBeNull();
    expect(sort.parse("name.up")).toBeNull();
    expect(sort.parse("name")).toBeNull();
    expect(sort.parse("")).toBeNull();
  });
});
