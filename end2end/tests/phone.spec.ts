import { test, expect, Page } from "@playwright/test";
import { waitForHydration } from "./support";
import { slowDown } from "../slow-phone.cjs";

// A donor on a phone, as most arrive: from a QR code, in either language.
const PHONE = { width: 390, height: 844 };
const ARTWORK = "/campaigns/little-painters/artworks/boats-at-dawn";

/** Records layout shifts not caused by the visitor, and the largest contentful paint. */
async function watchLayout(page: Page) {
  await page.addInitScript(() => {
    const w = window as any;
    w.__shifts = [];
    w.__lcp = null;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as any[]) {
        if (!entry.hadRecentInput) {
          const name = (n: any) => (n?.nodeType === 1 ? n : n?.parentElement)?.className ?? String(n?.nodeName);
          w.__shifts.push({ value: entry.value, nodes: entry.sources?.map((s: any) => name(s.node)) });
        }
      }
    }).observe({ type: "layout-shift", buffered: true });
    new PerformanceObserver((list) => {
      const entries = list.getEntries() as any[];
      w.__lcp = entries[entries.length - 1]?.element?.tagName ?? null;
    }).observe({ type: "largest-contentful-paint", buffered: true });
  });
}

/** Holds the page's wasm back until the returned function is called. */
async function holdCode(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\.wasm$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

const shifts = (page: Page) => page.evaluate(() => (window as any).__shifts);

/** Whether the element's box lies wholly within the first screen. */
async function inFirstScreen(page: Page, selector: string) {
  const box = await page.locator(selector).first().boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= PHONE.height;
}

for (const [language, acceptLanguage] of [
  ["English", "en"],
  ["Chinese", "zh-CN,zh;q=0.9"],
]) {
  test.describe(`on a phone in ${language}`, () => {
    test.use({ viewport: PHONE, isMobile: true, hasTouch: true, extraHTTPHeaders: { "Accept-Language": acceptLanguage } });

    test("the landing page opens on paintings and the thermometer, and nothing moves", async ({ page }) => {
      await watchLayout(page);
      await page.goto("/");
      await waitForHydration(page);
      expect(await inFirstScreen(page, ".glimpse img"), "a painting in the first screen").toBe(true);
      expect(await inFirstScreen(page, ".thermometer"), "the thermometer in the first screen").toBe(true);
      expect(await page.evaluate(() => (window as any).__lcp), "a painting is the largest paint").toBe("IMG");
      expect(await shifts(page)).toEqual([]);
    });

    test("the artwork page shows the price and Adopt in the first screen, which lead to the form", async ({ page }) => {
      await watchLayout(page);
      await page.goto(ARTWORK);
      await waitForHydration(page);
      expect(await inFirstScreen(page, ".artwork-figure img"), "the painting").toBe(true);
      expect(await inFirstScreen(page, ".adopt-bar"), "the price and Adopt").toBe(true);
      await expect(page.locator(".adopt-bar-price")).toHaveText(/5/);
      expect(await shifts(page)).toEqual([]);
      await page.locator(".adopt-bar").tap();
      await expect(page.locator("#adopt-heading")).toBeInViewport();
    });

    test("going back from the checkout restores the typed amount, and sending again charges it", async ({ page }) => {
      await page.goto(ARTWORK);
      await waitForHydration(page);
      const typed = page.locator("input[name=custom_amount]");
      await typed.fill("50");
      await page.locator("form.adopt-form button[type=submit]").tap();
      await expect(page.locator(".amount")).toHaveText(/^¥50(\.00)?$/);

      await page.goBack();
      await expect(page).toHaveURL(new RegExp(`${ARTWORK}$`));
      await waitForHydration(page);
      await expect(typed).toHaveValue("50");
      await expect(page.locator("input[name=amount][value=other]")).toBeChecked();
      // A changed amount opens a new checkout, with no error on the way.
      await typed.fill("60");
      await page.locator("form.adopt-form button[type=submit]").tap();
      await expect(page.locator(".amount")).toHaveText(/^¥60(\.00)?$/);
      expect(page.url()).not.toContain("error=");

      // The same amount again reuses the open checkout.
      const checkout = page.url();
      await page.goBack();
      await waitForHydration(page);
      await expect(typed).toHaveValue("60");
      await page.locator("form.adopt-form button[type=submit]").tap();
      await expect(page.locator(".amount")).toHaveText(/^¥60(\.00)?$/);
      expect(page.url()).toBe(checkout);
    });

    test("the thank-you page does not move when the gift is confirmed", async ({ page }) => {
      await watchLayout(page);
      await page.goto(ARTWORK);
      await waitForHydration(page);
      await page.locator("form.adopt-form button[type=submit]").tap();
      // The delayed method: the page changes by itself a few seconds later.
      await page.locator("button[value=delayed]").tap();
      await expect(page).toHaveURL(/\/donations\/[0-9a-f]{32}$/);
      await expect(page.locator(".thank-you")).toHaveAttribute("data-status", "paid", { timeout: 15_000 });
      await expect(page.getByTestId("certificate-image")).toBeVisible();
      expect(await shifts(page)).toEqual([]);
    });

    test("the share button shares the certificate it already has, straight from the tap", async ({ page }) => {
      // A browser that can share files (headless Chromium cannot): record what is shared.
      await page.addInitScript(() => {
        const w = window as any;
        w.__shared = [];
        Object.defineProperty(navigator, "share", {
          value: async (data: any) => w.__shared.push((data.files ?? []).map((f: File) => f.type)),
        });
        Object.defineProperty(navigator, "canShare", { value: () => true });
      });
      await page.goto(ARTWORK);
      await waitForHydration(page);
      await page.locator("form.adopt-form button[type=submit]").tap();
      await page.locator("button.pay").tap();
      const share = page.locator("button[data-share-url]");
      await expect(share).toHaveAttribute("data-share-ready", "", { timeout: 15_000 });
      const certificate = await share.getAttribute("data-share-file");
      const fetched: string[] = [];
      page.on("request", (r) => new URL(r.url()).pathname === certificate && fetched.push(r.url()));
      await share.tap();
      await expect.poll(() => page.evaluate(() => (window as any).__shared)).toEqual([["image/jpeg"]]);
      expect(fetched, "nothing downloaded after the tap").toEqual([]);
    });
  });
}

test.describe("on a phone without JavaScript", () => {
  test.use({ viewport: PHONE, isMobile: true, javaScriptEnabled: false });

  test("the typed amount is charged even with a preset still chosen, and survives going back", async ({ page }) => {
    await page.goto(ARTWORK);
    const typed = page.locator("input[name=custom_amount]");
    await expect(page.locator("input[name=amount]").first()).toBeChecked();
    await typed.fill("50");
    await page.locator("form.adopt-form button[type=submit]").click();
    await expect(page.locator(".amount")).toHaveText(/^¥50(\.00)?$/);
    await page.goBack();
    await expect(typed).toHaveValue("50");
    await page.locator("form.adopt-form button[type=submit]").click();
    await expect(page.locator(".amount")).toHaveText(/^¥50(\.00)?$/);
    expect(page.url()).not.toContain("error=");
  });
});

test("an amount too small typed before the page's code arrives is explained once it does", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const typedNow = await holdCode(page);
  await page.goto(ARTWORK, { waitUntil: "commit" });
  await page.locator("input[name=amount][value=other]").check();
  await page.locator("input[name=custom_amount]").fill("1");
  typedNow();
  await waitForHydration(page);
  await expect(page.locator("#custom-amount-error")).toHaveText("The least you can give is ¥5.");
  await expect(page.locator("input[name=custom_amount]")).toHaveValue("1");
  expect(errors, "the form took over without an error").toEqual([]);
});

test.describe("on a slow phone (Slow 4G, a 4x slower CPU)", () => {
  test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

  test("an amount typed while the page is still loading is the amount charged, and nothing moves", async ({
    page,
    context,
  }) => {
    test.slow();
    await slowDown(context, page);
    await watchLayout(page);
    // The page's code arrives only once the amount is typed: on a busy machine the throttled
    // page could otherwise hydrate before the test types, and the test would prove nothing.
    const typedNow = await holdCode(page);

    await page.goto(ARTWORK, { waitUntil: "commit" });
    const typed = page.locator("input[name=custom_amount]");
    await typed.fill("50");
    const hydrated = () => page.evaluate(() => document.documentElement.hasAttribute("data-hydrated"));
    expect(await hydrated(), "typed before the page's code took over").toBe(false);
    typedNow();
    await page.waitForSelector("html[data-hydrated]", { state: "attached", timeout: 60_000 });
    await expect(typed).toHaveValue("50");
    expect(await shifts(page)).toEqual([]);
    await page.locator("form.adopt-form button[type=submit]").tap();
    await expect(page.locator(".amount")).toHaveText(/^¥50(\.00)?$/, { timeout: 30_000 });
  });
});
