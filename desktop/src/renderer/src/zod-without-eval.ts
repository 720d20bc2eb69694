/**
 * The zod every page of the app gets: in the renderer's builds `zod` resolves to this module
 * (desktop/renderer-aliases.ts), so zod is told not to use eval before
 * any schema anywhere (the shared API contract included) is built.
 *
 * The app's Content-Security-Policy forbids eval (desktop: content-security-policy.ts, web:
 * backend/src/plugins/web-ui.ts). Unless told not to, zod probes `new Function` as it builds its
 * first object schema, to decide whether to compile its parsers, and every page load reported that
 * blocked eval as a policy violation: noise that would hide a real injection. An import placed
 * first in main.tsx is not early enough: the bundler puts zod and the contract's schemas in a
 * chunk that is evaluated before main.tsx's own modules. Parsing works the same either way.
 */
import { z } from 'zod/v4';

z.config({ jitless: true });

export * from 'zod/v4';
export { z, z as default };
