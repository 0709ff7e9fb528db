/** Language names in folder and file names: which folders and pages are translations. */
import { basename, splitExt } from '../paths';

/** Languages a translated page may name in its file name (`README.chinese.md`, `guide.zh-cn.md`). */
const LANGUAGE_WORDS = new Set(
  'arabic basque brazilian-portuguese bulgarian catalan chinese croatian czech danish dutch english farsi finnish french german greek hebrew hindi hungarian indonesian italian japanese korean malay norwegian persian polish portuguese romanian russian serbian slovak spanish swedish thai turkish ukrainian uzbek vietnamese'.split(' '),
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
