import * as vscode from 'vscode';
import { generateAndPlace } from './place';
import { CommandResult, Services } from './services';

const RECENT_KEY = 'illustrate.recentPrompts';
const RECENT_MAX = 10;

export interface PromptArgs {
  readonly prompt?: string;
}

/** One input for the prompt; recent prompts are offered, but whatever is typed wins on Enter. */
async function askForPrompt(recent: readonly string[]): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { prompt: string }>();
  pick.title = 'Illustrate: Generate Image';
  pick.placeholder = 'Describe the image (Enter generates with your settings)';
  pick.matchOnDescription = false;
  const recentItems = recent.map((p) => ({ label: p, prompt: p, description: 'recent' }));
  pick.items = recentItems;
  pick.onDidChangeValue((value) => {
    const typed = value.trim();
    pick.items = typed ? [{ label: typed, prompt: typed, description: 'generate', alwaysShow: true }, ...recentItems.filter((i) => i.prompt !== typed)] : recentItems;
  });
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0]?.prompt ?? pick.value.trim();
      resolve(chosen || undefined);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

export async function generateFromPrompt(services: Services, args?: PromptArgs): Promise<CommandResult | undefined> {
  const state = services.context.workspaceState;
  const recent = state.get<string[]>(RECENT_KEY, []);
  const prompt = typeof args?.prompt === 'string' && args.prompt.trim() ? args.prompt.trim() : await askForPrompt(recent);
  if (!prompt) {
    return undefined;
  }
  await state.update(RECENT_KEY, [prompt, ...recent.filter((p) => p !== prompt)].slice(0, RECENT_MAX));
  return generateAndPlace(services, prompt, vscode.window.activeTextEditor, 'cursor');
}
