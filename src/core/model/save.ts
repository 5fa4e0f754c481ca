/**
 * Save trained weights as a standard TensorFlow.js Layers model (model.json + weights.bin),
 * loadable with `tf.loadLayersModel`. The saved model outputs probabilities (sigmoid/softmax)
 * or values (regression); our training works on logits, so the output activation is added here.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from './backend';
import type { Weights } from './train';

export interface SavedModelFiles {
  modelJson: string;
  weightsBin: Buffer;
}

/** Serialize the weights into tfjs's model.json + weights.bin pair (in memory). */
export async function serializeModel(tf: Tf, weights: Weights): Promise<SavedModelFiles> {
  const spec = weights.spec;
  const model = tf.sequential();
  const sizes = [...spec.hidden, spec.outputs];
  sizes.forEach((units, l) => {
    const last = l === sizes.length - 1;
    const activation = last ? (spec.task === 'binary' ? 'sigmoid' : spec.task === 'multiclass' ? 'softmax' : 'linear') : spec.activation;
    model.add(tf.layers.dense({ units, activation, inputShape: l === 0 ? [spec.inputs] : undefined, name: `dense_${l}` }));
    if (!last && spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout, name: `dropout_${l}` }));
  });
  const tensors = weights.tensors.map((t) => tf.tensor(t.values, t.shape));
  try {
    model.setWeights(tensors);
    let saved: TF.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    if (!saved || !saved.weightData || !saved.weightSpecs) throw new Error('tfjs returned no model artifacts');
    const weightData = Array.isArray(saved.weightData) ? Buffer.concat(saved.weightData.map((b) => Buffer.from(b))) : Buffer.from(saved.weightData);
    const modelJson = JSON.stringify(
      {
        modelTopology: saved.modelTopology,
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        weightsManifest: [{ paths: ['weights.bin'], weights: saved.weightSpecs }],
      },
      null,
      1,
    );
    return { modelJson, weightsBin: weightData };
  } finally {
    tf.dispose(tensors);
    model.dispose();
  }
}
