import { NextIntlClientProvider } from "next-intl";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import en from "../../messages/en.json";
import { DataTable, DataTableSkeleton, dataTableColumns } from "./data-table.tsx";

interface Till {
  id: string;
  name: string;
  pending: number;
}

const column = dataTableColumns<Till>();
const columns = [
  column.accessor("name", { header: "Terminal" }),
  column.accessor("pending", { header: "Pending", meta: { numeric: true } }),
];
const tills: Till[] = [
  { id: "a", name: "Till B", pending: 3 },
  { id: "b", name: "Till A", pending: 12 },
];

function render(node: React.ReactNode): string {
  return renderToStaticMarkup(
    <NextIntlClientProvider locale="en" messages={en}>
      {node}
    </NextIntlClientProvider>,
  );
}

const rowsOf = (html: string) => [...html.matchAll(/<tr[^>]*><td[^>]*>([^<]*)</g)].map((m) => m[1]);

describe("DataTable", () => {
  it("names the table with a caption and marks the sorted column with aria-sort", () => {
    const html = render(
      <DataTable
        caption="Terminals"
        columns={columns}
        data={tills}
        getRowId={(t) => t.id}
        empty="none"
        sorting={{ sort: { id: "pending", desc: true }, onSortChange: () => {}, mode: "server" }}
      />,
    );
    expect(html).toContain("<caption");
    expect(html).toContain(">Terminals</caption>");
    expect(html).toMatch(/<th[^>]*aria-sort="descending"[^>]*><button type="button"[^>]*>Pending/);
    expect(html).toMatch(/<th[^>]*aria-sort="none"[^>]*><button type="button"[^>]*>Terminal/);
    expect(html).toContain("sorted descending");
    // Server mode trusts the server's order.
    expect(rowsOf(html)).toEqual(["Till B", "Till A"]);
  });

  it("sorts the rows itself in client mode", () => {
    const html = render(
      <DataTable
        caption="Terminals"
        columns={columns}
        data={tills}
        getRowId={(t) => t.id}
        empty="none"
        sorting={{ sort: { id: "name", desc: false }, onSortChange: () => {}, mode: "client" }}
      />,
    );
    expect(rowsOf(html)).toEqual(["Till A", "Till B"]);
  });

  it("shows one page of a list it holds whole, after sorting all of it", () => {
    const many: Till[] = Array.from({ length: 7 }, (_, i) => ({
      id: `t${i}`,
      name: `Till ${i}`,
      pending: i,
    }));
    const html = render(
      <DataTable
        caption="Terminals"
        columns={columns}
        data={many}
        getRowId={(t) => t.id}
        empty="none"
        sorting={{ sort: { id: "pending", desc: true }, onSortChange: () => {}, mode: "client" }}
        pagination={{ kind: "page", pageIndex: 1, pageCount: 3, pageSize: 3, onPageChange: () => {} }}
      />,
    );
    // The second page of the whole list by pending, descending: 6 5 4 | 3 2 1 | 0.
    expect(rowsOf(html)).toEqual(["Till 3", "Till 2", "Till 1"]);
    expect(html).toContain("<nav");
  });

  it("has plain headers without sorting, and an empty state spanning every column", () => {
    const html = render(
      <DataTable
        caption="Terminals"
        columns={columns}
        data={[]}
        getRowId={(t) => t.id}
        empty="No tills yet"
      />,
    );
    expect(html).not.toContain("aria-sort");
    expect(html).not.toContain("<button");
    expect(html).toMatch(/<td colspan="2"[^>]*>No tills yet<\/td>/i);
  });

  it("renders cursor pagination as a labelled nav, Previous disabled on the first page", () => {
    const html = render(
      <DataTable
        caption="Receipts"
        columns={columns}
        data={tills}
        getRowId={(t) => t.id}
        empty="none"
        pagination={{
          kind: "cursor",
          page: 1,
          hasPrevious: false,
          hasNext: true,
          onPrevious: () => {},
          onNext: () => {},
        }}
      />,
    );
    expect(html).toMatch(/<nav[^>]*aria-label="Pagination"/);
    expect(html).toMatch(/<button type="button"[^>]*disabled=""[^>]*>.*Previous/);
    expect(html).toContain("Page 1");
  });

  it("shows a busy skeleton while loading", () => {
    const html = render(<DataTableSkeleton caption="Loading…" columns={["A", "B", "C"]} rows={2} />);
    expect(html).toContain('aria-busy="true"');
    expect(html.match(/<tr>/g)?.length).toBe(3);
  });
});
