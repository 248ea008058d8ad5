import { test, expect, Page } from "@playwright/test";
import { waitForHydration } from "./support";

test("the landing page renders the campaign, its thermometer and gallery, then hydrates", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The Little Painters' Gallery");
  const bar = page.getByRole("progressbar", { name: "Raised toward the goal" });
  await expect(bar).toBeVisible();
  await expect(page.getByTestId("raised")).toHaveText(/^¥[0-9,.万]+$/);
  await expect(page.locator("ul.gallery > li")).toHaveCount(24);

  await waitForHydration(page);
  expect(errors, "no hydration or console errors").toEqual([]);
});

test("a visitor opens an artwork from the gallery, and the page's code comes from the cache", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);

  await page.locator("ul.gallery").getByRole("link", { name: /Boats at Dawn/ }).click();
  await expect(page).toHaveURL(/\/campaigns\/little-painters\/artworks\/boats-at-dawn$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Boats at Dawn");
  await expect(page.getByText("By Chen Hao, 14")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Consent and royalties" })).toBeVisible();
  await expect(page).toHaveTitle(/Boats at Dawn by Chen Hao/);
  await waitForHydration(page);
  // The server renders each page; what the browser runs is one set of files, named by their
  // content and kept for good, so the second page downloads none of it again.
  const fetched = await page.evaluate(() =>
    (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
      .filter((e) => /\/pkg\/.*\.(js|wasm|css)$/.test(new URL(e.name).pathname))
      .map((e) => ({ name: new URL(e.name).pathname, bytes: e.transferSize })),
  );
  expect(fetched.length).toBeGreaterThan(0);
  expect(fetched.filter((e) => e.bytes > 0)).toEqual([]);

  const image = page.locator(".artwork-figure img");
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
});

test("an unknown artwork shows a 404 page, which downloads no code", async ({ page }) => {
  const code: string[] = [];
  page.on("request", (r) => new URL(r.url()).pathname.endsWith(".wasm") && code.push(r.url()));
  const response = await page.goto("/campaigns/little-painters/artworks/no-such-artwork");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("We couldn't find that page");
  // Nothing on it moves or answers a tap: it has no islands, and fetches no wasm.
  await waitForHydration(page);
  expect(code).toEqual([]);
  await page.getByRole("link", { name: "Go to the gallery" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The Little Painters' Gallery");
});

test("the gallery is reachable by keyboard", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  const link = page.locator("ul.gallery a").first();
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/artworks\/sun-over-the-hills$/);
});
