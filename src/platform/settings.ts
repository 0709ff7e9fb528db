import * as vscode from 'vscode';
import { Settings, settingsFrom } from '../core/settings';

/**
 * The settings for one operation, read once, for the document it is about, so a multi-root
 * workspace's folder settings apply. The endpoint, price and describe-model settings come from the user's own settings only.
 */
export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('illustrate', scope);
  return settingsFrom(
    (key) => c.get(key),
    (key) => {
      // Only what the user set: a default is the default, a workspace's value is not the user's.
      return c.inspect(key)?.globalValue;
    },
  );
}
