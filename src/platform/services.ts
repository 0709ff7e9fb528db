import * as vscode from 'vscode';
import { HttpFetch } from '../core/api/client';
import { Generator } from '../core/api/generator';
import { KeyStore } from './keys';

/** The long-lived objects commands share, built once in activate(). */
export interface Services {
  /** The extension's folder: the webview's bundle and media. */
  readonly extensionUri: vscode.Uri;
  /** Per-workspace memory (recent prompts). */
  readonly workspaceState: vscode.Memento;
  readonly keys: KeyStore;
  readonly generator: Generator;
  readonly fetch: HttpFetch;
  readonly log: vscode.LogOutputChannel;
  readonly statusBar: vscode.StatusBarItem;
}

/** What a command did, returned to callers such as tests and keybindings with args. */
export type CommandResult = { readonly ok: true; readonly message: string; readonly file?: string } | { readonly ok: false; readonly message: string };
