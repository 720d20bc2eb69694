import { z } from 'zod';

// The app's Content-Security-Policy forbids eval (desktop: content-security-policy.ts, web:
// backend/src/plugins/web-ui.ts). Unless told not to, zod probes `new Function` when it builds its
// first object schema, to decide whether to compile parsers, and every page load then reported a
// blocked eval as a policy violation: noise that would hide a real injection. main.tsx imports this
// module before any other, so it runs before the first schema is built. Parsing works the same.
z.config({ jitless: true });
