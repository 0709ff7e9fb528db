import * as vscode from 'vscode';
import { findModel } from '../core/api/models';
import { readSettings } from './settings';

/** The model in the status bar while a markdown file is open; a click runs "Choose Model…". */
export function modelStatusItem(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('illustrate.model', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Illustrate: Model';
  item.command = 'illustrate.chooseModel';
  const update = (): void => {
    const model = readSettings().model;
    item.text = `$(sparkle) ${findModel(model)?.label ?? model}`;
    item.tooltip = vscode.l10n.t('Illustrate generates images with {0}. Click to choose another model.', model);
    if (vscode.window.activeTextEditor?.document.languageId === 'markdown') {
      item.show();
    } else {
      item.hide();
    }
  };
  update();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('illustrate.model')) {
        update();
      }
    }),
  );
}
