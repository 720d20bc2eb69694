/** Where the tests find Debian's Chromium, and the flags that make it work headless on these machines. */
export declare const CHROMIUM_PATH: string;
/** From STACK.md: headless, fake camera, microphone and screen, and no background traffic. */
export declare const CHROMIUM_FLAGS: string[];
/** Bundles a test page's entry (the app's own modules and what they import) into one script a page can run. */
export declare function bundleForBrowser(entry: string): Promise<string>;
