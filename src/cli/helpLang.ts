/** The help section of `variants --lang` (translated pictures). */
import * as l10n from '@vscode/l10n';

export function translationHelp(): string {
  return l10n.t(`
Translated pictures (a translated page shares a picture with its source page, and the picture
holds text: the text is edited into the page's language, layout and style kept):
  illustrate variants [PATH...] --lang ja,zh-CN|all [--dry-run] [--yes] [--json]

           Translated pages: Docusaurus i18n/<locale>/, VitePress, Hugo, Starlight and MkDocs
           locale folders, NAME.<lang>.md files (Hugo, the MkDocs i18n plugin, README.fr.md).
           The translation goes beside the picture as NAME.<lang>.EXT (Docusaurus: into the
           locale's i18n tree) and only the translated pages' links change (MkDocs' i18n plugin
           picks NAME.<lang>.EXT by itself: no link changes). A picture whose record says its
           words asked for no text is left alone; one from elsewhere is looked at first by the
           describe model. check reports a translation whose source changed; fill --stale
           makes it again.
`);
}
