import { fromUtf8, randomBytes, toHex, utf8 } from '../core/bytes';
import * as vscode from 'vscode';
import { EXTENSIONS, ImageFormat } from '../core/images/imageFormat';
import { ComposeOptions } from './protocol';

/** One image of a history entry, kept in the extension's workspace storage until saved: its file as a twin's is, and what the answer said. */
export interface StoredImage extends StoredTwin {
  readonly id: string;
  readonly texts: readonly string[];
  readonly thoughts: readonly string[];
  /** The answer's text parts and the image's thought signature, sent back when editing. */
  readonly textParts: readonly { readonly text: string; readonly thoughtSignature?: string }[];
  readonly imageSignature?: string;
  savedAs?: string;
  /** What was written there (after any conversion to the output format). */
  savedBytes?: number;
  savedFormat?: ImageFormat;
  /** Its review against its words, once it came back. */
  review?: { readonly status: 'pass' | 'fail' | 'unreviewed'; readonly reasons: readonly string[] };
  /** Its dark-mode twin, made by one image edit of it (kept in the store beside it until saved with it). */
  dark?: StoredTwin;
  /** Why its twin could not be made. */
  darkError?: string;
}

/** A variant's dark twin in the store: its record ties it to the variant until Insert or Save writes it beside the picture. */
export interface StoredTwin {
  /** File name inside the store's folder. */
  readonly file: string;
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly tokens: number;
  readonly cost: number | undefined;
}

/** The store's files of an image: its own and its twin's. */
function filesOf(image: StoredImage): string[] {
  return image.dark ? [image.file, image.dark.file] : [image.file];
}

/** A reference image sent with a generation, kept so Re-run sends it again. */
export interface StoredReference {
  readonly name: string;
  /** File name inside the store's folder. */
  readonly file: string;
  readonly mimeType: string;
}

export interface HistoryEntry {
  readonly id: string;
  readonly date: string;
  readonly prompt: string;
  readonly options: ComposeOptions;
  readonly variants: number;
  /** Names of the reference images, for display. */
  readonly references: readonly string[];
  referenceFiles?: readonly StoredReference[];
  readonly images: StoredImage[];
  readonly errors: string[];
  durationMs: number;
  readonly editOf?: string;
  /** Its variants were made with their dark twins (Re-run makes them again). */
  readonly dark?: boolean;
}

const INDEX = 'history.json';

/**
 * Every generation of the Studio in this workspace, newest first, capped, kept across reloads.
 * The index is replaced whole (written aside, then renamed), so a crash never leaves half of it;
 * a damaged index is kept aside and reported, never overwritten.
 */
export class StudioStore {
  private entries: HistoryEntry[] = [];
  private loading: Promise<HistoryEntry[]> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failing = false;
  private readonly listeners = new Set<() => void>();

  /** Every panel shows the one history: each is told when it changes. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    this.listeners.forEach((l) => l());
  }

  constructor(
    readonly dir: vscode.Uri,
    private readonly limit: () => number,
    /** Tells the user about a problem with the store, once per problem. */
    private readonly report: (message: string) => void,
  ) {}

  private get index(): vscode.Uri {
    return vscode.Uri.joinPath(this.dir, INDEX);
  }

  /** The history; every caller gets the same list, read once. */
  load(): Promise<readonly HistoryEntry[]> {
    this.loading ??= this.read();
    return this.loading;
  }

  private async read(): Promise<HistoryEntry[]> {
    await vscode.workspace.fs.createDirectory(this.dir);
    let raw: Uint8Array | undefined;
    try {
      raw = await vscode.workspace.fs.readFile(this.index);
    } catch {
      raw = undefined; // no history yet
    }
    if (raw) {
      const parsed = parseHistory(raw);
      if (parsed) {
        this.entries = parsed;
      } else {
        await this.keepAside();
      }
    }
    await this.sweep();
    return this.entries;
  }

  /** A damaged index is renamed, not overwritten: whatever is in it can still be recovered by hand. */
  private async keepAside(): Promise<void> {
    const aside = vscode.Uri.joinPath(this.dir, `${INDEX}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    try {
      await vscode.workspace.fs.rename(this.index, aside, { overwrite: false });
      this.report(vscode.l10n.t('The Image Studio history could not be read, so it starts empty. The damaged file was kept as {0}.', aside.fsPath));
    } catch {
      // Not even renamable: stop writing the history rather than lose what is in the file.
      this.failing = true;
      this.entries = [];
      this.readOnly = true;
      this.report(vscode.l10n.t('The Image Studio history could not be read, and {0} could not be moved aside. New generations are not kept in the history.', this.index.fsPath));
    }
  }

  private readOnly = false;

  /** Deletes files in the store that no entry refers to (left by a crash or an older version). */
  private async sweep(): Promise<void> {
    const used = new Set<string>();
    for (const entry of this.entries) {
      entry.images.forEach((i) => filesOf(i).forEach((f) => used.add(f)));
      entry.referenceFiles?.forEach((r) => used.add(r.file));
    }
    let names: [string, vscode.FileType][];
    try {
      names = await vscode.workspace.fs.readDirectory(this.dir);
    } catch {
      return;
    }
    for (const [name, type] of names) {
      if (type !== vscode.FileType.File || name === INDEX || name.startsWith(`${INDEX}.corrupt-`) || used.has(name)) {
        continue;
      }
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.dir, name)).then(undefined, () => undefined);
    }
  }

  imageUri(image: { readonly file: string }): vscode.Uri {
    return vscode.Uri.joinPath(this.dir, image.file);
  }

  async writeImage(name: string, bytes: Uint8Array): Promise<void> {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.dir, name), bytes);
  }

  async add(entry: HistoryEntry): Promise<void> {
    await this.load();
    this.entries.unshift(entry);
    const limit = Math.max(1, this.limit());
    const pruned = this.entries.splice(limit);
    for (const old of pruned) {
      await this.deleteFiles(old);
    }
    await this.persist();
    this.changed();
  }

  /**
   * Keeps a picture that is about to be replaced in the workspace (Regenerate, Edit Image) as a
   * history entry, so the old version can still be seen, saved or inserted from the Studio.
   */
  async keepVersion(version: { prompt: string; bytes: Uint8Array; format: ImageFormat; width: number; height: number; options: ComposeOptions; cost?: number; savedAs: string }): Promise<void> {
    const id = toHex(randomBytes(8));
    const file = `${id}${EXTENSIONS[version.format]}`;
    await this.writeImage(file, version.bytes);
    await this.add({
      id: toHex(randomBytes(8)),
      date: new Date().toISOString(),
      prompt: version.prompt,
      options: version.options,
      variants: 1,
      references: [],
      images: [{ id, file, format: version.format, width: version.width, height: version.height, bytes: version.bytes.length, tokens: 0, cost: version.cost, texts: [], thoughts: [], textParts: [], savedAs: version.savedAs }],
      errors: [],
      durationMs: 0,
    });
  }

  find(entryId: string): HistoryEntry | undefined {
    return this.entries.find((e) => e.id === entryId);
  }

  findImage(imageId: string): { entry: HistoryEntry; image: StoredImage } | undefined {
    for (const entry of this.entries) {
      const image = entry.images.find((i) => i.id === imageId);
      if (image) {
        return { entry, image };
      }
    }
    return undefined;
  }

  async remove(entryId: string): Promise<boolean> {
    const at = this.entries.findIndex((e) => e.id === entryId);
    if (at < 0) {
      return false;
    }
    const [gone] = this.entries.splice(at, 1);
    await this.deleteFiles(gone);
    await this.persist();
    this.changed();
    return true;
  }

  /**
   * Saves the index. Never throws: a failed write is reported once (until a write works again)
   * and does not hold up the writes after it.
   */
  async persist(): Promise<void> {
    if (this.readOnly) {
      return;
    }
    const text = JSON.stringify(this.entries, null, 1);
    const write = this.writing.then(() => this.replaceIndex(text));
    this.writing = write.then(
      () => undefined,
      () => undefined,
    );
    try {
      await write;
      this.failing = false;
    } catch (e: unknown) {
      if (!this.failing) {
        this.failing = true;
        const why = e instanceof Error ? e.message.replace(/\s+/g, ' ').slice(0, 200) : 'unknown error';
        this.report(vscode.l10n.t('The Image Studio history could not be saved ({0}). Your images are still here; the history is saved again with the next change.', why));
      }
    }
  }

  private async replaceIndex(text: string): Promise<void> {
    const temp = vscode.Uri.joinPath(this.dir, `${INDEX}.${toHex(randomBytes(6))}.tmp`);
    await vscode.workspace.fs.writeFile(temp, utf8(text));
    try {
      await vscode.workspace.fs.rename(temp, this.index, { overwrite: true });
    } catch (e: unknown) {
      await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
      throw e;
    }
  }

  private async deleteFiles(entry: HistoryEntry): Promise<void> {
    const files = [...entry.images.flatMap(filesOf), ...(entry.referenceFiles ?? []).map((r) => r.file)];
    for (const file of files) {
      // A reference file may be shared with a newer entry: keep it while one still uses it.
      if (this.entries.some((e) => e.referenceFiles?.some((r) => r.file === file))) {
        continue;
      }
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.dir, file)).then(undefined, () => undefined);
    }
  }
}

/** The entries of an index file, or undefined when it is not one. */
function parseHistory(raw: Uint8Array): HistoryEntry[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(raw));
  } catch {
    return undefined;
  }
  if (!Array.isArray(json)) {
    return undefined;
  }
  return json.filter(
    (e): e is HistoryEntry =>
      typeof e === 'object' && e !== null && typeof (e as HistoryEntry).id === 'string' && typeof (e as HistoryEntry).prompt === 'string' && Array.isArray((e as HistoryEntry).images),
  );
}
