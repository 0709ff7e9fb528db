/** The site model through the command line: a fill of an MDX page leaves its JSX byte for byte. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { FAKE_KEY, FakeGemini } from '../fake-gemini/server';
import { cliEnv, illustrate, tree } from '../fixtures/cli';

describe('the site model, on probes', () => {
  it('a fill of an MDX page changes nothing in it: the JSX stays byte for byte', async () => {
    const fake = new FakeGemini();
    const base = await fake.start();
    try {
      const page = "import x from './x.png';\n\n<img src={x} alt=\"an x\" />\n\n![a harbour \\[fake:jpegAsPng\\]](harbour.png)\n";
      const dir = tree({ 'website/docusaurus.config.js': '', 'website/docs/p.mdx': page });
      const r = await illustrate(dir, ['fill', '--yes'], cliEnv({ ILLUSTRATE_API_KEY: FAKE_KEY, ILLUSTRATE_BASE_URL: base }));
      assert.strictEqual(r.code, 0, r.stderr);
      assert.strictEqual(fs.readFileSync(path.join(dir, 'website/docs/p.mdx'), 'utf8'), page, 'the JPEG answer is written as the PNG the link names');
    } finally {
      await fake.stop();
    }
  });
});
