/** The pages that exist. A page is listed only once the results it lays out exist. */
import { hasProgramFile } from './programFile';
import { readRenderIndex, rendersOf } from './renders';
import { hasResults } from './results';

export function siteNav(): Array<{ href: string; label: string }> {
  const nav = [{ href: '/', label: 'Overview' }];
  if (hasProgramFile()) nav.push({ href: '/architecture/', label: 'Architecture' });
  if (hasResults('exp1')) nav.push({ href: '/experiments/exp1/', label: 'Experiment 1: classification' });
  if (hasResults('exp2')) nav.push({ href: '/experiments/exp2/', label: 'Experiment 2: dynamics' });
  if (hasResults('exp3')) nav.push({ href: '/experiments/exp3/', label: 'Experiment 3: virtual EEG' });
  nav.push({ href: '/data/', label: 'Data' });
  nav.push({ href: '/scaling/', label: 'Scaling plan' });
  nav.push({ href: '/changes/', label: 'Changes' });
  if (rendersOf(readRenderIndex(), 'stimuli').length) nav.push({ href: '/stimuli/', label: 'Stimuli on the cortex' });
  return nav;
}
