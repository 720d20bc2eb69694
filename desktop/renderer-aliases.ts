import { fileURLToPath } from 'node:url';

/**
 * What both builds of the renderer (the web build, vite.web.config.ts, and the desktop app's,
 * electron.vite.config.ts) resolve to the app's own module: `zod`, told before any schema is built
 * that the page's policy allows no eval (see src/renderer/src/zod-without-eval.ts).
 */
export const rendererAliases = [{ find: /^zod$/, replacement: fileURLToPath(new URL('./src/renderer/src/zod-without-eval.ts', import.meta.url)) }];
