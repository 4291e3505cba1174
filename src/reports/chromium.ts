/**
 * Headless Chromium (Debian `chromium` at /usr/bin/chromium, driven by playwright-core) for PDF
 * output and for screenshots. Each launch gets a fresh, throw-away profile directory; networking,
 * sync and component updates are off (the report is self-contained, it needs nothing outside).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.BULWARK_CHROMIUM_PATH ?? '/usr/bin/chromium';

const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** Runs `work` in a fresh headless Chromium; closes it and removes its profile afterwards. */
export async function withChromium<T>(work: (context: BrowserContext) => Promise<T>, executablePath: string = CHROMIUM_PATH): Promise<T> {
  if (!existsSync(executablePath)) throw new Error(`headless Chromium not found at ${executablePath} (install Debian chromium, or set BULWARK_CHROMIUM_PATH)`);
  const profile = mkdtempSync(join(tmpdir(), 'bulwark-chromium-'));
  // playwright passes the profile as --user-data-dir itself (launchPersistentContext).
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args, offline: true, timeout: 60_000 });
  try {
    return await work(context);
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Prints the HTML to an A4 PDF (backgrounds kept). */
export async function htmlToPdf(html: string, executablePath?: string): Promise<Buffer> {
  return withChromium(async (context) => {
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return page.pdf({ format: 'A4', printBackground: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
  }, executablePath);
}

/** A PNG of the first screen of a page (a file: URL or HTML), at an A4-like viewport. */
export async function screenshotFirstPage(target: { url: string } | { html: string }, viewport = { width: 794, height: 1123 }, executablePath?: string): Promise<Buffer> {
  return withChromium(async (context) => {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    if ('url' in target) await page.goto(target.url, { waitUntil: 'load' });
    else await page.setContent(target.html, { waitUntil: 'load' });
    return page.screenshot({ type: 'png', fullPage: false });
  }, executablePath);
}
