/**
 * Read a run folder back: the record, the fitted preprocessing and the trained weights, so that
 * a run's model can predict again (explanations, what-if, model cards) without retraining.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { RmlInputError } from '../errors';
import type { Preprocessor } from '../pipeline/preprocess';
import type { Weights } from '../model/train';
import type { RunRecord } from './types';

export interface LoadedRun {
  dir: string;
  record: RunRecord;
  preprocessor: Preprocessor;
  /** Absent for a cancelled run (no model was saved). */
  weights?: Weights;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

/** Load run.json, preprocess.json and the model's weights from a run folder. */
export async function loadRun(dir: string): Promise<LoadedRun> {
  const record = await readJson<RunRecord>(join(dir, 'run.json'), dir);
  const preprocessor = await readJson<Preprocessor>(join(dir, 'preprocess.json'), dir);
  let weights: Weights | undefined;
  if (record.status === 'completed') {
    const model = await readJson<{ weightsManifest: { paths: string[]; weights: WeightSpec[] }[] }>(join(dir, 'model', 'model.json'), dir);
    const bin = await fsp.readFile(join(dir, 'model', 'weights.bin'));
    const specs = model.weightsManifest.flatMap((g) => g.weights);
    const tensors: Weights['tensors'] = [];
    let offset = 0;
    for (const s of specs) {
      if (s.dtype !== 'float32') throw new RmlInputError(`unsupported weight dtype ${s.dtype} in ${join(dir, 'model', 'model.json')}`);
      const n = s.shape.reduce((a, b) => a * b, 1);
      if (offset + n * 4 > bin.length) throw new RmlInputError(`model weights are truncated: ${join(dir, 'model', 'weights.bin')}`, { file: join(dir, 'model', 'weights.bin'), line: 1, column: 1 });
      // Copy: the Buffer's memory may be shared and unaligned.
      const values = new Float32Array(n);
      new Uint8Array(values.buffer).set(bin.subarray(offset, offset + n * 4));
      tensors.push({ shape: s.shape, values });
      offset += n * 4;
    }
    weights = { spec: record.model, tensors };
  }
  return { dir, record, preprocessor, weights };
}

async function readJson<T>(file: string, dir: string): Promise<T> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    throw new RmlInputError(`not a run folder (missing ${file.slice(dir.length + 1)}): ${dir}`, { file, line: 1, column: 1 });
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new RmlInputError(`${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, { file, line: 1, column: 1 });
  }
}
