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
import { FAKE_KEY } from '../fake-gemini/server';
import { GUIDE, PAGE } from '../fixtures/docsTree';
import { BIN, cliEnv, fillTree, standIn, tree } from '../fixtures/cli';

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
    return { text: result.content.map((c) => c.text ?? '').join('\n'), isError: result.isError === true };
  }

  it('initializes and lists its five tools with their inputs', async () => {
    const dir = tree({});
    const { client, close } = await connect(dir);
    try {
      assert.strictEqual(client.getServerVersion()?.name, 'illustrate');
      const { tools } = await client.listTools();
      assert.deepStrictEqual(tools.map((t) => t.name).sort(), ['check_images', 'fill_missing_images', 'generate_image', 'list_models', 'write_alt_text']);
      assert.strictEqual(tools.find((t) => t.name === 'check_images')?.annotations?.readOnlyHint, true);
      const generate = tools.find((t) => t.name === 'generate_image');
      assert.deepStrictEqual((generate?.inputSchema as { required?: string[] }).required, ['prompt']);
      assert.ok(Object.keys((generate?.inputSchema as { properties: object }).properties).includes('document'));
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
