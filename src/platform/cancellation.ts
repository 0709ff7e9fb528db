/** VS Code's cancellation tokens as the AbortSignals the core and the API client take: one bridge for every command. */
import * as vscode from 'vscode';

/** A signal that follows `token` (aborted at once when it already is); `dispose` stops following. */
export function abortSignalOf(token: vscode.CancellationToken): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
  }
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}

/** A notification with Cancel, which aborts `work`'s signal. */
export function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = abortSignalOf(token);
    try {
      return await work(abort.signal, progress);
    } finally {
      abort.dispose();
    }
  });
}
