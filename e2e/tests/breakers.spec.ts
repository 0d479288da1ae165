import type { Page } from "@playwright/test";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./a11y.ts";
import { type E2eStack, expect, test } from "./fixtures.ts";

async function signIn(page: Page, stack: E2eStack) {
  await page.goto(`${stack.url}/login`);
  await page.getByLabel("Email").fill(stack.ownerEmail);
  await page.getByLabel("Password").fill(stack.ownerPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${stack.url}/`);
}

test("an OFD outage across three tills shows as correlated; one till's lone trip as local", async ({
  page,
  stack,
}) => {
  const seed = stack.cashBreakers;
  await signIn(page, stack);
  // A link to later pages of the incidents and lanes (fewer here: the last page is shown).
  await page.goto(`${stack.url}/breakers?incidents=3&lanes=2`);
  await expect(page.getByRole("heading", { level: 1, name: "Breakers" })).toBeVisible();

  const incidents = page.getByTestId("breaker-incidents");
  const outage = incidents.getByRole("row").filter({ hasText: "Outage" });
  await expect(outage).toHaveCount(1);
  await expect(outage).toContainText("OFD");
  for (const till of seed.outageTills) await expect(outage).toContainText(till);
  await expect(outage).toContainText("3 tills tripped within 60 s: the OFD itself was unreachable");
  await expect(outage).toContainText("OFD answered HTTP 503");

  const local = incidents.getByRole("row").filter({ hasText: "One till alone" });
  await expect(local).toContainText("Till 4");
  await expect(page.getByTestId("breaker-lanes")).toBeVisible();
  await expect(page.getByTestId("breaker-lanes").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "breakers");

  // One till's own timeline: open → half-open → closed on the OFD, with the failure that tripped it.
  await page.getByLabel("Till (timeline)").selectOption({ label: "Till 2 · Tverskaya 12" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/terminalId=/);
  // Applying the filters starts the lists on their first page again.
  expect(new URL(page.url()).searchParams.has("incidents")).toBe(false);
  expect(new URL(page.url()).searchParams.has("lanes")).toBe(false);
  const transitions = page.getByTestId("breaker-transitions");
  await expect(transitions.getByRole("row").filter({ hasText: "closed → open" })).toContainText("HTTP 503");
  await expect(transitions.getByRole("row").filter({ hasText: "half-open → closed" })).toHaveCount(1);
  await expect(page.getByTestId("breaker-timeline")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "breakers-till");

  await page.getByTestId("locale-switcher").selectOption("ru");
  // The switch sets the locale cookie and re-renders; navigate once it has.
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await page.goto(`${stack.url}/breakers`);
  await expect(page.getByRole("heading", { level: 1, name: "Предохранители" })).toBeVisible();
  await expect(
    page.getByTestId("breaker-incidents").getByRole("row").filter({ hasText: "Сбой" }),
  ).toHaveCount(1);
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "breakers.ru");
  await page.getByTestId("locale-switcher").selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Breakers" })).toBeVisible();
});
