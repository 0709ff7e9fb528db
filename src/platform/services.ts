import * as vscode from 'vscode';
import { GenerationOptions } from '../core/api/models';
import { ImageFormat } from '../core/images/imageFormat';
import type { ImageCodec } from '../core/images/codec';
import { HttpFetch } from '../core/api/client';
import { Generator } from '../core/api/generator';
import type { Reviewer } from '../core/review/review';
import { KeyStore } from './keys';
import { LiveSites } from './sites';

/** The long-lived objects commands share, built once in activate(). */
export interface Services {
  /** The extension's folder: the webview's bundle and media. */
  readonly extensionUri: vscode.Uri;
  /** Per-workspace memory (recent prompts). */
  readonly workspaceState: vscode.Memento;
  readonly keys: KeyStore;
  readonly generator: Generator;
  /** Looks at a picture against its words (`core/review`). */
  readonly reviewer: Reviewer;
  readonly fetch: HttpFetch;
  /** The image codec's worker (conversions, the reports' thumbnails); absent where none can run. */
  readonly codec?: ImageCodec;
  readonly log: vscode.LogOutputChannel;
  readonly statusBar: vscode.StatusBarItem;
  /** The Image Studio's history: where a picture goes before Illustrate replaces it in the workspace. */
  readonly history: PictureHistory;
  /** The one site model of the window: every link resolved through one cache and one watcher. */
  readonly sites: LiveSites;
}

/** The Image Studio's history, as the rest of the extension sees it (the Studio's store is one). */
export interface PictureHistory {
  /** Keeps a picture that is about to be replaced in the workspace as a history entry. */
  keepVersion(version: { prompt: string; bytes: Uint8Array; format: ImageFormat; width: number; height: number; options: GenerationOptions; cost?: number; savedAs: string }): Promise<void>;
}

/** What a command did, returned to callers such as tests and keybindings with args. */
export type CommandResult = { readonly ok: true; readonly message: string; readonly file?: string } | { readonly ok: false; readonly message: string };
