import * as vscode from 'vscode';
import { askForKey } from '../platform/keys';
import { CommandResult, Services } from '../platform/services';

/** `key` lets automation (and tests) set the key without the input box. */
export async function setApiKey(services: Services, key?: unknown): Promise<CommandResult | undefined> {
  const value = typeof key === 'string' && key.trim() ? key : await askForKey();
  if (!value) {
    return undefined;
  }
  await services.keys.set(value);
  const message = vscode.l10n.t('Illustrate: API key saved in VS Code\'s secret storage.');
  void vscode.window.showInformationMessage(message);
  return { ok: true, message };
}

export async function clearApiKey(services: Services): Promise<CommandResult> {
  await services.keys.clear();
  const message = vscode.l10n.t('Illustrate: API key removed from VS Code\'s secret storage.');
  void vscode.window.showInformationMessage(message);
  return { ok: true, message };
}
