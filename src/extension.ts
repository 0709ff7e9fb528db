import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { registerAgentTools } from './commands/agentTools';
import { clearApiKey, setApiKey } from './commands/apiKey';
import { chooseModel } from './commands/chooseModel';
import { FillArgs, fillMissingImages } from './commands/fillMissingImages';
import { generateFromAltText } from './commands/generateFromAltText';
import { generateFromPrompt, PromptArgs } from './commands/generateFromPrompt';
import { generateFromSelection } from './commands/generateFromSelection';
import { getStarted } from './commands/getStarted';
import { showBatchJobs } from './commands/showBatchJobs';
import { BatchJobs } from './platform/batch';
import { MissingImageCodeActions } from './platform/missingImages';
import { Services } from './platform/services';
import { Generator } from './core/api/generator';
import { loadStyleReferences } from './platform/styleReferences';
import { createCodec } from './node/codec';
import { httpFetch } from './node/http';
import { KeyStore } from './platform/keys';
import { createLog } from './platform/log';
import { globalModelMemory } from './platform/modelMemory';
import { modelStatusItem } from './platform/modelStatus';
import { createStudioStore, registerStudio } from './studio/register';
import { Describer } from './core/api/describe';
import { AltDeps, writeAltText, writeMissingAltText } from './commands/altText';
import { reviewImages } from './commands/reviewImages';
import { Reviewer } from './core/review/review';
import { editImage, keepImage, LifecycleDeps, regenerateImage, undoImageReplace } from './commands/imageLifecycle';
import { makeBackgroundTransparent } from './commands/transparency';
import { TranslateImageCodeActions, translateImage, translateImages } from './commands/translateImages';
import { makeDarkTwin, makeDarkTwins, twinsOfNewPictures } from './commands/darkTwins';
import { makeTransparentAll } from './commands/transparentAll';
import { ImageFiles } from './platform/imageFiles';
import { ImageHover } from './platform/imageHover';
import { ImageLifecycleCodeActions } from './platform/imageActions';
import { ImageDiagnostics } from './platform/imageDiagnostics';
import { LiveSites } from './platform/sites';
import { MARKDOWN_DOCUMENTS } from './platform/markdownDocuments';

/** What activate() returns: how long it took (for the benchmark), and Fill for code that holds this API. */
export interface IllustrateApi {
  readonly activateMs: number;
  /** Fill Missing Images without the plan and the cost question: for extensions and tests, never for a command link. */
  fillMissingImages(resource?: vscode.Uri, options?: { readonly batch?: boolean }): ReturnType<typeof fillMissingImages>;
  /** Write Missing Alt Text without the plan and the cost question: for extensions and tests, never for a command link. */
  writeMissingAltText(resource?: vscode.Uri): ReturnType<typeof writeMissingAltText>;
  reviewImages(resource?: vscode.Uri): ReturnType<typeof reviewImages>;
  /** Make Dark Twins without the plan and the cost question: for extensions and tests, never for a command link. */
  makeDarkTwins(resource?: vscode.Uri): ReturnType<typeof makeDarkTwins>;
  /** Make Backgrounds Transparent without the plan and the cost question: for extensions and tests, never for a command link. */
  makeTransparentAll(resource?: vscode.Uri): ReturnType<typeof makeTransparentAll>;
  /** The Image Studio's history of this workspace, newest first (read only). */
  studioHistory(): Promise<readonly { readonly prompt: string; readonly images: readonly { readonly savedAs?: string; readonly bytes: number }[] }[]>;
}

/** Activation builds the shared services and registers commands; nothing else runs until asked. */
export function activate(context: vscode.ExtensionContext): IllustrateApi {
  const started = performance.now();
  // The shared core (also the CLI's) speaks through @vscode/l10n: give it VS Code's bundle for the display language.
  if (vscode.l10n.bundle) {
    l10n.config({ contents: vscode.l10n.bundle });
  }
  const log = createLog();
  const keys = new KeyStore(context.secrets);
  const statusBar = vscode.window.createStatusBarItem('illustrate.status', vscode.StatusBarAlignment.Left, 10);
  statusBar.name = 'Illustrate';
  const memory = globalModelMemory(context.globalState);
  const codec = createCodec(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath, (relative) => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'dist', relative))));
  const generator = new Generator(keys, log, httpFetch, loadStyleReferences, memory, codec);
  const describer = new Describer(keys, httpFetch, codec, (line) => log.info(line));
  const reviewer = new Reviewer(keys, httpFetch, codec, (line) => log.info(line));
  const store = createStudioStore(context, log);
  const sites = new LiveSites();
  const services: Services = { extensionUri: context.extensionUri, workspaceState: context.workspaceState, keys, log, statusBar, generator, reviewer, fetch: httpFetch, codec, history: store, sites };
  // Pending batch jobs are polled again from here on, after a reload too. (The first wait is shorter in tests.)
  const missingImages = new MissingImageCodeActions(sites);
  const batchJobs = new BatchJobs(services, Number(typeof process === 'undefined' ? undefined : process.env.ILLUSTRATE_BATCH_POLL_MS) || undefined, async (placed) => {
    // With illustrate.variants.dark, a batch's pictures get their twins as they are placed, as Fill's do.
    const twins = await twinsOfNewPictures(services, undefined, placed);
    return twins && { made: twins.made, failed: twins.failed, cost: twins.cost };
  });
  context.subscriptions.push(
    log,
    statusBar,
    modelStatusItem(memory),
    vscode.commands.registerCommand('illustrate.generateFromPrompt', (args?: PromptArgs) => generateFromPrompt(services, args)),
    vscode.commands.registerCommand('illustrate.generateFromSelection', () => generateFromSelection(services)),
    vscode.commands.registerCommand('illustrate.generateFromAltText', (args?: unknown) => generateFromAltText(services, args)),
    vscode.commands.registerCommand('illustrate.chooseModel', () => chooseModel(services)),
    batchJobs,
    // The command always shows the plan and asks: its arguments may come from anyone (a command: link).
    vscode.commands.registerCommand('illustrate.fillMissingImages', (resource?: unknown) => fillMissingImages(services, batchJobs, resource instanceof vscode.Uri ? resource : undefined)),
    vscode.commands.registerCommand('illustrate.showBatchJobs', (args?: unknown) => showBatchJobs(batchJobs, args)),
    vscode.commands.registerCommand('illustrate.setApiKey', (key?: unknown) => setApiKey(services, key)),
    vscode.commands.registerCommand('illustrate.clearApiKey', () => clearApiKey(services)),
    vscode.commands.registerCommand('illustrate.getStarted', () => getStarted(context)),
    sites,
    vscode.languages.registerCodeActionsProvider(MARKDOWN_DOCUMENTS, missingImages, {
      providedCodeActionKinds: MissingImageCodeActions.kinds,
    }),
  );
  registerStudio(context, services, store);
  // Images that stay true to their docs: the stale diagnostic, its Quick Fixes, the hover, Edit Image….
  const files = new ImageFiles();
  const diagnostics = new ImageDiagnostics(files, sites);
  const lifecycle: LifecycleDeps = { services, files, sites, diagnostics, store };
  const alt: AltDeps = { services, describer, files, sites, diagnostics };
  context.subscriptions.push(...registerAgentTools(services, alt, { services, diagnostics }, lifecycle));
  context.subscriptions.push(
    diagnostics,
    vscode.commands.registerCommand('illustrate.regenerateImage', (args?: unknown) => regenerateImage(lifecycle, args)),
    vscode.commands.registerCommand('illustrate.keepImage', (args?: unknown) => keepImage(lifecycle, args)),
    vscode.commands.registerCommand('illustrate.undoImageReplace', () => undoImageReplace(lifecycle)),
    vscode.commands.registerCommand('illustrate.writeAltText', (args?: unknown) => writeAltText(alt, args)),
    // Always shows the plan and asks: its arguments may come from anyone (a command: link).
    vscode.commands.registerCommand('illustrate.writeMissingAltText', (resource?: unknown) => writeMissingAltText(alt, resource instanceof vscode.Uri ? resource : undefined)),
    // Always shows the plan and asks, as Fill does.
    vscode.commands.registerCommand('illustrate.reviewImages', (resource?: unknown) => reviewImages({ services, diagnostics }, resource instanceof vscode.Uri ? resource : undefined)),
    vscode.commands.registerCommand('illustrate.editImage', (target?: unknown, instruction?: unknown) => editImage(lifecycle, target, instruction)),
    vscode.commands.registerCommand('illustrate.makeTransparent', (target?: unknown) => makeBackgroundTransparent(lifecycle, target)),
    // Always shows the plan and asks, as Fill does.
    vscode.commands.registerCommand('illustrate.makeTransparentAll', (resource?: unknown) => makeTransparentAll(lifecycle, resource instanceof vscode.Uri ? resource : undefined)),
    vscode.commands.registerCommand('illustrate.makeDarkTwin', (args?: unknown) => makeDarkTwin(lifecycle, args)),
    // Always shows the plan and asks, as Fill does.
    vscode.commands.registerCommand('illustrate.makeDarkTwins', (resource?: unknown) => makeDarkTwins(lifecycle, resource instanceof vscode.Uri ? resource : undefined)),
    vscode.languages.registerCodeActionsProvider(MARKDOWN_DOCUMENTS, new ImageLifecycleCodeActions(files, sites), { providedCodeActionKinds: ImageLifecycleCodeActions.kinds }),
    vscode.languages.registerHoverProvider(MARKDOWN_DOCUMENTS, new ImageHover(files, sites)),
    vscode.commands.registerCommand('illustrate.translateImage', (args?: unknown) => translateImage(alt, args)),
    // Always shows the plan and asks, as Fill does.
    vscode.commands.registerCommand('illustrate.translateImages', (resource?: unknown) => translateImages(alt, resource instanceof vscode.Uri ? resource : undefined)),
    vscode.languages.registerCodeActionsProvider(MARKDOWN_DOCUMENTS, new TranslateImageCodeActions(alt), { providedCodeActionKinds: TranslateImageCodeActions.kinds }),
  );
  return {
    activateMs: performance.now() - started,
    fillMissingImages: (resource, options) => fillMissingImages(services, batchJobs, resource, { confirmed: true, batch: options?.batch === true } satisfies FillArgs),
    studioHistory: () => store.load(),
    writeMissingAltText: (resource) => writeMissingAltText(alt, resource, true),
    reviewImages: (resource) => reviewImages({ services, diagnostics }, resource, true),
    makeDarkTwins: (resource) => makeDarkTwins(lifecycle, resource, true),
    makeTransparentAll: (resource) => makeTransparentAll(lifecycle, resource, true),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
