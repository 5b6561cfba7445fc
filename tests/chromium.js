// Headless Chromium for the browser and edge tests: the Debian package driven by
// playwright-core (never a downloaded browser). null where it is absent; the caller skips
// with a notice.
import { existsSync } from "node:fs";

export const CHROMIUM = "/usr/bin/chromium";

/** A launched browser, or null (with the reason printed) where there is no Chromium. */
export async function launchChromium(what) {
  if (!existsSync(CHROMIUM)) {
    console.log(`  skipped ${what}: no ${CHROMIUM} (apt-get install chromium)`);
    return null;
  }
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    // No sandbox (CI runs as root) and nothing that reaches the network by itself.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
