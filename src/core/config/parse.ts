/**
 * Parsing of training config files (JSON with comments, or YAML) into a plain value plus a
 * SourceMap of every key and value, collecting syntax errors with their locations.
 *
 * Safety: files over 1 MB are refused, YAML aliases are limited (a "billion laughs" alias bomb
 * is refused before it expands), custom YAML tags are refused and duplicate keys are errors
 * in both formats. `__proto__` keys become plain own properties (no prototype pollution).
 */
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { RmlInputError, type SourceLocation } from '../errors';
import { ConfigSourceMap, formatPath, LineIndex, type ConfigPath } from './sourcemap';
import type { SourceMap } from './types';

/** Config files larger than this (in bytes, UTF-8) are refused. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** At most this many YAML alias expansions (anchors are fine, alias bombs are not). */
export const MAX_YAML_ALIAS_COUNT = 100;
/** Deeper nesting than this is refused (configs are shallow; this stops stack exhaustion). */
export const MAX_CONFIG_DEPTH = 64;

/** The syntax of a config file. */
export type ConfigFormat = 'json' | 'yaml';

/** The result of parsing a config file's text. */
export interface ParsedConfig {
  /** The parsed value (partial, or undefined, when there are errors). */
  value: unknown;
  /** Ranges of keys and values by key path. */
  sourceMap: SourceMap;
  /** Syntax and safety errors, in file order; empty when the text parsed cleanly. */
  errors: RmlInputError[];
}

/**
 * The format of a config file from its name: `.yaml`/`.yml` → YAML, `.json`/`.jsonc` → JSON;
 * any other name is sniffed from the text (a leading `{` means JSON).
 */
export function configFormat(file: string, text = ''): ConfigFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json') || lower.endsWith('.jsonc')) return 'json';
  return /^\uFEFF?\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*\{/.test(text) ? 'json' : 'yaml';
}

/**
 * Parse a config file's text: JSON (comments and trailing commas allowed) or YAML, chosen by the
 * file extension. Never throws for bad input: problems are returned in `errors`.
 * @param text the file's content (a leading byte order mark is ignored)
 * @param file the file path, used to choose the format and in every location
 */
export function parseConfigText(text: string, file: string): ParsedConfig {
  const sourceMap = new ConfigSourceMap(file);
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_CONFIG_BYTES) {
    return {
      value: undefined,
      sourceMap,
      errors: [new RmlInputError(`config file is too large (${size} bytes; the limit is ${MAX_CONFIG_BYTES} bytes, 1 MB)`, { file, line: 1, column: 1 })],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const ctx: Ctx = { file, text, sourceMap, errors: [] };
  let value: unknown;
  try {
    value = configFormat(file, text) === 'json' ? parseJson(ctx) : parseYaml(ctx);
  } catch (err) {
    // Stack exhaustion inside a third-party parser on absurd nesting: report, don't crash.
    if (!(err instanceof RangeError)) throw err;
    ctx.errors.push(new RmlInputError('config is nested too deeply to parse', { file, line: 1, column: 1 }));
    value = undefined;
  }
  ctx.errors.sort(byLocation);
  return { value, sourceMap, errors: ctx.errors };
}

interface Ctx {
  file: string;
  text: string;
  sourceMap: ConfigSourceMap;
  errors: RmlInputError[];
}

/** Orders errors by position (errors without a location last). */
export function byLocation(a: RmlInputError, b: RmlInputError): number {
  const la = a.location;
  const lb = b.location;
  if (!la || !lb) return la ? -1 : lb ? 1 : 0;
  return la.line - lb.line || la.column - lb.column;
}

/** Set `obj[key] = value` as an own, enumerable property, even for `__proto__`. */
function defineValue(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function duplicateKey(ctx: Ctx, parent: ConfigPath, key: string, at: SourceLocation, first: SourceLocation | undefined): void {
  const where = parent.length ? ` in ${formatPath(parent)}` : '';
  const firstAt = first ? ` (first defined on line ${first.line})` : '';
  ctx.errors.push(new RmlInputError(`duplicate key '${key}'${where}${firstAt}`, at, formatPath([...parent, key])));
}

function tooDeep(ctx: Ctx, at: SourceLocation, path: ConfigPath): void {
  ctx.errors.push(new RmlInputError(`config is nested too deeply (more than ${MAX_CONFIG_DEPTH} levels)`, at, formatPath(path)));
}

// ---------------------------------------------------------------- JSON

const JSON_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a key (a property name in double quotes)',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after the key",
  CommaExpected: "expected ',' between items",
  CloseBraceExpected: "expected '}' to close the object",
  CloseBracketExpected: "expected ']' to close the array",
  EndOfFileExpected: 'unexpected text after the end of the config',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape sequence',
  InvalidEscapeCharacter: 'invalid escape character in string',
  InvalidCharacter: 'invalid character in string (control characters must be escaped)',
};

function parseJson(ctx: Ctx): unknown {
  const lines = new LineIndex(ctx.text);
  const loc = (start: number, end: number) => lines.range(ctx.file, start, end);
  const parseErrors: ParseError[] = [];
  const root = parseTree(ctx.text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (!root && parseErrors.length > 0 && parseErrors.every((e) => printParseErrorCode(e.error) === 'ValueExpected')) {
    // Nothing but whitespace and comments.
    ctx.errors.push(new RmlInputError('the config file is empty', loc(0, 0)));
    return undefined;
  }
  for (const e of parseErrors) {
    const code = printParseErrorCode(e.error);
    let message = JSON_MESSAGES[code] ?? code;
    if (code === 'InvalidSymbol') message += ` '${ctx.text.slice(e.offset, e.offset + Math.max(1, e.length))}'`;
    ctx.errors.push(new RmlInputError(`JSON syntax error: ${message}`, loc(e.offset, e.offset + e.length)));
  }
  if (!root) return undefined;
  ctx.sourceMap.set([], loc(root.offset, root.offset + root.length));
  return jsonValue(ctx, root, [], loc);
}

function jsonValue(ctx: Ctx, node: JsonNode, path: ConfigPath, loc: (start: number, end: number) => SourceLocation): unknown {
  const range = (n: JsonNode) => loc(n.offset, n.offset + n.length);
  if ((node.type === 'object' || node.type === 'array') && path.length >= MAX_CONFIG_DEPTH) {
    tooDeep(ctx, range(node), path);
    return undefined;
  }
  if (node.type === 'object') {
    const obj: Record<string, unknown> = {};
    for (const prop of node.children ?? []) {
      const [keyNode, valueNode] = prop.children ?? [];
      if (!keyNode || !valueNode) continue; // a syntax error, already reported
      const key = String(keyNode.value);
      const childPath = [...path, key];
      if (Object.prototype.hasOwnProperty.call(obj, key)) duplicateKey(ctx, path, key, range(keyNode), ctx.sourceMap.keyRange(childPath));
      else ctx.sourceMap.set(childPath, range(valueNode), range(keyNode));
      defineValue(obj, key, jsonValue(ctx, valueNode, childPath, loc));
    }
    return obj;
  }
  if (node.type === 'array') {
    return (node.children ?? []).map((child, i) => {
      ctx.sourceMap.set([...path, i], range(child));
      return jsonValue(ctx, child, [...path, i], loc);
    });
  }
  return node.value as unknown;
}

// ---------------------------------------------------------------- YAML

/** Tags of the YAML 1.2 core schema; any other explicit tag is refused. */
const ALLOWED_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

interface YamlCtx extends Ctx {
  lines: LineCounter;
  firstAlias?: SourceLocation;
}

function parseYaml(ctx: Ctx): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(ctx.text, {
    lineCounter: lines,
    keepSourceTokens: true,
    prettyErrors: false,
    uniqueKeys: false, // duplicates are reported by the walk below, with the key's name
    strict: true,
    schema: 'core',
    merge: false,
  });
  const y: YamlCtx = { ...ctx, lines };
  for (const e of doc.errors) {
    const message = e.code === 'MULTIPLE_DOCS' ? "a config file must hold a single YAML document (found a second one after '---')" : e.message;
    ctx.errors.push(new RmlInputError(`YAML syntax error: ${message}`, yamlLoc(y, e.pos[0], e.pos[1])));
  }
  if (doc.contents === null) {
    if (doc.errors.length === 0) ctx.errors.push(new RmlInputError('the config file is empty', yamlLoc(y, 0, 0)));
    return undefined;
  }
  const root = doc.contents;
  if (root.range) ctx.sourceMap.set([], yamlLoc(y, root.range[0], root.range[1]));
  walkYaml(y, root, []);
  return safeToJs(y, doc);
}

/** `doc.toJS` with the alias limit; an alias bomb becomes an error instead of exhausting memory. */
function safeToJs(y: YamlCtx, doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      y.errors.push(
        new RmlInputError(
          `YAML aliases expand to too many nodes (the limit is ${MAX_YAML_ALIAS_COUNT}); this looks like an alias bomb ("billion laughs"), refusing to expand it`,
          y.firstAlias ?? { file: y.file, line: 1, column: 1 },
        ),
      );
      return undefined;
    }
    if (err instanceof Error && !(err instanceof RangeError)) {
      y.errors.push(new RmlInputError(`YAML error: ${err.message}`, { file: y.file, line: 1, column: 1 }));
      return undefined;
    }
    throw err;
  }
}

function yamlLoc(y: YamlCtx, start: number, end: number): SourceLocation {
  const a = y.lines.linePos(start);
  const b = y.lines.linePos(Math.max(start, end));
  // linePos reports line 0 before the first recorded line start; the first line is line 1.
  return { file: y.file, line: Math.max(1, a.line), column: a.col, endLine: Math.max(1, b.line), endColumn: b.col };
}

function nodeLoc(y: YamlCtx, node: unknown): SourceLocation | undefined {
  const range = (node as { range?: [number, number, number] | null } | null)?.range;
  return range ? yamlLoc(y, range[0], range[1]) : undefined;
}

function checkTag(y: YamlCtx, node: unknown, path: ConfigPath): void {
  const tag = (node as { tag?: string } | null)?.tag;
  if (!tag || ALLOWED_TAGS.has(tag)) return;
  const shown = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
  // Point at the tag itself when it can be found just before the value.
  const range = (node as { range?: [number, number, number] }).range;
  let at = nodeLoc(y, node) ?? { file: y.file, line: 1, column: 1 };
  if (range) {
    const i = y.text.lastIndexOf(shown, range[0]);
    if (i >= 0 && range[0] - i < 1024) at = yamlLoc(y, i, i + shown.length);
  }
  y.errors.push(new RmlInputError(`YAML tag '${shown}' is not allowed in a config file (only plain values, lists and mappings)`, at, formatPath(path) || undefined));
}

function walkYaml(y: YamlCtx, node: unknown, path: ConfigPath): void {
  checkTag(y, node, path);
  if (isAlias(node)) {
    y.firstAlias ??= nodeLoc(y, node);
    return;
  }
  if ((isMap(node) || isSeq(node)) && path.length >= MAX_CONFIG_DEPTH) {
    tooDeep(y, nodeLoc(y, node) ?? { file: y.file, line: 1, column: 1 }, path);
    return;
  }
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const keyNode = pair.key;
      if (!isScalar(keyNode)) {
        y.errors.push(
          new RmlInputError(
            'config keys must be plain names, not lists, mappings or aliases',
            nodeLoc(y, keyNode) ?? nodeLoc(y, pair.value) ?? nodeLoc(y, node) ?? { file: y.file, line: 1, column: 1 },
            formatPath(path) || undefined,
          ),
        );
        continue;
      }
      checkTag(y, keyNode, path);
      const key = keyNode.value === null || keyNode.value === undefined ? '' : String(keyNode.value);
      const childPath = [...path, key];
      const keyLoc = nodeLoc(y, keyNode) ?? { file: y.file, line: 1, column: 1 };
      if (seen.has(key)) {
        duplicateKey(y, path, key, keyLoc, y.sourceMap.keyRange(childPath));
        continue;
      }
      seen.add(key);
      // `key:` with nothing after it: a null value, located (zero-width) right after the key.
      const valueLoc = nodeLoc(y, pair.value) ?? { ...keyLoc, line: keyLoc.endLine ?? keyLoc.line, column: keyLoc.endColumn ?? keyLoc.column };
      y.sourceMap.set(childPath, valueLoc, keyLoc);
      walkYaml(y, pair.value, childPath);
    }
    return;
  }
  if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const at = nodeLoc(y, item);
      if (at) y.sourceMap.set([...path, i], at);
      walkYaml(y, item, [...path, i]);
    });
  }
}
