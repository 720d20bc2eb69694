import type { Locator, Page } from 'playwright-core';

/**
 * Frames the first video matching `selector` shows, counted until `minimum` arrive or 10 s pass: a
 * playing video reaches it however slowly a loaded machine paints, a frozen one never does.
 */
export async function framesDecoded(page: Page, selector: string, minimum = 5): Promise<number> {
  return page.evaluate(
    async ({ selector, minimum }) => {
      const video = document.querySelector<HTMLVideoElement>(selector);
      if (!video) return 0;
      let frames = 0;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        const count = () => {
          frames += 1;
          if (frames >= minimum) {
            clearTimeout(timer);
            resolve();
          } else video.requestVideoFrameCallback(count);
        };
        video.requestVideoFrameCallback(count);
      });
      return frames;
    },
    { selector, minimum },
  );
}

/**
 * Clicks a control in the room. The room paints video all the time, and on a loaded machine
 * Playwright's checks after a pointer click can wait on the busy renderer past any timeout; the
 * click event itself is what React acts on, so the room's controls get it dispatched.
 */
export async function press(locator: Locator): Promise<void> {
  await locator.waitFor();
  await locator.dispatchEvent('click');
}
