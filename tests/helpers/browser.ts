import { chromium, type Browser, type Page } from "playwright-core";

/**
 * Debian's Chromium, never a downloaded build. Without the background-networking flags Chromium keeps
 * trying to reach Google's hosts, which this machine's closed network refuses.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/**
 * Records what a person would call broken: a script error, a CSP refusal (logged as a console error),
 * or a response the test did not expect (by default any 4xx or 5xx). Failed loads are reported by
 * the response listener with their URL rather than by the console's generic line.
 */
export function watchPage(page: Page, problems: string[], isBad: (status: number) => boolean = (s) => s >= 400): Page {
  page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("response", (r) => { if (isBad(r.status())) problems.push(`response: ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
  return page;
}
