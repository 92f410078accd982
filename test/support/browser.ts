/** Debian's Chromium for the browser suites (installed when missing); no silent skip without it. */
import { chromium, type Browser } from 'playwright-core';
import { ensureChromium } from '../../scripts/local-stack/chromium.js';

export async function launchChromium(): Promise<Browser> {
  const found = ensureChromium();
  if ('unavailable' in found) throw new Error(`Chromium is needed for this suite: ${found.unavailable}`);
  return chromium.launch({ executablePath: found.path, args: ['--no-sandbox'] });
}
