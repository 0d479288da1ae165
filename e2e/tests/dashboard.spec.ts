import type { Page } from "@playwright/test";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./a11y.ts";
import { type E2eStack, expect, test } from "./fixtures.ts";

/**
 * 900000 kopecks as the dashboard shows them: Russian "9 000,00 ₽" (groups and the sign separated
 * by (narrow) no-break spaces), English "₽9,000.00".
 */
function roublesPattern(kopecks: number, locale: "en" | "ru" = "en"): RegExp {
  const group = locale === "ru" ? "\\s" : ",";
  const whole = Math.floor(kopecks / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const cents = String(kopecks % 100).padStart(2, "0");
  return locale === "ru" ? new RegExp(`^${whole},${cents}\\s₽$`) : new RegExp(`^₽${whole}\\.${cents}$`);
}

async function signIn(page: Page, stack: E2eStack, password = stack.ownerPassword) {
  await page.goto(`${stack.url}/login`);
  await page.getByLabel("Email").fill(stack.ownerEmail);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("an unauthenticated visitor is sent to the sign-in page", async ({ page, stack }) => {
  await page.goto(`${stack.url}/`);
  await expect(page).toHaveURL(`${stack.url}/login`);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("a wrong password is refused with a clear message", async ({ page, stack }) => {
  await signIn(page, stack, "not-the-password");
  await expect(page.getByText("The email or password is wrong")).toBeVisible();
  await expect(page).toHaveURL(`${stack.url}/login`);
});

test("the owner sees the terminal and its synced receipt with amount and fiscal number", async ({
  page,
  stack,
}) => {
  await signIn(page, stack);
  await expect(page).toHaveURL(`${stack.url}/`);

  const fleet = page.getByTestId("fleet-table");
  const terminalRow = fleet.getByRole("row").filter({ hasText: stack.terminalId });
  await expect(terminalRow).toContainText("Till 1");
  await expect(terminalRow.getByTestId("health-badge")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "fleet");

  await terminalRow.getByRole("link", { name: "Till 1" }).click();
  await expect(page).toHaveURL(`${stack.url}/terminals/${stack.terminalId}`);
  const receiptRow = page
    .getByTestId("receipts-table")
    .getByRole("row")
    .filter({ hasText: stack.receipt.id });
  await expect(receiptRow.getByTestId("receipt-total")).toHaveText(roublesPattern(stack.receipt.total));
  expect(stack.receipt.fdNumber, "the agent fiscalized the sample receipt").not.toBeNull();
  await expect(
    receiptRow.getByTestId("receipt-fd"),
    "the FD number reaches the dashboard once the agent's receipt_fiscalized item is ingested (see the fleet's DLQ column if not)",
  ).toHaveText(String(stack.receipt.fdNumber));
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "terminal");

  await receiptRow.getByRole("link", { name: stack.receipt.id }).click();
  await expect(page.getByTestId("detail-total")).toHaveText(roublesPattern(stack.receipt.total));
  await expect(page.getByTestId("detail-fd")).toHaveText(String(stack.receipt.fdNumber));
  await expect(page.getByText("Received centrally")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "receipt");
});

test("Fleet sorts through a keyboard-operable header and keeps the sort in the URL", async ({
  page,
  stack,
}) => {
  await signIn(page, stack);
  await expect(page).toHaveURL(`${stack.url}/`);
  const header = page.getByTestId("fleet-table").getByRole("columnheader", { name: "Terminal" });
  await expect(header).toHaveAttribute("aria-sort", "none");
  await header.getByRole("button").focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]sort=terminal\.asc/);
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]sort=terminal\.desc/);
  await page.reload();
  await expect(
    page.getByTestId("fleet-table").getByRole("columnheader", { name: "Terminal" }),
  ).toHaveAttribute("aria-sort", "descending");
});

test("the dashboard speaks Russian: headings, Russian money format, every section reachable", async ({
  page,
  stack,
}) => {
  await signIn(page, stack);
  await expect(page).toHaveURL(`${stack.url}/`);
  // The switcher sets the kassa-locale cookie and re-renders in place: same URL, Russian text.
  await page.getByTestId("locale-switcher").selectOption("ru");
  await expect(page.getByRole("heading", { level: 1, name: "Кассы" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  expect((await page.context().cookies()).find((c) => c.name === "kassa-locale")?.value).toBe("ru");
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "fleet.ru");

  await page.goto(`${stack.url}/terminals/${stack.terminalId}`);
  await expect(page.getByRole("heading", { level: 2, name: "Чеки", exact: true })).toBeVisible();
  const receiptRow = page
    .getByTestId("receipts-table")
    .getByRole("row")
    .filter({ hasText: stack.receipt.id });
  await expect(receiptRow.getByTestId("receipt-total")).toHaveText(roublesPattern(stack.receipt.total, "ru"));
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "terminal.ru");

  await page.goto(`${stack.url}/receipts`);
  await expect(page.getByRole("heading", { level: 1, name: "Чеки", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Найти" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "receipts.ru");

  await page.goto(`${stack.url}/receipts/${stack.terminalId}/${stack.receipt.id}`);
  await expect(page.getByText("Получен центром")).toBeVisible();
  await expect(page.getByTestId("detail-total")).toHaveText(roublesPattern(stack.receipt.total, "ru"));
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "receipt.ru");

  // Every section is reachable in Russian (their own specs test their flows).
  for (const [path, heading] of [
    ["/dlq", "DLQ"],
    ["/breakers", "Предохранители"],
    ["/cash", "Наличные"],
  ] as const) {
    await page.goto(`${stack.url}${path}`);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  }

  // Back to English for the tests after this one (the cookie outlives the session).
  await page.getByTestId("locale-switcher").selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Cash" })).toBeVisible();
});

test("signing out ends the session: the dashboard asks to sign in again", async ({ page, stack }) => {
  await signIn(page, stack);
  await expect(page).toHaveURL(`${stack.url}/`);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${stack.url}/login`);
  await page.goto(`${stack.url}/receipts`);
  await expect(page).toHaveURL(`${stack.url}/login`);
});

test("the receipts search filters through the URL", async ({ page, stack }) => {
  await signIn(page, stack);
  await expect(page).toHaveURL(`${stack.url}/`);
  await page.goto(`${stack.url}/receipts?terminalId=${stack.terminalId}`);
  const table = page.getByTestId("receipts-table");
  await expect(table.getByRole("row").filter({ hasText: stack.receipt.id })).toContainText("Till 1");
  await page.getByLabel("FD №").fill("999999");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/fdNumber=999999/);
  await expect(table).toContainText("No receipts match");
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(page).toHaveURL(`${stack.url}/receipts`);
  await expect(table.getByRole("row").filter({ hasText: stack.receipt.id })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "receipts");
});
