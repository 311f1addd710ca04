/**
 * The cortical program of the brain world model study, declared as data.
 *
 * This file is meant to be read and edited by a neuroscientist: it says which
 * brain regions the network has, which Destrieux parcels each one covers, and
 * which pathways join them. `compile.ts` turns it into the region graph and the
 * feature-level mask; nothing here is computed.
 *
 * Source: the study's code, as checked in the reference notes. Where its prose
 * disagrees (it claims 42 pathways; the code declares the 40 below), the code
 * is followed and the report shows the counted value.
 *
 * Convention: a pathway `{ reader: a, source: b }` means region a reads region b,
 * so information flows b → a. The study's prose reads entry 1 as the
 * feed-forward stream "V1 → V2/V4"; under its code's convention V1 reads V2/V4.
 */

export type SubNetwork = 'visual' | 'auditory' | 'language' | 'frontal' | 'default_mode' | 'subcortical';

export type Family = 'observation' | 'memory' | 'action' | 'residual' | 'state';

export type Operator =
  | 'predict'
  | 'correct'
  | 'observe'
  | 'integrate'
  | 'retrieve'
  | 'act'
  | 'attend'
  | 'emit_residual';

export interface Leaf {
  /** `subnetwork.name`, e.g. `visual.v1`. */
  id: string;
  subnetwork: SubNetwork;
  family: Family;
  tags: string[];
  /** Destrieux (aparc.a2009s) parcel names, pooled over both hemispheres, in ROI order. */
  destrieux: string[];
}

export interface Pathway {
  reader: string;
  source: string;
  op: Operator;
  weight: number;
}

export const SUBNETWORKS: readonly SubNetwork[] = [
  'visual',
  'auditory',
  'language',
  'frontal',
  'default_mode',
  'subcortical',
];

export const PREDICTION_ERROR = 'prediction_error';

export const LEAVES: readonly Leaf[] = [
  { id: 'visual.v1', subnetwork: 'visual', family: 'observation', tags: [], destrieux: ['S_calcarine', 'G_cuneus'] },
  { id: 'visual.v2_v4', subnetwork: 'visual', family: 'state', tags: ['belief'], destrieux: ['G_occipital_sup', 'G_occipital_middle', 'Pole_occipital'] },
  { id: 'visual.fusiform', subnetwork: 'visual', family: 'state', tags: ['object'], destrieux: ['G_oc-temp_lat-fusifor', 'G_oc-temp_med-Parahip'] },
  { id: 'auditory.a1', subnetwork: 'auditory', family: 'observation', tags: [], destrieux: ['G_temp_sup-G_T_transv'] },
  { id: 'auditory.wernicke', subnetwork: 'auditory', family: 'state', tags: ['belief'], destrieux: ['G_temp_sup-Lateral', 'G_temp_sup-Plan_tempo'] },
  { id: 'language.broca', subnetwork: 'language', family: 'state', tags: ['parser'], destrieux: ['G_front_inf-Opercular', 'G_front_inf-Triangul'] },
  { id: 'language.angular', subnetwork: 'language', family: 'state', tags: ['belief'], destrieux: ['G_pariet_inf-Angular', 'G_pariet_inf-Supramar'] },
  { id: 'language.temporal_mid', subnetwork: 'language', family: 'state', tags: [], destrieux: ['G_temporal_middle', 'G_temporal_inf'] },
  { id: 'frontal.prefrontal', subnetwork: 'frontal', family: 'state', tags: ['belief', 'goal'], destrieux: ['G_front_sup', 'G_orbital', 'G_rectus'] },
  { id: 'frontal.motor', subnetwork: 'frontal', family: 'action', tags: [], destrieux: ['G_precentral'] },
  { id: 'frontal.premotor', subnetwork: 'frontal', family: 'state', tags: ['planning'], destrieux: ['G_front_middle'] },
  { id: 'default_mode.precuneus', subnetwork: 'default_mode', family: 'state', tags: ['self'], destrieux: ['G_precuneus'] },
  {
    id: 'default_mode.cingulate',
    subnetwork: 'default_mode',
    family: 'state',
    tags: [],
    destrieux: ['G_and_S_cingul-Ant', 'G_and_S_cingul-Mid-Ant', 'G_cingul-Post-dorsal', 'G_cingul-Post-ventral'],
  },
  { id: 'default_mode.temporal_pole', subnetwork: 'default_mode', family: 'memory', tags: ['semantic'], destrieux: ['Pole_temporal'] },
  { id: 'subcortical.insula', subnetwork: 'subcortical', family: 'state', tags: ['interoception'], destrieux: ['G_insular_short', 'G_Ins_lg_and_S_cent_ins'] },
  { id: 'subcortical.somatosensory', subnetwork: 'subcortical', family: 'observation', tags: [], destrieux: ['G_postcentral'] },
];

/** The declared long-range pathways (the study's code has 40; its prose says 42). */
export const PATHWAYS: readonly Pathway[] = [
  // Visual stream
  { reader: 'visual.v1', source: 'visual.v2_v4', op: 'predict', weight: 1.0 },
  { reader: 'visual.v2_v4', source: 'visual.fusiform', op: 'predict', weight: 1.0 },
  { reader: 'visual.fusiform', source: 'visual.v2_v4', op: 'correct', weight: 0.5 },
  { reader: 'visual.v2_v4', source: 'visual.v1', op: 'correct', weight: 0.5 },
  // Dorsal stream
  { reader: 'visual.v1', source: 'language.angular', op: 'predict', weight: 0.8 },
  { reader: 'language.angular', source: 'frontal.premotor', op: 'predict', weight: 0.8 },
  // Auditory and language
  { reader: 'auditory.a1', source: 'auditory.wernicke', op: 'observe', weight: 1.0 },
  { reader: 'auditory.wernicke', source: 'language.broca', op: 'predict', weight: 1.0 },
  { reader: 'language.broca', source: 'auditory.wernicke', op: 'correct', weight: 0.5 },
  { reader: 'auditory.wernicke', source: 'language.angular', op: 'integrate', weight: 0.7 },
  { reader: 'language.angular', source: 'language.temporal_mid', op: 'integrate', weight: 0.7 },
  { reader: 'language.temporal_mid', source: 'language.angular', op: 'integrate', weight: 0.7 },
  // Default mode network
  { reader: 'default_mode.precuneus', source: 'default_mode.cingulate', op: 'integrate', weight: 0.8 },
  { reader: 'default_mode.cingulate', source: 'default_mode.precuneus', op: 'integrate', weight: 0.8 },
  { reader: 'default_mode.cingulate', source: 'default_mode.temporal_pole', op: 'integrate', weight: 0.8 },
  { reader: 'default_mode.temporal_pole', source: 'default_mode.cingulate', op: 'integrate', weight: 0.8 },
  { reader: 'default_mode.precuneus', source: 'default_mode.temporal_pole', op: 'integrate', weight: 0.6 },
  { reader: 'default_mode.temporal_pole', source: 'default_mode.precuneus', op: 'retrieve', weight: 0.6 },
  // Frontal hierarchy
  { reader: 'frontal.prefrontal', source: 'frontal.premotor', op: 'predict', weight: 1.0 },
  { reader: 'frontal.premotor', source: 'frontal.motor', op: 'act', weight: 1.0 },
  { reader: 'frontal.motor', source: 'frontal.premotor', op: 'correct', weight: 0.5 },
  { reader: 'frontal.premotor', source: 'frontal.prefrontal', op: 'correct', weight: 0.5 },
  // Cross-network
  { reader: 'visual.fusiform', source: 'language.temporal_mid', op: 'predict', weight: 0.7 },
  { reader: 'visual.v2_v4', source: 'language.angular', op: 'predict', weight: 0.6 },
  { reader: 'auditory.wernicke', source: 'language.temporal_mid', op: 'predict', weight: 0.7 },
  // Top-down attention from prefrontal cortex
  { reader: 'frontal.prefrontal', source: 'visual.v2_v4', op: 'attend', weight: 0.5 },
  { reader: 'frontal.prefrontal', source: 'auditory.wernicke', op: 'attend', weight: 0.5 },
  { reader: 'frontal.prefrontal', source: 'language.broca', op: 'attend', weight: 0.6 },
  { reader: 'frontal.prefrontal', source: 'default_mode.precuneus', op: 'attend', weight: 0.4 },
  // Interoception and the somatomotor loop
  { reader: 'subcortical.insula', source: 'default_mode.cingulate', op: 'observe', weight: 0.6 },
  { reader: 'subcortical.insula', source: 'frontal.prefrontal', op: 'observe', weight: 0.5 },
  { reader: 'subcortical.somatosensory', source: 'frontal.motor', op: 'observe', weight: 0.8 },
  { reader: 'frontal.motor', source: 'subcortical.somatosensory', op: 'predict', weight: 0.5 },
  // Residuals into the prediction-error node
  { reader: 'visual.v1', source: 'prediction_error', op: 'emit_residual', weight: 0.3 },
  { reader: 'visual.v2_v4', source: 'prediction_error', op: 'emit_residual', weight: 0.3 },
  { reader: 'auditory.a1', source: 'prediction_error', op: 'emit_residual', weight: 0.3 },
  { reader: 'auditory.wernicke', source: 'prediction_error', op: 'emit_residual', weight: 0.3 },
  { reader: 'frontal.prefrontal', source: 'prediction_error', op: 'emit_residual', weight: 0.3 },
  // Semantic memory retrieval
  { reader: 'default_mode.temporal_pole', source: 'visual.fusiform', op: 'retrieve', weight: 0.5 },
  { reader: 'default_mode.temporal_pole', source: 'language.angular', op: 'retrieve', weight: 0.5 },
];

/** Colours the study used, kept so figures read the same as its report. */
export const SUBNETWORK_COLOURS: Record<SubNetwork | typeof PREDICTION_ERROR, string> = {
  visual: '#e74c3c',
  auditory: '#3498db',
  language: '#2ecc71',
  frontal: '#f39c12',
  default_mode: '#9b59b6',
  subcortical: '#1abc9c',
  prediction_error: '#95a5a6',
};

/** The cortical program as one value, so variants can be compiled the same way. */
export interface CorticalProgram {
  subnetworks: readonly SubNetwork[];
  leaves: readonly Leaf[];
  pathways: readonly Pathway[];
}

export const CORTICAL_PROGRAM: CorticalProgram = { subnetworks: SUBNETWORKS, leaves: LEAVES, pathways: PATHWAYS };
