/**
 * `illustrate mcp` results an agent can use: each tool's `outputSchema` and `structuredContent`,
 * written images as `resource_link`s, progress and cancel, the protocol's own errors, the roots
 * rule and the registry's `server.json`. The real server (the built CLI) and the SDK's own client.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import { CallToolResult, ErrorCode, ListRootsRequestSchema, McpError, Progress, Tool } from '@modelcontextprotocol/sdk/types.js';
import { FAKE_KEY } from '../fake-gemini/server';
import { composeOver, makeJpeg, makePng, rgbPng, sprite } from '../fake-gemini/images';
import { readProvenance } from '../../src/core/images/metadata';
import { BIN, cliEnv, imageCall, standIn, tree } from '../fixtures/cli';

const ROOT = path.resolve(__dirname, '../../..');

describe('illustrate mcp: results agents can use (SDK client over stdio)', function () {
  this.timeout(60_000);
  const { fake, url } = standIn();

  /** How the client answers `roots/list`: the folders, an error, or never. */
  type Roots = { readonly folders: string[] } | { readonly fail: string } | { readonly never: true };

  async function connect(cwd: string, roots?: () => Roots): Promise<{ client: Client; tools: Tool[]; close: () => Promise<void> }> {
    const env = cliEnv({ ILLUSTRATE_API_KEY: FAKE_KEY, ILLUSTRATE_BASE_URL: url() }) as Record<string, string>;
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd, env, stderr: 'pipe' });
    const client = new Client({ name: 'illustrate-test', version: '1.0.0' }, { capabilities: roots ? { roots: { listChanged: false } } : {} });
    if (roots) {
      client.setRequestHandler(ListRootsRequestSchema, async () => {
        const answer = roots();
        if ('fail' in answer) {
          throw new Error(answer.fail);
        }
        if ('never' in answer) {
          return new Promise<never>(() => undefined);
        }
        return { roots: answer.folders.map((r) => ({ uri: pathToFileURL(r).href, name: path.basename(r) })) };
      });
    }
    await client.connect(transport);
    // Listing the tools first makes the client check every result against its tool's outputSchema.
    const { tools } = await client.listTools();
    return { client, tools, close: () => client.close() };
  }

  const validator = new AjvJsonSchemaValidator();

  /** The structured result, checked here against the tool's declared outputSchema (the client checked it too). */
  function structured(tools: Tool[], name: string, result: CallToolResult): Record<string, unknown> {
    const schema = tools.find((t) => t.name === name)?.outputSchema;
    assert.ok(schema, `${name} declares an outputSchema`);
    assert.ok(result.structuredContent, `${name} returned structuredContent: ${JSON.stringify(result.content)}`);
    const checked = validator.getValidator(schema)(result.structuredContent);
    assert.ok(checked.valid, `${name}: ${checked.errorMessage}`);
    return result.structuredContent;
  }

  function textOf(result: CallToolResult): string {
    return result.content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('\n');
  }

  async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return (await client.callTool({ name, arguments: args })) as CallToolResult;
  }

  const spent = () => fake.requests.filter(imageCall);

  it('every tool declares an outputSchema, and a result that does not match it is refused by the client\'s check', async () => {
    const { tools, close } = await connect(tree({}));
    try {
      assert.deepStrictEqual(tools.filter((t) => t.outputSchema?.type !== 'object').map((t) => t.name), []);
      const generate = validator.getValidator(tools.find((t) => t.name === 'generate_image')!.outputSchema!);
      const good = { file: 'a.png', uri: 'file:///p/a.png', link: '![a](a.png)', width: 2, height: 2, format: 'png', model: 'm', cost: 0.04 };
      assert.strictEqual(generate(good).valid, true);
      // These checks are what would catch a result the server got wrong: they are not vacuous.
      assert.strictEqual(generate({ ...good, cost: 'free' }).valid, false);
      assert.strictEqual(generate({ ...good, file: undefined }).valid, false);
      const check = validator.getValidator(tools.find((t) => t.name === 'check_images')!.outputSchema!);
      assert.strictEqual(check({ documents: 1, findings: [{ kind: 'broken', document: 'a.md', line: 1, link: 'x', file: 'x', message: 'm', fix: 'f' }] }).valid, false);
    } finally {
      await close();
    }
  });

  it('generate_image: the file, its link and its cost as data, and the image as a resource_link (a file URI, never base64)', async () => {
    const dir = tree({ 'docs/intro.md': '# Intro\n\nText.\n' });
    const { client, tools, close } = await connect(dir);
    try {
      fake.usage = { promptTokenCount: 10, candidatesTokenCount: 1392, totalTokenCount: 1402 };
      const made = await call(client, 'generate_image', { prompt: 'a paper plane', document: 'docs/intro.md', line: 3, aspect_ratio: '1:1', review: 'off' });
      assert.ok(!made.isError, textOf(made));
      assert.match(textOf(made), /^Wrote docs\/images\/a-paper-plane\.png \(1024×1024 PNG, gemini-3\.1-flash-image, ≈ \$0\.084\)\.\nLinked in docs\/intro\.md as:\n!\[a paper plane\]\(images\/a-paper-plane\.png\)$/);
      const file = path.join(dir, 'docs/images/a-paper-plane.png');
      const data = structured(tools, 'generate_image', made);
      assert.deepStrictEqual({ ...data, cost: Number((data.cost as number).toFixed(4)) }, {
        file: 'docs/images/a-paper-plane.png',
        uri: pathToFileURL(file).href,
        link: '![a paper plane](images/a-paper-plane.png)',
        document: 'docs/intro.md',
        width: 1024,
        height: 1024,
        format: 'png',
        model: 'gemini-3.1-flash-image',
        cost: 0.0835,
      });
      const links = made.content.filter((c) => c.type === 'resource_link');
      assert.deepStrictEqual(links, [{ type: 'resource_link', uri: pathToFileURL(file).href, name: 'docs/images/a-paper-plane.png', mimeType: 'image/png' }]);
      assert.deepStrictEqual(made.content.filter((c) => c.type === 'image' || c.type === 'resource'), [], 'no image bytes in the result');
      assert.ok(!JSON.stringify(made).includes('iVBORw0KGgo'), 'no base64 PNG anywhere in the result');
      assert.strictEqual(fs.readFileSync(fileURLToPath(links[0].uri)).subarray(1, 4).toString('latin1'), 'PNG');
    } finally {
      await close();
    }
  });

  it('make_transparent: the plan and its two calls an image as data, the image replaced by a PNG with alpha (a resource_link), a JPEG refused before anything is sent; generate_image takes transparent', async () => {
    const logo = rgbPng(composeOver(sprite(300, 200), [90, 110, 140]));
    const dir = tree({ 'docs/brand.md': '# Brand\n\n![the company logo](img/logo.png)\n', 'docs/img/logo.png': logo, 'docs/img/office.jpg': makeJpeg(64, 64) });
    const { client, tools, close } = await connect(dir);
    try {
      const dry = await call(client, 'make_transparent', { images: ['docs/img/logo.png'], dry_run: true });
      const plan = structured(tools, 'make_transparent', dry);
      assert.deepStrictEqual({ ...plan, estimated_cost: undefined }, {
        dry_run: true,
        model: 'gemini-3.1-flash-image',
        calls: 2,
        estimated_cost: undefined,
        planned: [{ file: 'docs/img/logo.png', out: 'docs/img/logo.png', format: 'png', replaces: true, prompt: 'the company logo' }],
        skipped: [],
        made: [],
        failed: [],
        cost: 0,
      });
      assert.ok((plan.estimated_cost as number) > 0);
      assert.strictEqual(spent().length, 0);

      const jpeg = await call(client, 'make_transparent', { images: ['docs/img/office.jpg'] });
      assert.strictEqual(jpeg.isError, true);
      assert.match(textOf(jpeg), /office\.jpg is a JPEG, which cannot hold a transparent background: name a \.png or \.webp file for it with `out`\./);
      assert.strictEqual(spent().length, 0, 'nothing sent for a JPEG');

      const ran = await call(client, 'make_transparent', { images: ['docs/img/logo.png'] });
      assert.ok(!ran.isError, textOf(ran));
      const data = structured(tools, 'make_transparent', ran);
      const file = path.join(dir, 'docs/img/logo.png');
      assert.deepStrictEqual((data.made as Record<string, unknown>[]).map((m) => ({ ...m, cost: undefined })), [
        { file: 'docs/img/logo.png', uri: pathToFileURL(file).href, source: 'docs/img/logo.png', width: 300, height: 200, format: 'png', cost: undefined },
      ]);
      assert.deepStrictEqual(ran.content.filter((c) => c.type === 'resource_link'), [{ type: 'resource_link', uri: pathToFileURL(file).href, name: 'docs/img/logo.png', mimeType: 'image/png' }]);
      const written = fs.readFileSync(file);
      assert.strictEqual(written[25], 6, 'an RGBA PNG');
      assert.strictEqual(readProvenance(written)?.transparent, true);
      assert.strictEqual(spent().length, 2);

      const made = await call(client, 'generate_image', { prompt: 'a round orange badge', path: 'docs/img/badge.png', transparent: true, review: 'off' });
      assert.ok(!made.isError, textOf(made));
      assert.strictEqual(fs.readFileSync(path.join(dir, 'docs/img/badge.png'))[25], 6, 'an RGBA PNG');
      assert.strictEqual(spent().length, 4, 'two calls for the transparent picture');
    } finally {
      await close();
    }
  });

  it('fill_missing_images: the plan, what was made (resource_links), spent and not started, as data; progress when the client asks', async () => {
    const dir = tree({ 'a.md': '# A\n\n![a fox](img/fox.png)\n![an owl](img/owl.png)\n![](img/none.png)\n' });
    const { client, tools, close } = await connect(dir);
    try {
      const dry = await call(client, 'fill_missing_images', { dry_run: true, review: 'off' });
      assert.match(textOf(dry), /^2 missing image\(s\) in 1 document\(s\) · gemini-3\.1-flash-image · estimated ≈ \$0\.13\d*\n\+ img\/fox\.png — a fox\n\+ img\/owl\.png — an owl\n- a\.md: img\/none\.png — skipped: /);
      const plan = structured(tools, 'fill_missing_images', dry);
      assert.deepStrictEqual(
        { ...plan, estimated_cost: undefined, skipped: undefined },
        { mode: 'missing', dry_run: true, documents: 1, model: 'gemini-3.1-flash-image', estimated_cost: undefined, planned: [{ file: 'img/fox.png', prompt: 'a fox' }, { file: 'img/owl.png', prompt: 'an owl' }], skipped: undefined, made: [], failed: [], not_started: [], cost: 0, unpriced: 0 },
      );
      assert.ok(Math.abs((plan.estimated_cost as number) - 0.134) < 0.001, String(plan.estimated_cost));
      assert.deepStrictEqual((plan.skipped as { document: string; link: string }[]).map((k) => [k.document, k.link]), [['a.md', 'img/none.png']]);
      assert.strictEqual(spent().length, 0);

      const progress: Progress[] = [];
      const ran = (await client.callTool({ name: 'fill_missing_images', arguments: { review: 'off' } }, undefined, { onprogress: (p) => progress.push(p) })) as CallToolResult;
      assert.match(textOf(ran), /^Filled 2 of 2 · 0 failed · 0 not started · cost ≈ \$0\.134 \(estimated ≈ \$0\.13\d* before the run\)\nmade img\/(fox|owl)\.png — /);
      const data = structured(tools, 'fill_missing_images', ran);
      const made = (data.made as { file: string; uri: string; prompt: string; cost: number }[]).sort((a, b) => a.file.localeCompare(b.file));
      assert.deepStrictEqual(made.map((m) => [m.file, m.uri, m.prompt]), [
        ['img/fox.png', pathToFileURL(path.join(dir, 'img/fox.png')).href, 'a fox'],
        ['img/owl.png', pathToFileURL(path.join(dir, 'img/owl.png')).href, 'an owl'],
      ]);
      assert.deepStrictEqual([data.dry_run, data.failed, data.not_started, Number((data.cost as number).toFixed(3)), data.unpriced], [false, [], [], 0.134, 0]);
      const links = ran.content.flatMap((c) => (c.type === 'resource_link' ? [[c.name, c.uri, c.mimeType]] : [])).sort();
      assert.deepStrictEqual(links, made.map((m) => [m.file, m.uri, 'image/png']));
      assert.deepStrictEqual(progress.map((p) => [p.progress, p.total]), [[1, 2], [2, 2]]);
      assert.match(progress[1].message ?? '', /^Filled 2 of 2 · 0 failed · ≈ \$0\.134$/);
    } finally {
      await close();
    }
  });

  it('with illustrate.variants.dark: fill_missing_images plans and makes each new picture\'s dark twin (in the estimate and the data), generate_image with a document too; with stale, a twin whose picture changed is made again', async () => {
    const dir = tree({ '.vscode/settings.json': '{ "illustrate.variants.dark": true, "illustrate.review": "off" }', 'a.md': '# A\n\n![a fox](img/fox.png)\n' });
    const { client, tools, close } = await connect(dir);
    try {
      const dry = structured(tools, 'fill_missing_images', await call(client, 'fill_missing_images', { dry_run: true }));
      assert.deepStrictEqual(dry.dark_twins, { planned: 1, made: [], failed: [] });
      assert.ok((dry.estimated_cost as number) > 0.067 + 0.03, `the picture and its twin: ${String(dry.estimated_cost)}`);
      const ran = await call(client, 'fill_missing_images', {});
      assert.match(textOf(ran), /\nmade img\/fox\.dark\.png, the dark twin of img\/fox\.png/);
      const data = structured(tools, 'fill_missing_images', ran);
      const twins = data.dark_twins as { planned: number; made: { file: string; source: string; cost: number }[]; failed: unknown[] };
      assert.deepStrictEqual([twins.planned, twins.made.map((m) => [m.file, m.source]), twins.failed], [1, [['img/fox.dark.png', 'img/fox.png']], []]);
      assert.strictEqual(fs.readFileSync(path.join(dir, 'a.md'), 'utf8'), '# A\n\n<picture><source media="(prefers-color-scheme: dark)" srcset="img/fox.dark.png">![a fox](img/fox.png)</picture>\n');
      assert.strictEqual(readProvenance(fs.readFileSync(path.join(dir, 'img/fox.dark.png')))?.twinOf?.kind, 'dark');

      const generated = structured(tools, 'generate_image', await call(client, 'generate_image', { prompt: 'an owl at night', path: 'img/owl.png', document: 'a.md' }));
      assert.deepStrictEqual(generated.dark_twin, { file: 'img/owl.dark.png', cost: (generated.dark_twin as { cost: number }).cost });
      assert.ok(fs.existsSync(path.join(dir, 'img/owl.dark.png')));
      assert.match(fs.readFileSync(path.join(dir, 'a.md'), 'utf8'), /srcset="img\/owl\.dark\.png">!\[an owl at night\]\(img\/owl\.png\)<\/picture>/);

      // The fox picture changes: stale makes its twin again, from the new bytes.
      const changed = makePng(64, 48);
      fs.writeFileSync(path.join(dir, 'img/fox.png'), changed);
      const stale = structured(tools, 'fill_missing_images', await call(client, 'fill_missing_images', { stale: true }));
      assert.deepStrictEqual((stale.dark_twins as { made: { file: string }[] }).made.map((m) => m.file), ['img/fox.dark.png']);
      assert.deepStrictEqual(stale.made, [], 'the picture itself is not remade: only its twin');
    } finally {
      await close();
    }
  });

  it('fill_missing_images: a cancel stops between images; the image in flight, already paid for, is still written', async () => {
    const dir = tree({
      '.vscode/settings.json': JSON.stringify({ 'illustrate.fillConcurrency': 1 }),
      'a.md': '# A\n\n![one](img/1.png)\n![two](img/2.png)\n![three](img/3.png)\n![four](img/4.png)\n',
    });
    const { client, close } = await connect(dir);
    try {
      // Each answer takes a second: the cancel arrives while the second image is in flight.
      fake.latencyMs = 1000;
      const cancel = new AbortController();
      const ran = client.callTool({ name: 'fill_missing_images', arguments: {} }, undefined, { signal: cancel.signal, onprogress: () => cancel.abort() });
      await assert.rejects(ran, /abort/i);
      // The second image was asked for before the cancel arrived: it is awaited, then written.
      for (let i = 0; i < 100 && fs.readdirSync(path.join(dir, 'img')).length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Long enough for a third request to arrive, were one sent.
      await new Promise((resolve) => setTimeout(resolve, 1.5 * fake.latencyMs));
      assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'img')).sort(), ['1.png', '2.png']);
      assert.strictEqual(spent().length, 2, 'nothing was asked for after the cancel');
      assert.strictEqual(fake.abandoned, 0, 'no answer was thrown away');
    } finally {
      await close();
    }
  });

  it('write_alt_text: what it would describe, then what it wrote and its verdicts, as data; progress when the client asks', async () => {
    const dir = tree({ 'docs/flow.md': '# Flow\n\nThe request flow.\n\n![](img/a.png)\n![](img/b.png)\n', 'docs/img/a.png': makePng(320, 200), 'docs/img/b.png': makePng(321, 200) });
    const { client, tools, close } = await connect(dir);
    try {
      const dry = structured(tools, 'write_alt_text', await call(client, 'write_alt_text', { dry_run: true }));
      assert.deepStrictEqual(dry.planned, [
        { file: 'docs/img/a.png', document: 'docs/flow.md', line: 5, link: '![](img/a.png)' },
        { file: 'docs/img/b.png', document: 'docs/flow.md', line: 6, link: '![](img/b.png)' },
      ]);
      assert.deepStrictEqual([dry.dry_run, dry.documents, dry.described, dry.cost], [true, 1, [], 0]);
      const progress: Progress[] = [];
      const ran = (await client.callTool({ name: 'write_alt_text', arguments: {} }, undefined, { onprogress: (p) => progress.push(p) })) as CallToolResult;
      assert.match(textOf(ran), /^Described 2 of 2 · 0 failed · cost ≈ \$/);
      const data = structured(tools, 'write_alt_text', ran);
      const page = fs.readFileSync(path.join(dir, 'docs/flow.md'), 'utf8');
      const described = (data.described as { file: string; alt: string; decorative: boolean }[]).sort((a, b) => a.file.localeCompare(b.file));
      assert.deepStrictEqual(described.map((d) => [d.file, d.decorative]), [['docs/img/a.png', false], ['docs/img/b.png', false]]);
      for (const d of described) {
        assert.ok(d.alt.length > 0 && page.includes(`![${d.alt}](${d.file.slice('docs/'.length)})`), `${d.alt} is what the page says now: ${page}`);
      }
      assert.deepStrictEqual(ran.content.filter((c) => c.type !== 'text'), [], 'alt text writes no new image');
      assert.deepStrictEqual(progress.map((p) => [p.progress, p.total]), [[1, 2], [2, 2]]);
    } finally {
      await close();
    }
  });

  it('check_images and list_models: findings and models with prices, as data', async () => {
    const dir = tree({ 'docs/a.md': '# A\n\n![a fox](img/fox.png)\n\n![](img/b.png)\n', 'docs/img/b.png': makePng(100, 100) });
    const { client, tools, close } = await connect(dir);
    try {
      const checked = structured(tools, 'check_images', await call(client, 'check_images', { path: 'docs' }));
      assert.deepStrictEqual(
        (checked.findings as Record<string, unknown>[]).map((f) => [f.kind, f.document, f.line, f.link, f.file]),
        [
          ['missing', 'docs/a.md', 3, '![a fox](img/fox.png)', 'docs/img/fox.png'],
          ['missingAlt', 'docs/a.md', 5, '![](img/b.png)', 'docs/img/b.png'],
        ],
      );
      assert.strictEqual(checked.documents, 1);
      const listed = structured(tools, 'list_models', await call(client, 'list_models', {}));
      assert.strictEqual(listed.current, 'gemini-3.1-flash-image');
      const pro = (listed.models as { id: string; size: string; price?: number }[]).find((m) => m.id === 'gemini-3-pro-image');
      assert.deepStrictEqual(pro && [pro.size, typeof pro.price], ['1K', 'number']);
    } finally {
      await close();
    }
  });

  it('an unknown tool is a JSON-RPC error (-32602, "Unknown tool"), and the server keeps answering', async () => {
    const { client, tools, close } = await connect(tree({}));
    try {
      // Every tool the server lists is named (a tool missing from the server's own list would be refused as unknown).
      const message = `MCP error -32602: Unknown tool: paint_everything. Illustrate's tools are ${tools.map((t) => t.name).join(', ')}.`;
      await assert.rejects(client.callTool({ name: 'paint_everything', arguments: {} }), (e: unknown) => e instanceof McpError && e.code === ErrorCode.InvalidParams && e.message === message);
      const ok = await call(client, 'check_images', {});
      assert.ok(!ok.isError, textOf(ok));
    } finally {
      await close();
    }
  });

  it('declares no tools.listChanged (the list never changes), and describes every input, model included', async () => {
    const { client, tools, close } = await connect(tree({}));
    try {
      assert.deepStrictEqual(client.getServerCapabilities()?.tools, {});
      const undescribed = tools.flatMap((t) => Object.entries((t.inputSchema.properties ?? {}) as Record<string, { description?: string }>).filter(([, p]) => !p.description).map(([k]) => `${t.name}.${k}`));
      assert.deepStrictEqual(undescribed, []);
      const model = (tools.find((t) => t.name === 'generate_image')!.inputSchema.properties as Record<string, { description: string }>).model;
      assert.match(model.description, /list_models/);
    } finally {
      await close();
    }
  });

  it('a client whose roots cannot be listed is refused with a clear message, never given the working directory; the roots are asked again', async () => {
    const cwd = tree({});
    const project = tree({ 'README.md': '# Project\n' });
    let answer: Roots = { fail: 'the workspace is not ready' };
    const { client, close } = await connect(cwd, () => answer);
    try {
      const refused = await call(client, 'generate_image', { prompt: 'a kite', path: 'kite.png' });
      assert.strictEqual(refused.isError, true);
      assert.strictEqual(textOf(refused), "Illustrate could not get the client's roots (the workspace is not ready), so it has no folder it may write in. Check that the client lists the docs folder as a root, then call again.");
      assert.deepStrictEqual(fs.readdirSync(cwd), []);
      assert.strictEqual(spent().length, 0);
      answer = { folders: [project] };
      const made = await call(client, 'generate_image', { prompt: 'a kite', path: 'kite.png' });
      assert.ok(!made.isError, textOf(made));
      assert.ok(fs.existsSync(path.join(project, 'kite.png')));
      assert.deepStrictEqual(fs.readdirSync(cwd), []);
    } finally {
      await close();
    }
  });

  it('a client that never answers roots/list is refused after the wait, as one whose list fails', async () => {
    const cwd = tree({});
    const { client, close } = await connect(cwd, () => ({ never: true }));
    try {
      const refused = await call(client, 'check_images', {});
      assert.strictEqual(refused.isError, true);
      assert.match(textOf(refused), /^Illustrate could not get the client's roots \(.*timed out.*\), so it has no folder it may write in\./i);
      assert.deepStrictEqual(fs.readdirSync(cwd), []);
    } finally {
      await close();
    }
  });

  it('server.json for the MCP registry: the npm package of the `illustrate` command, run with `mcp`, at the version the server reports', async () => {
    const server = JSON.parse(fs.readFileSync(path.join(ROOT, 'server.json'), 'utf8'));
    const cli = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/cli/package.json'), 'utf8'));
    assert.strictEqual(server.$schema, 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json');
    assert.match(server.name, /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    assert.ok(server.description.length >= 1 && server.description.length <= 100, server.description);
    assert.strictEqual(server.version, cli.version);
    assert.strictEqual(cli.bin.illustrate, 'bin/illustrate.js');
    assert.deepStrictEqual(
      server.packages.map((p: Record<string, unknown>) => [p.registryType, p.identifier, p.version, p.transport, p.packageArguments]),
      [['npm', cli.name, cli.version, { type: 'stdio' }, [{ type: 'positional', value: 'mcp' }]]],
    );
    const { client, close } = await connect(tree({}));
    try {
      assert.strictEqual(client.getServerVersion()?.version, server.version);
    } finally {
      await close();
    }
  });
});
