import * as vscode from 'vscode';
import { generateInto, prepareGeneration } from '../platform/generation';
import { showFailure, showSaved, withGenerationProgress } from '../platform/feedback';
import { Anchor, LinkPlacement, scopeFor } from '../platform/placement';
import { CommandResult, Services } from '../platform/services';
import { isMarkdownDocument } from '../platform/markdownDocuments';
import { twinOfGenerated } from './darkTwins';

const RECENT_KEY = 'illustrate.recentPrompts';
const RECENT_MAX = 10;

export interface PromptArgs {
  readonly prompt?: string;
}

/** One input for the prompt; recent prompts are offered, but whatever is typed wins on Enter. */
async function askForPrompt(recent: readonly string[]): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { prompt: string }>();
  pick.title = vscode.l10n.t('Illustrate: Generate Image');
  pick.placeholder = vscode.l10n.t('Describe the image (Enter generates with your settings)');
  pick.matchOnDescription = false;
  const recentItems = recent.map((p) => ({ label: p, prompt: p, description: 'recent' }));
  pick.items = recentItems;
  pick.onDidChangeValue((value) => {
    const typed = value.trim();
    pick.items = typed ? [{ label: typed, prompt: typed, description: 'generate', alwaysShow: true }, ...recentItems.filter((i) => i.prompt !== typed)] : recentItems;
  });
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0]?.prompt ?? pick.value.trim();
      resolve(chosen || undefined);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

export async function generateFromPrompt(services: Services, args?: PromptArgs): Promise<CommandResult | undefined> {
  const state = services.workspaceState;
  const recent = state.get<string[]>(RECENT_KEY, []);
  const prompt = typeof args?.prompt === 'string' && args.prompt.trim() ? args.prompt.trim() : await askForPrompt(recent);
  if (!prompt) {
    return undefined;
  }
  await state.update(RECENT_KEY, [prompt, ...recent.filter((p) => p !== prompt)].slice(0, RECENT_MAX));
  return generateAndPlace(services, prompt, vscode.window.activeTextEditor, 'cursor');
}

export type InsertAt = 'cursor' | 'afterSelection';

/** Where a link goes when the command starts; it follows the user's edits while the image is made. */
function startAnchor(editor: vscode.TextEditor, at: InsertAt): Anchor {
  const doc = editor.document;
  if (at === 'cursor') {
    return new Anchor(doc, doc.offsetAt(editor.selection.active));
  }
  const sel = editor.selection;
  const lastLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
  return new Anchor(doc, doc.offsetAt(doc.lineAt(lastLine).range.end));
}

/**
 * Generates from `prompt` and links the image at the markdown editor's cursor (or after the
 * selection); without a markdown editor the image is saved and opened, its link offered to copy.
 */
export async function generateAndPlace(services: Services, prompt: string, editor: vscode.TextEditor | undefined, at: InsertAt): Promise<CommandResult> {
  const doc = editor?.document;
  const markdown = doc && isMarkdownDocument(doc) ? editor : undefined;
  let anchor: Anchor | undefined;
  try {
    const prepared = await prepareGeneration(prompt, scopeFor(doc?.uri));
    anchor = markdown ? startAnchor(markdown, at) : undefined;
    const link: LinkPlacement = anchor ? { kind: 'insert', anchor, at } : { kind: 'none' };
    return await withGenerationProgress(services, vscode.l10n.t('Illustrate: generating image'), async (signal, onProgress) => {
      const { image, placed } = await generateInto(services, prepared, link, signal, onProgress);
      const message = showSaved(services, image, vscode.workspace.asRelativePath(placed.file));
      if (doc && link.kind !== 'none' && prepared.settings.darkTwins) {
        await twinOfGenerated(services, doc.uri, placed.file);
      }
      if (link.kind === 'none') {
        await vscode.commands.executeCommand('vscode.open', placed.file, { preview: true, viewColumn: vscode.ViewColumn.Beside });
        offerLink(message, placed.link);
      }
      return { ok: true, message, file: placed.file.toString() };
    });
  } catch (e: unknown) {
    return showFailure(services, e);
  } finally {
    anchor?.dispose();
  }
}

/** No markdown editor: the link is offered for the clipboard. */
function offerLink(message: string, link: string): void {
  const copy = vscode.l10n.t('Copy Markdown Link');
  void vscode.window.showInformationMessage(vscode.l10n.t('{0}. No markdown editor was active, so no link was inserted.', message), copy).then(async (choice) => {
    if (choice === copy) {
      await vscode.env.clipboard.writeText(link);
    }
  });
}
