/**
 * Generation runs of the Studio: one at a time per panel, its variants as parallel requests, each
 * image kept in the Studio's storage and the run added to the history.
 */
import * as vscode from 'vscode';
import { formatError, IllustrateError } from '../core/errors';
import { EXTENSIONS, ImageFormat, MIME_TYPES } from '../core/images/imageFormat';
import { ReviewWords } from '../core/review/review';
import { ModelPart } from '../core/api/request';
import { Settings } from '../core/settings';
import { GeneratedImage, GenerateInput } from '../core/api/generator';
import { ProgressEvent } from '../core/api/client';
import { makePicture } from '../core/images/transparent';
import { makeDarkTwin } from '../core/images/darkTwin';
import { preflight, scopeFor } from '../platform/placement';
import { Services } from '../platform/services';
import { readSettings } from '../platform/settings';
import { ComposeOptions, ExtensionMessage } from './protocol';
import { newId, Reference, References } from './references';
import { HistoryEntry, StoredImage, StudioStore } from './store';
import { imageView, ToSrc } from './views';

export interface RunRequest {
  readonly prompt: string;
  readonly options: ComposeOptions;
  readonly variants: number;
  readonly references: readonly Reference[];
  readonly editOf?: string;
  /** false: the workspace's style is left out of this run. */
  readonly applyStyle?: boolean;
  /** true: each variant with a transparent background (its two renders matted); an edit never. */
  readonly transparent?: boolean;
  /** true: each variant, once made, gets its dark-mode twin by one image edit of it. */
  readonly dark?: boolean;
}

export interface RunDeps {
  readonly services: Services;
  readonly store: StudioStore;
  readonly references: References;
  readonly post: (message: ExtensionMessage) => Promise<void>;
  readonly src: ToSrc;
  /** The markdown document images would be inserted into, if any: its destination is checked first. */
  readonly document: () => Promise<vscode.Uri | undefined>;
}

export class StudioRuns {
  private running: AbortController | undefined;

  constructor(private readonly deps: RunDeps) {}

  cancel(): void {
    this.running?.abort();
  }

  /** One run at a time: the guard is taken before any await, so a double submit sends nothing twice. */
  async generate(request: RunRequest): Promise<void> {
    const { post, store } = this.deps;
    if (this.running) {
      await post({ type: 'notice', level: 'error', message: vscode.l10n.t('A generation is already running. Wait for it or press Cancel.') });
      return;
    }
    const controller = new AbortController();
    this.running = controller;
    const { prompt, options, variants, references, editOf } = request;
    const entry: HistoryEntry = {
      id: newId(),
      date: new Date().toISOString(),
      prompt,
      options,
      variants,
      references: references.map((r) => r.name),
      referenceFiles: [],
      images: [],
      errors: [],
      durationMs: 0,
      editOf,
      ...(request.dark ? { dark: true } : {}),
    };
    const started = Date.now();
    let announced = false;
    try {
      const document = await this.deps.document();
      const settings = readSettings(document);
      await this.checkDestination(document, settings, prompt, options.model);
      const history = editOf ? await this.editHistory(editOf) : undefined;
      entry.referenceFiles = await this.deps.references.forEntry(references);
      await post({ type: 'started', entryId: entry.id, variants, prompt });
      announced = true;
      const input: GenerateInput = { prompt, options, references: references.map((r) => ({ mimeType: r.mimeType, data: r.data })), history, applyStyle: request.applyStyle, styleReferences: this.deps.services.generator.styleReferencesOnce() };
      const results = await Promise.all(Array.from({ length: variants }, (_, index) => this.variant(entry, index, input, settings, controller.signal, { transparent: request.transparent === true && !history, dark: request.dark === true })));
      entry.images.push(...results.filter((r): r is StoredImage => r !== undefined));
      entry.durationMs = Date.now() - started;
      if (entry.images.length > 0) {
        await store.add(entry);
      }
    } finally {
      this.running = undefined;
      // Whatever happened above, the panel leaves "Generating…".
      if (announced) {
        await post({ type: 'finished', entryId: entry.id });
      }
    }
  }

  /**
   * Images go into the workspace later (Insert, Save), but a destination outside it would refuse
   * them then: it is refused now, before anything is sent and billed, as the commands do.
   */
  private async checkDestination(document: vscode.Uri | undefined, settings: Settings, prompt: string, model: string): Promise<void> {
    let scope;
    try {
      scope = scopeFor(document);
    } catch {
      return; // no folder at all: the images stay in the Studio until one is open
    }
    await preflight(scope, settings, prompt, model);
  }

  /** The earlier turn an edit sends back: its prompt, and the model's parts with the image's signature. */
  private async editHistory(imageId: string): Promise<{ prompt: string; modelParts: ModelPart[] }> {
    const found = this.deps.store.findImage(imageId);
    if (!found) {
      throw new IllustrateError('options', vscode.l10n.t('The image to edit is no longer in the history. Pick another one.'));
    }
    const data = await vscode.workspace.fs.readFile(this.deps.store.imageUri(found.image));
    return {
      prompt: found.entry.prompt,
      modelParts: [
        ...found.image.textParts.map((t) => ({ text: t.text, thoughtSignature: t.thoughtSignature })),
        { image: { mimeType: MIME_TYPES[found.image.format], data }, thoughtSignature: found.image.imageSignature },
      ],
    };
  }

  /** Reviews a variant beside the run (it never holds the run up): the verdict is kept with it and shown on its card. */
  private reviewLater(stored: StoredImage, bytes: Uint8Array, format: ImageFormat, words: ReviewWords, settings: Settings): void {
    if (settings.review === 'off') {
      return;
    }
    void (async () => {
      let review: NonNullable<StoredImage['review']>;
      try {
        const v = await this.deps.services.reviewer.review({ bytes, format }, words, settings, new AbortController().signal);
        review = v.status === 'unreviewed' ? { status: 'unreviewed', reasons: [v.reason] } : { status: v.status, reasons: v.problems.map((p) => p.reason) };
      } catch (e: unknown) {
        review = { status: 'unreviewed', reasons: [formatError(e)] };
      }
      stored.review = review;
      await this.deps.store.persist().catch(() => undefined);
      await this.deps.post({ type: 'reviewed', imageId: stored.id, review });
    })();
  }

  /**
   * The variant's dark twin, by core's one edit (as the Quick Fix makes it), kept in the store with
   * the variant; a twin that fails leaves the variant as it is and says why on its card.
   */
  private async darkTwin(entry: HistoryEntry, index: number, stored: StoredImage, image: GeneratedImage, settings: Settings, signal: AbortSignal): Promise<void> {
    const { post, store, services } = this.deps;
    await post({ type: 'progress', entryId: entry.id, index, text: vscode.l10n.t('making its dark twin') });
    try {
      // The composer's model and size, not the settings': the twin is an edit of this variant.
      const { model, imageSize, thinkingLevel } = entry.options;
      const twin = await makeDarkTwin(
        services.generator,
        // Its record names the picture as it is in the store; Insert and Save write it again for the file it is saved beside.
        { source: { mimeType: MIME_TYPES[image.format], data: image.bytes }, sourcePath: stored.file, prompt: entry.prompt, output: { quality: settings.output.quality, maxWidth: 0 } },
        { ...settings, model, imageSize, thinkingLevel, includeText: false },
        signal,
      );
      const file = `${stored.id}-dark${EXTENSIONS[twin.format]}`;
      await store.writeImage(file, twin.bytes);
      stored.dark = { file, format: twin.format, width: twin.width, height: twin.height, bytes: twin.bytes.length, tokens: twin.usage.totalTokens, cost: twin.cost };
    } catch (e: unknown) {
      stored.darkError =
        e instanceof IllustrateError && e.kind === 'cancelled'
          ? vscode.l10n.t('Its dark twin was cancelled. The picture is kept without one.')
          : vscode.l10n.t('Its dark twin could not be made: {0} The picture is kept without one.', formatError(e));
    }
    await post({ type: 'darkTwin', image: imageView(stored, (f) => store.imageUri(f), this.deps.src) });
  }

  private async variant(entry: HistoryEntry, index: number, input: GenerateInput, settings: Settings, signal: AbortSignal, asked: { readonly transparent: boolean; readonly dark: boolean }): Promise<StoredImage | undefined> {
    const { post, store, services } = this.deps;
    try {
      const onProgress = (e: ProgressEvent): void => {
        if (e.kind === 'waiting') {
          void post({ type: 'progress', entryId: entry.id, index, text: vscode.l10n.t('retrying in {0} s', e.seconds) });
        }
      };
      const image = await makePicture(services.generator, input, settings, signal, onProgress, asked.transparent);
      const id = newId();
      const file = `${id}${EXTENSIONS[image.format]}`;
      await store.writeImage(file, image.bytes);
      const stored: StoredImage = {
        id,
        file,
        format: image.format,
        width: image.width,
        height: image.height,
        bytes: image.bytes.length,
        tokens: image.usage.totalTokens,
        cost: image.cost,
        texts: image.texts,
        thoughts: image.thoughts,
        textParts: image.modelParts.filter((p) => p.text !== undefined).map((p) => ({ text: p.text ?? '', thoughtSignature: p.thoughtSignature })),
        imageSignature: image.modelParts.find((p) => p.image)?.thoughtSignature,
      };
      await post({ type: 'variant', entryId: entry.id, index, image: imageView(stored, (f) => store.imageUri(f), this.deps.src) });
      this.reviewLater(stored, image.bytes, image.format, { prompt: input.history ? input.history.prompt : input.prompt, ...(input.applyStyle !== false && settings.style ? { style: settings.style } : {}), ...(input.history ? { edit: input.prompt } : {}) }, settings);
      if (asked.dark) {
        await this.darkTwin(entry, index, stored, image, settings, signal);
      }
      return stored;
    } catch (e: unknown) {
      const message = formatError(e);
      entry.errors.push(message);
      await post({ type: 'variantFailed', entryId: entry.id, index, message });
      return undefined;
    }
  }
}
