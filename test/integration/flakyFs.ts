import * as vscode from 'vscode';

/**
 * An in-memory file system registered with VS Code, whose writes can be made to fail like a full
 * disk: the Studio's store reaches it through vscode.workspace.fs as it reaches the real disk.
 */
export class FlakyFs implements vscode.FileSystemProvider {
  readonly files = new Map<string, Uint8Array>();
  readonly dirs = new Set<string>(['/']);
  failWrites = false;
  writes = 0;
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    if (this.dirs.has(uri.path)) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    const file = this.files.get(uri.path);
    if (!file) {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: file.length };
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const prefix = uri.path.endsWith('/') ? uri.path : `${uri.path}/`;
    const direct = (p: string): string | undefined => (p.startsWith(prefix) && !p.slice(prefix.length).includes('/') ? p.slice(prefix.length) : undefined);
    return [
      ...[...this.files.keys()].map(direct).filter((n): n is string => !!n).map((n): [string, vscode.FileType] => [n, vscode.FileType.File]),
      ...[...this.dirs].map(direct).filter((n): n is string => !!n).map((n): [string, vscode.FileType] => [n, vscode.FileType.Directory]),
    ];
  }

  createDirectory(uri: vscode.Uri): void {
    this.dirs.add(uri.path);
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(uri.path);
    if (!file) {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    return file;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    this.writes++;
    if (this.failWrites) {
      throw vscode.FileSystemError.Unavailable('No space left on device');
    }
    this.files.set(uri.path, content);
  }

  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }

  rename(from: vscode.Uri, to: vscode.Uri, options: { overwrite: boolean }): void {
    const file = this.files.get(from.path);
    if (!file) {
      throw vscode.FileSystemError.FileNotFound(from);
    }
    if (this.files.has(to.path) && !options.overwrite) {
      throw vscode.FileSystemError.FileExists(to);
    }
    this.files.delete(from.path);
    this.files.set(to.path, file);
  }
}
