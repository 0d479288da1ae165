import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { type E2eStack, expect, test } from "./fixtures.ts";

const SCREENSHOTS = join(import.meta.dirname, "..", "screenshots");
mkdirSync(SCREENSHOTS, { recursive: true });

/** 900000 kopecks → the dashboard's "9 000,00 ₽" (ru-RU groups with a narrow no-break space). */
function roublesPattern(kopecks: number): RegExp {
  const whole = Math.floor(kopecks / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, "\\s");
  return new RegExp(`${whole},${String(kopecks % 100).padStart(2, "0")}\\s₽`);
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
  await expect(terminalRow).toContainText("Online");
  await expect(terminalRow.getByRole("cell").nth(4)).toHaveText("1");
  await page.screenshot({ path: join(SCREENSHOTS, "fleet.png"), fullPage: true });

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
  await page.screenshot({ path: join(SCREENSHOTS, "terminal.png"), fullPage: true });

  await receiptRow.getByRole("link", { name: stack.receipt.id }).click();
  await expect(page.getByTestId("detail-total")).toHaveText(roublesPattern(stack.receipt.total));
  await expect(page.getByTestId("detail-fd")).toHaveText(String(stack.receipt.fdNumber));
  await expect(page.getByText("Received centrally")).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, "receipt.png"), fullPage: true });
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
  await page.screenshot({ path: join(SCREENSHOTS, "receipts.png"), fullPage: true });
});
