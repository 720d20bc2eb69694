import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The browser build of the renderer, served by the backend at `/` (see backend/src/plugins/web-ui.ts).
 * Absolute `/assets/...` URLs work both there and under the desktop's `collaro-app://app/` origin.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    // Clerk's SDK (about 1.5 MB) is one lazily loaded chunk, fetched only when the server uses Clerk.
    chunkSizeWarningLimit: 1600,
  },
});
