/**
 * The text of a new training config written from a CSV: a commented YAML file whose every choice
 * (target, favourable value, sensitive and ignored columns, seeds, thresholds) says why it was
 * made, so the user can review it before training. Pure (unit-tested, and the result is checked
 * against the config schema in the tests).
 */

/** What the generator knows about one column. */
export interface ColumnSummary {
  name: string;
  type: 'numeric' | 'categorical' | 'boolean';
  /** Distinct non-missing values. */
  distinct: number;
  missing: number;
  /** Most frequent values, most frequent first. */
  top: { value: string; count: number }[];
  /** For numeric columns: whether every value is an integer. */
  integer?: boolean;
  /** For numeric columns (not PII): the smallest and largest value. */
  min?: number;
  max?: number;
}

/** A column the user should know about, and why. */
export interface FlaggedColumn {
  name: string;
  reason: string;
}

export type TaskKind = 'binary' | 'multiclass' | 'regression';

export interface TemplateInput {
  /** The config's `name`. */
  name: string;
  /** The CSV path relative to the config file (forward slashes). */
  dataPath: string;
  /** The CSV's file name, for the header comment. */
  csvName: string;
  rows: number;
  target: string;
  /** Why this target (e.g. "named like a label", "chosen by you"). */
  targetReason: string;
  task: TaskKind;
  /** The favourable label value (binary only). */
  positive?: string;
  sensitive: FlaggedColumn[];
  /** Columns to leave out: personal data and identifiers. */
  ignore: FlaggedColumn[];
  /** The split and training seed. */
  seed: number;
}

const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

/** A YAML scalar: plain when that is unambiguous, otherwise double-quoted (JSON escaping is valid YAML). */
export function yamlScalar(s: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_. /-]*$/.test(s) && !RESERVED.test(s) && !/\s$/.test(s) && !/ #|: /.test(s)) return s;
  return JSON.stringify(s);
}

/** `name` from a file name: `Adult Income.csv` → `adult-income`. */
export function configName(csvName: string): string {
  const base = csvName.replace(/\.[^.]+$/, '');
  return base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

const LABEL_NAMES = /^(?:target|label|labels|class|y|outcome|result|response|income|default|churn|churned|survived|approved|decision|two_year_recid|is_recid|recid|credit_risk|risk|hired|admitted|pass|passed|fraud|is_fraud)$/i;

/** The suggested target: a column named like a label, else the last column. */
export function suggestTarget(columns: readonly ColumnSummary[]): { name: string; reason: string } | undefined {
  const named = columns.find((c) => LABEL_NAMES.test(c.name.trim()));
  if (named) return { name: named.name, reason: 'its name is typical of a label' };
  const last = columns[columns.length - 1];
  return last ? { name: last.name, reason: 'the last column, where labels usually are' } : undefined;
}

/** The task a target implies (the same rule as the engine: see README, "How the task is chosen"). */
export function taskFor(c: ColumnSummary): TaskKind {
  if (c.distinct === 2) return 'binary';
  if (c.type === 'numeric' && (!c.integer || c.distinct > 20)) return 'regression';
  return 'multiclass';
}

const FAVOURABLE = /^(?:1|yes|y|true|t|>50k|>50k\.|good|approved|granted|accepted|admitted|hired|pass|passed|positive|high)$/i;

/**
 * Which of a binary target's two values is the favourable outcome: one that reads as favourable
 * ("yes", "approved", ">50K"), else the less frequent one. The user confirms it.
 */
export function suggestPositive(c: ColumnSummary): string | undefined {
  const values = c.top.map((t) => t.value);
  if (values.length < 2) return values[0];
  const favourable = values.find((v) => FAVOURABLE.test(v.trim()));
  if (favourable !== undefined) return favourable;
  return [...c.top].sort((a, b) => a.count - b.count)[0].value;
}

/**
 * A likely identifier: a text column with a distinct value on (nearly) every row, or an integer
 * column named like an id. (The lint's identifier-feature rule checks more thoroughly.)
 */
export function identifierReason(c: ColumnSummary, rows: number): string | undefined {
  const present = rows - c.missing;
  if (present <= 0) return undefined;
  if (c.type === 'categorical' && c.distinct >= 0.98 * present && present >= 20) return `identifier: a distinct value on ${Math.round((100 * c.distinct) / present)}% of rows`;
  if (c.type === 'numeric' && c.integer && c.distinct === present && /(?:^|[_\s-])(?:id|uuid|key|index|row|no|number)$/i.test(c.name) ) return 'identifier: a unique number per row';
  if (/^(?:id|uuid|row_?id|index)$/i.test(c.name.trim())) return 'identifier: named like one';
  return undefined;
}

function pad(s: string, width: number): string {
  return s.length >= width ? `${s} ` : s + ' '.repeat(width - s.length);
}

/** The config file's text. */
export function configTemplate(input: TemplateInput): string {
  const L: string[] = [];
  const kv = (indent: number, key: string, value: string, comment?: string) => {
    const line = `${' '.repeat(indent)}${key}: ${value}`;
    L.push(comment ? `${pad(line, 36)}# ${comment}` : line);
  };
  L.push(`# Responsible ML training config for ${input.csvName} (${input.rows} rows).`);
  L.push('# Written by "Responsible ML: New Training Config from CSV". Review every commented choice,');
  L.push('# then run "▶ Train & evaluate" above. Every key is described in the README ("Config');
  L.push('# reference"); the lint checks this file and its data as you edit.');
  kv(0, 'name', yamlScalar(input.name));
  L.push('');
  L.push('data:');
  kv(2, 'path', yamlScalar(input.dataPath), 'relative to this file');
  kv(2, 'target', yamlScalar(input.target), `the label column: ${input.targetReason}`);
  if (input.task === 'binary' && input.positive !== undefined) {
    kv(2, 'positive', JSON.stringify(input.positive), 'the FAVOURABLE outcome: check it, every fairness number depends on it');
  } else if (input.task === 'multiclass') {
    L.push('  # no "positive": the target has more than two values, so this is multiclass classification');
  } else {
    L.push('  # no "positive": the target is numeric, so this is regression');
  }
  if (input.sensitive.length > 0) {
    L.push('  # Protected attributes: audited for fairness, and not model inputs.');
    L.push('  sensitive:');
    for (const s of input.sensitive) L.push(pad(`    - ${yamlScalar(s.name)}`, 36) + `# ${s.reason}`);
  } else {
    kv(2, 'sensitive', '[]', 'none detected: list the protected attributes to audit (sex, race, age, ...)');
  }
  if (input.ignore.length > 0) {
    L.push('  # Never used: personal data and identifiers (they would leak identity, or let the model memorise rows).');
    L.push('  ignore:');
    for (const s of input.ignore) L.push(pad(`    - ${yamlScalar(s.name)}`, 36) + `# ${s.reason}`);
  }
  L.push('  # license: ""                    # the data\'s licence (for the model card)');
  L.push('');
  L.push('split:');
  kv(2, 'test', '0.2', 'held-out test set: every metric is measured on it');
  kv(2, 'validation', '0.1', 'early stopping and the training curves');
  if (input.task !== 'regression') kv(2, 'stratify', 'true', 'keep class proportions in every split');
  kv(2, 'seed', String(input.seed), 'the same split every run');
  L.push('');
  L.push('model:');
  if (input.task === 'regression') kv(2, 'type', 'linear', 'linear regression; or mlp with hidden: [50]');
  else kv(2, 'type', 'logistic', 'or mlp, with hidden: [50]');
  L.push('');
  L.push('train:');
  kv(2, 'epochs', '30');
  kv(2, 'batchSize', '256');
  L.push('  earlyStopping:                  # stop when validation loss stops improving');
  kv(4, 'patience', '3');
  kv(2, 'seed', String(input.seed), 'initial weights and shuffles');
  if (input.task === 'binary') {
    L.push('');
    if (input.sensitive.length > 0) {
      L.push('fairness:');
      L.push('  # The fairness gate: differences are maxima, ratios minima. A run that breaks one is flagged.');
      L.push('  thresholds:');
      kv(4, 'demographicParityDifference', '0.1');
      kv(4, 'equalizedOddsDifference', '0.1');
      kv(4, 'disparateImpactRatio', '0.8', 'the "four-fifths rule"');
      L.push('  # privileged:                   # per column, the privileged group, for the signed (AIF360) metrics');
      L.push(`  #   ${yamlScalar(input.sensitive[0].name)}: <value>`);
    } else {
      L.push('# The fairness gate, once data.sensitive lists the attributes to audit:');
      L.push('# fairness:');
      L.push('#   thresholds:');
      L.push('#     demographicParityDifference: 0.1');
      L.push('#     equalizedOddsDifference: 0.1');
      L.push('#     disparateImpactRatio: 0.8');
    }
  }
  L.push('');
  L.push('# The model card. The lint reminds you while these are missing.');
  L.push('# documentation:');
  L.push('#   intendedUse: ""');
  L.push('#   limitations: ""');
  L.push('#   owners: []');
  return L.join('\n') + '\n';
}
