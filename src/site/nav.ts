/** The pages that exist. A page is listed only once its results exist. */
import { readRenderIndex, rendersOf } from './renders';
import { hasResults } from './results';

export function siteNav(): Array<{ href: string; label: string }> {
  const nav = [{ href: '/', label: 'Overview' }];
  if (hasResults('exp2')) nav.push({ href: '/experiments/exp2/', label: 'Experiment 2: dynamics' });
  nav.push({ href: '/changes/', label: 'Changes' });
  if (rendersOf(readRenderIndex(), 'stimuli').length) nav.push({ href: '/stimuli/', label: 'Stimuli on the cortex' });
  return nav;
}
