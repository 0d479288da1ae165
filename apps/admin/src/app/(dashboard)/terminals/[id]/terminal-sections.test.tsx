import type { TGetTerminalOutput } from "@kassa/api/central/dashboard";
import { NextIntlClientProvider } from "next-intl";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import en from "../../../../../messages/en.json";
import ru from "../../../../../messages/ru.json";
import { TerminalSections } from "./terminal-sections.tsx";

// The terminal page's correction receipts (issue 12): what they correct, their basis, their cash
// and their fiscal document, or that they have none yet.

const at = new Date("2026-11-22T07:00:00Z");
const terminal = {
  id: "till-1",
  store: { id: "s1", name: "Arbat 5", timezone: "Europe/Moscow" },
  window: { from: at, to: at },
  history: [],
  shifts: [],
  dlq: [],
  breakerTimeline: [],
  corrections: [
    {
      id: "c2",
      kind: "income_return",
      correctionType: "instruction",
      basisDate: "2026-11-20",
      basisNumber: "ПР-12",
      total: 11_980,
      cash: 5_000,
      shiftId: "sh1",
      acceptedAt: at,
      fdNumber: null,
      fnNumber: null,
      fiscalizedAt: null,
    },
    {
      id: "c1",
      kind: "income",
      correctionType: "self",
      basisDate: "2026-11-19",
      basisNumber: null,
      total: 2_500,
      cash: 2_500,
      shiftId: "sh1",
      acceptedAt: at,
      fdNumber: 17,
      fnNumber: "9999078900004312",
      fiscalizedAt: at,
    },
  ],
} as unknown as TGetTerminalOutput;

function render(locale: "en" | "ru"): string {
  const html = renderToStaticMarkup(
    <NextIntlClientProvider locale={locale} messages={locale === "en" ? en : ru} timeZone="UTC">
      <TerminalSections terminal={terminal} />
    </NextIntlClientProvider>,
  );
  const start = html.indexOf('data-testid="terminal-corrections"');
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('data-testid="terminal-dlq"')).replace(/<[^>]+>/g, " ");
}

describe("the terminal page's correction receipts", () => {
  it("lists each with what it corrects, its basis, its cash and its fiscal document (en)", () => {
    const text = render("en");
    expect(text).toContain("Correction receipts");
    expect(text).toContain("Return of income");
    expect(text).toContain("Tax authority order ПР-12 of 2026-11-20");
    expect(text).toContain("Own initiative, settlement of 2026-11-19");
    expect(text).toContain("Not fiscalized yet");
    expect(text).toMatch(/FD 17, /);
  });

  it("speaks Russian", () => {
    const text = render("ru");
    expect(text).toContain("Чеки коррекции");
    expect(text).toContain("Возврат прихода");
    expect(text).toContain("Предписание ПР-12 от 2026-11-20");
    expect(text).toContain("Ещё не фискализирован");
    expect(text).toMatch(/ФД 17, /);
  });
});
