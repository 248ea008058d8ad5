import { defineConfig } from "@playwright/test";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const port = Number(process.env.E2E_PORT ?? 3100);
const data = path.join(root, "target", "e2e-data");


const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
  },
  webServer: {
    // The release build that scripts/test makes, serving a freshly seeded demo campaign whose
    // log two local witnesses cosign.
    command: `bash '${path.join(__dirname, "serve.sh")}'`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    // The server's warnings and errors appear in the test output.
    stderr: "pipe",
    timeout: 120_000,
    cwd: root,
    env: {
      E2E_PORT: String(port),
      E2E_DATA: data,
      DATABASE_URL: `sqlite://${data}/giving-gallery.db`,
      MEDIA_DIR: `${data}/media`,
      LOG_KEY_DIR: `${data}/log`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: `${root}/target/site`,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      RUST_LOG: "warn",
      // Every test browser gives from 127.0.0.1: the per-address limit (30 checkouts a minute,
      // tested in server/tests) would otherwise count the whole suite as one eager donor.
      CHECKOUT_PER_ADDRESS_PER_MINUTE: "600",
    },
  },
  projects: [
    {
      name: "chromium",
      // Uploads add an artwork to the gallery that other tests count, and the phone,
      // accessibility and ambassador tests give gifts while giving.spec.ts checks totals to the
      // unit: they run afterwards.
      testIgnore: /(uploads|phone|accessibility|ambassadors)\.spec\.ts/,
      use: {
        browserName: "chromium",
        launchOptions,
      },
    },
    {
      name: "phone",
      testMatch: /(phone|accessibility|ambassadors)\.spec\.ts/,
      dependencies: ["chromium"],
      use: { browserName: "chromium", launchOptions },
    },
    {
      name: "uploads",
      testMatch: /uploads\.spec\.ts/,
      dependencies: ["chromium"],
      use: { browserName: "chromium", launchOptions },
    },
  ],
});
