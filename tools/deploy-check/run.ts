/**
 * `npm run check:deploy`: the offline checks of the Dockerfile, docker-compose.yml and the
 * Kubernetes manifests under deploy/k8s, as the test suite runs them. Exits 1 on any problem.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeProblems } from './compose';
import { dockerfileProblems } from './dockerfile';
import { kubernetesProblems, readManifests } from './kubernetes';

const ROOT = path.resolve(__dirname, '../..');

const problems = [
  ...dockerfileProblems(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')).map((problem) => `Dockerfile ${problem}`),
  ...composeProblems(path.join(ROOT, 'docker-compose.yml')).map((problem) => `docker-compose.yml ${problem}`),
  ...kubernetesProblems(readManifests(path.join(ROOT, 'deploy/k8s'))),
];
for (const problem of problems) console.error(problem);
console.log(problems.length === 0 ? 'Dockerfile, docker-compose.yml and deploy/k8s: no problems' : `${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
