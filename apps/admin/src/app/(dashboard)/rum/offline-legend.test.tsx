import { NextIntlClientProvider } from "next-intl";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import en from "../../../../messages/en.json";
import ru from "../../../../messages/ru.json";
import { OfflineLegend } from "./offline-legend.tsx";

// The RUM chart's offline legend (issue 11) counts every period in the window from the server's
// totals, not the merged bands it draws, and says when only the newest bands are drawn.

const render = (
  locale: "en" | "ru",
  shown: number,
  totals: { periods: number; tills: number; bands: number },
) =>
  renderToStaticMarkup(
    <NextIntlClientProvider locale={locale} messages={locale === "en" ? en : ru} timeZone="UTC">
      <OfflineLegend offline={Array.from({ length: shown })} totals={totals} />
    </NextIntlClientProvider>,
  ).replace(/\u00a0|\u202f/g, " ");

describe("OfflineLegend", () => {
  it("counts periods and tills from the totals, in both languages with Russian plurals", () => {
    expect(render("en", 0, { periods: 0, tills: 0, bands: 0 })).toBe("No offline periods");
    expect(render("en", 3, { periods: 7, tills: 1, bands: 3 })).toBe("7 offline periods on 1 till");
    expect(render("ru", 1, { periods: 1, tills: 1, bands: 1 })).toBe("1 период без связи на 1 кассе");
    expect(render("ru", 2, { periods: 22, tills: 2, bands: 2 })).toBe("22 периода без связи на 2 кассах");
    expect(render("ru", 2, { periods: 25, tills: 21, bands: 2 })).toBe("25 периодов без связи на 21 кассе");
  });

  it("says when the bands were capped to the newest", () => {
    expect(render("en", 500, { periods: 5712, tills: 440, bands: 812 })).toBe(
      "5,712 offline periods on 440 tills (latest 500 of 812 bands shown)",
    );
    expect(render("ru", 500, { periods: 5712, tills: 440, bands: 812 })).toBe(
      "5 712 периодов без связи на 440 кассах (показаны последние 500 из 812 интервалов)",
    );
  });
});
