import * as vscode from 'vscode';
import { ImageFormat } from '../core/imageFormat';
import { ComposeOptions } from './protocol';

/** One image of a history entry, kept in the extension's workspace storage until saved. */
export interface StoredImage {
  readonly id: string;
  /** File name inside the store's folder. */
  readonly file: string;
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly tokens: number;
  readonly cost: number | undefined;
  readonly texts: readonly string[];
  readonly thoughts: readonly string[];
  /** The answer's text parts and the image's thought signature, sent back when editing. */
  readonly textParts: readonly { readonly text: string; readonly thoughtSignature?: string }[];
  readonly imageSignature?: string;
  savedAs?: string;
}

export interface HistoryEntry {
  readonly id: string;
  readonly date: string;
  readonly prompt: string;
  readonly options: ComposeOptions;
  readonly variants: number;
  readonly references: readonly string[];
  readonly images: StoredImage[];
  readonly errors: string[];
  durationMs: number;
  readonly editOf?: string;
}

/** Every generation of the Studio in this workspace, newest first, capped, kept across reloads. */
export class StudioStore {
  private entries: HistoryEntry[] = [];
  private loaded = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: vscode.Uri,
    private readonly limit: () => number,
  ) {}

  private get index(): vscode.Uri {
    return vscode.Uri.joinPath(this.dir, 'history.json');
  }

  async load(): Promise<readonly HistoryEntry[]> {
    if (!this.loaded) {
      this.loaded = true;
      try {
        const raw = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(this.index)).toString('utf8')) as unknown;
        this.entries = Array.isArray(raw) ? (raw as HistoryEntry[]).filter((e) => typeof e?.id === 'string' && Array.isArray(e.images)) : [];
      } catch {
        this.entries = [];
      }
    }
    return this.entries;
  }

  imageUri(image: StoredImage): vscode.Uri {
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
    return true;
  }

  async persist(): Promise<void> {
    const text = JSON.stringify(this.entries, null, 1);
    this.writing = this.writing.then(() => vscode.workspace.fs.writeFile(this.index, Buffer.from(text, 'utf8')));
    await this.writing;
  }

  private async deleteFiles(entry: HistoryEntry): Promise<void> {
    for (const image of entry.images) {
      try {
        await vscode.workspace.fs.delete(this.imageUri(image));
      } catch {
        // already gone
      }
    }
  }
}
