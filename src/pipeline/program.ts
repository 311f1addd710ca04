/**
 * `experiments/program.json`: the compiled cortical program as the report shows
 * it. The architecture page and the claims check read the regions, their vertex
 * counts on this atlas, the pathways, the region graph and the feature mask from
 * here, so pages never compile or count anything themselves.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Atlas } from '../data/atlas';
import { verticesOf } from '../data/atlas';
import { compileTopology, featureLayout, featureMask } from '../cortex/compile';
import { CORTICAL_PROGRAM, type CorticalProgram } from '../cortex/program';
import { writeFileAtomic } from '../util/atomic';
import { stableStringify } from '../util/json';
import { sha256 } from './results';

/** The source the program is declared in (its hash goes into the file). */
export const PROGRAM_SOURCE = 'src/cortex/program.ts';

/** Feature layouts whose masks the report draws: the study's 23 scalars and 135 features. */
export const MASK_LAYOUTS = [1, 8];

export function compileProgramReport(program: CorticalProgram, atlas: Atlas, ctx: { manifestHash: string; root: string }) {
  const topology = compileTopology(program);
  const half = atlas.labels.length / 2;
  const regions = topology.regions.map((r) => {
    const leaf = program.leaves.find((l) => l.id === r.id);
    const vertices = r.kind === 'leaf' ? verticesOf(atlas, r.destrieux) : [];
    const left = vertices.filter((v) => v < half).length;
    return {
      id: r.id,
      group: r.group,
      kind: r.kind,
      family: r.family ?? null,
      tags: leaf ? [...leaf.tags] : [],
      destrieux: r.destrieux,
      vertices: vertices.length,
      verticesLeft: left,
      verticesRight: vertices.length - left,
    };
  });
  const masks = MASK_LAYOUTS.map((perLeaf) => {
    const layout = featureLayout(topology, perLeaf);
    const mask = featureMask(topology, layout, { weighted: false });
    const rows = Array.from({ length: mask.size }, (_, i) => Array.from(mask.weights.subarray(i * mask.size, (i + 1) * mask.size), (w) => (w !== 0 ? '1' : '0')).join(''));
    return {
      perLeaf,
      features: mask.size,
      connections: mask.nonzeros,
      connectionsTotal: mask.size * mask.size,
      density: mask.nonzeros / (mask.size * mask.size),
      /** Region of each feature, in canvas order. */
      regionOf: layout.regionOf.map((i) => topology.regions[i].id),
      /** Row i: '1' where feature i may read feature j. */
      rows,
    };
  });
  const sourceFile = path.join(ctx.root, PROGRAM_SOURCE);
  return {
    provenance: {
      definitionFile: PROGRAM_SOURCE,
      definitionSha256: fs.existsSync(sourceFile) ? sha256(fs.readFileSync(sourceFile, 'utf8')) : null,
      dataManifestSha256: ctx.manifestHash,
    },
    results: {
      regions,
      leaves: regions.filter((r) => r.kind === 'leaf').length,
      subnetworks: program.subnetworks.length,
      pathways: program.pathways.map((p) => ({ reader: p.reader, source: p.source, op: p.op, weight: p.weight })),
      pathwayCount: topology.pathwayCount,
      edges: topology.edges.map((e) => ({ reader: topology.regions[e.reader].id, source: topology.regions[e.source].id, weight: e.weight, kind: e.kind, op: e.op ?? null })),
      structuralEdges: topology.edges.filter((e) => e.kind !== 'pathway').length,
      regionPairs: topology.edges.length,
      regionPairsTotal: topology.regions.length ** 2,
      regionDensity: topology.edges.length / topology.regions.length ** 2,
      masks,
    },
  };
}

export type ProgramReport = ReturnType<typeof compileProgramReport>;

/** Writes `<dir>/program.json` atomically, unless the file there already says the same. */
export function writeProgramFile(dir: string, atlas: Atlas, ctx: { manifestHash: string; root: string }): { path: string; changed: boolean } {
  const target = path.join(dir, 'program.json');
  const text = stableStringify(compileProgramReport(CORTICAL_PROGRAM, atlas, ctx));
  if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text) return { path: target, changed: false };
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(target, text);
  return { path: target, changed: true };
}
