// ESLint for the whole monorepo, in one file: the code rules (typescript-eslint with type
// information for the server and the packages, the hooks rules for the web) and the
// architecture rules (eslint-plugin-boundaries) that keep the layers of STYLE.md apart.
//
// Formatting is Prettier's job (`npm run format`); like eslint-config-prettier we enable no
// stylistic rule here, so the two never fight. Run: `npm run lint` (type check + this).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';

/* ------------------------------------------------------------------------------------------
 * Architecture: which part of the code may import which.
 *
 * Why eslint-plugin-boundaries rather than dependency-cruiser: it runs inside the lint we run
 * anyway (one tool, one cache, the editor shows the red line where the import is written), and
 * it classifies files by path patterns that read like our layout. dependency-cruiser would be a
 * second tool with its own graph walk over 46k lines on every CI run.
 *
 * Elements (first match wins). Tests, the benchmark and e2e are not elements: they may reach
 * anything, because testing a module's insides is their job.
 * ---------------------------------------------------------------------------------------- */
export const architectureElements = [
  { type: 'contracts', pattern: 'packages/contracts' },
  { type: 'domain', pattern: 'packages/domain' },
  // The composition root: builds the app from the modules, so it may see inside all of them.
  { type: 'server-root', pattern: 'apps/server/src/modules/index.ts', mode: 'file' },
  { type: 'server-module', pattern: 'apps/server/src/modules/*', capture: ['module'] },
  // Infrastructure below the modules: shared by them, knows none of them.
  { type: 'server-infra', pattern: 'apps/server/src/(plugins|db|lib)' },
  { type: 'server-infra', pattern: 'apps/server/src/config.ts', mode: 'file' },
  // Triage is a module-like library (the classifier) the orders module calls; it knows no module.
  { type: 'server-infra', pattern: 'apps/server/src/triage' },
  // Programs over the modules: start-up, jobs, the demo seed. They wire modules, like the root.
  { type: 'server-app', pattern: 'apps/server/src/(app|main|boot).ts', mode: 'file' },
  { type: 'server-app', pattern: 'apps/server/src/(jobs|seed)' },
  { type: 'web-feature', pattern: 'apps/web/src/features/*', capture: ['feature'] },
  { type: 'web-shared', pattern: 'apps/web/src/(components|lib)' },
  { type: 'web-app', pattern: 'apps/web/src/app' },
  { type: 'web-app', pattern: 'apps/web/src/main.tsx', mode: 'file' },
];

const el = (type, extra = {}) => ({ to: { element: { type, ...extra } } });
const publicEntry = 'index.{ts,tsx}';

export const architectureRules = {
  'boundaries/dependencies': [
    'error',
    {
      default: 'disallow',
      // Also judge imports of packages (npm and node:), so @wenming/* by name is caught below.
      checkAllOrigins: true,
      policies: [
        // Packages from npm and node's own modules: anyone may use them (the workspace packages
        // @wenming/* are narrowed at the end).
        { allow: { to: { module: { origin: ['external', 'core'] } } } },
        // contracts: zod schemas only — it imports nothing of ours (no policy allows it anything
        // local; see the `external` rule below for @wenming/*).
        { from: { element: { type: 'contracts' } }, allow: [el('contracts')] },
        // domain: pure rules over the contracts' types; nothing above it.
        { from: { element: { type: 'domain' } }, allow: [el('domain'), el('contracts')] },
        // A server module: anything inside itself; another module only through its index.ts.
        {
          from: { element: { type: 'server-module' } },
          allow: [
            el('server-module', { captured: { module: '{{ from.captured.module }}' } }),
            el('server-module', { fileInternalPath: publicEntry }),
            el('server-infra'),
            el('domain'),
            el('contracts'),
          ],
        },
        // plugins/, db/, lib/, config, triage: the floor the modules stand on; never a module.
        { from: { element: { type: 'server-infra' } }, allow: [el('server-infra'), el('domain'), el('contracts')] },
        // The composition root (modules/index.ts) and the programs (app, main, jobs, seed) wire
        // everything together; that is the one place that may see inside modules.
        {
          from: { element: { types: { anyOf: ['server-root', 'server-app'] } } },
          allow: [el('server-root'), el('server-app'), el('server-module'), el('server-infra'), el('domain'), el('contracts')],
        },
        // A web feature: anything inside itself; another feature only through its index.ts;
        // the shared components and lib; contracts and domain. Never server code.
        {
          from: { element: { type: 'web-feature' } },
          allow: [
            el('web-feature', { captured: { feature: '{{ from.captured.feature }}' } }),
            el('web-feature', { fileInternalPath: publicEntry }),
            el('web-shared'),
            el('domain'),
            el('contracts'),
          ],
        },
        // components/ and lib/ of the web: below the features, they know none of them.
        { from: { element: { type: 'web-shared' } }, allow: [el('web-shared'), el('domain'), el('contracts')] },
        // app/ (router, providers, shells) mounts the features' pages: it may see inside them.
        {
          from: { element: { type: 'web-app' } },
          allow: [el('web-app'), el('web-feature'), el('web-shared'), el('domain'), el('contracts')],
        },
        // The same layers when a workspace package is named instead of reached by path (the
        // resolver treats @wenming/* as packages): contracts names none of ours, domain only
        // contracts, and the web never names the server. (Later policies override earlier ones.)
        { from: { element: { type: 'contracts' } }, disallow: { to: { module: { source: '@wenming/*' } } } },
        { from: { element: { type: 'domain' } }, disallow: { to: { module: { source: '@wenming/!(contracts)' } } } },
        { from: { element: { type: 'web-*' } }, disallow: { to: { module: { source: '@wenming/server' } } } },
      ],
    },
  ],
};

const boundariesBlock = {
  files: ['apps/*/src/**/*.{ts,tsx}', 'packages/*/src/**/*.ts'],
  plugins: { boundaries },
  settings: {
    'boundaries/elements': architectureElements,
    'boundaries/legacy-templates': false,
    // Four elements are single files (the composition root, config, the entry points), described
    // with `mode: 'file'`, which v7 calls legacy; they are deliberate, so no warning on each run.
    'boundaries/legacy-warnings': false,
    'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } },
  },
  rules: architectureRules,
};

// Unused names: a leading underscore says "deliberately unused" (a destructured field dropped from
// a rest object, a callback parameter kept for its position).
const unusedVars = [
  'error',
  { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'e2e/screenshots/**', 'e2e/.data/**', 'coverage/**'],
  },
  js.configs.recommended,
  // Server, packages, tests, bench: typed rules (they catch floating promises and unsafe `any`
  // flowing out of drivers and JSON — the bugs the type check alone lets through).
  {
    files: ['apps/server/**/*.ts', 'packages/**/*.ts', 'bench/**/*.ts', 'vitest.config.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-unused-vars': unusedVars,
      // Off: Fastify tells async hooks and plugins from callback-style ones by `async`, so an
      // async function with no await is how a hook says "I return a promise", not a slip.
      '@typescript-eslint/require-await': 'off',
    },
  },
  // Tests and the benchmark read responses with `res.json()`, which is `any` by design (the body
  // is what is under test); `expect` checks its shape, so the no-unsafe-* family would flag every
  // line of every test without finding anything. Off there only; src keeps them.
  {
    files: ['apps/server/test/**/*.ts', 'packages/*/test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // Web: the React hooks rules (rules of hooks, exhaustive deps) on top of typescript-eslint's
  // untyped recommended set; `tsc -p apps/web` already checks its types, and a typed lint of
  // the web would double the lint's time on two cores for rules the server set already covers.
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    extends: [...tseslint.configs.recommended],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      '@typescript-eslint/no-unused-vars': unusedVars,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // The UI sets Chinese text apart with the ideographic space (U+3000) on purpose; still
      // flagged in code, not in the text shown.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipJSXText: true }],
    },
  },
  // Plain JS: the CLI, the e2e runner, this file — Node.
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': unusedVars },
  },
  // The e2e journeys pass functions to page.evaluate, which run in the browser.
  {
    files: ['e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  boundariesBlock,
);
