/**
 * "Get started with Illustrate": the walkthrough, from `Illustrate: Get Started`. After install VS
 * Code opens it once by itself (its `workbench.welcomePage.walkthroughs.openOnInstall`, on by default).
 */
import * as vscode from 'vscode';

function walkthroughId(context: vscode.ExtensionContext): string {
  return `${context.extension.id}#getStarted`;
}

export async function getStarted(context: vscode.ExtensionContext): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughId(context), false);
}
