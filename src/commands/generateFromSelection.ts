import * as vscode from 'vscode';
import { IllustrateError } from '../core/errors';
import { showFailure } from '../platform/feedback';
import { CommandResult, Services } from '../platform/services';
import { generateAndPlace } from './generateFromPrompt';

export async function generateFromSelection(services: Services): Promise<CommandResult> {
  const editor = vscode.window.activeTextEditor;
  const prompt = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
  if (!editor || !prompt) {
    return showFailure(services, new IllustrateError('options', vscode.l10n.t('Select the text that describes the image, then run "Generate Image from Selection" again.')));
  }
  return generateAndPlace(services, prompt, editor, 'afterSelection');
}
