import * as vscode from 'vscode';
import { ModelMemory } from '../core/api/modelRoute';

const KEY = 'illustrate.workingModels';

type Routes = Record<string, Record<string, string>>;

/** A model memory that says when it learns a new route (the status bar shows the healed model). */
export interface ObservableModelMemory extends ModelMemory {
  readonly onDidChange: vscode.Event<void>;
}

/** Which model id worked for which requested id, per endpoint, in VS Code's global state. */
export function globalModelMemory(state: vscode.Memento): ObservableModelMemory {
  const changed = new vscode.EventEmitter<void>();
  const read = (): Routes => {
    const value = state.get<unknown>(KEY);
    return typeof value === 'object' && value !== null ? (value as Routes) : {};
  };
  return {
    get(baseUrl, model) {
      const found = read()[baseUrl]?.[model];
      return typeof found === 'string' ? found : undefined;
    },
    set(baseUrl, model, working) {
      const routes = read();
      void Promise.resolve(state.update(KEY, { ...routes, [baseUrl]: { ...routes[baseUrl], [model]: working } })).then(() => changed.fire());
    },
    onDidChange: changed.event,
  };
}
