/**
 * `illustrate mcp`, the real server (the built CLI), driven by the MCP SDK's own client over stdio
 * against the stand-in API server.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { estimateDescribeCost } from '../../src/core/api/describe';
import { FAKE_KEY } from '../fake-gemini/server';
import { makePng } from '../fake-gemini/images';
import { GUIDE, PAGE } from '../fixtures/docsTree';
import { BIN, cliEnv, fillTree, imageCall, standIn, tree } from '../fixtures/cli';

interface ToolText {
  readonly text: string;
  readonly isError: boolean;
}

describe('illustrate mcp, through the MCP SDK client over stdio', function () {
  this.timeout(60_000);
  const { fake, url } = standIn();

  async function connect(cwd: string, options: { key?: string; roots?: string[] } = {}): Promise<{ client: Client; close: () => Promise<void>; stderr: () => string }> {
    const env = cliEnv({ ILLUSTRATE_API_KEY: options.key ?? FAKE_KEY, ILLUSTRATE_BASE_URL: url() }) as Record<string, string>;
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd, env, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const client = new Client({ name: 'illustrate-test', version: '1.0.0' }, { capabilities: options.roots ? { roots: { listChanged: false } } : {} });
    if (options.roots) {
      const roots = options.roots;
      client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: roots.map((r) => ({ uri: pathToFileURL(r).href, name: path.basename(r) })) }));
    }
    await client.connect(transport);
    return { client, close: () => client.close(), stderr: () => stderr };
  }

  async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolText> {
    const result = (await client.callTool({ name, arguments: args })) as { content: { type: string; text?: string }[]; isError?: boolean };
    // The text items (a written image also comes as a resource_link).
    return { text: result.content.flatMap((c) => (c.type === 'text' ? [c.text ?? ''] : [])).join('\n'), isError: result.isError === true };
  }

  /** The pictures asked for (a model list is free; reviews are counted apart). */
  const spent = () => fake.requests.filter(imageCall);

  /** A page with `count` images that have no alt text, each a small PNG of its own. */
  function altTree(count: number): string {
    const files: Record<string, string | Buffer> = { 'docs/flow.md': `# Flow\n\nThe request flow.\n\n${Array.from({ length: count }, (_, i) => `![](img/f${i}.png)`).join('\n')}\n` };
    for (let i = 0; i < count; i++) {
      files[`docs/img/f${i}.png`] = makePng(320 + i, 200);
    }
    return tree(files);
  }

  it('initializes and lists its seven tools with their inputs', async () => {
    const dir = tree({});
    const { client, close } = await connect(dir);
    try {
      assert.strictEqual(client.getServerVersion()?.name, 'illustrate');
      const { tools } = await client.listTools();
      assert.deepStrictEqual(tools.map((t) => t.name).sort(), ['check_images', 'fill_missing_images', 'generate_image', 'list_models', 'make_dark_twins', 'make_transparent', 'review_images', 'translate_images', 'write_alt_text']);
      assert.strictEqual(tools.find((t) => t.name === 'check_images')?.annotations?.readOnlyHint, true);
      const generate = tools.find((t) => t.name === 'generate_image');
      assert.deepStrictEqual((generate?.inputSchema as { required?: string[] }).required, ['prompt']);
      assert.ok(Object.keys((generate?.inputSchema as { properties: object }).properties).includes('document'));
    } finally {
      await close();
    }
  });

  it('every tool that writes or spends is annotated destructive; the others read only', async () => {
    const dir = tree({});
    const { client, close } = await connect(dir);
    try {
      const { tools } = await client.listTools();
      const hints = Object.fromEntries(tools.map((t) => [t.name, [t.annotations?.readOnlyHint, t.annotations?.destructiveHint]]));
      assert.deepStrictEqual(hints, {
        generate_image: [false, true],
        fill_missing_images: [false, true],
        make_transparent: [false, true],
        write_alt_text: [false, true],
        make_dark_twins: [false, true],
        review_images: [false, true],
        translate_images: [false, true],
        check_images: [true, undefined],
        list_models: [true, undefined],
      });
    } finally {
      await close();
    }
  });

  it('write_alt_text: max_cost is held against the worst case (each answer at maxOutputTokens), refused before anything is spent', async () => {
    const dir = altTree(3);
    const page = fs.readFileSync(path.join(dir, 'docs/flow.md'), 'utf8');
    const { client, close } = await connect(dir);
    try {
      // Above the plan's estimate (about 60 output tokens an answer), below what 3 answers of 1,024 output tokens bill.
      const typical = estimateDescribeCost('gemini-3.1-flash-lite', 150, 3)!;
      const maxCost = Number((typical * 1.5).toFixed(6));
      assert.ok(maxCost > typical && maxCost < (3 * 1024 * 1.5) / 1e6, String(maxCost));
      const refused = await call(client, 'write_alt_text', { max_cost: maxCost });
      assert.strictEqual(refused.isError, true, refused.text);
      assert.match(refused.text, new RegExp(`^Nothing was described: 3 descriptions could cost up to ≈ \\$0\\.00\\d+ \\(each answer at most 1,024 output tokens; estimated ≈ \\$0\\.000\\d+\\), above max_cost \\(\\$${maxCost}\\)\\.`));
      assert.strictEqual(spent().length, 0, 'the stand-in was sent nothing to describe');
      assert.strictEqual(fs.readFileSync(path.join(dir, 'docs/flow.md'), 'utf8'), page);
      const ran = await call(client, 'write_alt_text', { max_cost: 0.01 });
      assert.strictEqual(ran.isError, false, ran.text);
      assert.match(ran.text, /^Described 3 of 3 · 0 failed/);
      assert.strictEqual(spent().length, 3);
    } finally {
      await close();
    }
  });

  it('write_alt_text reports what each answer says it cost (usageMetadata, thinking included); the table estimate where an answer says nothing', async () => {
    const page = '# Flow\n\nThe request flow.\n\n![](i.png)\n';
    const { client, close } = await connect(tree({ 'one/p.md': page, 'one/i.png': makePng(320, 200), 'two/p.md': page, 'two/i.png': makePng(321, 200) }));
    try {
      // gemini-3.1-flash-lite: $0.25 in, $1.50 out per million; thinking is billed as output.
      fake.usage = { promptTokenCount: 2000, candidatesTokenCount: 40, thoughtsTokenCount: 960, totalTokenCount: 3000 };
      const billed = await call(client, 'write_alt_text', { path: 'one' });
      assert.strictEqual(billed.isError, false, billed.text);
      assert.match(billed.text, /^Described 1 of 1 · 0 failed · cost ≈ \$0\.0020\n/);
      fake.usage = null;
      const silent = await call(client, 'write_alt_text', { path: 'two' });
      assert.strictEqual(silent.isError, false, silent.text);
      const estimate = estimateDescribeCost('gemini-3.1-flash-lite', 150, 1)!;
      assert.ok(estimate >= 0.0001, String(estimate));
      assert.match(silent.text, new RegExp(`^Described 1 of 1 · 0 failed · cost ≈ \\$${estimate.toFixed(4).replace('.', '\\.')}\\n`));
    } finally {
      await close();
    }
  });

  it('generate_image is priced from the answer\'s usage; from the table where the answer has none (never $0)', async () => {
    const dir = tree({});
    const { client, close } = await connect(dir);
    try {
      // The usage Google sent with a 3.1 Flash Image answer (../shared/real-responses): 10 in, 1,392 out at $0.50 / $60.
      fake.usage = { promptTokenCount: 10, candidatesTokenCount: 1392, totalTokenCount: 1402, candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1120 }] };
      const billed = await call(client, 'generate_image', { prompt: 'a kite', path: 'kite.png' });
      assert.match(billed.text, /^Wrote kite\.png \(.*, gemini-3\.1-flash-image, ≈ \$0\.084\)/);
      fake.usage = null;
      const silent = await call(client, 'generate_image', { prompt: 'a boat', path: 'boat.png' });
      assert.match(silent.text, /^Wrote boat\.png \(.*, gemini-3\.1-flash-image, ≈ \$0\.067\)/);
    } finally {
      await close();
    }
  });

  it('fill_missing_images: max_cost is held before each image against what was spent, as the answers bill it', async () => {
    const dir = tree({ 'a.md': '![a fox](img/fox.png)\n![an owl](img/owl.png)\n' });
    const { client, close } = await connect(dir);
    try {
      // Each answer bills 1,392 output tokens ($0.0835) where the table says 1,120 ($0.067): the first leaves too little for the second.
      fake.usage = { promptTokenCount: 10, candidatesTokenCount: 1392, totalTokenCount: 1402 };
      const ran = await call(client, 'fill_missing_images', { max_cost: 0.14, review: 'off' });
      assert.strictEqual(ran.isError, false, ran.text);
      assert.match(ran.text, /^Filled 1 of 2 · 0 failed · 1 not started · cost ≈ \$0\.084 /);
      assert.match(ran.text, /\nstopped: The next call could cost up to ≈ \$0\.067, more than is left of max_cost \(\$0\.14, ≈ \$0\.084 spent or running\)\. Nothing more was sent/);
      assert.strictEqual(spent().length, 1, 'the second image was never asked for');
    } finally {
      await close();
    }
  });

  it('generate_image writes the file and links it in the document; list_models gives prices', async () => {
    const dir = tree({ 'docs/intro.md': '# Intro\n\nText.\n' });
    const { client, close } = await connect(dir);
    try {
      const made = await call(client, 'generate_image', { prompt: 'a paper plane', document: 'docs/intro.md', line: 3, aspect_ratio: '1:1' });
      assert.strictEqual(made.isError, false, made.text);
      assert.match(made.text, /^Wrote docs\/images\/a-paper-plane\.png \(1024×1024 PNG, gemini-3\.1-flash-image, ≈ \$/);
      assert.ok(made.text.includes('![a paper plane](images/a-paper-plane.png)'));
      assert.strictEqual(fs.readFileSync(path.join(dir, 'docs/intro.md'), 'utf8'), '# Intro\n\n![a paper plane](images/a-paper-plane.png)\n\nText.\n');
      assert.strictEqual(fs.readFileSync(path.join(dir, 'docs/images/a-paper-plane.png')).subarray(1, 4).toString('latin1'), 'PNG');
      const models = await call(client, 'list_models', {});
      assert.strictEqual(models.isError, false);
      assert.match(models.text, /gemini-3-pro-image — .* per image at 1K/);
    } finally {
      await close();
    }
  });

  it('fill_missing_images: a dry run lists the plan; a run makes every image with the editor\'s rules', async () => {
    const { dir, outside } = fillTree();
    const { client, close } = await connect(dir);
    try {
      const plan = await call(client, 'fill_missing_images', { path: 'docs', dry_run: true });
      assert.strictEqual(plan.isError, false, plan.text);
      assert.match(plan.text, /^7 missing image\(s\) in 3 document\(s\)/);
      assert.match(plan.text, /- docs\/guide\.md: linked\/escape\.png — skipped: through a symbolic link/);
      assert.strictEqual(fake.requests.length, 0);
      const ran = await call(client, 'fill_missing_images', { path: 'docs' });
      assert.strictEqual(ran.isError, false, ran.text);
      assert.match(ran.text, /^Filled 7 of 7 · 0 failed/);
      assert.strictEqual(fs.readFileSync(path.join(dir, 'docs/guide.md'), 'utf8'), GUIDE, 'every link as written: each image in its link’s format');
      assert.strictEqual(fs.readFileSync(path.join(dir, 'docs/nested/deeper/page.md'), 'utf8'), PAGE);
      assert.deepStrictEqual(fs.readdirSync(outside), []);
    } finally {
      await close();
    }
  });

  it('a failure is an isError result with the clear message, and the server keeps answering', async () => {
    const dir = tree({ 'doc.md': '# Doc\n' });
    const { client, close, stderr } = await connect(dir);
    try {
      const outside = await call(client, 'generate_image', { prompt: 'x', path: '../escape.png' });
      assert.strictEqual(outside.isError, true);
      assert.match(outside.text, /outside/);
      const blocked = await call(client, 'generate_image', { prompt: 'a thing [fake:blocked]', document: 'doc.md' });
      assert.strictEqual(blocked.isError, true);
      assert.match(blocked.text, /block|safety/i);
      assert.ok(!/[{}<>]/.test(blocked.text), `no raw JSON or HTML: ${blocked.text}`);
      fake.validKey = 'another-key-0000000';
      const refused = await call(client, 'generate_image', { prompt: 'a cat', path: 'cat.png' });
      assert.strictEqual(refused.isError, true);
      assert.ok(!refused.text.includes(FAKE_KEY));
      fake.validKey = FAKE_KEY;
      const ok = await call(client, 'generate_image', { prompt: 'a cat', path: 'cat.png' });
      assert.strictEqual(ok.isError, false, ok.text);
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['cat.png', 'doc.md']);
      assert.strictEqual(fs.readFileSync(path.join(dir, 'doc.md'), 'utf8'), '# Doc\n');
      assert.ok(!stderr().includes(FAKE_KEY));
    } finally {
      await close();
    }
  });

  it('writes only inside the roots the client declares', async () => {
    const cwd = tree({});
    const project = tree({ 'README.md': '# Project\n' });
    const { client, close } = await connect(cwd, { roots: [project] });
    try {
      // The roots are asked for after initialization: give the server a moment to hear back.
      for (let i = 0; i < 50; i++) {
        const r = await call(client, 'generate_image', { prompt: 'a kite', path: path.join(project, 'kite.png') });
        if (!r.isError) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(fs.existsSync(path.join(project, 'kite.png')));
      const inCwd = await call(client, 'generate_image', { prompt: 'a kite', path: path.join(cwd, 'kite.png') });
      assert.strictEqual(inCwd.isError, true, 'the working directory is not a root once the client names its own');
      assert.deepStrictEqual(fs.readdirSync(cwd), []);
      const relative = await call(client, 'generate_image', { prompt: 'a boat', path: 'boat.png' });
      assert.strictEqual(relative.isError, false, relative.text);
      assert.ok(fs.existsSync(path.join(project, 'boat.png')), 'relative paths are from the first root');
    } finally {
      await close();
    }
  });
});
