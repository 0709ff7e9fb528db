/** Building the Studio's DOM: a tiny element builder and the few controls the views share. */

/** A tiny element builder: tag, attributes/properties, children. */
export function h(tag: string, props: Record<string, unknown> = {}, ...children: (Node | string | undefined | false)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v as EventListener);
    } else if (k === 'className') {
      el.className = String(v);
    } else if (k in el) {
      (el as unknown as Record<string, unknown>)[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c !== undefined && c !== false) {
      el.append(c);
    }
  }
  return el;
}

export function ratioShape(ratio: string): HTMLElement {
  const [w, hgt] = ratio.split(':').map(Number);
  const scale = 14 / Math.max(w, hgt);
  const shape = h('span', { className: 'shape', 'aria-hidden': 'true' });
  // Through the CSSOM: the CSP allows no inline style attributes.
  shape.style.width = `${Math.max(2, Math.round(w * scale))}px`;
  shape.style.height = `${Math.max(2, Math.round(hgt * scale))}px`;
  return shape;
}

export function select(label: string, value: string, options: { value: string; label: string }[], onChange: (v: string) => void, id?: string): HTMLElement {
  const sel = h('vscode-single-select', { label, id, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) });
  for (const o of options) {
    sel.append(h('vscode-option', { value: o.value, selected: o.value === value }, o.label));
  }
  (sel as unknown as { value: string }).value = value;
  return sel;
}

export function fieldRow(labelText: string, control: HTMLElement): HTMLElement {
  return h('div', { className: 'field' }, h('span', { className: 'field-label', 'aria-hidden': 'true' }, labelText), control);
}

export function kb(bytes: number): string {
  return bytes > 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

