import * as vscode from 'vscode';
import { Services } from '../commands/services';

export function registerStudio(services: Services): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand('illustrate.openStudio', () => {
      void vscode.window.showInformationMessage('The Image Studio is not built yet.');
    }),
  );
}
