// ESLint for the whole repository: typescript-eslint with type information (one TypeScript
// project service over the workspaces' tsconfigs), React's hook rules in the renderer, and the
// import rules that keep the layers apart (see docs/architecture.md). Formatting is Prettier's job:
// eslint-config-prettier comes last and turns off every rule that would fight it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Packages that need Node, a server or a UI framework: none belongs in shared/. */
const NODE_SERVER_AND_UI_PACKAGES = [
  'react',
  'react-dom',
  'react-router',
  'electron',
  'fastify',
  'fastify-plugin',
  'drizzle-orm',
  'pg',
  'ioredis',
  'ws',
  '@electric-sql/pglite',
];

/** Builds a no-restricted-imports rule: the given packages and every `node:` built-in, with a reason. */
function restrictedImports(packages, scopes, message) {
  return [
    'error',
    {
      paths: packages.map((name) => ({ name, message })),
      patterns: [{ group: ['node:*', ...packages.map((name) => `${name}/*`), ...scopes.map((scope) => `${scope}/*`)], message }],
    },
  ];
}

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/out/',
    '**/dist/',
    '**/coverage/',
    '**/.tsbuild/',
    'test-results/',
    'bench/results/',
    'migrations/',
    '.collaro-data/',
  ]),

  js.configs.recommended,
  {
    // Control characters are matched on purpose: input sanitising and terminal-escape checks.
    rules: { 'no-control-regex': 'off' },
  },

  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: {
          // Config files at the root belong to no workspace's tsconfig.
          allowDefaultProject: ['vitest.config.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // An async function without await is how a handler or an interface method says "returns a promise".
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // React event handlers may be async: React ignores what they return.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // Scripts outside every workspace's tsconfig (the benchmarks' servers and drivers, shared's tests run
    // by vitest): linted without type information until they get a tsconfig of their own.
    files: ['bench/**/*.ts', 'shared/test/**/*.ts', 'desktop/vite.web.config.ts'],
    ignores: ['bench/ui/**'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Tests read untyped JSON (responses, frames, harness messages) and assert on it with expect():
    // the no-unsafe family would ask for a cast on every line without catching anything.
    files: ['**/test/**/*.{ts,tsx}', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Runs inside the harness's Chromium pages, not in Node.
    files: ['desktop/test/harness/page-runtime.js'],
    languageOptions: { globals: { ...globals.browser } },
  },

  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['shared/tsconfig.json', 'backend/tsconfig.json', 'desktop/tsconfig.*.json', 'e2e/tsconfig.json'],
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './shared',
              from: ['./backend', './desktop', './e2e', './bench'],
              message: 'shared/ is what every side agrees on: it imports none of them.',
            },
            {
              target: './desktop/src/renderer',
              from: ['./desktop/src/main', './desktop/src/preload', './desktop/src/picker', './backend'],
              message: 'The renderer reaches main only through the preload bridge (window.collaro) and the backend only over HTTP and the WebSocket.',
            },
            {
              target: './desktop/src/main',
              from: ['./desktop/src/renderer', './desktop/src/preload', './desktop/src/picker', './backend'],
              message: 'Main talks to pages through IPC declared in shared/, never by importing their code.',
            },
            {
              target: ['./desktop/src/preload', './desktop/src/picker/picker-preload.ts', './desktop/src/picker/sharing-bar-preload.ts'],
              from: ['./desktop/src/main', './desktop/src/renderer', './backend'],
              message: 'A preload imports only shared/ (and other preload code): it runs sandboxed in the page.',
            },
            {
              // Infrastructure (database, plugins, policy, realtime, auth) may read a feature's tables
              // through its repository, never call up into its routes, service, frame handlers or plugin.
              target: ['./backend/src/db', './backend/src/plugins', './backend/src/policy', './backend/src/realtime', './backend/src/auth'],
              from: ['./backend/src/modules/*/{routes,service,frame-handlers,plugin}.ts'],
              message: "Infrastructure sits under the feature modules: it may use a module's repository only.",
            },
            {
              target: './backend/src/modules/*/*repository.ts',
              from: ['./backend/src/modules/*/{routes,service,frame-handlers,plugin}.ts'],
              message: 'A repository is the SQL and nothing else: it never reaches up into routes, services or frame handlers.',
            },
            {
              target: './backend/src',
              from: ['./desktop', './e2e', './bench'],
              message: 'The backend stands alone: the desktop app is one of its clients.',
            },
          ],
        },
      ],
    },
  },

  {
    files: ['shared/src/**'],
    rules: {
      'no-restricted-imports': restrictedImports(
        NODE_SERVER_AND_UI_PACKAGES,
        ['@fastify', '@stream-io', '@clerk', '@radix-ui', '@tanstack'],
        'shared/ runs in the renderer, the preloads, main and the backend: it imports no Node, server or UI code.',
      ),
    },
  },
  {
    files: ['desktop/src/preload/**', 'desktop/src/picker/*-preload.ts'],
    rules: {
      'no-restricted-imports': restrictedImports(
        NODE_SERVER_AND_UI_PACKAGES.filter((name) => name !== 'electron'),
        ['@fastify'],
        "Preloads run sandboxed: electron's renderer modules and shared/ only.",
      ),
    },
  },
  {
    files: ['desktop/src/renderer/**'],
    rules: {
      'no-restricted-imports': restrictedImports(
        NODE_SERVER_AND_UI_PACKAGES.filter((name) => !name.startsWith('react')),
        ['@fastify'],
        'The renderer is a web page: no Node, Electron or server code.',
      ),
    },
  },

  {
    files: ['desktop/src/renderer/**/*.{ts,tsx}', 'desktop/test/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // The classic hook rules. The React Compiler's rules (purity, refs, set-state-in-effect...) judge
      // code for a compiler this app does not use; they would flag working effects, not bugs.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // Props and hook results are objects of plain functions whose types read as methods.
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  {
    // No source file over 400 lines: split by responsibility instead.
    files: ['shared/src/**', 'backend/src/**', 'desktop/src/**'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },

  prettier,
);
