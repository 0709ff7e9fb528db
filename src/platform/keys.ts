import * as vscode from 'vscode';
import { cancelled, IllustrateError } from '../core/errors';
import { GOOGLE_BASE_URL, Settings } from '../core/settings';
import { readSettings } from './settings';

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
  private toldRouted = false;

  /** Once per session: the key went to Google's endpoint, not to the default gateway. */
  keyRouted(baseUrl: string): void {
    if (this.toldRouted) {
      return;
    }
    this.toldRouted = true;
    void vscode.window.showInformationMessage(keyRoutedMessage(baseUrl));
  }

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
      const key = await askForKey(readSettings());
      if (key) {
        await this.set(key);
        return key;
      }
    }
    throw new IllustrateError('noKey', vscode.l10n.t('No API key is set. Run "Illustrate: Set API Key" and try again.'));
  }
}

export function keyRoutedMessage(baseUrl: string): string {
  return vscode.l10n.t('Illustrate: your API key is a Google AI Studio key, so it goes to Google\'s endpoint ({0}), not to the default gateway. To use another endpoint, set illustrate.baseUrl in your user settings.', new URL(baseUrl).host);
}

export function keyPage(baseUrl: string): string {
  return /googleapis\.com/i.test(baseUrl) ? 'https://aistudio.google.com/apikey' : 'https://api.apiyi.com/token';
}

/**
 * The key prompt names where the key will go: the endpoint the user chose or, with the default
 * left as it is, the default gateway for its keys and Google's endpoint for a Google AI Studio key.
 */
export function askForKey(settings: Settings): Thenable<string | undefined> {
  const where = settings.endpointChosen
    ? vscode.l10n.t('It is sent only to the endpoint you chose, {0}.', new URL(settings.baseUrl).host)
    : vscode.l10n.t('A Google AI Studio key (AIza…) is sent to Google ({0}); any other key to the default gateway, {1}. To choose the endpoint, set illustrate.baseUrl.', new URL(GOOGLE_BASE_URL).host, new URL(settings.baseUrl).host);
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Illustrate: API Key'),
    prompt: vscode.l10n.t('Paste your API key. It is stored in VS Code\'s secret storage. {0}', where),
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
