import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionMessage } from '../../src/studio/protocol';
import { bytes, closeAll, exists, KEY, list, markdownEditor, requests, resetFake, run, script, uri, waitUntil } from './helpers';
import { promptFromEditor } from '../../src/studio/register';
import { openTestStudio, TestStudio } from './studioHarness';

type StudioHandle = TestStudio;

const OPTIONS = { model: 'gemini-3.1-flash-image', aspectRatio: '4:3', imageSize: '1K', thinkingLevel: 'minimal', includeText: true };

async function until<T>(get: () => T | undefined, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = get();
    if (v !== undefined) {
      return v;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function of<T extends ExtensionMessage['type']>(studio: StudioHandle, type: T): Extract<ExtensionMessage, { type: T }>[] {
  return studio.posted.filter((m) => m.type === type) as Extract<ExtensionMessage, { type: T }>[];
}

/** The panel's latest history: from its last history message, or from init. */
function latestHistory(studio: StudioHandle): readonly import('../../src/studio/protocol').EntryView[] {
  return of(studio, 'history').at(-1)?.history ?? of(studio, 'init').at(-1)?.history ?? [];
}

describe('Image Studio, extension side', () => {
  let studio: StudioHandle;

  before(async () => {
    await run('illustrate.setApiKey', KEY);
  });

  beforeEach(async () => {
    await resetFake();
  });

  after(async () => {
    await closeAll();
  });

  it('Open Image Studio twice: one panel', async () => {
    await vscode.commands.executeCommand('illustrate.openStudio');
    await vscode.commands.executeCommand('illustrate.openStudio');
    // The tab model reaches the extension host after the panel: waited for, then counted.
    const studioTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Image Studio');
    for (let waited = 0; studioTabs().length === 0 && waited < 5000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(studioTabs().length, 1, 'a second open reveals the same panel');
    await closeAll();
  });

  it('opens one panel, and its webview reports ready once painted (init is sent)', async () => {
    studio = await openTestStudio();
    const again = await openTestStudio();
    assert.strictEqual(again.panel, studio.panel, 'a second open reveals the same panel');
    const init = await until(() => of(studio, 'init')[0], 'init');
    assert.ok(init.models.some((m) => m.id === 'gemini-3-pro-image' && !m.ratios.includes('8:1')));
    assert.strictEqual(init.defaults.aspectRatio, '16:9');
  });

  it('generates variants as parallel requests, each with its preview as a webview URI', async () => {
    const before = studio.posted.length;
    await studio.receive({ type: 'generate', prompt: 'a studio lighthouse', options: OPTIONS, variants: 2, references: [] });
    const variants = studio.posted.slice(before).filter((m) => m.type === 'variant') as Extract<ExtensionMessage, { type: 'variant' }>[];
    assert.strictEqual(variants.length, 2);
    for (const v of variants) {
      assert.strictEqual(v.image.width, 1200);
      assert.strictEqual(v.image.height, 896);
      assert.strictEqual(v.image.format, 'png');
      assert.match(v.image.src, /^https:\/\/|^vscode-webview/, 'images go to the webview as URIs, not base64');
      assert.ok(!JSON.stringify(v).includes('base64'));
      assert.deepStrictEqual(v.image.texts, ['Here is the image you asked for: "café — 🍌".']);
    }
    assert.strictEqual((await requests()).length, 2);
    const history = of(studio, 'history').at(-1)!;
    assert.strictEqual(history.history[0].prompt, 'a studio lighthouse');
    assert.strictEqual(history.history[0].images.length, 2);
  });

  it('Insert puts the image into the last markdown editor at its cursor, in one edit', async () => {
    const { editor, dir } = await markdownEditor('# Doc\n\nHere: \n', 13);
    const studioTab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Image Studio');
    const all = vscode.window.tabGroups.all.map((g) => g.tabs.map((t) => `${t.label}${t.isPreview ? ' (preview)' : ''}`).join(', ')).join(' | ');
    assert.ok(studioTab && !studioTab.isPreview, `opening a file does not replace the Studio; tabs: ${all}`);
    const image = of(studio, 'variant').at(-1)!.image;
    await studio.receive({ type: 'image', action: 'insert', imageId: image.id });
    assert.strictEqual(editor.document.getText(), '# Doc\n\nHere: ![a studio lighthouse](images/a-studio-lighthouse.png)\n');
    const file = await bytes(uri(`${dir}/images/a-studio-lighthouse.png`));
    assert.strictEqual(file.readUInt32BE(16), 1200);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    const end = Date.now() + 5000;
    while (Date.now() < end && (await exists(uri(`${dir}/images/a-studio-lighthouse.png`)))) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.strictEqual(editor.document.getText(), '# Doc\n\nHere: \n');
    assert.deepStrictEqual(await list(`${dir}/images`), [], 'one undo removes the link and the file');
  });

  it('Edit sends the earlier image back with its thought signature', async () => {
    const image = of(studio, 'variant').at(-1)!.image;
    const before = studio.posted.length;
    await studio.receive({ type: 'generate', prompt: 'make the sky purple', options: OPTIONS, variants: 1, references: [], editOf: image.id });
    const [req] = await requests();
    assert.deepStrictEqual(req.body.contents.map((c) => c.role), ['user', 'model', 'user']);
    const modelTurn = req.body.contents[1].parts;
    const imagePart = modelTurn.find((p) => p.inlineData);
    assert.ok(imagePart?.inlineData && imagePart.thoughtSignature, 'the image goes back with its signature');
    assert.strictEqual(Buffer.from(imagePart.inlineData.data, 'base64').readUInt32BE(16), 1200);
    assert.strictEqual(req.body.contents[2].parts[0].text, 'make the sky purple');
    assert.strictEqual(studio.posted.slice(before).filter((m) => m.type === 'variant').length, 1);
  });

  it('a failure shows beside the request with the same message as the commands; the rest keeps working', async () => {
    await script('blocked');
    const before = studio.posted.length;
    const historyBefore = of(studio, 'history').at(-1)!.history.length;
    await studio.receive({ type: 'generate', prompt: 'a blocked picture', options: OPTIONS, variants: 1, references: [] });
    const failed = studio.posted.slice(before).find((m) => m.type === 'variantFailed') as Extract<ExtensionMessage, { type: 'variantFailed' }>;
    assert.match(failed.message, /safety filter/);
    assert.strictEqual(of(studio, 'history').at(-1)!.history.length, historyBefore, 'nothing added to the history');
  });

  it('malformed messages change nothing and are logged', async () => {
    const before = studio.posted.length;
    const ignoredBefore = studio.ignored.length;
    const { editor, dir } = await markdownEditor('unchanged\n', 3);
    await studio.receive({ type: 'generate', prompt: 42, options: OPTIONS, variants: 1, references: [] });
    await studio.receive({ type: 'image', action: 'insert', imageId: '../../../etc/passwd' });
    await studio.receive({ type: 'generate', prompt: 'x', options: OPTIONS, variants: 99, references: [] });
    await studio.receive('not even an object');
    assert.strictEqual(studio.ignored.length - ignoredBefore, 4);
    assert.strictEqual(studio.posted.length, before);
    assert.strictEqual((await requests()).length, 0);
    assert.strictEqual(editor.document.getText(), 'unchanged\n');
    assert.deepStrictEqual(await list(dir), ['doc.md']);
  });

  it('opened anew, the prompt is pre-filled from the editor\'s selection', async () => {
    await closeAll();
    const text = 'Intro\n\nA paper boat on a puddle\n';
    const { editor } = await markdownEditor(text);
    const start = text.indexOf('A paper');
    editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(text.length - 1));
    const fresh = await openTestStudio(promptFromEditor(vscode.window.activeTextEditor));
    assert.notStrictEqual(fresh.panel, studio.panel, 'a new panel, since the old one was closed');
    const init = await until(() => of(fresh, 'init')[0], 'init');
    assert.strictEqual(init.prompt, 'A paper boat on a puddle');
    assert.ok(init.history.some((e) => e.prompt === 'a studio lighthouse'), 'the history is still there');
    studio = fresh;
  });

  it('Save to Workspace writes the file once; Delete removes the entry', async () => {
    const { dir } = await markdownEditor('', 0);
    const history = latestHistory(studio);
    const entry = history[history.length - 1];
    const image = entry.images[0];
    await studio.receive({ type: 'image', action: 'save', imageId: image.id });
    const saved = of(studio, 'imageSaved').at(-1)!;
    assert.strictEqual(saved.imageId, image.id);
    assert.ok(await exists(uri(`${dir}/images/a-studio-lighthouse.png`)));
    await studio.receive({ type: 'image', action: 'save', imageId: image.id });
    assert.deepStrictEqual(await list(`${dir}/images`), ['a-studio-lighthouse.png'], 'saving again does not duplicate');
    await studio.receive({ type: 'deleteEntry', entryId: entry.id });
    assert.ok(!latestHistory(studio).some((e) => e.id === entry.id));
  });

  it('Save to Workspace writes the format new links use (illustrate.output.format), and the card says what was written', async () => {
    const config = vscode.workspace.getConfiguration('illustrate');
    await config.update('output.format', 'webp', vscode.ConfigurationTarget.Global);
    try {
      const { dir } = await markdownEditor('', 0);
      await studio.receive({ type: 'generate', prompt: 'a studio harbour', options: OPTIONS, variants: 1, references: [] });
      const image = of(studio, 'variant').at(-1)!.image;
      await studio.receive({ type: 'image', action: 'save', imageId: image.id });
      const saved = of(studio, 'imageSaved').at(-1)!;
      assert.match(saved.savedAs, /images\/a-studio-harbour\.webp$/);
      assert.match(saved.savedWeight ?? '', /^\d+ KB WEBP$/);
      const file = await bytes(uri(`${dir}/images/a-studio-harbour.webp`));
      assert.strictEqual(file.subarray(8, 12).toString('latin1'), 'WEBP');
    } finally {
      await config.update('output.format', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a double submit runs one generation: the second is refused before anything is sent', async () => {
    const before = studio.posted.length;
    const message = { type: 'generate', prompt: 'a double click [fake:slow:400]', options: OPTIONS, variants: 2, references: [] };
    await Promise.all([studio.receive(message), studio.receive(message)]);
    assert.strictEqual((await requests()).length, 2, 'one run of two variants');
    const after = studio.posted.slice(before);
    assert.strictEqual(after.filter((m) => m.type === 'started').length, 1);
    assert.ok(after.some((m) => m.type === 'notice' && /already running/.test(m.message)));
    assert.strictEqual(after.filter((m) => m.type === 'finished').length, 1, 'the panel leaves "Generating…"');
  });

  it('Re-run from the history sends the entry\'s reference images again', async () => {
    const { dir } = await markdownEditor('');
    const png = uri(`${dir}/ref.png`);
    const source = of(studio, 'variant').at(-1)!;
    const found = latestHistory(studio).flatMap((e) => e.images).find((i) => i.id === source.image.id);
    assert.ok(found, 'a Studio image to use as a reference');
    await studio.receive({ type: 'image', action: 'save', imageId: found.id });
    const saved = of(studio, 'imageSaved').at(-1)!;
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, saved.savedAs), png);
    await studio.receive({ type: 'dropReferences', uris: [png.toString()] });
    const ref = of(studio, 'references').at(-1)!.references[0];
    await resetFake();
    await studio.receive({ type: 'generate', prompt: 'in the style of the reference', options: OPTIONS, variants: 1, references: [ref.id] });
    const entry = latestHistory(studio)[0];
    assert.deepStrictEqual(entry.references, ['ref.png']);
    await studio.receive({ type: 'regenerate', entryId: entry.id });
    const [first, rerun] = await requests();
    const images = (r: typeof first) => r.body.contents.at(-1)!.parts.filter((p) => p.inlineData).map((p) => p.inlineData!.data);
    assert.strictEqual(images(first).length, 1);
    assert.deepStrictEqual(images(rerun), images(first), 'the same reference bytes are sent again');
  });

  it('with no key, the variants wait for one question, and Cancel stops them all', async () => {
    await studio.keys.clear();
    try {
      const before = studio.posted.length;
      const running = studio.receive({ type: 'generate', prompt: 'no key yet', options: OPTIONS, variants: 3, references: [] });
      await until(() => (studio.posted.slice(before).some((m) => m.type === 'started') ? true : undefined), 'started');
      await new Promise((r) => setTimeout(r, 300));
      await studio.receive({ type: 'cancel' });
      await running;
      const after = studio.posted.slice(before);
      const failed = after.filter((m) => m.type === 'variantFailed') as Extract<ExtensionMessage, { type: 'variantFailed' }>[];
      assert.strictEqual(failed.length, 3);
      assert.ok(failed.every((f) => /cancelled/.test(f.message)), failed.map((f) => f.message).join(' | '));
      assert.strictEqual(after.filter((m) => m.type === 'finished').length, 1);
      assert.strictEqual((await requests()).length, 0);
    } finally {
      await vscode.commands.executeCommand('notifications.clearAll');
      await studio.keys.set(KEY);
    }
  });
  it('applies the workspace style unless the request switches it off', async () => {
    const config = vscode.workspace.getConfiguration('illustrate');
    await config.update('style', 'pencil sketch', vscode.ConfigurationTarget.Workspace);
    try {
      await studio.receive({ type: 'ready' });
      assert.deepStrictEqual(of(studio, 'init').at(-1)!.style, { text: 'pencil sketch', references: [] });
      await studio.receive({ type: 'generate', prompt: 'a styled lighthouse', options: OPTIONS, variants: 1, references: [] });
      await studio.receive({ type: 'generate', prompt: 'a plain lighthouse', options: OPTIONS, variants: 1, references: [], applyStyle: false });
      const prompts = (await requests()).map((r) => r.body.contents[0].parts[0].text);
      assert.deepStrictEqual(prompts, ['a styled lighthouse\n\nStyle: pencil sketch', 'a plain lighthouse']);
      // The history keeps the user's words, not the style.
      assert.deepStrictEqual(latestHistory(studio).slice(0, 2).map((e) => e.prompt), ['a plain lighthouse', 'a styled lighthouse']);
    } finally {
      await config.update('style', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('with illustrate.review on, each variant shows its verdict when the review comes back; the history keeps it', async () => {
    const was = vscode.workspace.getConfiguration('illustrate').inspect('review')?.globalValue;
    await vscode.workspace.getConfiguration('illustrate').update('review', 'report', vscode.ConfigurationTarget.Global);
    try {
      const before = studio.posted.length;
      await studio.receive({ type: 'generate', prompt: 'a shop sign that reads "Welcome" review:fail', options: OPTIONS, variants: 1, references: [] });
      const reviewed = await waitUntil('the verdict', () => studio.posted.slice(before).filter((m) => m.type === 'reviewed') as Extract<ExtensionMessage, { type: 'reviewed' }>[], (r) => r.length === 1);
      const variant = studio.posted.slice(before).find((m) => m.type === 'variant') as Extract<ExtensionMessage, { type: 'variant' }>;
      assert.strictEqual(reviewed[0].imageId, variant.image.id);
      assert.strictEqual(reviewed[0].review.status, 'fail');
      assert.match(reviewed[0].review.reasons.join(' '), /Welcom/);
      const review = (await requests()).find((r) => r.body?.generationConfig?.responseSchema);
      assert.ok(review, 'one review call');
      const kept = (await studio.store.load()).find((e) => e.prompt.startsWith('a shop sign'));
      assert.strictEqual((kept?.images[0] as { review?: { status: string } } | undefined)?.review?.status, 'fail');
    } finally {
      await vscode.workspace.getConfiguration('illustrate').update('review', was, vscode.ConfigurationTarget.Global);
    }
  });
});
