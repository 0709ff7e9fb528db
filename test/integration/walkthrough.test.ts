/**
 * "Get started with Illustrate": the walkthrough opens from its command, and each step's button and
 * completion event name something that exists (a registered command, a contributed setting).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAll, KEY, run } from './helpers';

const EXTENSION_ID = 'illustrate.illustrate';

interface Step {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly media: { readonly svg?: string; readonly image?: unknown; readonly altText: string };
  readonly completionEvents: readonly string[];
}

function manifest(): { walkthroughs: { id: string; steps: Step[] }[]; configuration: { properties: Record<string, unknown> } } {
  return (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: ReturnType<typeof manifest> }).contributes;
}

function tabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
}

describe('the walkthrough, in a real extension host', function () {
  this.timeout(60_000);
  afterEach(() => closeAll());

  it('has the six steps, each with a button for a registered command, a theme-aware image and a completion event that can happen', async () => {
    const [walkthrough] = manifest().walkthroughs;
    assert.strictEqual(walkthrough.id, 'getStarted');
    assert.deepStrictEqual(walkthrough.steps.map((s) => s.id), ['setApiKey', 'chooseModel', 'generate', 'openStudio', 'fillMissingImages', 'setStyle']);
    const commands = new Set(await vscode.commands.getCommands(true));
    const settings = manifest().configuration.properties;
    for (const step of walkthrough.steps) {
      // The manifest's strings are localized: the packageJSON holds them already resolved.
      const buttons = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]);
      assert.strictEqual(buttons.length, 1, `${step.id}: one button`);
      assert.ok(commands.has(buttons[0]), `${step.id}: ${buttons[0]} is a command`);
      assert.match(step.media.svg ?? '', /^media\/walkthrough\/\w+\.svg$/, `${step.id}: an SVG (theme colours)`);
      const svg = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, step.media.svg!))).toString('utf8');
      assert.match(svg, /var\(--vscode-/, `${step.id}: the image follows the theme`);
      assert.ok(step.media.altText.length > 10);
      for (const event of step.completionEvents) {
        const [kind, name] = event.split(':');
        if (kind === 'onCommand') {
          assert.ok(commands.has(name), `${step.id}: completes on ${name}, a registered command`);
          assert.strictEqual(name, buttons[0], `${step.id}: its button completes it`);
        } else {
          assert.strictEqual(kind, 'onSettingChanged');
          assert.ok(name in settings, `${step.id}: completes when ${name}, a contributed setting, changes`);
        }
      }
    }
  });

  it('Illustrate: Get Started opens it; the first step completes by running its command', async () => {
    await vscode.commands.executeCommand('illustrate.getStarted');
    for (let i = 0; i < 50 && !tabLabels().some((l) => /Welcome|Get started with Illustrate|Walkthrough/i.test(l)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(tabLabels().some((l) => /Welcome|Get started with Illustrate|Walkthrough/i.test(l)), `a walkthrough tab: ${tabLabels().join(', ')}`);
    const result = await run('illustrate.setApiKey', KEY);
    assert.ok(result.ok, 'the step\'s command runs');
  });
});
