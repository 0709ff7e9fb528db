/**
 * "Get started with Illustrate": the walkthrough, from `Illustrate: Get Started`, and once by
 * itself after install (VS Code's `workbench.welcomePage.walkthroughs.openOnInstall` decides).
 */
import * as vscode from 'vscode';

const SHOWN_KEY = 'illustrate.walkthroughShown';

export function walkthroughId(context: vscode.ExtensionContext): string {
  return `${context.extension.id}#getStarted`;
}

export async function getStarted(context: vscode.ExtensionContext): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughId(context), false);
}

/** The first activation after install opens the walkthrough; later ones do not. */
export function openWalkthroughOnce(context: vscode.ExtensionContext): void {
  if (context.globalState.get<boolean>(SHOWN_KEY)) {
    return;
  }
  void context.globalState.update(SHOWN_KEY, true);
  if (vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true)) {
    void getStarted(context);
  }
}
