// Bundles the extension (Node, CommonJS), the command-line tool and the Studio's browser script.
const path = require('path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--cli`: the command-line tool alone (its bundle, codec worker and WebAssembly), for the GitHub
// Action, which installs only what that build needs (the illustrate-cli workspace's devDependencies).
const cliOnly = process.argv.includes('--cli');

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

/**
 * The web build swaps the two Node adapters for their browser twins: HTTP over the browser's fetch,
 * and no local disk (links are checked through vscode.workspace.fs).
 */
const browserAdapters = {
  name: 'browser-adapters',
  setup(build) {
    build.onResolve({ filter: /\/node\/(http|realPath|codec)$/ }, (args) => ({ path: path.join(__dirname, 'src', 'web', `${path.basename(args.path)}.ts`) }));
  },
};

/** Fails the web build when anything of Node is left in it. */
const noNodeInBrowser = {
  name: 'no-node-in-browser',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length || !result.metafile) {
        return;
      }
      const problems = [];
      for (const [file, info] of Object.entries(result.metafile.outputs)) {
        if (!file.endsWith('.js')) {
          continue;
        }
        const text = require('fs').readFileSync(file, 'utf8');
        for (const pattern of [/\brequire\(["'](fs|path|os|crypto|http|https|net|stream|zlib|url|util|child_process)["']\)/, /\bBuffer\.(from|alloc|concat|isBuffer|byteLength)\b/, /\bnode-fetch\b/]) {
          if (pattern.test(text)) {
            problems.push(`${file} contains ${pattern.source}`);
          }
        }
        // A budget, raised with the features (stale images, editing, alt text; reviews and transparency
        // took it from 238 to 262 KB; dark twins in the editor, their plan and each site's markup, from
        // 273 to 291 KB; translated pictures in the editor, their pages per generator and the plan,
        // to 315 KB; the Studio's dark twins and Make Backgrounds Transparent… over a folder, to 329 KB):
        // what a browser loads before the first command.
        if (production && info.bytes > 344 * 1024) {
          problems.push(`${file} is ${Math.round(info.bytes / 1024)} KB (over 344 KB)`);
        }
      }
      for (const p of problems) {
        result.errors.push({ text: `web bundle: ${p}`, location: null });
        console.error(`✘ [ERROR] web bundle: ${p}`);
      }
    });
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
    !cliOnly && esbuild.context({
      ...common,
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['vscode'],
      plugins: [problemReporter, noStreamsPolyfill],
    }),
    !cliOnly && esbuild.context({
      ...common,
      // The same extension for the browser's web worker extension host (vscode.dev, github.dev).
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/web/extension.js',
      format: 'cjs',
      platform: 'browser',
      target: 'es2022',
      external: ['vscode'],
      metafile: true,
      plugins: [problemReporter, browserAdapters, noNodeInBrowser],
    }),
    esbuild.context({
      ...common,
      // The command-line tool and its MCP server: one file with everything in it, for `npm install -g`;
      // beside it the GitHub Action's steps (scripts/action.js runs them; not in the npm package).
      entryPoints: { illustrate: 'src/cli/bin.ts', action: 'src/cli/action.ts' },
      outdir: 'packages/cli/dist',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: false,
      plugins: [problemReporter, noStreamsPolyfill],
    }),
    ...['dist', 'packages/cli/dist'].filter((outdir) => !cliOnly || outdir === 'packages/cli/dist').map((outdir) =>
      esbuild.context({
        ...common,
        // The image codec's worker thread (jSquash), for the extension host and the command line alike.
        entryPoints: { codecWorker: 'src/node/codecWorker.ts' },
        outdir,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        sourcemap: false,
        // The emscripten glue asks import.meta.url where its .wasm is; the worker hands it the module instead.
        define: { 'import.meta.url': '"file:///codec"' },
      }),
    ),
    !cliOnly && esbuild.context({
      ...common,
      // The image codec's Web Worker for the web build, started from a blob: URL by src/web/codec.ts.
      entryPoints: { codecWorker: 'src/web/codecWorker.ts' },
      outdir: 'dist/web',
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      sourcemap: false,
      define: { 'import.meta.url': '"https://codec.invalid/"' },
    }),
    !cliOnly && esbuild.context({
      ...common,
      // The page's own script, then the web components in a second bundle that loads after first paint.
      entryPoints: { webview: 'src/webview/main.ts', elements: 'src/webview/elements.ts' },
      outdir: 'dist',
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
    }),
  ].filter(Boolean));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  copyWasm(cliOnly ? ['packages/cli/dist/wasm'] : ['dist/wasm', 'packages/cli/dist/wasm']);
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (results.some((r) => r.errors.length > 0)) {
    process.exit(1);
  }
}

/** The codecs' WebAssembly, beside the worker that loads it (the extension's own folder, the CLI's). */
const WASM = [
  '@jsquash/png/codec/pkg/squoosh_png_bg.wasm',
  '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm',
  '@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm',
  '@jsquash/webp/codec/enc/webp_enc_simd.wasm',
  '@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm',
];
function copyWasm(dirs) {
  const fs = require('fs');
  for (const dir of dirs) {
    fs.mkdirSync(dir, { recursive: true });
    for (const file of WASM) {
      fs.copyFileSync(require.resolve(file), path.join(dir, path.basename(file)));
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
