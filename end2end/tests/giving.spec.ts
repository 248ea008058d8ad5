import { test, expect, Page } from "@playwright/test";
import { VIEWER, signIn, waitForHydration } from "./support";

// These tests move the campaign's total and check it to the unit: one after the other.
test.describe.configure({ mode: "serial" });

async function progress(page: Page): Promise<{ raised_minor: number; matched_minor: number }> {
  const response = await page.request.get("/api/campaigns/little-painters/progress");
  expect(response.status()).toBe(200);
  return await response.json();
}

async function raisedMinor(page: Page): Promise<number> {
  return (await progress(page)).raised_minor;
}

test("a donor gives through the demo checkout and sees the gift confirmed and counted", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Every page on the way (artwork, demo checkout, thank-you) runs under its security policy.
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) errors.push(m.text());
  });
  const before = await progress(page);

  await page.goto("/campaigns/little-painters/artworks/boats-at-dawn");
  await waitForHydration(page);
  // The demo's sponsor doubles gifts (end2end/serve.sh seeds the demo with its match).
  await expect(page.getByTestId("match")).toContainText(
    "Every gift doubled by Lantern Harbour Group until ¥500,000 is matched. Up to ¥100 a gift.",
  );
  // The sponsor presents the demo campaign, and its pages take the sponsor's brand colour.
  await expect(page.getByTestId("presented-by")).toContainText("Presented by Lantern Harbour Group");
  await expect(page.locator(".button-primary").first()).toHaveCSS("background-color", "rgb(31, 95, 116)");
  // Once hydrated, a mistyped amount is explained before the page is left.
  await page.getByLabel("Your amount (¥)").fill("2");
  await expect(page.locator("#custom-amount-error")).toHaveText("The least you can give is ¥5.");
  // Typing an amount chooses "Other amount", so the typed amount is the one sent.
  await page.getByLabel("Your amount (¥)").fill("20");
  await expect(page.locator("#custom-amount-error")).toHaveText("");
  await expect(page.getByRole("radio", { name: "Other amount" })).toBeChecked();
  await expect(page.getByRole("radio", { name: "¥5", exact: true })).not.toBeChecked();
  await page.getByLabel("Your name, as shown publicly (optional)").fill("Playwright");
  await page.getByRole("button", { name: "Adopt this artwork" }).click();

  // The demo's hosted checkout: a delayed method, so the thank-you page must change by itself.
  await expect(page.getByText("Demo: no money moves")).toBeVisible();
  await expect(page.locator(".amount")).toHaveText("¥20");
  await page.getByRole("button", { name: /delayed method \(confirms/ }).click();

  await expect(page).toHaveURL(/\/donations\/[0-9a-f]{32}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirming your gift…");
  await waitForHydration(page);
  await page.evaluate(() => ((window as any).__stayed = true));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thank you, Playwright!", {
    timeout: 15_000,
  });
  await expect(page.getByTestId("certificate-number")).toHaveText(/^No\. \d+$/);
  expect(await page.evaluate(() => (window as any).__stayed), "no reload").toBe(true);
  // The painter's voice message thanks the donor, with its words, and the browser can play it.
  const voice = page.getByTestId("voice");
  await expect(voice).toContainText("My dad goes out on a boat like this every morning.");
  const seconds = await voice.locator("audio").evaluate(
    (audio: HTMLAudioElement) =>
      new Promise<number>((resolve, reject) => {
        audio.addEventListener("loadedmetadata", () => resolve(audio.duration));
        audio.addEventListener("error", () => reject(new Error("the recording did not load")));
        audio.preload = "metadata";
        audio.load();
      }),
  );
  expect(seconds).toBeGreaterThan(3);
  await expect(page.getByTestId("match-became")).toHaveText("Your ¥20 became ¥40.");
  // The thank-you page names the sponsor too, in the same colours.
  await expect(page.getByTestId("presented-by")).toContainText("Presented by Lantern Harbour Group");
  const after = await progress(page);
  expect(after.raised_minor - before.raised_minor).toBe(2_000);
  expect(after.matched_minor - before.matched_minor).toBe(2_000);

  // A moment later the gift is in the signed public ledger: its entry, a code only this donor
  // sees, and a proof file that carries the entry.
  const ledger = page.getByTestId("ledger-entry");
  await expect(ledger).toContainText(/Your gift is entry \d+ of the public ledger\./);
  await expect(page.getByTestId("verification-code")).toHaveText(/^[A-Z2-7]{26}$/);
  const proofLink = ledger.getByRole("link", { name: "Download the proof" });
  const proof = await page.request.get((await proofLink.getAttribute("href"))!);
  expect(proof.status()).toBe(200);
  const proofText = await proof.text();
  expect(proofText.startsWith("c2sp.org/tlog-proof@v1\nextra ")).toBe(true);
  expect(proofText).toContain("\n\n127.0.0.1");
  const thankYou = page.url();

  // The browser checks the gift itself: signature, inclusion, the total, and consistency with
  // the last checkpoint it saw.
  await ledger.getByRole("link", { name: "Verify my gift" }).click();
  await expect(page).toHaveURL(/\/campaigns\/little-painters\/verify#certificate=\d+&code=[A-Z2-7]{26}$/);
  const outcome = page.getByTestId("verify-outcome");
  await expect(outcome.locator("[data-result=included]")).toContainText(
    /^Verified: your gift of ¥20 to boats-at-dawn is included in the public total of ¥[\d,.]+\./,
  );
  // The test server's log has two witnesses (end2end/serve.sh), and both must have cosigned.
  await expect(outcome.locator("[data-result=included]")).toContainText(
    /2 independent witnesses cosigned that checkpoint: witness\.e2e\/w[12], witness\.e2e\/w[12]\.$/,
  );
  // A proof file with one digit changed is refused.
  const bent = proofText.replace(/^index (\d+)$/m, (_, n) => `index ${Number(n) + 1}`);
  expect(bent).not.toBe(proofText);
  await page.getByLabel("Certificate number").fill("");
  await page.getByLabel("Or a proof file (.tlog-proof)").setInputFiles({
    name: "gift.tlog-proof",
    mimeType: "text/plain",
    buffer: Buffer.from(bent),
  });
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(outcome.locator("[data-result=refused]")).toContainText("This proof does not check out");
  // The untouched file verifies.
  await page.getByLabel("Or a proof file (.tlog-proof)").setInputFiles({
    name: "gift.tlog-proof",
    mimeType: "text/plain",
    buffer: Buffer.from(proofText),
  });
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(outcome.locator("[data-result=included]")).toBeVisible();
  // Had this browser seen another root for the same size (a forked history), it warns.
  const origin = proofText.split("\n\n")[1].split("\n")[0];
  const size = proofText.split("\n\n")[1].split("\n")[1];
  await page.evaluate(
    ([origin, size]) => localStorage.setItem(`gg-ledger:${origin}`, `${size} ${btoa("x".repeat(32))}`),
    [origin, size],
  );
  await page.goto(thankYou);
  await page.getByTestId("ledger-entry").getByRole("link", { name: "Verify my gift" }).click();
  await expect(outcome.locator("[data-result=forked]")).toContainText(
    "Warning: the ledger contradicts what this browser saw before.",
  );

  expect(await raisedMinor(page)).toBe(before.raised_minor + 2000);
  await page.goto("/campaigns/little-painters");
  await expect(page.getByTestId("raised")).toHaveText(`¥${(before.raised_minor + 2000) / 100}`);
  // The campaign links its public ledger, whose total is the same.
  await page.getByRole("link", { name: "See the public ledger" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Public ledger");
  await expect(page.getByTestId("ledger-total")).toHaveText(`¥${(before.raised_minor + 2000) / 100}`);
  expect(errors).toEqual([]);
});

test("a gift given in one browser moves the thermometer and the feed in another", async ({ browser }) => {
  const watcher = await (await browser.newContext()).newPage();
  const donor = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  watcher.on("pageerror", (e) => errors.push(e.message));

  await watcher.goto("/campaigns/little-painters");
  await waitForHydration(watcher);
  const before = await raisedMinor(watcher);
  await expect(watcher.getByTestId("raised")).toHaveText(`¥${before / 100}`);
  await watcher.evaluate(() => ((window as any).__stayed = true));
  const name = `Watcher test ${Date.now() % 100000}`;

  await donor.goto("/campaigns/little-painters/artworks/sun-over-the-hills");
  await waitForHydration(donor);
  await donor.getByLabel("Your amount (¥)").fill("30");
  await donor.getByLabel("Your name, as shown publicly (optional)").fill(name);
  await donor.getByRole("textbox", { name: /A message for the artist/ }).fill("For the little painters");
  await donor.getByRole("button", { name: "Adopt this artwork" }).click();
  await expect(donor.getByText("Demo: no money moves")).toBeVisible();
  await donor.getByRole("button", { name: "Pay ¥30" }).click();
  await expect(donor).toHaveURL(/\/donations\/[0-9a-f]{32}$/);

  // The watcher's page moves by itself: the total, and the gift at the top of the feed.
  await expect(watcher.getByTestId("raised")).toHaveText(`¥${(before + 3000) / 100}`);
  const newest = watcher.getByTestId("feed").locator("li").first();
  await expect(newest).toContainText(`${name} adopted Sun Over the Hills`);
  await expect(newest).toContainText("¥30");
  await expect(newest).toContainText("For the little painters");
  expect(await watcher.evaluate(() => (window as any).__stayed), "no reload").toBe(true);
  expect(errors).toEqual([]);
});

test("a page whose event stream is blocked keeps up by polling", async ({ browser }) => {
  const watcher = await (await browser.newContext()).newPage();
  const donor = await (await browser.newContext()).newPage();
  // A proxy that refuses event streams.
  await watcher.route("**/api/campaigns/*/events", (route) =>
    route.fulfill({ status: 503, contentType: "text/plain", body: "no streams here" }),
  );
  await watcher.goto("/campaigns/little-painters");
  await waitForHydration(watcher);
  const before = await raisedMinor(watcher);

  await donor.goto("/campaigns/little-painters/artworks/boats-at-dawn");
  await waitForHydration(donor);
  await donor.getByLabel("Your amount (¥)").fill("12");
  await donor.getByRole("button", { name: "Adopt this artwork" }).click();
  await donor.getByRole("button", { name: "Pay ¥12" }).click();
  await expect(donor).toHaveURL(/\/donations\/[0-9a-f]{32}$/);

  await expect(watcher.getByTestId("raised")).toHaveText(`¥${(before + 1200) / 100}`);
  await expect(watcher.getByTestId("feed").locator("li").first()).toContainText("¥12");
});

test("staff watching the dashboard see a demo gift move its totals, chart and recent gifts", async ({ browser }) => {
  const staff = await (await browser.newContext()).newPage();
  const donor = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  staff.on("pageerror", (e) => errors.push(e.message));
  const giftsThisHour = () =>
    staff
      .getByTestId("chart-hour")
      .locator("rect")
      .evaluateAll((bars) => bars.reduce((sum, bar) => sum + Number(bar.getAttribute("data-count")), 0));

  await signIn(staff, VIEWER);
  await expect(staff).toHaveURL(/\/staff$/);
  await waitForHydration(staff);
  const before = await raisedMinor(staff);
  await expect(staff.getByTestId("dashboard-raised")).toHaveText(`¥${before / 100}`);
  const barsBefore = await giftsThisHour();
  await staff.evaluate(() => ((window as any).__stayed = true));
  const name = `Dashboard test ${Date.now() % 100000}`;

  await donor.goto("/campaigns/little-painters/artworks/sun-over-the-hills");
  await waitForHydration(donor);
  await donor.getByLabel("Your amount (¥)").fill("25");
  await donor.getByLabel("Your name, as shown publicly (optional)").fill(name);
  await donor.getByRole("textbox", { name: /A message for the artist/ }).fill("Seen by the staff");
  await donor.getByRole("button", { name: "Adopt this artwork" }).click();
  await donor.getByRole("button", { name: "Pay ¥25" }).click();
  await expect(donor).toHaveURL(/\/donations\/[0-9a-f]{32}$/);

  await expect(staff.getByTestId("dashboard-raised")).toHaveText(`¥${(before + 2500) / 100}`);
  await expect.poll(giftsThisHour).toBe(barsBefore + 1);
  const newest = staff.getByTestId("recent-gifts").locator("li").first();
  await expect(newest).toContainText(name);
  await expect(newest).toContainText("Seen by the staff");
  expect(await staff.evaluate(() => (window as any).__stayed), "no reload").toBe(true);
  expect(errors).toEqual([]);
});
