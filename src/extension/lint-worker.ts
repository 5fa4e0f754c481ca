/**
 * Entry point of the lint worker (bundled as dist/lint-worker.js; protocol in
 * diagnostics/lint-protocol.ts). It runs the ethics lint (src/core/lint) off the extension host's
 * thread, one request at a time, keeping the lint's in-memory data-sample cache between requests.
 */
import { promises as fsp } from 'node:fs';
import { parentPort, threadId } from 'node:worker_threads';
import { validateConfigText } from '../core/config';
import { formatInputError, RmlCancelledError, RmlInputError, RmlInputErrors } from '../core/errors';
import { lintConfigFile, lintConfigText, ruleInfo, type Finding as LintFinding } from '../core/lint';
import type { ColumnSummary } from './commands/config-template';
import { columnFindings } from './panels/loaders';
import { normalizeRuleSettings, type Finding } from './diagnostics/findings';
import type { FromLintWorker, ToLintWorker } from './diagnostics/lint-protocol';
import { detectColumns } from './commands/detect';

type Request = Exclude<ToLintWorker, { type: 'cancel' }>;
type LintRequest = Extract<ToLintWorker, { type: 'lint' }>;

const port = parentPort;
if (port) {
  const post = (m: FromLintWorker) => port.postMessage(m);
  const aborts = new Map<number, AbortController>();
  let queue: Promise<void> = Promise.resolve();

  port.on('message', (m: ToLintWorker) => {
    if (m.type === 'cancel') {
      aborts.get(m.id)?.abort();
      return;
    }
    const abort = new AbortController();
    aborts.set(m.id, abort);
    queue = queue.then(() => handle(m, abort.signal).then(post, (e: unknown) => post(failure(m.id, e))).finally(() => aborts.delete(m.id)));
  });

  async function handle(m: Request, signal: AbortSignal): Promise<FromLintWorker> {
    if (signal.aborted) throw new RmlCancelledError();
    switch (m.type) {
      case 'lint':
        return lint(m, signal);
      case 'describe':
        return describe(m.id, m.csvFile, signal);
      case 'audit': {
        const [{ auditCsv }, { EDITOR_TERMS }] = await Promise.all([import('../core/fairness/audit-csv'), import('./commands/audit-picks')]);
        const flag = m.cancelFlag ? new Int32Array(m.cancelFlag) : undefined;
        return { type: 'audited', id: m.id, result: await auditCsv(m.options, EDITOR_TERMS, signal, () => signal.aborted || (flag !== undefined && Atomics.load(flag, 0) === 1)) };
      }
      case 'profile': {
        const { loadDataView } = await import('./panels/loaders');
        const view = await loadDataView(m.configFile, m.root, async (configFile, root) => columnFindings(await lintConfigFile(configFile, { root, signal, cache: { memory: true, disk: false } })));
        return { type: 'profiled', id: m.id, view };
      }
      case 'deidentify':
        return deidentify(m, signal);
      case 'check': {
        const { loadConfig } = await import('../core/config');
        const config = await loadConfig(m.configFile, { root: m.root });
        return { type: 'checked', id: m.id, name: config.name, epochs: config.train.epochs };
      }
    }
  }

  /** A de-identified copy of the config's data, beside it, as `<name>.deidentified[-n].csv`. */
  async function deidentify(m: Extract<ToLintWorker, { type: 'deidentify' }>, signal: AbortSignal): Promise<FromLintWorker> {
    const [{ loadConfigFromText }, { readCsv }, privacy, path] = await Promise.all([import('../core/config'), import('../core/data'), import('../core/privacy'), import('node:path')]);
    const config = loadConfigFromText(m.text, m.configFile, { root: m.root });
    const d = config.data;
    const range = config.sourceMap.valueRange(['data', 'path']);
    if (!range) throw new RmlInputError('data.path is not set', undefined, 'data.path');
    const ds = await readCsv(d.resolvedPath, { delimiter: d.delimiter, encoding: d.encoding, missing: [], signal });
    const plan = privacy.suggestPlan(ds, { missing: d.missing });
    if (plan.columns.size === 0) throw new RmlInputError(`no column of ${path.basename(d.resolvedPath)} holds personal data the detectors recognise; nothing to de-identify`);
    const base = d.resolvedPath.replace(/\.[^./\\]+$/, '');
    const ext = path.extname(d.resolvedPath) || '.csv';
    let output = `${base}.deidentified${ext}`;
    for (let i = 2; await exists(output); i++) output = `${base}.deidentified-${i}${ext}`;
    const r = await privacy.writeAnonymizedCopy(d.resolvedPath, plan, output, { protect: [m.configFile], read: { delimiter: d.delimiter, encoding: d.encoding }, signal });
    return {
      type: 'deidentified',
      id: m.id,
      result: {
        output: r.output,
        actions: [...plan.columns].map(([column, a]) => ({ column, action: privacy.describeAction(a) })),
        rows: r.rowsWritten,
        residual: r.residualPii.map((x) => x.column),
        dataPath: { line: range.line, startColumn: range.column, endLine: range.endLine ?? range.line, endColumn: range.endColumn ?? range.column },
        format: config.format,
      },
    };
  }

  async function exists(file: string): Promise<boolean> {
    try {
      await fsp.access(file);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Read a whole CSV, summarise its columns and run the PII and protected-attribute detectors. The
   * values of PII columns are masked here (`maskPii`), so they never reach the host's pickers.
   */
  async function describe(id: number, csvFile: string, signal: AbortSignal): Promise<FromLintWorker> {
    const [{ readCsv, profileColumn }, { maskPii }] = await Promise.all([import('../core/data'), import('../core/privacy/pii')]);
    const ds = await readCsv(csvFile, { signal });
    const { pii, sensitive } = await detectColumns(ds);
    const piiKind = new Map(pii.map((p) => [p.name, p.kind]));
    const columns = ds.columns.map((c): ColumnSummary => {
      const p = profileColumn(c, 20, 1);
      const integer = c.numbers ? c.numbers.every((x) => Number.isNaN(x) || Number.isInteger(x)) : undefined;
      const kind = piiKind.get(c.name);
      if (kind !== undefined) return { name: c.name, type: c.type, distinct: p.distinct, missing: c.missing, top: p.top.map((t) => ({ value: maskPii(kind, t.value), count: t.count })), integer };
      return { name: c.name, type: c.type, distinct: p.distinct, missing: c.missing, top: p.top, integer, ...(p.min !== undefined && p.max !== undefined ? { min: p.min, max: p.max } : {}) };
    });
    return { type: 'described', id, description: { rows: ds.rowCount, columns, pii: pii.map(({ name, reason }) => ({ name, reason })), sensitive } };
  }

  async function lint(m: LintRequest, signal: AbortSignal): Promise<FromLintWorker> {
    const t0 = performance.now();
    let text = m.text;
    if (text === undefined) {
      try {
        text = await fsp.readFile(m.configFile, 'utf8');
      } catch (e) {
        if ((e as { code?: unknown }).code === 'ENOENT') return { type: 'error', id: m.id, kind: 'missing', message: `${m.configFile} does not exist` };
        throw e;
      }
    }
    const { rules, unknown } = normalizeRuleSettings(m.rules, (key) => ruleInfo(key)?.id);
    const found: LintFinding[] = await lintConfigText(text, m.configFile, { root: m.root, signal, rules, cache: { memory: true, disk: m.diskCache } });
    const findings: Finding[] = found.map((f) => ({ ...f, helpUri: ruleInfo(f.ruleId)?.helpUri }));
    // The data file, so the host can re-lint when it changes.
    const config = validateConfigText(text, m.configFile, { root: m.root }).config;
    return { type: 'result', id: m.id, findings, inputs: config ? [config.data.resolvedPath] : [], unknownRules: unknown, ms: performance.now() - t0, thread: threadId };
  }

  function failure(id: number, e: unknown): FromLintWorker {
    if (e instanceof RmlCancelledError || (e instanceof Error && e.name === 'AbortError')) return { type: 'error', id, kind: 'cancelled', message: 'cancelled' };
    if (e instanceof RmlInputError) return { type: 'error', id, kind: 'input', message: e instanceof RmlInputErrors ? e.errors.map(formatInputError).join('\n') : formatInputError(e) };
    return { type: 'error', id, kind: 'internal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}
