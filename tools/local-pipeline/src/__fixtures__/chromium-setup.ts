import { ensureChromium } from './chromium';

/** Jest global setup: installs Debian's chromium for the browser tests when it is missing (root only). */
export default function installChromium(): void {
  const result = ensureChromium();
  if (!result.path) process.stderr.write(`\n[local-pipeline] browser tests will be skipped: ${result.reason}\n`);
}
