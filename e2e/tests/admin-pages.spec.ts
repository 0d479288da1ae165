import { expectNoSeriousA11yViolations, saveScreenshot } from "./a11y.ts";
import { expect, test } from "./fixtures.ts";
import { signInAs } from "./stack-helpers.ts";

// The admin pages as an owner runs them: a store created and renamed, the cash tolerance changed,
// each change in the audit log beside the DLQ's actions; every page in English and Russian without
// serious accessibility violations, each with its screenshot.

const PAGES = [
  { path: "/stores", en: "Stores", ru: "Магазины", table: "stores-table" },
  { path: "/tills", en: "Tills", ru: "Кассы", table: "tills-table" },
  { path: "/people", en: "People", ru: "Люди", table: "members-table" },
  { path: "/settings", en: "Organization settings", ru: "Настройки организации", table: null },
  { path: "/audit", en: "Audit log", ru: "Журнал изменений", table: "audit-table" },
] as const;

test("an owner creates and renames a store and changes the cash tolerance; the audit log shows both", async ({
  page,
  stack,
}) => {
  const name = `Nevsky ${Date.now().toString(36)}`;
  await signInAs(page, stack, { email: stack.ownerEmail, password: stack.ownerPassword });
  await page.goto(`${stack.url}/stores`);
  await page.getByTestId("store-create").click();
  const create = page.getByTestId("store-dialog");
  await create.getByLabel("Name").fill(name);
  await create.getByLabel("Time zone (IANA, e.g. Europe/Moscow)").fill("Mars/Olympus");
  await create.getByRole("button", { name: "Save" }).click();
  // Refused by the server, said beside the form; nothing created.
  await expect(create.getByRole("alert")).toContainText("time zone");
  await create.getByLabel("Time zone (IANA, e.g. Europe/Moscow)").fill("Europe/Kaliningrad");
  await create.getByLabel("Address").fill("Nevsky prospekt 28");
  await create.getByRole("button", { name: "Save" }).click();
  await expect(create).toBeHidden();
  const row = page.getByTestId("stores-table").getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Europe/Kaliningrad");
  await expect(row).toContainText("Nevsky prospekt 28");

  await row.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByTestId("store-dialog");
  await edit.getByLabel("Name").fill(`${name} B`);
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("stores-table")).toContainText(`${name} B`);

  await page.goto(`${stack.url}/settings`);
  const tolerance = page.getByTestId("settings-cash-tolerance");
  const before = await tolerance.inputValue();
  const next = before === "150.00" ? "125.50" : "150.00";
  await tolerance.fill(next.replace(".", ","));
  await page.getByRole("button", { name: "Save" }).first().click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("settings-cash-tolerance")).toHaveValue(next);

  await page.goto(`${stack.url}/audit`);
  const audit = page.getByTestId("audit-table");
  await expect(audit).toContainText(`Created store "${name}" (Europe/Kaliningrad)`);
  await expect(audit).toContainText(`"${name}" → "${name} B"`);
  await expect(audit).toContainText("Settings: cash tolerance");
  await page.getByTestId("audit-kind").selectOption("admin");
  await expect(page).toHaveURL(/kind=admin/);

  // The suite shares one organization: the tolerance goes back, or the cash spec's variance (−₽150
  // against ±₽100) would be within it.
  await page.goto(`${stack.url}/settings`);
  await page.getByTestId("settings-cash-tolerance").fill(before.replace(".", ","));
  await page.getByRole("button", { name: "Save" }).first().click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("settings-cash-tolerance")).toHaveValue(before);
});

for (const locale of ["en", "ru"] as const) {
  test(`the admin pages in ${locale === "en" ? "English" : "Russian"}: no serious a11y violations`, async ({
    page,
    stack,
  }) => {
    await signInAs(page, stack, { email: stack.ownerEmail, password: stack.ownerPassword });
    await page.context().addCookies([{ name: "kassa-locale", value: locale, url: stack.url }]);
    for (const admin of PAGES) {
      await page.goto(`${stack.url}${admin.path}`);
      await expect(page.getByRole("heading", { level: 1, name: admin[locale] })).toBeVisible();
      if (admin.table) await expect(page.getByTestId(admin.table)).toBeVisible();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, `admin${admin.path.replace("/", "-")}-${locale}`);
    }
  });
}
