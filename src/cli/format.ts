/** Small text-formatting helpers for the CLI's human output. */

/** Fixed-decimals number, or the given placeholder for null/undefined ("undefined" for a 0/0 ratio). */
export function num(v: number | null | undefined, digits = 3, missing = 'n/a'): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return missing;
  return v.toFixed(digits);
}

/** Render rows as an aligned text table; the first row is the header. Numbers right-aligned. */
export function table(rows: string[][], opts: { indent?: string } = {}): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(c))));
  const numeric = (s: string) => /^[-+−±]?[\d.]+%?$|^n\/a$|^undefined$/.test(stripAnsi(s));
  const lines = rows.map((r, ri) =>
    (opts.indent ?? '  ') +
    r
      .map((c, i) => {
        const pad = ' '.repeat(widths[i] - visibleLength(c));
        return ri > 0 && i > 0 && numeric(c) ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd(),
  );
  if (rows.length > 1) lines.splice(1, 0, (opts.indent ?? '  ') + widths.map((w) => '─'.repeat(w)).join('  '));
  return lines.join('\n');
}

/** Unicode sparkline of a series (e.g. the loss curve). */
export function sparkline(values: number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return '';
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const bars = '▁▂▃▄▅▆▇█';
  return values.map((v) => (Number.isFinite(v) ? bars[hi > lo ? Math.round(((v - lo) / (hi - lo)) * 7) : 3] : ' ')).join('');
}

export function ms(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
}

const ANSI = /\x1b\[[0-9;]*m/g; // eslint-disable-line no-control-regex
export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}
function visibleLength(s: string): number {
  return stripAnsi(s).length;
}

/** ANSI colours, only when the stream is a TTY and NO_COLOR is unset. */
export function colors(enabled: boolean) {
  const wrap = (code: string) => (s: string) => (enabled ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { bold: wrap('1'), dim: wrap('2'), red: wrap('31'), green: wrap('32'), yellow: wrap('33'), cyan: wrap('36') };
}
