// Lint rules, including the one-way dependency fence between the three zones:
//   src/core   pure TypeScript: no DOM-only, React, Comlink or Node imports
//   workers/   glue over the core (may use Comlink)
//   src/ui     React; may import the worker API *type* only, and the core
//   src/cli    Node entry over the core
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'zlib', 'stream', 'crypto', 'child_process', 'buffer', 'url', 'util'];

export default tseslint.config(
  { ignores: ['dist', 'dist-cli', 'node_modules', 'test-results', 'playwright-report', 'e2e-artifacts', 'dev-dist'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // CommonJS scripts (the CLI's bin loader) load modules with require().
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'src/core is pure: no React.' },
            { group: ['comlink'], message: 'src/core is pure: Comlink belongs in workers/.' },
            { group: ['zustand', '@tanstack/*'], message: 'src/core is pure: UI libraries belong in src/ui.' },
            { group: nodeBuiltins, message: 'src/core runs in a worker too: no Node built-ins.' },
            {
              group: ['**/ui/**', '**/cli/**', '**/workers/**', '../../workers/*'],
              message: 'src/core must not depend on outer zones.',
            },
            { group: ['**/test/**', '**/bench/**'], message: 'test helpers stay out of the shipped core.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'document', message: 'src/core has no DOM.' },
        { name: 'window', message: 'src/core has no DOM.' },
        { name: 'localStorage', message: 'src/core has no DOM.' },
        { name: 'process', message: 'src/core runs in a browser too.' },
        { name: 'Buffer', message: 'src/core runs in a browser too: use Uint8Array.' },
      ],
    },
  },
  {
    files: ['workers/**/*.ts'],
    ignores: ['workers/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'zustand', '**/ui/**'],
              message: 'workers/ is glue over the core: no UI.',
            },
            { group: nodeBuiltins, message: 'workers/ runs in the browser.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    ignores: ['src/ui/**/*.test.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'src/ui runs in the browser.' },
            { group: ['**/cli/**'], message: 'src/ui must not import the CLI.' },
            {
              regex: '(^|/)workers/(?!.*\\?worker$)',
              message: 'src/ui imports the worker API as a type only (import type), or the worker itself via ?worker.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
