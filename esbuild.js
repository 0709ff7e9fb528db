// Bundles the extension (Node, CommonJS), the command-line tool and the Studio's browser script.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build problems in the form VS Code's problem matchers read. */
const problemReporter = {
  name: 'problem-reporter',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) {
          console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * fetch-blob (under node-fetch) falls back to a 60 KB web-streams polyfill when the runtime has no
 * ReadableStream. VS Code's Node always has one, so the fallback is left out of the bundle.
 */
const noStreamsPolyfill = {
  name: 'no-streams-polyfill',
  setup(build) {
    build.onResolve({ filter: /^web-streams-polyfill/ }, () => ({ path: 'web-streams-polyfill', namespace: 'empty' }));
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemReporter],
};

async function main() {
  const contexts = await Promise.all([
    esbuild.context({
      ...common,
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['vscode'],
      plugins: [problemReporter, noStreamsPolyfill],
    }),
    esbuild.context({
      ...common,
      // The command-line tool and its MCP server: one file with everything in it, for `npm install -g`.
      entryPoints: ['src/cli/bin.ts'],
      outfile: 'packages/cli/dist/illustrate.js',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: false,
      plugins: [problemReporter, noStreamsPolyfill],
    }),
    esbuild.context({
      ...common,
      // The page's own script, then the web components in a second bundle that loads after first paint.
      entryPoints: { webview: 'src/webview/main.ts', elements: 'src/webview/elements.ts' },
      outdir: 'dist',
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
    }),
  ]);
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (results.some((r) => r.errors.length > 0)) {
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
