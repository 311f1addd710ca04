/**
 * `npm run site`: rebuilds only the site from the committed results files, into a
 * temporary folder renamed into place when Astro succeeds (see src/pipeline/site.ts).
 */
import { buildSite } from '../pipeline/site';
import { runCommand } from './main';

await runCommand(async () => buildSite({ root: process.cwd() }));
