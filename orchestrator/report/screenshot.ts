import * as fs from "node:fs";
import puppeteer from "puppeteer-core";

/** Where Debian's chromium lives; CHROMIUM_PATH overrides. tools/setup.sh installs it when missing. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => Boolean(p));
  return candidates.find((p) => fs.existsSync(p));
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PageShot {
  readonly png: Buffer;
  /** Console errors, page errors and failed requests while loading: a self-contained page has none. */
  readonly errors: readonly string[];
  /** Each requested selector's box in page coordinates (absent when not found). */
  readonly boxes: Readonly<Record<string, Box | undefined>>;
}

/** Loads an HTML file in headless Chromium with the network off and takes a full-page screenshot. */
export async function screenshotPage(htmlFile: string, selectors: readonly string[] = []): Promise<PageShot> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("chromium not found: run `npm run setup` (installs Debian's chromium) or set CHROMIUM_PATH");
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    // Containers run as root without user namespaces; the page is our own file.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`page: ${String(error)}`));
    page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()}`));
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      if (request.url().startsWith("file:") || request.url().startsWith("data:")) void request.continue();
      else {
        errors.push(`network request at view time: ${request.url()}`);
        void request.abort();
      }
    });
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(`file://${fs.realpathSync(htmlFile)}`, { waitUntil: "load" });
    const boxes: Record<string, Box | undefined> = {};
    for (const selector of selectors) {
      const handle = await page.$(selector);
      boxes[selector] = (await handle?.boundingBox()) ?? undefined;
    }
    const png = Buffer.from(await page.screenshot({ fullPage: true, type: "png" }));
    return { png, errors, boxes };
  } finally {
    await browser.close();
  }
}
