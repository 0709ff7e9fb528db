import * as vscode from 'vscode';
import { ModelMemory } from '../core/api/modelRoute';

const KEY = 'illustrate.workingModels';

type Routes = Record<string, Record<string, string>>;

/** Which model id worked for which requested id, per endpoint, in VS Code's global state. */
export function globalModelMemory(state: vscode.Memento): ModelMemory {
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
      void state.update(KEY, { ...routes, [baseUrl]: { ...routes[baseUrl], [model]: working } });
    },
  };
}
