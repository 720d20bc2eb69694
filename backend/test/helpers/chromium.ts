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
