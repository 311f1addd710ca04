import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDestrieux } from '../../src/data/atlas';
import { loadManifest } from '../../src/data/manifest';
import { loadNpy } from '../../src/data/npy';
import { loadStimulus } from '../../src/data/stimuli';
import { compileTopology, featureLayout } from '../../src/cortex/compile';
import { CORTICAL_PROGRAM } from '../../src/cortex/program';
import { extractFeatures, featureVertexGroups, linspaceFloor } from '../../src/features/roi';
import { leaveOneStimulusOut, studySplit, windowsOf } from '../../src/features/split';
import { makeWindows, selectWindows } from '../../src/features/windows';
import { persistencePredict } from '../../src/models/persistence';
import { r2Score } from '../../src/models/metrics';
import { GOLDEN, SHARED_DATA } from '../support';

const atlas = loadDestrieux(SHARED_DATA);
const topology = compileTopology(CORTICAL_PROGRAM);
const manifest = loadManifest(path.join(SHARED_DATA, 'manifest.json'));
const videos = manifest.stimuli.filter((s) => s.kind === 'timeseries');
const readGolden = (f: string) => JSON.parse(fs.readFileSync(path.join(GOLDEN, f), 'utf8'));

describe('linspaceFloor', () => {
  it('matches numpy.floor(numpy.linspace(0, n-1, 8)) on hand-worked cases', () => {
    expect(linspaceFloor(7, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(linspaceFloor(99, 8)).toEqual([0, 14, 28, 42, 56, 70, 84, 99]);
    expect(linspaceFloor(4, 8)).toEqual([0, 0, 1, 1, 2, 2, 3, 4]);
  });
});

describe('feature vertex groups', () => {
  it.each([
    [8, 'feature_map_135.json', 135],
    [1, 'feature_map_23.json', 23],
  ])('with %i per leaf they equal the independent implementation (%s)', (perLeaf, file, count) => {
    const groups = featureVertexGroups(topology, featureLayout(topology, perLeaf), atlas);
    const golden = readGolden(file) as Array<{ feature: number; region: string; vertices: number[] }>;
    expect(groups).toHaveLength(count);
    expect(groups).toEqual(golden.map((g) => g.vertices));
  });
});

describe('feature series, windows and splits on the real bundle', () => {
  const groups135 = featureVertexGroups(topology, featureLayout(topology, 8), atlas);

  it('reproduces the golden 135-feature series of clip_001 to float32 precision', () => {
    const clip = loadStimulus(SHARED_DATA, videos.find((s) => s.id === 'ansumanbhujabal/clip_001')!);
    const ours = extractFeatures(clip.values, clip.timesteps, 20484, groups135);
    const golden = loadNpy(path.join(GOLDEN, 'features_135__ansumanbhujabal_clip_001.npy'));
    expect(golden.shape).toEqual([10, 135]);
    for (let i = 0; i < ours.length; i++) expect(ours[i]).toBeCloseTo(golden.data[i], 6);
  });

  const series = videos.map((s) => loadStimulus(SHARED_DATA, s));
  const windows = makeWindows(series.map((s) => ({ values: extractFeatures(s.values, s.timesteps, 20484, groups135), timesteps: s.timesteps })), 135, 3);

  it('makes T − 3 windows per stimulus: 131 in all', () => {
    expect(windows.count).toBe(series.reduce((a, s) => a + s.timesteps - 3, 0));
    expect(windows.count).toBe(131);
  });

  it('persistence R² matches the golden values per stimulus and over all windows', () => {
    const summary = readGolden('summary.json').features_135;
    expect(r2Score(persistencePredict(windows), windows.targets, 135)).toBeCloseTo(summary.persistence_r2_all_windows, 4);
    videos.forEach((s, i) => {
      const w = selectWindows(windows, windowsOf(windows.stimulusOf, [i]));
      expect(r2Score(persistencePredict(w), w.targets, 135)).toBeCloseTo(summary.persistence_r2_per_stimulus[s.id], 4);
    });
  });

  it('never puts windows of one stimulus on both sides of a split', () => {
    for (const fold of [studySplit(videos.length, 42), ...leaveOneStimulusOut(videos.length)]) {
      const train = new Set(windowsOf(windows.stimulusOf, fold.trainStimuli).map((i) => windows.stimulusOf[i]));
      const val = new Set(windowsOf(windows.stimulusOf, fold.validationStimuli).map((i) => windows.stimulusOf[i]));
      for (const s of val) expect(train.has(s)).toBe(false);
      expect(train.size + val.size).toBe(videos.length);
    }
    expect(studySplit(8, 42).validationStimuli).toHaveLength(1); // max(1, ⌊8/5⌋)
    expect(studySplit(10, 42).validationStimuli).toHaveLength(2);
    expect(studySplit(8, 42)).toEqual(studySplit(8, 42));
  });
});
