import react from '@vitejs/plugin-react';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { rendererAliases } from './renderer-aliases.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Writes `.br` and `.gz` beside every script and stylesheet once, at build time, at settings too
 * slow to use per request (brotli 9 rather than 11, which tripled the build for 6% less); the server
 * sends them to browsers that accept them.
 */
function precompressAssets(): Plugin {
  let outDir = '';
  return {
    name: 'collaro-precompress-assets',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((name) => /\.(js|css|svg|json)$/.test(name));
      await Promise.all(
        files.map(async (name) => {
          const file = path.join(outDir, name);
          const content = await readFile(file);
          if (content.length < 1024) return;
          const [br, gz] = await Promise.all([
            brotli(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }),
            gzipAsync(content, { level: 9 }),
          ]);
          await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
        }),
      );
    },
  };
}

/**
 * The page asks for `GET /api/config` while its scripts download and start, instead of after:
 * the app's first request is then answered by the time it is made. Web build only: the desktop
 * app learns its server's address at run time.
 */
function preloadClientConfig(): Plugin {
  return {
    name: 'collaro-preload-client-config',
    transformIndexHtml: () => [
      // `crossorigin` makes the preload's credentials mode match the app's own fetch, so it is reused.
      { tag: 'link', attrs: { rel: 'preload', href: '/api/config', as: 'fetch', crossorigin: 'anonymous' }, injectTo: 'head' },
    ],
  };
}

const EARLY_SESSION_ENTRY = fileURLToPath(new URL('./src/renderer/src/early-session-entry.ts', import.meta.url));
/** Everything the early script imports: left out of the first-screen chunk, so the early script needs nothing of it. */
const EARLY_SESSION_MODULES = new Set(
  [
    EARLY_SESSION_ENTRY,
    './src/renderer/src/app/early-session.ts',
    './src/renderer/src/app/org-choice.ts',
    './src/renderer/src/app/paths.ts',
    './src/renderer/src/auth/refresh-token-store.ts',
  ].map((file) => (file.startsWith('.') ? fileURLToPath(new URL(file, import.meta.url)) : file)),
);

/**
 * Loads the early session restore (src/app/early-session.ts) as its own script ahead of the app's:
 * a module script runs only once every module it imports has arrived and been compiled, so inside
 * the app's bundle it would wait for all of it. The app's bundle imports the same module from it,
 * and takes over the refresh it started.
 */
function earlySessionScript(): Plugin {
  return {
    name: 'collaro-early-session-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (_html, context) => {
        const chunk = Object.values(context.bundle ?? {}).find(
          (output) => output.type === 'chunk' && output.isEntry && output.facadeModuleId === EARLY_SESSION_ENTRY,
        );
        if (!chunk) throw new Error('the web build has no early-session script');
        return [{ tag: 'script', attrs: { type: 'module', crossorigin: true, src: `/${chunk.fileName}` }, injectTo: 'head-prepend' }];
      },
    },
  };
}

/**
 * The browser build of the renderer, served by the backend at `/` (see backend/src/plugins/web-ui.ts).
 * Absolute `/assets/...` URLs work both there and under the desktop's `collaro-app://app/` origin.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  base: '/',
  plugins: [react(), preloadClientConfig(), earlySessionScript(), precompressAssets()],
  resolve: { alias: rendererAliases },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Maps are written for whoever builds (to read stack traces) but not linked from the bundles,
    // and the server does not serve them (backend/src/plugins/web-ui.ts).
    sourcemap: 'hidden',
    reportCompressedSize: false,
    // Clerk's SDK (about 1.5 MB) is one lazily loaded chunk, fetched only when the server uses Clerk.
    chunkSizeWarningLimit: 1600,
    rolldownOptions: {
      input: { index: fileURLToPath(new URL('./src/renderer/index.html', import.meta.url)), 'early-session': EARLY_SESSION_ENTRY },
      // The early script's chunk keeps the modules it shares with the app and exports them, so it
      // stays one request and the app uses the same module instances (the session it started).
      preserveEntrySignatures: 'allow-extension',
      output: {
        // Everything the first screen imports statically is one chunk beside the entry, rather than
        // some twenty small ones shared with lazily loaded screens: a browser opens six connections
        // to a server, so twenty scripts arrived in four rounds. Lazily loaded screens import from it.
        codeSplitting: {
          groups: [
            { name: 'early-session', test: (id) => EARLY_SESSION_MODULES.has(id), priority: 2 },
            { name: 'first-screen', tags: ['$initial'], priority: 1 },
          ],
        },
      },
    },
  },
});
