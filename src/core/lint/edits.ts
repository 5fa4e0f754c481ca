/**
 * Minimal text edits to a training config (YAML or JSON) for the lint's quick fixes: add an item
 * to a list, remove one, set a value, add keys to a mapping, creating missing parents.
 *
 * The edits touch as little text as possible and copy the file's own layout: a block YAML list
 * gets a new `- item` line at the indentation of its items, a flow list `[a, b]` gets `, c`, a
 * multi-line JSON array gets a new line at its items' indentation, a missing key is added after
 * its siblings at their indentation. Comments and everything else stay as written.
 */
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { LineIndex } from '../config/sourcemap';
import type { TextEdit } from './types';

/** A value a fix can write. */
export type EditValue = string | number | boolean | EditValue[] | { [key: string]: EditValue };

type Path = readonly (string | number)[];

/** A container or scalar of the config, with offsets into its text. */
interface DNode {
  kind: 'map' | 'seq' | 'scalar';
  /** Offsets of the node's text: [start, end). For block collections `end` is after the last child's line. */
  start: number;
  end: number;
  /** Flow syntax: `[…]`/`{…}` in YAML, always in JSON. */
  flow: boolean;
  /** A YAML null (`key:` with nothing after it). */
  empty?: boolean;
  entries: DEntry[];
  items: DNode[];
}

interface DEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: DNode;
}

/** An offset edit before conversion to lines and columns. */
interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** Builds text edits against one config text. */
export class ConfigEditor {
  private readonly root: DNode | undefined;
  private readonly lines: LineIndex;
  private readonly eol: string;
  private readonly unit: string;

  /**
   * @param text the config's text, exactly as the editor or the file has it
   * @param file the config's path (used in the edits)
   * @param format YAML or JSON (as `TrainingConfig.format`)
   */
  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly format: 'json' | 'yaml',
  ) {
    this.lines = new LineIndex(text);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    this.root = format === 'json' ? jsonModel(text) : yamlModel(text);
    this.unit = detectIndentUnit(text, this.root);
  }

  /** Append `value` to the list at `path`, creating the list (and its parents) when absent. Undefined when it can't. */
  addToList(path: Path, value: EditValue): TextEdit[] | undefined {
    const node = this.find(path);
    if (node && node.kind === 'seq') return this.finish([this.appendItem(node, value)]);
    if (node && !(node.kind === 'scalar' && node.empty)) return undefined;
    return this.set(path, [value]);
  }

  /** Remove item `index` of the list at `path` (leaving `[]` when it was the only one). */
  removeFromList(path: Path, index: number): TextEdit[] | undefined {
    const node = this.find(path);
    if (!node || node.kind !== 'seq' || index < 0 || index >= node.items.length) return undefined;
    const item = node.items[index];
    const n = node.items.length;
    if (node.flow) {
      if (n === 1) return this.finish([{ start: this.text.indexOf('[', node.start) + 1, end: node.end - 1, text: '' }]);
      if (index < n - 1) return this.finish([{ start: item.start, end: node.items[index + 1].start, text: '' }]);
      return this.finish([{ start: node.items[index - 1].end, end: item.end, text: '' }]);
    }
    // Block list: drop the item's lines; the only item becomes `key: []`.
    const lineStart = this.lineStart(this.dashOf(item));
    const lineEnd = this.nextLineStart(item.end);
    if (n === 1) {
      const parent = this.parentEntry(path);
      if (!parent) return undefined;
      const colon = this.text.indexOf(':', parent.keyEnd);
      if (colon < 0) return undefined;
      return this.finish([{ start: colon + 1, end: this.lineEndBefore(lineEnd), text: ' []' }]);
    }
    return this.finish([{ start: lineStart, end: lineEnd, text: '' }]);
  }

  /** Set the value at `path`, replacing a scalar or creating the key (and missing parents). */
  set(path: Path, value: EditValue): TextEdit[] | undefined {
    if (!this.root || this.root.kind !== 'map' || path.length === 0) return undefined;
    let node: DNode = this.root;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const rest = path.slice(i + 1);
      if (node.kind === 'scalar' && node.empty) {
        // `key:` with nothing: write the rest as a flow value.
        return this.finish([{ start: node.start, end: node.end, text: ' ' + this.inline(nest(path.slice(i), value)) }]);
      }
      if (node.kind !== 'map' || typeof seg !== 'string') {
        if (node.kind === 'seq' && typeof seg === 'number' && seg < node.items.length && rest.length === 0) {
          const item = node.items[seg];
          return this.finish([{ start: item.start, end: item.end, text: this.inline(value) }]);
        }
        return undefined;
      }
      const entry = node.entries.find((e) => e.key === seg);
      if (!entry) return this.finish([this.insertEntries(node, { [seg]: nest(rest, value) })]);
      if (rest.length === 0) {
        const v = entry.value;
        if (v.kind === 'map' && isObject(value)) return this.setMany(path, value);
        if (v.kind === 'scalar' && v.empty) return this.finish([{ start: v.start, end: v.end, text: ' ' + this.inline(value) }]);
        if (v.kind !== 'scalar' && !v.flow) {
          // Replace a block collection: put the new value right after the colon.
          const colon = this.text.indexOf(':', entry.keyEnd);
          return this.finish([{ start: colon + 1, end: this.lineEndBefore(v.end), text: ' ' + this.inline(value) }]);
        }
        return this.finish([{ start: v.start, end: v.end, text: this.inline(value) }]);
      }
      node = entry.value;
    }
    return undefined;
  }

  /** Add the keys of `entries` that the mapping at `path` lacks (creating the mapping when absent); existing keys are left alone. */
  setMany(path: Path, entries: Record<string, EditValue>): TextEdit[] | undefined {
    const node = this.find(path);
    if (!node) return this.set(path, entries);
    if (node.kind === 'scalar' && node.empty) return this.set(path, entries);
    if (node.kind !== 'map') return undefined;
    const missing: Record<string, EditValue> = {};
    for (const [k, v] of Object.entries(entries)) if (!node.entries.some((e) => e.key === k)) missing[k] = v;
    if (Object.keys(missing).length === 0) return [];
    return this.finish([this.insertEntries(node, missing)]);
  }

  /** The node at `path`, if present. */
  private find(path: Path): DNode | undefined {
    let node = this.root;
    for (const seg of path) {
      if (!node) return undefined;
      if (node.kind === 'map' && typeof seg === 'string') node = node.entries.find((e) => e.key === seg)?.value;
      else if (node.kind === 'seq' && typeof seg === 'number') node = node.items[seg];
      else return undefined;
    }
    return node;
  }

  private parentEntry(path: Path): DEntry | undefined {
    const parent = this.find(path.slice(0, -1));
    const last = path[path.length - 1];
    return parent?.kind === 'map' ? parent.entries.find((e) => e.key === last) : undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Insertions

  private appendItem(seq: DNode, value: EditValue): OffsetEdit {
    const rendered = this.inline(value);
    if (seq.flow) {
      if (seq.items.length === 0) {
        const open = this.text.indexOf('[', seq.start);
        return { start: open + 1, end: open + 1, text: rendered };
      }
      const last = seq.items[seq.items.length - 1];
      const first = seq.items[0];
      if (this.text.slice(seq.start, first.start).includes('\n')) {
        return { start: last.end, end: last.end, text: `,${this.eol}${this.indentAt(first.start)}${rendered}` };
      }
      return { start: last.end, end: last.end, text: `, ${rendered}` };
    }
    // Block list: a new `- item` line after the last item, at its dash's indentation.
    const last = seq.items[seq.items.length - 1];
    const dash = this.dashOf(last);
    const indent = this.text.slice(this.lineStart(dash), dash);
    const at = this.nextLineStart(last.end);
    const lead = at === this.text.length && !this.endsWithNewline() ? this.eol : '';
    return { start: at, end: at, text: `${lead}${indent}- ${rendered}${lead ? '' : this.eol}` };
  }

  private insertEntries(map: DNode, entries: Record<string, EditValue>): OffsetEdit {
    const keys = Object.keys(entries);
    if (map.flow) {
      const layout = this.format === 'json' && this.multiline(map) ? this.childIndent(map) : undefined;
      const parts = keys.map((k) => `${this.key(k)}: ${this.format === 'json' ? this.jsonValue(entries[k], layout) : this.inline(entries[k])}`);
      if (map.entries.length === 0) {
        const open = this.text.indexOf('{', map.start);
        return { start: open + 1, end: open + 1, text: this.format === 'json' && this.multiline(map) ? `${this.eol}${this.childIndent(map)}${parts.join(`,${this.eol}${this.childIndent(map)}`)}${this.eol}${this.indentAt(map.start)}` : ` ${parts.join(', ')} ` };
      }
      const last = map.entries[map.entries.length - 1];
      if (this.multiline(map)) {
        const indent = this.indentAt(map.entries[0].keyStart);
        return { start: last.value.end, end: last.value.end, text: parts.map((p) => `,${this.eol}${indent}${p}`).join('') };
      }
      return { start: last.value.end, end: last.value.end, text: parts.map((p) => `, ${p}`).join('') };
    }
    // Block mapping: new lines after the last entry, at the entries' indentation.
    const indent = map.entries.length > 0 ? this.indentAt(map.entries[0].keyStart) : '';
    const lines = keys.map((k) => this.blockEntry(k, entries[k], indent)).join('');
    const lastEnd = map.entries.length > 0 ? map.entries[map.entries.length - 1].value.end : map.end;
    const at = this.nextLineStart(lastEnd);
    if (at === this.text.length && !this.endsWithNewline()) return { start: at, end: at, text: this.eol + lines.slice(0, -this.eol.length) };
    return { start: at, end: at, text: lines };
  }

  /** A block YAML entry, its lines ending with the file's line break. */
  private blockEntry(key: string, value: EditValue, indent: string): string {
    if (isObject(value) && Object.keys(value).length > 0) {
      const inner = indent + this.unit;
      return `${indent}${this.key(key)}:${this.eol}${Object.entries(value).map(([k, v]) => this.blockEntry(k, v, inner)).join('')}`;
    }
    return `${indent}${this.key(key)}: ${this.inline(value)}${this.eol}`;
  }

  // ------------------------------------------------------------------------------------------
  // Rendering

  /** A value in flow style (`[a, b]`, `{ a: 1 }`, a scalar), in the file's syntax. */
  private inline(value: EditValue): string {
    if (this.format === 'json') return this.jsonValue(value, undefined);
    if (Array.isArray(value)) return `[${value.map((v) => this.inline(v)).join(', ')}]`;
    if (isObject(value)) {
      const parts = Object.entries(value).map(([k, v]) => `${this.key(k)}: ${this.inline(v)}`);
      return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
    }
    return yamlScalar(value);
  }

  /** A JSON value; objects on several lines when `indent` is given. */
  private jsonValue(value: EditValue, indent: string | undefined): string {
    if (Array.isArray(value)) return `[${value.map((v) => this.jsonValue(v, undefined)).join(', ')}]`;
    if (isObject(value)) {
      const entries = Object.entries(value);
      if (entries.length === 0) return '{}';
      if (indent === undefined) return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${this.jsonValue(v, undefined)}`).join(', ')} }`;
      const inner = indent + this.unit;
      return `{${this.eol}${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${this.jsonValue(v, inner)}`).join(`,${this.eol}`)}${this.eol}${indent}}`;
    }
    return JSON.stringify(value);
  }

  private key(k: string): string {
    return this.format === 'json' ? JSON.stringify(k) : yamlScalar(k);
  }

  // ------------------------------------------------------------------------------------------
  // Text helpers

  private multiline(node: DNode): boolean {
    return this.text.slice(node.start, node.end).includes('\n');
  }

  private childIndent(map: DNode): string {
    if (map.entries.length > 0) return this.indentAt(map.entries[0].keyStart);
    return this.indentAt(map.start) + this.unit;
  }

  /** The whitespace before the first non-blank character of the line holding `offset`. */
  private indentAt(offset: number): string {
    const start = this.lineStart(offset);
    let i = start;
    while (i < this.text.length && (this.text[i] === ' ' || this.text[i] === '\t')) i++;
    return this.text.slice(start, i);
  }

  private lineStart(offset: number): number {
    let i = offset;
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    return i;
  }

  /** The start of the line after the one holding `offset - 1` (or the end of the text). */
  private nextLineStart(offset: number): number {
    if (offset > 0 && this.text[offset - 1] === '\n') return offset;
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl + 1;
  }

  /** The end of the line before `lineStart` (before its line break). */
  private lineEndBefore(lineStart: number): number {
    let i = lineStart;
    if (i > 0 && this.text[i - 1] === '\n') i--;
    if (i > 0 && this.text[i - 1] === '\r') i--;
    return i;
  }

  private endsWithNewline(): boolean {
    return this.text.endsWith('\n');
  }

  /** The `-` of a block list item. */
  private dashOf(item: DNode): number {
    let i = item.start - 1;
    while (i >= 0 && this.text[i] !== '-') i--;
    return Math.max(0, i);
  }

  private finish(edits: OffsetEdit[]): TextEdit[] {
    return edits.map((e) => {
      const r = this.lines.range(this.file, e.start, e.end);
      return { file: this.file, line: r.line, startColumn: r.column, endLine: r.endLine ?? r.line, endColumn: r.endColumn ?? r.column, newText: e.text };
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Models

function yamlModel(text: string): DNode | undefined {
  const doc = parseDocument(text, { keepSourceTokens: true, uniqueKeys: false, strict: false });
  if (doc.errors.length > 0) return undefined;
  const walk = (n: unknown): DNode | undefined => {
    const range = (n as { range?: [number, number, number] | null } | null)?.range;
    if (!range) return undefined;
    if (isMap(n)) {
      const entries: DEntry[] = [];
      for (const p of n.items) {
        const k = p.key as { range?: [number, number, number] | null; value?: unknown } | null;
        if (!isScalar(k) || !k.range) continue;
        const v = walk(p.value);
        const value = v ?? { kind: 'scalar' as const, start: k.range[1] + 1, end: k.range[1] + 1, flow: true, empty: true, entries: [], items: [] };
        entries.push({ key: String(k.value), keyStart: k.range[0], keyEnd: k.range[1], value });
      }
      return { kind: 'map', start: range[0], end: range[1], flow: n.flow === true, entries, items: [] };
    }
    if (isSeq(n)) {
      const items = n.items.map(walk).filter((x): x is DNode => x !== undefined);
      return { kind: 'seq', start: range[0], end: range[1], flow: n.flow === true, entries: [], items };
    }
    const empty = isScalar(n) && n.value === null && range[0] === range[1];
    return { kind: 'scalar', start: range[0], end: range[1], flow: true, empty, entries: [], items: [] };
  };
  return walk(doc.contents);
}

function jsonModel(text: string): DNode | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root) return undefined;
  const walk = (n: JsonNode): DNode => {
    const start = n.offset;
    const end = n.offset + n.length;
    if (n.type === 'object') {
      const entries: DEntry[] = [];
      for (const prop of n.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || !v) continue;
        entries.push({ key: String(k.value), keyStart: k.offset, keyEnd: k.offset + k.length, value: walk(v) });
      }
      return { kind: 'map', start, end, flow: true, entries, items: [] };
    }
    if (n.type === 'array') return { kind: 'seq', start, end, flow: true, entries: [], items: (n.children ?? []).map(walk) };
    return { kind: 'scalar', start, end, flow: true, entries: [], items: [] };
  };
  return walk(root);
}

/** The file's indentation step: the smallest extra indentation of a nested key over its parent's (default two spaces). */
function detectIndentUnit(text: string, root: DNode | undefined): string {
  let best: string | undefined;
  const indentOf = (offset: number): string | undefined => {
    let s = offset;
    while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
    const ws = text.slice(s, offset);
    return /^[ \t]*$/.test(ws) ? ws : undefined;
  };
  const visit = (n: DNode, parentIndent: string | undefined) => {
    for (const e of n.entries) {
      const own = indentOf(e.keyStart);
      if (own !== undefined && parentIndent !== undefined && own.length > parentIndent.length && own.startsWith(parentIndent)) {
        const step = own.slice(parentIndent.length);
        if (best === undefined || step.length < best.length) best = step;
      }
      if (e.value.kind === 'map') visit(e.value, own);
    }
  };
  if (root) visit(root, root.kind === 'map' && root.flow ? indentOf(root.start) : undefined);
  return best ?? '  ';
}

function nest(path: Path, value: EditValue): EditValue {
  let v = value;
  for (let i = path.length - 1; i >= 0; i--) v = { [String(path[i])]: v };
  return v;
}

function isObject(v: EditValue): v is { [key: string]: EditValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const YAML_RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~|\.nan|\.inf|-\.inf|\.NaN|\.Inf)$/i;

/** A YAML scalar: plain when that reads back as the same string, else double-quoted (JSON-compatible). */
export function yamlScalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const plain =
    /^[A-Za-z_][A-Za-z0-9_ ./()-]*$/.test(value) &&
    !/\s$/.test(value) &&
    !YAML_RESERVED.test(value) &&
    !value.includes(': ') &&
    !value.includes(' #');
  return plain ? value : JSON.stringify(value);
}

/**
 * Apply text edits (1-based, end-exclusive ranges) to `text`, from the last to the first.
 * @throws Error when two edits overlap
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  const offset = (line: number, column: number) => (starts[line - 1] ?? text.length) + column - 1;
  // From the end backwards; edits at the same spot keep their order (the first listed ends up first).
  const sorted = edits
    .map((e, index) => ({ start: offset(e.line, e.startColumn), end: offset(e.endLine, e.endColumn), text: e.newText, index }))
    .sort((a, b) => b.start - a.start || b.end - a.end || b.index - a.index);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) throw new Error('applyTextEdits: overlapping edits');
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}
