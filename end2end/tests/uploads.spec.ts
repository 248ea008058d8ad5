import { test, expect } from "@playwright/test";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ADMIN, signIn, waitForHydration } from "./support";

test("an admin uploads an artwork with its consent record, publishes it and sees it in the gallery", async ({ page }) => {
  // A painting to upload: one of the seeded ones, as a file from the admin's computer.
  const landing = await (await page.request.get("/")).text();
  const source = landing.match(/\/media\/[0-9a-f]{32}\.jpg/)?.[0];
  expect(source, "a seeded painting").toBeTruthy();
  const painting = await (await page.request.get(source!)).body();

  await signIn(page, ADMIN, "/staff/campaigns/little-painters/artworks");
  await expect(page).toHaveURL(/\/staff\/campaigns\/little-painters\/artworks$/);
  const form = page.getByTestId("upload-form");
  await form.locator("input[name=image]").setInputFiles({
    name: "kites.jpg",
    mimeType: "image/jpeg",
    buffer: painting,
  });
  await form.getByLabel("Title", { exact: true }).fill("Kites Over the River");
  await form.getByLabel(/Artist's name/).fill("Wang Lei");
  await form.getByLabel(/Artist's age/).fill("11");
  await form.getByLabel("The artwork's story").fill("Lei painted the kites his grandfather makes.");
  await form.getByLabel("Title in the other language (optional)").fill("河上的风筝");
  await form.getByLabel("Consent given by").fill("Wang Fang");
  await form.getByLabel("Relationship to the artist").fill("mother");
  await form.getByLabel("Date").fill("2026-05-01");
  await form.getByLabel("Licence").fill("CC BY-NC 4.0");
  await form.getByLabel("Who consented").selectOption("parent");
  await form.getByLabel("The artist's own wish").selectOption("yes");
  await form.getByLabel("Witnessed by").fill("Zhao Min");
  await form.getByLabel(/Artist's share of each gift/).fill("5");
  // The signed form, how the work was made with a photo of the painter at work, and a voice
  // message (3 s of silent MP3: 144-byte frames of 36 ms).
  const signed = Buffer.from("%PDF-1.4\n% consent form signed by Wang Fang\n%%EOF\n");
  await form.getByLabel("Signed consent form (PDF, JPEG or PNG)").setInputFiles({
    name: "consent.pdf",
    mimeType: "application/pdf",
    buffer: signed,
  });
  await form.getByLabel("How it was made").selectOption("prompted");
  await form.getByLabel("Photo of the artist at work (JPEG, PNG or WebP)").setInputFiles({
    name: "at-work.jpg",
    mimeType: "image/jpeg",
    buffer: painting,
  });
  // A 2 s film as a phone held upright records it: QuickTime, its wide pictures turned a quarter.
  await form.getByLabel(/^Film of the artist at work/).setInputFiles({
    name: "at-work.mov",
    mimeType: "video/quicktime",
    buffer: readFileSync(`${__dirname}/../fixtures/at-work.mov`),
  });
  const frame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x18, 0xc4]), Buffer.alloc(140)]);
  await form.getByLabel(/^Voice message/).setInputFiles({
    name: "lei.mp3",
    mimeType: "audio/mpeg",
    buffer: Buffer.concat(Array(84).fill(frame)),
  });
  await form.getByLabel("What it says, in English").fill("I hope my kites make you smile.");
  await form.getByLabel("Publish now").check();
  await form.getByRole("button", { name: "Upload artwork" }).click();

  await expect(page).toHaveURL(/\/artworks\?added=kites-over-the-river$/);
  await expect(page.getByRole("status")).toHaveText("The artwork was added.");
  const row = page.locator('[data-slug="kites-over-the-river"]');
  await expect(row).toContainText("published");
  await expect(row).toContainText("consent on file");

  await page.goto("/campaigns/little-painters");
  const link = page.getByRole("link", { name: /Kites Over the River/ });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/artworks\/kites-over-the-river$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kites Over the River");
  // The public sees who consented by role, never by name.
  const consent = page.locator("section.consent");
  await expect(consent).toContainText("A parent");
  await expect(consent).toContainText("Agreed");
  await expect(consent).toContainText("In force");
  await expect(page.getByText("Wang Fang")).toHaveCount(0);
  // The log's hash of the signed form, never the form; how it was made; the painter's voice.
  await expect(consent).toContainText(createHash("sha256").update(signed).digest("hex"));
  await expect(page.getByTestId("provenance")).toContainText("Painted with prompting");
  await expect(page.getByTestId("provenance").locator("img")).toBeVisible();
  // The film keeps its upright shape before it loads, and plays in the browser.
  const film = page.getByTestId("provenance-film");
  await expect(film).toHaveAttribute("width", "180");
  await expect(film).toHaveAttribute("height", "320");
  const played = await film.evaluate(async (video: HTMLVideoElement) => {
    video.muted = true;
    await video.play();
    return { width: video.videoWidth, height: video.videoHeight, seconds: video.duration };
  });
  expect(played).toEqual({ width: 180, height: 320, seconds: 2 });
  const voice = page.getByTestId("voice");
  await expect(voice).toContainText("I hope my kites make you smile.");
  await expect(voice).toContainText("Length 0:03");

  // Its texts are edited later; the gallery follows.
  await page.goto("/staff/campaigns/little-painters/artworks");
  await page.locator('[data-slug="kites-over-the-river"]').getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL(/\/artworks\/kites-over-the-river\/edit$/);
  const edit = page.getByTestId("artwork-form");
  await expect(edit.getByLabel("Consent given by")).toHaveValue("Wang Fang");
  await edit.getByLabel("Title", { exact: true }).fill("Kites Over the Old River");
  await edit.getByRole("button", { name: "Save artwork" }).click();
  await expect(page).toHaveURL(/\/staff\/campaigns\/little-painters\/artworks$/);
  await page.goto("/campaigns/little-painters");
  await expect(page.getByRole("link", { name: /Kites Over the Old River/ })).toBeVisible();

  // The family withdraws consent: the record keeps both, and no one can adopt the work any more.
  await page.goto("/staff/campaigns/little-painters/artworks/kites-over-the-river/edit");
  const withdraw = page.getByTestId("withdraw-form");
  await withdraw.getByLabel("Who withdrew it").selectOption("parent");
  await withdraw.getByLabel("Their name").fill("Wang Fang");
  await withdraw.getByLabel("Relationship to the artist").fill("mother");
  await withdraw.getByRole("button", { name: "Record the withdrawal" }).click();
  await expect(page).toHaveURL(/\/artworks\/kites-over-the-river\/edit$/);
  const history = page.getByTestId("consent-history");
  await expect(history.locator("li")).toHaveCount(2);
  await expect(history.locator("li").last()).toContainText("Withdrawal");
  await expect(page.getByTestId("withdraw-form")).toHaveCount(0);
  await page.goto("/campaigns/little-painters/artworks/kites-over-the-river");
  await expect(page.getByTestId("adopt-withdrawn")).toContainText("Consent was withdrawn on");
  await expect(page.locator("form.adopt-form")).toHaveCount(0);

  // Unpublished again, it leaves the gallery.
  await page.goto("/staff/campaigns/little-painters/artworks");
  await waitForHydration(page);
  await page.locator('[data-slug="kites-over-the-river"]').getByRole("button", { name: "Unpublish" }).click();
  await expect(page.locator('[data-slug="kites-over-the-river"]')).toHaveAttribute("data-published", "false");
  await page.goto("/campaigns/little-painters");
  await expect(page.getByRole("link", { name: /Kites Over/ })).toHaveCount(0);
});
