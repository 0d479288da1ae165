import type { Page } from "@playwright/test";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./a11y.ts";
import { type E2eStack, expect, test } from "./fixtures.ts";

async function signInAsManager(page: Page, stack: E2eStack) {
  await page.goto(`${stack.url}/login`);
  await page.getByLabel("Email").fill(stack.cashBreakers.managerEmail);
  await page.getByLabel("Password").fill(stack.cashBreakers.managerPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${stack.url}/`);
}

test("a manager approves a variance above tolerance with a note; the provisional shift cannot be", async ({
  page,
  stack,
}) => {
  const seed = stack.cashBreakers;
  await signInAsManager(page, stack);
  await page.goto(`${stack.url}/cash?dayFrom=${seed.cashDay}&dayTo=${seed.cashDay}`);
  await expect(page.getByRole("heading", { level: 1, name: "Cash" })).toBeVisible();

  const shifts = page.getByTestId("cash-shifts-table");
  const short = shifts.getByRole("row").filter({ hasText: `shift ${seed.shortShift.number}` });
  await expect(short.getByTestId("cash-expected")).toHaveText("₽4,400.00");
  await expect(short).toContainText("-₽150.00");
  await expect(short.getByTestId("cash-state")).toHaveText(/Needs approval/);

  // The other shift is provisional: its missing receipt is named, and it cannot be approved yet.
  const provisional = shifts.getByRole("row").filter({ hasText: "shift 8" });
  await expect(provisional.getByTestId("cash-provisional")).toBeVisible();
  await expect(provisional.getByTestId("cash-missing")).toContainText("1 receipt not received (seq 3)");
  await expect(provisional.getByRole("button", { name: "Approve" })).toBeDisabled();

  // The store's day sums both shifts.
  await expect(page.getByTestId("cash-days-table")).toContainText("Tverskaya 12");
  await expectNoSeriousA11yViolations(page);

  await short.getByRole("button", { name: "Approve" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("beyond the tolerance of ±₽100.00");
  await dialog
    .getByLabel("Note (why the drawer differs)")
    .fill("Change given twice to one customer; cashier confirmed");
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("button", { name: "Approve" }).click();
  await expect(dialog).toBeHidden();

  await expect(short.getByTestId("cash-state")).toHaveText(/Approved/);
  await expect(short).toContainText("Approved by Petrova Maria");
  await expect(short).toContainText("Change given twice to one customer; cashier confirmed");
  await saveScreenshot(page, "cash");

  // The CSV carries the approval (same procedure, same session).
  const csv = await page.request.get(
    `${stack.url}/api/cash/export?dayFrom=${seed.cashDay}&dayTo=${seed.cashDay}`,
  );
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-disposition"]).toContain(`kassa-cash-${seed.cashDay}_${seed.cashDay}.csv`);
  const text = await csv.text();
  expect(text).toContain(",4400.00,4250.00,-150.00,100.00,approved,no,0,Petrova Maria,");

  // And in Russian.
  await page.getByTestId("locale-switcher").selectOption("ru");
  await expect(page.getByRole("heading", { level: 1, name: "Наличные" })).toBeVisible();
  const shortRu = shifts.getByRole("row").filter({ hasText: `смена ${seed.shortShift.number}` });
  await expect(shortRu.getByTestId("cash-state")).toHaveText(/Утверждено/);
  await expect(shortRu).toContainText("-150,00\u00a0₽");
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "cash.ru");
  await page.getByTestId("locale-switcher").selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Cash" })).toBeVisible();
});
