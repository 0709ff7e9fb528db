/**
 * Trimming runs of characters in one pass. A pattern such as `/[.:]+$/` restarts its scan at every
 * character of a long run that does not reach the end (quadratic on outside text); these loops
 * look at each character once. `char` is a pattern for one character, such as `/[\s,;:]/`
 * (without the `g` or `y` flag, whose `test` would move on from its last match).
 */

/** `text` without the characters at its end that `char` accepts. */
export function trimEndOf(text: string, char: RegExp): string {
  let end = text.length;
  while (end > 0 && char.test(text[end - 1])) {
    end--;
  }
  return end === text.length ? text : text.slice(0, end);
}

/** `text` without the characters at its start that `char` accepts. */
export function trimStartOf(text: string, char: RegExp): string {
  let start = 0;
  while (start < text.length && char.test(text[start])) {
    start++;
  }
  return start === 0 ? text : text.slice(start);
}

/** `text` without the characters at either end that `char` accepts. */
export function trimOf(text: string, char: RegExp): string {
  return trimStartOf(trimEndOf(text, char), char);
}
