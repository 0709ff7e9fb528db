/** Figures shown to a person. (Outside text on its way to a person goes through core/escape.) */

/** A file's size for a person: `812 B`, `48 KB`, `1.9 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) {
    return `${n} B`;
  }
  if (n < 1024 * 1024) {
    return `${Math.round(n / 1024)} KB`;
  }
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
