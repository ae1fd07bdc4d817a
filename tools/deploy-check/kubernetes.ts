/**
 * Kubernetes manifests checked offline against the API's schemas (types, required fields,
 * enums), as shipped compiled in the kubernetes-models package. Each YAML document must be a
 * kind this project deploys; anything else is reported rather than passed unchecked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

/** One Kubernetes object as read from a manifest, with where it came from. */
export interface Manifest {
  file: string;
  object: Record<string, any>;
}

type Validating = new (data: any) => { validate(): void };

const MODELS: Record<string, Validating> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

/** Every YAML document of every `.yaml` file under `folder` (named relative to it), sorted by file name. */
export function readManifests(folder: string): Manifest[] {
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.yaml'))
    .sort();
  return files.flatMap((file) => parseManifests(file.split(path.sep).join('/'), readFileSync(path.join(folder, file), 'utf8')));
}

export function parseManifests(file: string, text: string): Manifest[] {
  return parseAllDocuments(text).map((document) => {
    const [error] = document.errors;
    if (error) throw new Error(`${file}: ${error.message}`);
    return { file, object: document.toJS() };
  });
}

/** What is wrong with each manifest, one line per problem; empty when all are valid. */
export function kubernetesProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  for (const { file, object } of manifests) {
    const type = `${object?.apiVersion}/${object?.kind}`;
    const name = `${file} ${object?.kind ?? '(no kind)'} ${object?.metadata?.name ?? '(no name)'}`;
    const Model = MODELS[type];
    if (!Model) {
      problems.push(`${name}: unknown type ${type}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}
