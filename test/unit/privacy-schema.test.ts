/**
 * The JSON Schemas of privacy settings: the anonymization config (anonymize.schema.json) and the
 * `privacy` fragment for training configs (rml-privacy.schema.json), which must compile inside
 * rml.schema.json with the config validator's ajv options and share the config's definitions.
 */
import { strict as assert } from 'node:assert';
import Ajv from 'ajv';
import anonymizeSchema from '../../src/core/privacy/anonymize.schema.json';
import fragment from '../../src/core/privacy/rml-privacy.schema.json';
import rmlSchema from '../../src/core/config/rml.schema.json';
import ajvOptions from '../../src/core/config/ajv-options.json';

/** The options of the config validator (src/core/config/precompiled.ts). */
function ajv(): Ajv {
  return new Ajv(ajvOptions);
}

function merged(): Record<string, unknown> {
  const base = JSON.parse(JSON.stringify(rmlSchema)) as { properties: Record<string, unknown>; definitions?: Record<string, unknown> };
  base.properties.privacy = fragment.privacy;
  base.definitions = { ...(base.definitions ?? {}), ...fragment.definitions };
  return base;
}

describe('privacy: JSON Schemas', () => {
  it('the anonymization config schema compiles in strict mode', () => {
    assert.doesNotThrow(() => ajv().compile(anonymizeSchema));
  });

  it('the privacy fragment shares the anonymization config definitions', () => {
    assert.deepEqual(fragment.definitions, anonymizeSchema.definitions);
    const anonymize = fragment.privacy.properties.anonymize.properties as Record<string, { description?: string }>;
    for (const key of ['columns', 'auto', 'saltFile', 'suppress'] as const) {
      const { description: _d, markdownDescription: _m, ...rest } = anonymize[key] as Record<string, unknown>;
      const { description: _d2, ...want } = anonymizeSchema.properties[key] as Record<string, unknown>;
      assert.deepEqual(rest, want, key);
    }
  });

  it('compiles inside rml.schema.json and validates privacy settings', () => {
    const validate = ajv().compile(merged());
    const config = (privacy: unknown) => ({ name: 'x', data: { path: 'a.csv', target: 'y' }, privacy });
    const ok = config({
      dp: { noiseMultiplier: 1.1, clipNorm: 1, delta: 1e-5, targetEpsilon: 3 },
      quasiIdentifiers: ['age', { column: 'zip', type: 'zip', digits: [3] }],
      kAnonymity: { k: 5, sensitive: 'income', maxSuppression: 0.02 },
      anonymize: { columns: { email: 'pseudonymize', age: { action: 'generalize', as: 'age', width: 10 } }, auto: 'mask', saltFile: 'data.salt' },
    });
    assert.equal(validate(ok), true, JSON.stringify(validate.errors));
    assert.equal(validate(config({ dp: { clipNorm: 1, delta: 1e-5, targetEpsilon: 2 } })), true);
    const bad: [unknown, string][] = [
      [{ dp: { clipNorm: 1, delta: 1e-5 } }, 'anyOf'],
      [{ dp: { noiseMultiplier: 1, clipNorm: 0, delta: 1e-5 } }, 'exclusiveMinimum'],
      [{ dp: { noiseMultiplier: 1, clipNorm: 1, delta: 1 } }, 'exclusiveMaximum'],
      [{ dp: { noiseMultiplier: 1, clipNorm: 1, delta: 1e-5, epsilon: 3 } }, 'additionalProperties'],
      [{ anonymize: { columns: { a: 'shred' } } }, 'enum'],
      [{ kAnonymity: { k: 1 } }, 'minimum'],
      [{ privateData: true }, 'additionalProperties'],
    ];
    for (const [privacy, keyword] of bad) {
      assert.equal(validate(config(privacy)), false, JSON.stringify(privacy));
      assert.ok(validate.errors?.some((e) => e.keyword === keyword), `${JSON.stringify(privacy)}: ${JSON.stringify(validate.errors?.map((e) => e.keyword))}`);
    }
  });
});
