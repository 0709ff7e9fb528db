/**
 * The command line's language: Simplified Chinese when the environment asks for it (`LC_ALL`,
 * `LC_MESSAGES` or `LANG` such as `zh_CN.UTF-8`), else English. The same bundle as the editor's.
 */
import * as l10n from '@vscode/l10n';
import zhCn from '../../l10n/bundle.l10n.zh-cn.json';

/** The locale the environment asks for, as POSIX says: LC_ALL, then LC_MESSAGES, then LANG. */
export function requestedLocale(env: NodeJS.ProcessEnv): string {
  return env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
}

export function isSimplifiedChinese(locale: string): boolean {
  return /^zh(?:$|[.@]|[-_](?:cn|sg|hans)\b)/i.test(locale);
}

export function useLocale(env: NodeJS.ProcessEnv): void {
  if (isSimplifiedChinese(requestedLocale(env))) {
    l10n.config({ contents: zhCn as Record<string, string> });
  }
}
