// What a donor's phone downloads and waits for on a first visit: for each page, the JS, wasm and
// CSS bytes as sent (compressed), and on Chrome's "Slow 4G" with a 4x slower CPU, the time until
// the page has hydrated and its largest contentful paint (and whether that is a painting).
//
//   node bench/first-visit.mjs http://127.0.0.1:3000
//
// Run it against `./scripts/run` (a release build serving the demo campaign).
import { chromium } from "@playwright/test";
import phone from "../slow-phone.cjs";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const RUNS = Number(process.env.RUNS ?? 3);

async function shareLink(page) {
  await page.goto(`${base}/campaigns/little-painters/artworks/boats-at-dawn`);
  await page.waitForSelector("html[data-hydrated]");
  await page.locator("form.adopt-form button[type=submit]").click();
  await page.locator("button.pay").click();
  const link = await page.getByTestId("share-link").inputValue({ timeout: 20_000 });
  return new URL(link).pathname;
}

async function visit(path) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await phone.slowDown(context, page);
  await page.addInitScript(() => {
    new PerformanceObserver((list) => {
      const last = list.getEntries().at(-1);
      (window).__lcp = { at: last.startTime, tag: last.element?.tagName };
    }).observe({ type: "largest-contentful-paint", buffered: true });
  });
  const start = Date.now();
  await page.goto(base + path);
  await page.waitForSelector("html[data-hydrated]", { timeout: 60_000 });
  const hydrated = Date.now() - start;
  // A lazy island's chunks arrive after the page is marked: count them too.
  await page.waitForLoadState("networkidle");
  const result = await page.evaluate(() => {
    const bytes = (performance.getEntriesByType("resource"))
      .filter((e) => /\.(js|wasm|css)$/.test(new URL(e.name).pathname))
      .reduce((sum, e) => sum + e.encodedBodySize, 0);
    return { bytes, lcp: (window).__lcp };
  });
  await browser.close();
  return { hydrated, ...result };
}

(async () => {
  const setup = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless=new", "--no-sandbox"] });
  const share = await shareLink(await setup.newPage());
  await setup.close();
  const pages = {
    landing: "/",
    artwork: "/campaigns/little-painters/artworks/boats-at-dawn",
    share,
    "staff sign-in": "/staff/sign-in",
  };
  console.log("| page | JS + wasm + CSS sent | hydrated (median) | LCP (median) | LCP element |");
  console.log("|---|---|---|---|---|");
  for (const [name, path] of Object.entries(pages)) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await visit(path));
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const kb = (runs[0].bytes / 1024).toFixed(0);
    const hydrated = (median(runs.map((r) => r.hydrated)) / 1000).toFixed(1);
    const lcp = (median(runs.map((r) => r.lcp?.at ?? NaN)) / 1000).toFixed(1);
    console.log(`| ${name} | ${kb} KB | ${hydrated} s | ${lcp} s | ${runs[0].lcp?.tag} |`);
  }
})();
