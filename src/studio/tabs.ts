/** The Studio's tab in the editor groups: finding it, showing it, keeping it open. */
import * as vscode from 'vscode';

export const VIEW_TYPE = 'illustrate.studio';

const FOCUS_GROUP = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth'].map((n) => `workbench.action.focus${n}EditorGroup`);

/** A Studio's tab, live or restored (tabs carry the view type with a prefix). */
export function isStudioTab(tab: vscode.Tab): boolean {
  return tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(VIEW_TYPE);
}

/** The first Studio tab in any group, with its group. */
export function findStudioTab(): { readonly group: vscode.TabGroup; readonly tab: vscode.Tab } | undefined {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter(isStudioTab).map((tab) => ({ group, tab })))[0];
}

/**
 * Shows the Studio's tab in its group, which makes VS Code revive a restored webview. Focus may
 * still be moving (the command palette closing gives it back to the editor it came from), so the
 * group's focus is checked before the tab is opened by its index.
 */
export async function showStudioTab(group: vscode.TabGroup): Promise<void> {
  const focusGroup = FOCUS_GROUP[group.viewColumn - 1];
  if (!focusGroup) {
    return;
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    await vscode.commands.executeCommand(focusGroup);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const active = vscode.window.tabGroups.activeTabGroup;
    if (active.viewColumn === group.viewColumn) {
      await vscode.commands.executeCommand('workbench.action.openEditorAtIndex', active.tabs.findIndex(isStudioTab));
      const now = vscode.window.tabGroups.activeTabGroup.activeTab;
      if (now && isStudioTab(now)) {
        return;
      }
    }
  }
}

/**
 * A new panel opens as a preview editor, which the next file opened in its group would replace
 * (and dispose). The Studio is a place to work in: pin it once its tab shows up as the active preview.
 */
export function keepStudioOpen(): void {
  const pin = (): boolean => {
    if (vscode.window.tabGroups.activeTabGroup.tabs.some((t) => t.isPreview && t.isActive && isStudioTab(t))) {
      void vscode.commands.executeCommand('workbench.action.keepEditor');
      return true;
    }
    return false;
  };
  if (!pin()) {
    const watch = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (pin()) {
        watch.dispose();
      }
    });
    setTimeout(() => watch.dispose(), 10_000);
  }
}
