import * as vscode from 'vscode';
import { isMarkdownDocument } from './markdownDocuments';
import { findModel } from '../core/api/models';
import { ObservableModelMemory } from './modelMemory';
import { readSettings } from './settings';

/**
 * The model in the status bar while a markdown file is open; a click runs "Choose Model…". When
 * the endpoint answered 404 for the chosen model and another id worked (an alias, a successor),
 * the item shows the model really used.
 */
export function modelStatusItem(memory?: ObservableModelMemory): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('illustrate.model', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Illustrate: Model';
  item.command = 'illustrate.chooseModel';
  const update = (): void => {
    const settings = readSettings();
    const model = settings.model;
    const used = memory?.get(settings.baseUrl, model);
    if (used && used !== model) {
      item.text = `$(sparkle) ${findModel(used)?.label ?? used}`;
      item.tooltip = vscode.l10n.t('Illustrate generates images with {0}: {1} is not available at {2}, and {0} worked there. Click to choose another model.', used, model, new URL(settings.baseUrl).host);
    } else {
      item.text = `$(sparkle) ${findModel(model)?.label ?? model}`;
      item.tooltip = vscode.l10n.t('Illustrate generates images with {0}. Click to choose another model.', model);
    }
    if (vscode.window.activeTextEditor && isMarkdownDocument(vscode.window.activeTextEditor.document)) {
      item.show();
    } else {
      item.hide();
    }
  };
  update();
  return vscode.Disposable.from(
    item,
    ...(memory ? [memory.onDidChange(update)] : []),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('illustrate.model') || e.affectsConfiguration('illustrate.baseUrl')) {
        update();
      }
    }),
  );
}
