/**
 * Source ranges of the keys and values of a parsed config file, by key path
 * (`['data', 'features', 0]`), so that every error can point at the right spot.
 */
import type { SourceLocation } from '../errors';
import type { SourceMap } from './types';

/** A key path into the config: property names and array indices. */
export type ConfigPath = readonly (string | number)[];

interface Entry {
  key?: SourceLocation;
  value: SourceLocation;
}

/** Turns 0-based string offsets into 1-based line/column (columns in UTF-16 code units, like VS Code). */
export class LineIndex {
  private readonly starts: number[] = [0];

  /** Index the line breaks (`\n`, `\r\n` and a lone `\r`) of `text`. */
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) this.starts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }

  /** The location of the half-open offset range `[start, end)` in `file`. */
  range(file: string, start: number, end: number): SourceLocation {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** The canonical map key of a path: indices and their string forms are the same. */
function pathKey(path: ConfigPath): string {
  return JSON.stringify(path.map(String));
}

/** The SourceMap of one config file, filled by the parser. */
export class ConfigSourceMap implements SourceMap {
  private readonly entries = new Map<string, Entry>();

  /** An empty map for `file` (every lookup falls back to line 1). */
  constructor(readonly file: string) {}

  /** Record the value range (and the key range, for object properties) of a path. */
  set(path: ConfigPath, value: SourceLocation, key?: SourceLocation): void {
    this.entries.set(pathKey(path), { value, key });
  }

  /** Whether the path was present in the file. */
  has(path: ConfigPath): boolean {
    return this.entries.has(pathKey(path));
  }

  /** Range of the value at the path, or undefined when the path is absent. */
  valueRange(path: (string | number)[]): SourceLocation | undefined {
    return this.entries.get(pathKey(path))?.value;
  }

  /** Range of the key at the path (the property name), or undefined (absent path or array item). */
  keyRange(path: (string | number)[]): SourceLocation | undefined {
    return this.entries.get(pathKey(path))?.key;
  }

  /**
   * The closest existing path's key range, starting with the path itself and walking up
   * (array items, which have no key, give their value range). Falls back to line 1, column 1.
   */
  nearest(path: (string | number)[]): SourceLocation {
    for (let n = path.length; n > 0; n--) {
      const e = this.entries.get(pathKey(path.slice(0, n)));
      if (e) return e.key ?? e.value;
    }
    return { file: this.file, line: 1, column: 1 };
  }
}

/** A key path as users write it: `data.features[0]`, `lint.rules.RML001`, `fairness.privileged["a b"]`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
