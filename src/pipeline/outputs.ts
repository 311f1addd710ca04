/**
 * Model outputs beyond the metrics: the validation truth and predictions of the
 * canvas models on the study split, and their hidden-state norms during
 * training. The brain renders paint these; they are written to their own file
 * (experiments/outputs/<id>.json) so the metrics file stays small and diffable.
 */
import path from 'node:path';
import type { WindowSet } from '../features/windows';
import type { Inspection } from '../models/inspect';
import { stableStringify } from '../util/json';
import { writeFileAtomic } from '../util/atomic';
import fs from 'node:fs';

export interface ModelOutput {
  name: string;
  label: string;
  /** Checkpoint key of the trained model. */
  checkpoint: string | null;
  /** (windows × features) validation predictions. */
  predictions: number[][];
  inspections: Inspection[];
}

export interface FeatureSetOutputs {
  name: string;
  perLeaf: number;
  features: number;
  /** Per validation window: the stimulus and the timestep (0-based) it predicts. */
  windows: Array<{ stimulus: string; timestep: number }>;
  /** (windows × features) validation truth. */
  targets: number[][];
  models: ModelOutput[];
}

export interface ExperimentOutputs {
  experiment: string;
  seed: number;
  featureSets: FeatureSetOutputs[];
}

const rows = (flat: ArrayLike<number>, width: number): number[][] =>
  Array.from({ length: flat.length / width }, (_, i) => Array.from({ length: width }, (_, j) => flat[i * width + j]));

/** Gathers outputs while an experiment runs; nothing is written until `write`. */
export class OutputsCollector {
  readonly outputs: ExperimentOutputs;
  constructor(experiment: string, seed: number) {
    this.outputs = { experiment, seed, featureSets: [] };
  }

  add(
    featureSet: { name: string; perLeaf: number },
    validation: WindowSet,
    stimulusIds: string[],
    model: { name: string; label: string; seed: number },
    fit: { predictions: Float32Array; checkpoint?: string; inspections?: Inspection[] },
  ): void {
    if (model.seed !== this.outputs.seed || !fit.inspections) return;
    let set = this.outputs.featureSets.find((s) => s.name === featureSet.name);
    if (!set) {
      const seen = new Map<number, number>();
      const windows = validation.stimulusOf.map((s) => {
        const k = seen.get(s) ?? 0;
        seen.set(s, k + 1);
        return { stimulus: stimulusIds[s], timestep: validation.context + k };
      });
      set = { name: featureSet.name, perLeaf: featureSet.perLeaf, features: validation.features, windows, targets: rows(validation.targets, validation.features), models: [] };
      this.outputs.featureSets.push(set);
    }
    set.models.push({ name: model.name, label: model.label, checkpoint: fit.checkpoint ?? null, predictions: rows(fit.predictions, validation.features), inspections: fit.inspections });
  }

  /** Writes `<dir>/<experiment>.json` when something was collected; returns the path, or null. */
  write(dir: string): string | null {
    if (this.outputs.featureSets.length === 0) return null;
    const file = path.join(dir, `${this.outputs.experiment}.json`);
    const text = stableStringify(this.outputs);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return file;
    writeFileAtomic(file, text);
    return file;
  }
}
