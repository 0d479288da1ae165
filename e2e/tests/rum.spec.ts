import type { Page } from "@playwright/test";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./a11y.ts";
import { type E2eStack, expect, test } from "./fixtures.ts";

// Issue 11: a real Chromium page view measures itself with web-vitals, beacons on page hide to
// POST /api/rum, and the vitals arrive centrally — shown on the RUM page, which renders its
// chart, distribution and breakdowns in both languages.

async function signIn(page: Page, stack: E2eStack) {
  await page.goto(`${stack.url}/login`);
  await page.getByLabel("Email").fill(stack.ownerEmail);
  await page.getByLabel("Password").fill(stack.ownerPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${stack.url}/`);
}

test("a page view's web vitals arrive centrally and the RUM page shows them", async ({ page, stack }) => {
  // Waits for one fold of the fleet-wide histograms (≤ 15 s) on top of two page loads per language.
  test.setTimeout(120_000);
  await signIn(page, stack);
  await page.goto(`${stack.url}/receipts`);
  await expect(page.getByRole("heading", { level: 1, name: "Receipts" })).toBeVisible();
  // The page has painted (FCP) and an interaction happened (INP); then the tab is hidden — what a
  // cashier's switch to another tab does — which is when the reporter sends its beacon.
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByName("first-contentful-paint").length))
    .toBe(1);
  await page.getByRole("heading", { level: 1 }).click();
  const answered = page.waitForResponse(
    (r) => r.url().endsWith("/api/rum") && r.request().method() === "POST",
  );
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  // The central server took it (202: stored with the session's organization, no till).
  expect((await answered).status()).toBe(202);
  await page.goto(`${stack.url}/rum?metric=web_vital.TTFB`);

  // Fleet-wide views read the histograms the central schedule folds every 15 s: reload until then.
  const metrics = page.getByTestId("rum-metrics");
  await expect(async () => {
    await page.reload();
    await expect(metrics.getByRole("row").filter({ hasText: "Dashboard TTFB" })).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: 30_000 });
  await expect(metrics.getByRole("row").filter({ hasText: "Dashboard FCP" })).toBeVisible();
  // Web vitals are rated at p75 (good / needs improvement / poor).
  await expect(
    metrics.getByRole("row").filter({ hasText: "Dashboard FCP" }).getByTestId("rum-rating"),
  ).toHaveText(/Good|Needs improvement|Poor/);
  await expect(page.getByTestId("rum-series")).toBeVisible();
  await expect(page.getByTestId("rum-distribution")).toBeVisible();
  await expect(
    page.getByTestId("rum-tills").getByRole("row").filter({ hasText: "This dashboard" }),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "rum");

  await page.getByTestId("locale-switcher").selectOption("ru");
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await page.goto(`${stack.url}/rum?metric=web_vital.FCP`);
  await expect(
    page.getByRole("heading", { level: 1, name: "Мониторинг реальных пользователей" }),
  ).toBeVisible();
  await expect(
    page.getByTestId("rum-metrics").getByRole("row").filter({ hasText: "FCP панели" }),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "rum.ru");
  await page.getByTestId("locale-switcher").selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});
