/** Language names in folder and file names: which folders and pages are translations. */
import { basename, splitExt } from '../paths';

/** Languages a translated page may name in its file name (`README.chinese.md`, `guide.zh-cn.md`), each with its language tag. */
const LANGUAGE_WORDS = new Map(
  'arabic:ar basque:eu brazilian-portuguese:pt-BR bulgarian:bg catalan:ca chinese:zh croatian:hr czech:cs danish:da dutch:nl english:en farsi:fa finnish:fi french:fr german:de greek:el hebrew:he hindi:hi hungarian:hu indonesian:id italian:it japanese:ja korean:ko malay:ms norwegian:no persian:fa polish:pl portuguese:pt romanian:ro russian:ru serbian:sr slovak:sk spanish:es swedish:sv thai:th turkish:tr ukrainian:uk uzbek:uz vietnamese:vi'
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);
export const LANGUAGE_CODES = new Set('ar bg bn ca cs da de el es et fa fi fr he hi hr hu id it ja ko lt lv ms nb nl no pl pt ro ru sk sl sr sv th tr uk ur uz vi zh'.split(' '));

/** Whether a name is a locale: `zh`, `pt-BR`, `zh-Hans`, `chinese`… (English excluded: the usual default). */
export function isLocaleName(name: string): boolean {
  const lower = name.toLowerCase();
  if (LANGUAGE_WORDS.has(lower)) {
    return true;
  }
  const m = /^([a-z]{2})(?:[-_]([a-z]{2,4}))?$/.exec(lower);
  return m !== null && LANGUAGE_CODES.has(m[1]);
}

/** A page whose file name says it is a translation: `README.chinese.md`, `intro.zh-cn.mdx`. */
export function isTranslatedName(file: string): boolean {
  return fileLanguage(file) !== undefined;
}

/** The language a page's file name names (`intro.zh-cn.md` → `zh-cn`), with its name without it; undefined when it names none. */
export function fileLanguage(file: string): { language: string; stem: string } | undefined {
  const { stem } = splitExt(basename(file));
  const dot = stem.lastIndexOf('.');
  return dot > 0 && isLocaleName(stem.slice(dot + 1)) ? { language: stem.slice(dot + 1), stem: stem.slice(0, dot) } : undefined;
}

/**
 * The language tag a locale name stands for, in its usual case: `chinese` → `zh`, `zh_cn` →
 * `zh-CN`, `zh-hans` → `zh-Hans`, `pt-br` → `pt-BR`; the name as it is when it is not a locale.
 */
export function languageTag(name: string): string {
  const lower = name.toLowerCase();
  const word = LANGUAGE_WORDS.get(lower);
  if (word) {
    return word;
  }
  const m = /^([a-z]{2,3})(?:[-_]([a-z0-9]{2,8}))?$/.exec(lower);
  if (!m) {
    return name;
  }
  const sub = m[2];
  return sub === undefined ? m[1] : `${m[1]}-${sub.length === 4 ? sub[0].toUpperCase() + sub.slice(1) : sub.length === 2 ? sub.toUpperCase() : sub}`;
}
