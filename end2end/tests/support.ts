import { expect, Page } from "@playwright/test";

/** Resolves once the page's islands have taken over the server-rendered page (a page without
 * islands fetches no code and marks itself at once). */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => {
    if (!document.querySelector("leptos-island")) return true;
    const entries = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    return entries.some((e) => e.name.endsWith(".wasm") && e.responseEnd > 0);
  });
  // Lazy islands fetch their own chunks after the bundle; then the page marks itself.
  await page.waitForLoadState("networkidle");
  await page.waitForSelector("html[data-hydrated]", { state: "attached" });
}

/** Staff accounts the test server is started with (see playwright.config.ts). */
export const ADMIN = { email: "admin@example.org", password: "admin long passphrase" };
export const VIEWER = { email: "viewer@example.org", password: "viewer long passphrase" };
/** A second admin, for what the two-person rule asks of another admin. */
export const TREASURER = { email: "treasurer@example.org", password: "treasurer long passphrase" };
/** An admin of its own for the teams test: signing out elsewhere ends no session of it. */
export const TEAMS_ADMIN = { email: "teams@example.org", password: "teams long passphrase" };

/** Signs in through the form, starting from the page that asked for it. */
export async function signIn(page: Page, who: { email: string; password: string }, from = "/staff") {
  await page.goto(from);
  await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
  await waitForHydration(page);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

// An 8x8 PNG, made here so the tests that upload a picture need no file.
export const SMALL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR42mP49fU1VsQwtCQAUrG2gQnwC3AAAAAASUVORK5CYII=",
  "base64",
);
