/**
 * The site model in the editor: folder listings and configs through workspace.fs (any file
 * system, the browser's too), configs read up to 256 KB and never run, and `illustrate.site`
 * from the settings of the folder the page is in.
 */
import * as vscode from 'vscode';
import { fromUtf8 } from '../core/bytes';
import { resolveLink, SITE_CONFIG_GLOB, SiteFinder, SiteHost, siteOverride } from '../core/docs/sites';
import { uriExists } from './placement';

const MAX_CONFIG_BYTES = 256 * 1024;

function hostBeside(root: vscode.Uri): SiteHost {
  const at = (path: string): vscode.Uri => root.with({ path, query: '', fragment: '' });
  return {
    list: async (dir) => {
      try {
        return (await vscode.workspace.fs.readDirectory(at(dir))).map(([name]) => name);
      } catch {
        return [];
      }
    },
    read: async (file) => {
      try {
        const uri = at(file);
        const stat = await vscode.workspace.fs.stat(uri);
        if (!(stat.type & vscode.FileType.File) || stat.size > MAX_CONFIG_BYTES) {
          return undefined;
        }
        return fromUtf8(await vscode.workspace.fs.readFile(uri));
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Site finders kept between operations that run often (the Quick Fix, each time the cursor is in
 * an image), dropped when a site config is created, changed or deleted, or `illustrate.site` changes.
 */
export class LiveSites implements vscode.Disposable {
  private current = new EditorSites();
  private readonly watching: vscode.Disposable;

  constructor() {
    const forget = (): void => {
      this.current = new EditorSites();
    };
    const watcher = vscode.workspace.createFileSystemWatcher(SITE_CONFIG_GLOB);
    this.watching = vscode.Disposable.from(
      watcher,
      watcher.onDidCreate(forget),
      watcher.onDidChange(forget),
      watcher.onDidDelete(forget),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('illustrate.site')) {
          forget();
        }
      }),
    );
  }

  get sites(): EditorSites {
    return this.current;
  }

  dispose(): void {
    this.watching.dispose();
  }
}

/** Site finders per workspace folder, for one operation (a scan, a Quick Fix): configs read once. */
export class EditorSites {
  private readonly finders = new Map<string, SiteFinder>();

  finder(root: vscode.Uri): SiteFinder {
    const key = root.toString();
    let finder = this.finders.get(key);
    if (!finder) {
      finder = new SiteFinder(hostBeside(root), siteOverride(vscode.workspace.getConfiguration('illustrate', root).get('site')));
      this.finders.set(key, finder);
    }
    return finder;
  }
}

/** The top of a page (its front matter, where a Jekyll page's own permalink is), without reading it all. */
export function pageHead(document: vscode.TextDocument): string {
  return document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 200), 0));
}

/**
 * The file a link in `document` names on its site: the first that exists of the files the site
 * would serve it from, else the first (where a missing image is written); undefined for a remote
 * link or one no file can serve. With `existing`, only a file that exists (one check each).
 */
export async function resolveTarget(document: vscode.Uri, root: vscode.Uri, target: string, html = false, sites = new EditorSites(), existing = false, page?: string): Promise<vscode.Uri | undefined> {
  const site = await sites.finder(root).siteFor(document.path, root.path);
  const r = resolveLink(site, document.path, target, html, page);
  if (r.kind !== 'file') {
    return undefined;
  }
  const candidates = r.candidates.map((path) => document.with({ path, query: '', fragment: '' }));
  for (const c of candidates) {
    if (await uriExists(c)) {
      return c;
    }
  }
  return r.singlePage || existing ? undefined : candidates[0];
}
