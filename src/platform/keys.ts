import * as vscode from 'vscode';
import { cancelled } from '../core/client';
import { IllustrateError } from '../core/errors';

const SECRET_KEY = 'illustrate.apiKey';

/** The API key, only ever in SecretStorage. */
export class KeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(SECRET_KEY);
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }

  private asking: Promise<string> | undefined;

  /**
   * The stored key, or one the user enters now, so the generation they asked for can go on.
   * Requests that need a key at the same time (the Studio's variants) share one question;
   * each stops waiting when its own `signal` is aborted.
   */
  async require(baseUrl: string, signal?: AbortSignal): Promise<string> {
    const stored = await this.get();
    if (stored) {
      return stored;
    }
    if (!this.asking) {
      this.asking = this.ask(baseUrl).finally(() => {
        this.asking = undefined;
      });
    }
    return signal ? untilAborted(this.asking, signal) : this.asking;
  }

  private async ask(baseUrl: string): Promise<string> {
    const enter = vscode.l10n.t('Enter API Key');
    const get = vscode.l10n.t('Get an API Key');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Illustrate needs an API key for the image API. Enter it once; it is kept in VS Code\'s secret storage.'), enter, get);
    if (choice === get) {
      void vscode.env.openExternal(vscode.Uri.parse(keyPage(baseUrl)));
    }
    if (choice === enter || choice === get) {
      const key = await askForKey();
      if (key) {
        await this.set(key);
        return key;
      }
    }
    throw new IllustrateError('noKey', vscode.l10n.t('No API key is set. Run "Illustrate: Set API Key" and try again.'));
  }
}

export function keyPage(baseUrl: string): string {
  return /googleapis\.com/i.test(baseUrl) ? 'https://aistudio.google.com/apikey' : 'https://api.apiyi.com/token';
}

export function askForKey(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Illustrate: API Key'),
    prompt: vscode.l10n.t('Paste the API key for your image API (Google AI Studio or your gateway). It is stored in VS Code\'s secret storage.'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim().length < 8 ? vscode.l10n.t('That looks too short for an API key.') : undefined),
  });
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    return Promise.reject(cancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
