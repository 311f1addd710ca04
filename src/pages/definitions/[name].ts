/** Publishes the experiment definitions and the declared program: /definitions/<name>. */
import fs from 'node:fs';
import path from 'node:path';
import type { APIRoute, GetStaticPaths } from 'astro';
import { publishedDefinitions } from '../../site/published';

export const getStaticPaths: GetStaticPaths = () =>
  Object.entries(publishedDefinitions()).map(([name, repoPath]) => ({ params: { name }, props: { repoPath } }));

export const GET: APIRoute = ({ props }) =>
  new Response(fs.readFileSync(path.resolve(String(props.repoPath)), 'utf8'), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
