/**
 * The MCP tool `translate_images` (the real server, the SDK's client): the plan and the run as
 * `structuredContent` that matches its `outputSchema`, the translation as a `resource_link`, only
 * the translated page's link changed.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FAKE_KEY } from '../fake-gemini/server';
import { makePng } from '../fake-gemini/images';
import { BIN, cliEnv, standIn, tree } from '../fixtures/cli';

describe('illustrate mcp: translate_images', function () {
  this.timeout(60_000);
  const { fake, url } = standIn();

  it('plans with dry_run (nothing sent), then translates: made as data and as a resource_link, only the zh page\'s link changed', async () => {
    const en = '# Guide\n\n![Architecture with the API gateway](/arch.png)\n';
    const zh = '# 指南\n\n![带 API 网关的架构图](/arch.png)\n';
    const dir = tree({ '.vitepress/config.ts': '', 'guide.md': en, 'zh/guide.md': zh, 'public/arch.png': makePng(64, 36) });
    const env = cliEnv({ ILLUSTRATE_API_KEY: FAKE_KEY, ILLUSTRATE_BASE_URL: url() }) as Record<string, string>;
    const client = new Client({ name: 'illustrate-test', version: '1.0.0' }, { capabilities: {} });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd: dir, env, stderr: 'pipe' }));
    try {
      const { tools } = await client.listTools();
      const schema = tools.find((t) => t.name === 'translate_images')?.outputSchema;
      assert.ok(schema);
      const valid = new AjvJsonSchemaValidator().getValidator(schema);
      const dry = (await client.callTool({ name: 'translate_images', arguments: { langs: ['zh'], dry_run: true } })) as CallToolResult;
      assert.ok(valid(dry.structuredContent).valid, JSON.stringify(dry));
      const planned = (dry.structuredContent as { planned: { file: string; out: string; text: string; pages: string[] }[] }).planned;
      assert.deepStrictEqual(planned.map((p) => [p.file, p.out, p.text, p.pages]), [['public/arch.png', 'public/arch.zh.png', 'look', ['zh/guide.md']]]);
      assert.strictEqual(fake.requests.length, 0);
      const ran = (await client.callTool({ name: 'translate_images', arguments: { langs: ['zh'] } })) as CallToolResult;
      assert.ok(!ran.isError, JSON.stringify(ran.content));
      assert.ok(valid(ran.structuredContent).valid);
      const facts = ran.structuredContent as { made: { file: string; source: string; lang: string }[]; pages_changed: string[] };
      assert.deepStrictEqual(facts.made.map((m) => [m.file, m.source, m.lang]), [['public/arch.zh.png', 'public/arch.png', 'zh']]);
      assert.deepStrictEqual(facts.pages_changed, ['zh/guide.md']);
      assert.deepStrictEqual(ran.content.filter((c) => c.type === 'resource_link').map((c) => (c as { name: string }).name), ['public/arch.zh.png']);
      assert.strictEqual(fs.readFileSync(path.join(dir, 'zh/guide.md'), 'utf8'), zh.replace('/arch.png', '/arch.zh.png'));
      assert.strictEqual(fs.readFileSync(path.join(dir, 'guide.md'), 'utf8'), en);
      assert.deepStrictEqual(fake.translations.map((t) => t.lang), ['zh']);
    } finally {
      await client.close();
    }
  });
});
