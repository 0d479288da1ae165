import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FilterBar, FilterInput, FilterNote, FilterSelect } from "./filter-bar.tsx";

const options = [
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
];

describe("FilterBar", () => {
  it("is a named form whose Apply and Clear are a submit and a reset button, extra actions after them", () => {
    const html = renderToStaticMarkup(
      <FilterBar
        label="Filters"
        state={{ range: "24h" }}
        applyLabel="Apply"
        clearLabel="Clear"
        onApply={() => {}}
        onClear={() => {}}
        actions={<a href="/x.csv">CSV</a>}
        footer={<FilterNote>Narrowed to shift 4</FilterNote>}
      >
        <FilterSelect label="Range" name="range" defaultValue="7d" options={options} />
      </FilterBar>,
    );
    expect(html).toMatch(/^<form[^>]* aria-label="Filters"/);
    const submit = html.indexOf('type="submit"');
    const reset = html.indexOf('type="reset"');
    const csv = html.indexOf("CSV");
    expect(submit).toBeGreaterThan(html.indexOf("</label>"));
    expect(reset).toBeGreaterThan(submit);
    expect(csv).toBeGreaterThan(reset);
    expect(html).toContain("Apply");
    expect(html).toContain("Clear");
    expect(html.indexOf("Narrowed to shift 4")).toBeGreaterThan(csv);
  });

  it("has no buttons when its fields apply as they change", () => {
    const html = renderToStaticMarkup(
      <FilterBar label="Audit filters">
        <FilterSelect
          label="Kind"
          name="kind"
          value=""
          onChange={() => {}}
          anyLabel="All"
          options={options}
        />
      </FilterBar>,
    );
    expect(html).not.toContain("<button");
  });
});

describe("FilterSelect and FilterInput", () => {
  it("label their field by wrapping it; anyLabel is the first option, meaning no filter", () => {
    const html = renderToStaticMarkup(
      <>
        <FilterSelect label="Range" name="range" defaultValue="" anyLabel="Any range" options={options} />
        <FilterInput label="From" name="dayFrom" type="date" defaultValue="2026-12-01" />
      </>,
    );
    expect(html).toContain(
      '<label>Range<select name="range"><option value="" selected="">Any range</option><option value="24h">Last 24 hours</option>',
    );
    expect(html).toContain('<label>From<input type="date" name="dayFrom" value="2026-12-01"/></label>');
  });

  it("reads an alert note out and lets a field point at it", () => {
    const html = renderToStaticMarkup(
      <FilterNote id="range-error" alert>
        From must be before To.
      </FilterNote>,
    );
    expect(html).toMatch(/<p id="range-error" class="[^"]+" role="alert">From must be before To\.<\/p>/);
  });
});
