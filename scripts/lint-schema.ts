/**
 * Writes the `lint` section of src/core/config/rml.schema.json from the lint's registry and
 * thresholds (src/core/lint), so that completion and hovers in the editor list every rule id and
 * threshold with its range and default. test/unit/lint-schema.test.ts fails when they drift:
 *
 *   npx tsx scripts/lint-schema.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { THRESHOLDS, RULE_METAS } from '../src/core/lint';

/** The `lint` section of the config schema. */
export function lintSchema(): Record<string, unknown> {
  const sev = { type: 'string', enum: ['off', 'error', 'warning', 'info'] };
  const rules: Record<string, unknown> = {};
  for (const m of RULE_METAS) {
    const d = `${m.name} (default ${m.defaultSeverity}): ${m.shortDescription} Set off, error, warning or info.`;
    rules[m.id] = { description: d, markdownDescription: `\`${m.name}\` (default \`${m.defaultSeverity}\`): ${m.shortDescription} Set \`off\`, \`error\`, \`warning\` or \`info\`.`, ...sev };
  }
  const thresholds: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(THRESHOLDS)) {
    const range = `${t.minInclusive === false ? '(' : '['}${t.min}, ${t.max}]`;
    const d = `${t.description[0].toUpperCase()}${t.description.slice(1)} (${t.rules.join(', ')}). Default ${t.default}; ${t.integer ? 'an integer ' : ''}in ${range}.`;
    thresholds[name] = {
      description: d,
      markdownDescription: d.replace(`Default ${t.default}`, `Default \`${t.default}\``),
      type: t.integer ? 'integer' : 'number',
      ...(t.minInclusive === false ? { exclusiveMinimum: t.min } : { minimum: t.min }),
      maximum: t.max,
      default: t.default,
    };
  }
  return {
    description: 'Settings of the ethics lint (rml lint and the Problems panel): rule severities, thresholds and per-column severities. A problem here is reported by the lint (RML103) and never stops training.',
    markdownDescription: 'Settings of the ethics lint (`rml lint` and the Problems panel): rule severities, thresholds and per-column severities. A problem here is reported by the lint (`RML103`) and never stops training. See docs/rules.md.',
    type: 'object',
    additionalProperties: false,
    properties: {
      rules: {
        description: 'Severity per lint rule id, e.g. { RML001: off, RML011: error }; overrides the rule\'s default (rml lint --rule overrides this).',
        markdownDescription: 'Severity per lint rule id, e.g. `{ RML001: off, RML011: error }`; overrides the rule\'s default (`rml lint --rule` overrides this).',
        type: 'object',
        propertyNames: { pattern: '^RML[0-9]{3}$' },
        properties: rules,
        additionalProperties: false,
      },
      thresholds: {
        description: 'Numeric limits of the lint rules, by name (rml lint --threshold overrides this).',
        markdownDescription: 'Numeric limits of the lint rules, by name (`rml lint --threshold` overrides this).',
        type: 'object',
        properties: thresholds,
        additionalProperties: false,
      },
      columns: {
        description: 'Severity per data column and rule id, e.g. { age: { RML002: off } } for a use that is lawful and intended; wins over lint.rules for findings on that column.',
        markdownDescription: 'Severity per data column and rule id, e.g. `{ age: { RML002: off } }` for a use that is lawful and intended; wins over `lint.rules` for findings on that column.',
        type: 'object',
        additionalProperties: {
          description: 'Severity per rule id for findings on this column.',
          markdownDescription: 'Severity per rule id for findings on this column.',
          type: 'object',
          propertyNames: { pattern: '^RML[0-9]{3}$' },
          additionalProperties: { description: 'Severity: off, error, warning or info.', markdownDescription: 'Severity: `off`, `error`, `warning` or `info`.', ...sev },
        },
      },
    },
  };
}

if (require.main === module) {
  const file = join(__dirname, '..', 'src', 'core', 'config', 'rml.schema.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { properties: Record<string, unknown> };
  schema.properties.lint = lintSchema();
  writeFileSync(file, JSON.stringify(schema, null, 2) + '\n');
}
