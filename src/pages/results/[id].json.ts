/** Publishes each results file as it is: /results/<id>.json. */
import fs from 'node:fs';
import type { APIRoute, GetStaticPaths } from 'astro';
import { publishedResults } from '../../site/published';
import { resultsPath } from '../../site/results';

export const getStaticPaths: GetStaticPaths = () => publishedResults().map((id) => ({ params: { id } }));

export const GET: APIRoute = ({ params }) =>
  new Response(fs.readFileSync(resultsPath(String(params.id)), 'utf8'), { headers: { 'Content-Type': 'application/json' } });
