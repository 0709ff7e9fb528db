// Lint, and the layers held by a rule rather than by hope:
//   core/     pure TypeScript: no `vscode`, no other folder of src/ (it also runs the CLI and the tests in Node);
//             grouped by job: api/ (the Gemini API), docs/ (markdown, sites, ignore rules), images/, fill/
//   platform/ the VS Code adapters: never commands/, studio/ or webview/
//   node/     Node adapters shared by the extension and the CLI: core and Node only, no `vscode`
//   cli/      the command-line tool and its MCP server: core and node/ only, never `vscode` or the extension's folders
//   webview/  the browser bundle: only the protocol and pure core
import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';

const layer = (message, patterns, paths = []) => ({
  'no-restricted-imports': ['error', { paths: paths.map((name) => ({ name, message })), patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.ut/**', 'node_modules/**', '.test-host/**', 'test-results/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      curly: 'error',
    },
  },
  {
    files: ['src/core/*.ts'],
    rules: layer('src/core/ is pure TypeScript: pass what it needs in (a callback or a small interface) instead of importing it.', ['../*', '!../core', '!../core/**', 'vscode'], ['vscode']),
  },
  {
    // core/api, core/docs, core/images, core/fill: each other and core's shared files, nothing outside core.
    files: ['src/core/*/*.ts'],
    rules: layer('src/core/ is pure TypeScript: pass what it needs in (a callback or a small interface) instead of importing it.', ['../../*', '!../../core', '!../../core/**', 'vscode'], ['vscode']),
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: layer('src/platform/ adapts VS Code for everything else; it must not depend on commands/, studio/ or webview/.', ['../commands', '../commands/*', '../studio', '../studio/*', '../webview', '../webview/*', '../extension']),
  },
  {
    files: ['src/node/**/*.ts'],
    rules: layer('src/node/ holds Node adapters for the extension and the CLI alike: it may use core/ and Node, never vscode.', ['../*', '!../core', '!../core/**', 'vscode'], ['vscode']),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: layer('src/cli/ runs without VS Code: it may use core/, node/ and the l10n bundles only.', ['../platform', '../platform/*', '../commands', '../commands/*', '../studio', '../studio/*', '../webview', '../webview/*', '../extension', 'vscode'], ['vscode']),
  },
  {
    // cli/commands/: the same layer, one folder down.
    files: ['src/cli/*/*.ts'],
    rules: layer('src/cli/ runs without VS Code: it may use core/, node/ and the l10n bundles only.', ['../../platform', '../../platform/*', '../../commands', '../../commands/*', '../../studio', '../../studio/*', '../../webview', '../../webview/*', '../../extension', 'vscode'], ['vscode']),
  },
  {
    files: ['src/web/**/*.ts'],
    rules: layer('src/web/ is the browser twin of src/node/: core only, nothing of Node.', ['../*', '!../core', '!../core/**', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'url', 'util', 'stream'], ['fs', 'path', 'os', 'crypto', 'http', 'https', 'url', 'util', 'stream', 'node-fetch']),
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: layer('The webview may import only the Studio protocol and pure core.', ['../*', '!../core', '!../core/**', '!../studio', '../studio/*', '!../studio/protocol'], ['vscode']),
  },
  {
    // Trusted markdown (command links, HTML) is made in one module, which escapes what goes in.
    files: ['src/**/*.ts'],
    ignores: ['src/platform/markdownString.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.property.name='MarkdownString'], NewExpression[callee.name='MarkdownString']", message: 'Make markdown through src/platform/markdownString.ts: it escapes outside text and limits command links.' },
        { selector: "MemberExpression[property.name=/^(isTrusted|supportHtml)$/], Property[key.name=/^(isTrusted|supportHtml)$/]", message: 'Only src/platform/markdownString.ts may trust markdown or turn HTML on.' },
      ],
    },
  },
  {
    // Text from a repository or a server is scanned in linear time: no pattern may backtrack
    // super-linearly or restart its search at every position (issue 31).
    files: ['src/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { report: 'potential' }],
      // A pattern built at run time is one the rules above cannot read, and data in it is outside text.
      'no-restricted-globals': ['error', { name: 'RegExp', message: 'Build no RegExp at run time: the linter cannot check it for super-linear backtracking. Write a literal, scan by hand (core/text), or run a pattern from settings through core/linearRegex.' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
