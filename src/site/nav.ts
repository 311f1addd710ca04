/** The pages that exist. A page is listed only once its results exist. */
import { hasResults } from './results';

export function siteNav(): Array<{ href: string; label: string }> {
  const nav = [{ href: '/', label: 'Overview' }];
  if (hasResults('exp1')) nav.push({ href: '/experiments/exp1/', label: 'Experiment 1: classification' });
  if (hasResults('exp2')) nav.push({ href: '/experiments/exp2/', label: 'Experiment 2: dynamics' });
  if (hasResults('exp3')) nav.push({ href: '/experiments/exp3/', label: 'Experiment 3: virtual EEG' });
  nav.push({ href: '/changes/', label: 'Changes' });
  return nav;
}
