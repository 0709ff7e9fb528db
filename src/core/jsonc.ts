/**
 * JSON with comments and trailing commas, as VS Code writes `settings.json`: the comments and the
 * trailing commas are blanked out in one pass (strings left alone), then `JSON.parse` reads it.
 */
export function parseJsonc(text: string): unknown {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') {
        j += text[j] === '\\' ? 2 : 1;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      out += ' ';
    } else if (c === ',') {
      // A comma followed only by blanks and comments before } or ] is dropped.
      let j = i + 1;
      for (;;) {
        while (j < n && /\s/.test(text[j])) {
          j++;
        }
        if (text[j] === '/' && text[j + 1] === '/') {
          const end = text.indexOf('\n', j);
          j = end < 0 ? n : end;
        } else if (text[j] === '/' && text[j + 1] === '*') {
          const end = text.indexOf('*/', j + 2);
          j = end < 0 ? n : end + 2;
        } else {
          break;
        }
      }
      if (text[j] !== '}' && text[j] !== ']') {
        out += ',';
      }
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out);
}
