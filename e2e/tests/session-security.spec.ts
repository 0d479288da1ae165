import type { Page, Response } from "@playwright/test";
import { THROTTLED_ACCOUNT } from "../throttle-account.ts";
import { expect, test } from "./fixtures.ts";
import { signInAs } from "./stack-helpers.ts";

// Sessions, sign-in throttling and the security headers, in the real browser against the real
// central server (issue 10).

const owner = (stack: { ownerEmail: string; ownerPassword: string }) => ({
  email: stack.ownerEmail,
  password: stack.ownerPassword,
});

test("signing out revokes the session: replaying the old cookie is refused", async ({
  page,
  browser,
  stack,
}) => {
  await signInAs(page, stack, owner(stack));
  const cookie = (await page.context().cookies()).find((c) => c.name === "kassa_session");
  expect(cookie, "the session cookie").toBeDefined();
  // Plain http here (HTTPS would make it __Host-kassa_session, Secure): HttpOnly, SameSite=Lax.
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: false });
  const me = () =>
    page.request.get(`${stack.url}/api/trpc/dashboard.me`, {
      headers: { cookie: `kassa_session=${cookie?.value}` },
    });
  expect((await me()).status()).toBe(200);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${stack.url}/login`);

  // The copied cookie, replayed from another browser and straight at the API, opens nothing.
  const thief = await browser.newContext();
  try {
    await thief.addCookies([cookie!]);
    const other = await thief.newPage();
    await other.goto(`${stack.url}/receipts`);
    await expect(other).toHaveURL(`${stack.url}/login`);
  } finally {
    await thief.close();
  }
  const replay = await me();
  expect(replay.status()).toBe(401);
  expect(await replay.text()).toContain("sign in again");
});

test("repeated wrong passwords are throttled with a clear message", async ({ page, stack }) => {
  test.setTimeout(120_000);
  // One attempt = one server action answered (the form's message may not change between two).
  const attempt = async (password: string) => {
    await page.getByLabel("Email").fill(THROTTLED_ACCOUNT.email);
    await page.getByLabel("Password").fill(password);
    const answered = page.waitForResponse(
      (response) => response.request().method() === "POST" && new URL(response.url()).pathname === "/login",
    );
    await page.getByRole("button", { name: "Sign in" }).click();
    await answered;
  };
  await page.goto(`${stack.url}/login`);
  // The form's own alert (Next.js's route announcer is an alert too).
  const alert = page.locator("form").getByRole("alert");
  for (let i = 1; i <= 4; i++) {
    await attempt(`wrong-password-${i}`);
    await expect(alert).toHaveText("The email or password is wrong.");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  await attempt("wrong-password-5");
  await expect(alert).toHaveText(
    "Too many failed sign-ins for this account or from this network. Wait 60 seconds and try again.",
  );
  // While blocked, even the right password is not checked: the person is told to wait, and stays out.
  await attempt(THROTTLED_ACCOUNT.password);
  await expect(alert).toContainText(/Wait \d+ seconds and try again/);
  await expect(page).toHaveURL(`${stack.url}/login`);
});

/** Asserts the security headers of one response; returns its CSP nonce. */
function expectSecurityHeaders(response: Response | null, where: string): string {
  expect(response, where).not.toBeNull();
  const headers = response!.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(csp, where).toContain("object-src 'none'");
  expect(csp, where).not.toContain("unsafe-eval");
  expect(headers["x-content-type-options"], where).toBe("nosniff");
  expect(headers["referrer-policy"], where).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"], where).toBe("DENY");
  // Served over plain http: no HSTS (browsers ignore it there, and a LAN install has no certificate).
  expect(headers["strict-transport-security"], where).toBeUndefined();
  return /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
}

/** Collects the CSP violations a page reports, so a page that the policy breaks fails the test. */
function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      violations.push(message.text());
    }
  });
  return violations;
}

test("every page sends the security headers, with a fresh nonce each time, and runs under its CSP", async ({
  page,
  stack,
}) => {
  // Fourteen page loads, each hydrated, on a shared build machine.
  test.setTimeout(180_000);
  const violations = watchCspViolations(page);
  const nonces = new Set<string>();
  nonces.add(expectSecurityHeaders(await page.goto(`${stack.url}/login`), "/login"));
  nonces.add(expectSecurityHeaders(await page.goto(`${stack.url}/login`), "/login again"));
  // The public set-password page (here with a link that does not work: it says so, with the headers).
  nonces.add(expectSecurityHeaders(await page.goto(`${stack.url}/set-password?token=x`), "/set-password"));
  await signInAs(page, stack, owner(stack));
  const pages = [
    "/",
    "/receipts",
    `/receipts/${stack.terminalId}/${stack.receipt.id}`,
    `/terminals/${stack.terminalId}`,
    "/breakers",
    "/cash",
    "/dlq",
    // The admin area (issue 10).
    "/stores",
    "/tills",
    "/people",
    "/settings",
    "/audit",
  ];
  for (const path of pages) {
    const response = await page.goto(`${stack.url}${path}`);
    expect(response?.status(), path).toBe(200);
    nonces.add(expectSecurityHeaders(response, path));
    // Next.js put the nonce on its scripts: the page hydrated (the nav answers a click target).
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  }
  expect(nonces.size, "a new nonce per response").toBe(pages.length + 3);
  expect(violations, "CSP violations").toEqual([]);

  // The build's static files (outside the proxy) are not sniffed or framed either.
  const script = await page.locator("script[src^='/_next/static/']").first().getAttribute("src");
  const asset = await page.request.get(`${stack.url}${script}`);
  expect(asset.status(), script ?? "a static script").toBe(200);
  expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
  expect(asset.headers()["x-frame-options"]).toBe("DENY");

  // The API answers carry them too, and healthz says healthy without naming the database.
  const api = await page.request.get(`${stack.url}/api/trpc/dashboard.me`);
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  const health = await page.request.get(`${stack.url}/api/healthz`);
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ ok: true });
  expect(health.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");

  // Behind an HTTPS proxy: HSTS is sent.
  const overHttps = await page.request.get(`${stack.url}/login`, {
    headers: { "x-forwarded-proto": "https" },
  });
  expect(overHttps.headers()["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
});
