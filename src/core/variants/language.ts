/** A language's names: in English (for an instruction to the model) and in itself (for a title such as "Translate This Image into 日本語"). */

/** `tag`'s name in `inLocale`'s language (`ja` → Japanese), the tag itself where the runtime has no names. */
function displayName(tag: string, inLocale: string): string {
  try {
    return new Intl.DisplayNames([inLocale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The language's name in English: `ja` → Japanese, `zh-CN` → Chinese (China). */
export function languageName(tag: string): string {
  return tag ? displayName(tag, 'en') : tag;
}

/** The language's name in itself: `ja` → 日本語, `zh-CN` → 中文（中国）, `fr` → français. */
export function ownLanguageName(tag: string): string {
  return tag ? displayName(tag, tag) : tag;
}
