import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** Where every page's screenshot goes (the e2e/screenshots/<name>.png). */
export const SCREENSHOTS_DIR = join(import.meta.dirname, "..", "screenshots");

/**
 * Runs axe (WCAG 2.0/2.1 A and AA rules) on the page as it is now and fails on any serious or
 * critical violation, listing each rule, its help text and the offending elements.
 */
export async function expectNoSeriousA11yViolations(page: Page, options: { exclude?: string[] } = {}) {
  // Next streams each page's metadata: after a navigation or a locale switch the new <title> is
  // hoisted into <head> a moment after the content the test waited for. axe judges the page once it
  // has one (a page without any still fails here, by name).
  await expect(page, `${page.url()} has no <title>`).toHaveTitle(/\S/);
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`);
  expect(serious, `axe found serious accessibility violations on ${page.url()}`).toEqual([]);
}

/** Saves a full-page screenshot as e2e/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
