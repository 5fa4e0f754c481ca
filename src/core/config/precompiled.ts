/**
 * The config schema's validator (rml.schema.json, ajv with ajv-options.json: all errors at once;
 * verbose, so that errors carry parentSchema for the allowed keys and integer-vs-number messages;
 * strictNumbers, so that YAML .nan / .inf are not numbers).
 *
 * In the TypeScript sources (unit tests, tsx) ajv compiles the schema on first use. The bundles
 * never run this module: scripts/build.mjs swaps it for ajv *standalone* code generated from the
 * same schema and options at build time (scripts/precompile-schema.mjs), so a fresh `rml lint`
 * or editor lint does not pay for compiling the schema, nor load ajv's compiler at all.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import options from './ajv-options.json';
import schemaJson from './rml.schema.json';

let compiled: ValidateFunction | undefined;

/** The validator, compiled on first use and then reused. */
export function schemaValidator(): ValidateFunction {
  compiled ??= new Ajv(options).compile(schemaJson);
  return compiled;
}
