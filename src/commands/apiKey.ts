import * as vscode from 'vscode';
import { endpointForKey, GOOGLE_BASE_URL } from '../core/settings';
import { askForKey } from '../platform/keys';
import { readSettings } from '../platform/settings';
import { CommandResult, Services } from '../platform/services';

/** `key` lets automation (and tests) set the key without the input box. */
export async function setApiKey(services: Services, key?: unknown): Promise<CommandResult | undefined> {
  const settings = readSettings();
  const value = typeof key === 'string' && key.trim() ? key : await askForKey(settings);
  if (!value) {
    return undefined;
  }
  await services.keys.set(value);
  const routed = endpointForKey(settings, value).switched;
  // Said where the key goes when it is not the default gateway: the user sees it before any request.
  const message = routed
    ? vscode.l10n.t('Illustrate: API key saved in VS Code\'s secret storage. It is a Google AI Studio key, so it goes to Google\'s endpoint ({0}), not to the default gateway.', new URL(GOOGLE_BASE_URL).host)
    : vscode.l10n.t('Illustrate: API key saved in VS Code\'s secret storage.');
  void vscode.window.showInformationMessage(message);
  return { ok: true, message };
}

export async function clearApiKey(services: Services): Promise<CommandResult> {
  await services.keys.clear();
  const message = vscode.l10n.t('Illustrate: API key removed from VS Code\'s secret storage.');
  void vscode.window.showInformationMessage(message);
  return { ok: true, message };
}
