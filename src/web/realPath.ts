/**
 * In a browser there is no disk to resolve links on: every workspace file is reached through
 * `vscode.workspace.fs`, whose `FileType.SymbolicLink` flag the placement checks instead.
 */
export const realPathsAvailable = false;

export async function pathExists(): Promise<boolean> {
  throw new Error('There is no local disk in the browser: use vscode.workspace.fs.');
}

export async function checkRealPath(): Promise<void> {
  throw new Error('There is no local disk in the browser: use vscode.workspace.fs.');
}

export async function readHeadBytes(): Promise<Uint8Array | undefined> {
  throw new Error('There is no local disk in the browser: use vscode.workspace.fs.');
}

export async function fileStat(): Promise<{ readonly size: number; readonly mtime: number } | undefined> {
  throw new Error('There is no local disk in the browser: use vscode.workspace.fs.');
}

export async function checkRealFile(): Promise<void> {
  throw new Error('There is no local disk in the browser: use vscode.workspace.fs.');
}

export async function readProjectFile(): Promise<Uint8Array | undefined> {
  throw new Error('There is no local disk in the browser: use vscode.workspace.fs.');
}
