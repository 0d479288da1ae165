import { createParser, parseAsString } from "nuqs/server";

// URL state of DataTable lists, shared by the server (a page's prefetch reads the same parameters
// through nuqs' createLoader) and the client (useQueryState). nuqs/server holds no server-only code.

export interface TableSort<TColumn extends string = string> {
  id: TColumn;
  desc: boolean;
}

/**
 * `?sort=lastSync.desc`: one sortable column and its direction. Only the given column ids parse;
 * anything else (an old link, a typo) reads as "no sort in the URL", i.e. the list's default.
 */
export function parseAsSort<const TColumn extends string>(columns: readonly TColumn[]) {
  return createParser<TableSort<TColumn>>({
    parse: (value) => {
      const match = /^(.+)\.(asc|desc)$/.exec(value);
      const id = match?.[1];
      if (!id || !(columns as readonly string[]).includes(id)) return null;
      return { id: id as TColumn, desc: match?.[2] === "desc" };
    },
    serialize: (sort) => `${sort.id}.${sort.desc ? "desc" : "asc"}`,
    eq: (a, b) => a.id === b.id && a.desc === b.desc,
  });
}

/** `?cursor=…`: an opaque server cursor (cursor pagination); absent = the first page. */
export const parseAsCursor = parseAsString;

/** `?page=3` is 1-based in the URL for people; DataTable's page pagination is 0-based. */
export { parseAsIndex as parseAsPageIndex } from "nuqs/server";
