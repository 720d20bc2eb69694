/** Where the tests find Debian's Chromium, and the flags that make it work headless on these machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** From STACK.md: headless, fake camera, microphone and screen, and no background traffic. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // A page served by Playwright's router is not placed on the loopback address space, and
  // Chromium would block its WebSocket to 127.0.0.1 as a public-to-local request.
  '--disable-features=LocalNetworkAccessChecks',
];

/** Bundles a test page's entry (the app's own modules and what they import) into one script a page can run. */
export async function bundleForBrowser(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
