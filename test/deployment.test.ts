/**
 * The deployment files, checked without a container engine: the validators accept them and
 * refuse broken ones, and they fit this project (its configuration, ports, probes, keys).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, DEFAULT_PORTS, loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../platform/config';
import { composeProblems } from '../tools/deploy-check/compose';
import { dockerfileProblems } from '../tools/deploy-check/dockerfile';
import { kubernetesProblems, type Manifest, parseManifests, readManifests } from '../tools/deploy-check/kubernetes';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const packageJson = JSON.parse(read('package.json'));
const IMAGE = `jinling-hie:${packageJson.version}`;
const SERVICES = ['gateway', ...SUBGRAPH_NAMES] as const;
type ServiceName = (typeof SERVICES)[number];

const dockerfile = read('Dockerfile');
const compose = parse(read('docker-compose.yml'));
const manifests = readManifests(path.join(ROOT, 'deploy/k8s'));
const objects = (kind: string) => manifests.filter((manifest) => manifest.object.kind === kind).map((manifest) => manifest.object);
const named = (kind: string, name: string) => objects(kind).find((object) => object.metadata.name === name)!;
const containerOf = (name: ServiceName) => named('Deployment', name).spec.template.spec.containers[0];

/** The environment the Dockerfile's runtime stage sets. */
const imageEnv: Record<string, string> = Object.fromEntries(
  [
    ...dockerfile
      .split(/^FROM /m)
      .at(-1)!
      .matchAll(/^ENV ((?:.*\\\n)*.*)$/gm),
  ].flatMap(([, body]) => [...body!.matchAll(/([A-Z_]+)=(\S+)/g)].map(([, name, value]) => [name, value])),
);

/** What a service's process sees in compose: the image's environment, then the service's. */
function composeEnv(name: ServiceName): Record<string, string> {
  return { ...imageEnv, ...compose.services[name].environment };
}

/** What a service's process sees in Kubernetes; values from Secrets stand in as `secret:<name>/<key>`. */
function kubernetesEnv(name: ServiceName): Record<string, string> {
  const container = containerOf(name);
  const env: Record<string, string> = { ...imageEnv };
  for (const source of container.envFrom ?? []) Object.assign(env, named('ConfigMap', source.configMapRef.name).data);
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    if (secret?.optional) continue;
    env[variable.name] = secret ? `secret:${secret.name}/${secret.key}` : variable.value;
  }
  return env;
}

const REQUIRED: Record<'gateway' | 'subgraph', string[]> = {
  gateway: [
    'NODE_ENV',
    'HOST',
    'RECORDS_URL',
    'LABS_URL',
    'PRESCRIPTIONS_URL',
    'REFERRALS_URL',
    'ACCESS_URL',
    'INTERNAL_TOKEN_PRIVATE_KEY_FILE',
    'JWT_PUBLIC_KEY_FILE',
  ],
  subgraph: ['NODE_ENV', 'HOST', 'MONGODB_URI', 'INTERNAL_TOKEN_PUBLIC_KEY_FILE'],
};
const required = (name: ServiceName) => REQUIRED[name === 'gateway' ? 'gateway' : 'subgraph'];

describe('validators', () => {
  it('accept the Dockerfile, the compose file and every Kubernetes manifest', () => {
    expect(dockerfileProblems(dockerfile)).toEqual([]);
    expect(composeProblems(path.join(ROOT, 'docker-compose.yml'))).toEqual([]);
    expect(kubernetesProblems(manifests)).toEqual([]);
    expect(manifests.map((manifest) => `${manifest.file} ${manifest.object.kind}/${manifest.object.metadata.name}`)).toEqual([
      'access.yaml Deployment/access',
      'access.yaml Service/access',
      'access.yaml HorizontalPodAutoscaler/access',
      'access.yaml PodDisruptionBudget/access',
      'config.yaml ConfigMap/jinling-hie',
      'gateway.yaml Deployment/gateway',
      'gateway.yaml Service/gateway',
      'gateway.yaml HorizontalPodAutoscaler/gateway',
      'gateway.yaml PodDisruptionBudget/gateway',
      'labs.yaml Deployment/labs',
      'labs.yaml Service/labs',
      'labs.yaml HorizontalPodAutoscaler/labs',
      'labs.yaml PodDisruptionBudget/labs',
      'namespace.yaml Namespace/jinling-hie',
      'network-policy.yaml NetworkPolicy/subgraphs-from-gateway-only',
      'prescriptions.yaml Deployment/prescriptions',
      'prescriptions.yaml Service/prescriptions',
      'prescriptions.yaml HorizontalPodAutoscaler/prescriptions',
      'prescriptions.yaml PodDisruptionBudget/prescriptions',
      'records.yaml Deployment/records',
      'records.yaml Service/records',
      'records.yaml HorizontalPodAutoscaler/records',
      'records.yaml PodDisruptionBudget/records',
      'referrals.yaml Deployment/referrals',
      'referrals.yaml Service/referrals',
      'referrals.yaml HorizontalPodAutoscaler/referrals',
      'referrals.yaml PodDisruptionBudget/referrals',
      'secrets/secrets.template.yaml Secret/jinling-mongodb',
      'secrets/secrets.template.yaml Secret/jinling-internal-token-private',
      'secrets/secrets.template.yaml Secret/jinling-internal-token-public',
      'secrets/secrets.template.yaml Secret/jinling-client-tokens',
    ]);
  });

  it('refuse a broken Dockerfile', () => {
    const broken = [
      'FROM node:latest AS build',
      'ENV DB_PASSWORD=x',
      'RUN npm install',
      'ADD https://example.org/tool /tool',
      'FROM build',
      'USER node',
      'CMD node bin/service.ts',
      'FROMM x',
    ].join('\n');
    expect(dockerfileProblems(broken)).toEqual([
      'line 8: Unknown instruction: FROMM',
      'line 1: base image node:latest needs a fixed version tag or digest',
      'line 2: ENV must not carry secrets or connection strings; pass them at run time',
      'line 3: install with npm ci (the lock file), not npm install',
      'line 4: use COPY, not ADD (nothing is fetched or unpacked implicitly)',
      'the image must leave out dev dependencies (npm ci --omit=dev or npm prune --omit=dev)',
      'line 6: USER must be a numeric non-root id (Kubernetes can only verify runAsNonRoot for a number), not node',
      'line 7: CMD must use the exec (JSON) form, so the service itself receives SIGTERM',
    ]);
    expect(dockerfileProblems(dockerfile.replace('USER 1000:1000\n', ''))).toEqual(['the final stage must set a USER (it would run as root)']);
    expect(dockerfileProblems(dockerfile.replace('USER 1000:1000', 'USER 0'))).toEqual([
      'line 33: USER must be a numeric non-root id (Kubernetes can only verify runAsNonRoot for a number), not 0',
    ]);
  });

  it('refuse a compose file that breaks the Compose Specification or uses a moving tag', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'jinling-compose-'));
    const file = (name: string, text: string) => {
      writeFileSync(path.join(folder, name), text);
      return path.join(folder, name);
    };
    expect(composeProblems(file('typo.yml', 'name: x\nservices:\n  gateway:\n    image: jinling-hie:0.1.0\n    healhcheck: {}\n'))).toEqual([
      'invalid-schema (line 1): ComposeValidationError: instancePath="/services/gateway", schemaPath="#/additionalProperties", message="Validation error: must NOT have additional properties".',
    ]);
    expect(composeProblems(file('latest.yml', 'name: x\nservices:\n  db:\n    image: mongo:latest\n    ports: ["27017:27017"]\n'))).toEqual([
      'no-unbound-port-interfaces (line 4): Service "db" is exporting port "27017:27017" without specifying the interface to listen on.',
      'service-image-require-explicit-tag (line 4): Service "db" is using the image "mongo:latest", which does not have a concrete version tag. Specify a concrete version tag.',
    ]);
  });

  it('refuse Kubernetes objects that break the API schema, and kinds this project does not deploy', () => {
    const broken = parseManifests(
      'broken.yaml',
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: gateway}',
        'spec:',
        '  selector: {}',
        '  template:',
        '    spec:',
        '      containers:',
        '        - image: jinling-hie:0.1.0',
        '          ports: [{containerPort: "4000"}]',
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: debug}',
      ].join('\n'),
    );
    expect(kubernetesProblems(broken)).toEqual([
      'broken.yaml Deployment gateway: data/spec/template/spec/containers/0 must have required property name, data/spec/template/spec/containers/0/ports/0/containerPort must be integer',
      'broken.yaml Pod debug: unknown type v1/Pod',
    ]);
  });
});

describe('the image', () => {
  it('is built on the Node version the project pins, runs bin/service.ts as uid 1000 and exposes the default ports', () => {
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map(([, image]) => image)).toEqual([
      `node:${packageJson.devDependencies.node}-bookworm-slim`,
      `node:${packageJson.devDependencies.node}-bookworm-slim`,
    ]);
    expect(packageJson.devDependencies.node).toMatch(/^24\./);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "--import", "tsx", "bin\/service.ts"\]$/m);
    expect(dockerfile.match(/^EXPOSE (.*)$/m)![1]).toBe(Object.values(DEFAULT_PORTS).join(' '));
    expect(imageEnv).toEqual({ NODE_ENV: 'production', HOST: '0.0.0.0', APOLLO_TELEMETRY_DISABLED: '1' });
  });

  it('leaves secrets, data, tests and local builds out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    for (const entry of ['.git', 'node_modules', 'data', 'test', '**/*.test.ts', '*.pem', '.env', 'tools/ferretdb']) expect(ignored).toContain(entry);
  });
});

describe('docker-compose.yml', () => {
  it('runs a three-member replica set initiated once, the five subgraphs and two gateways behind a load balancer', () => {
    expect(Object.keys(compose.services)).toEqual([
      'mongo-1',
      'mongo-2',
      'mongo-3',
      'mongo-init',
      'records',
      'labs',
      'prescriptions',
      'referrals',
      'access',
      'gateway',
      'load-balancer',
    ]);
    for (const member of ['mongo-1', 'mongo-2', 'mongo-3']) expect(compose.services[member].command).toEqual(['mongod', '--replSet', 'rs0', '--bind_ip_all']);
    expect(compose.services['mongo-init'].depends_on).toEqual({
      'mongo-1': { condition: 'service_healthy' },
      'mongo-2': { condition: 'service_healthy' },
      'mongo-3': { condition: 'service_healthy' },
    });
    expect(read('deploy/compose/replica-set-init.js')).toContain("['mongo-1:27017', 'mongo-2:27017', 'mongo-3:27017']");
    expect(compose.services.gateway.deploy.replicas).toBe(2);
    expect(compose.services['load-balancer'].ports).toEqual(['127.0.0.1:4000:8080']);
    expect(read('deploy/compose/nginx.conf')).toContain(`server gateway:${DEFAULT_PORTS.gateway};`);
  });

  it('gives every service the image, the variables it needs and only variables the configuration knows', () => {
    for (const name of SERVICES) {
      const env = composeEnv(name);
      expect({ [name]: compose.services[name].image }).toEqual({ [name]: IMAGE });
      expect({ [name]: compose.services[name].command }).toEqual({ [name]: [name] });
      expect({ [name]: required(name).filter((variable) => !env[variable]) }).toEqual({ [name]: [] });
      expect({ [name]: Object.keys(env).filter((variable) => !CONFIG_VARIABLES.includes(variable) && variable !== 'APOLLO_TELEMETRY_DISABLED') }).toEqual({
        [name]: [],
      });
      const config = loadConfig(env);
      expect([config.NODE_ENV, config.HOST]).toEqual(['production', '0.0.0.0']);
      if (name !== 'gateway') {
        expect(env.MONGODB_URI).toBe('mongodb://mongo-1:27017,mongo-2:27017,mongo-3:27017/?replicaSet=rs0');
        expect(compose.services[name].depends_on['mongo-init']).toEqual({ condition: 'service_completed_successfully' });
      }
      expect(compose.services[name].healthcheck.test.at(-1)).toContain(`fetch('http://127.0.0.1:${DEFAULT_PORTS[name]}/ready')`);
      expect([compose.services[name].read_only, compose.services[name].tmpfs]).toEqual([true, ['/tmp']]);
      // Docker kills after the grace period: the drain and the close must fit in it.
      expect(`${name}: ${config.SHUTDOWN_DRAIN_MS / 1000 + 5}s`).toBe(`${name}: ${compose.services[name].stop_grace_period}`);
    }
    expect(loadConfig(composeEnv('gateway')).subgraphUrls).toEqual({
      records: 'http://records:4001/graphql',
      labs: 'http://labs:4002/graphql',
      prescriptions: 'http://prescriptions:4003/graphql',
      referrals: 'http://referrals:4004/graphql',
      access: 'http://access:4005/graphql',
    });
  });

  it('passes keys as secrets mounted as files, each service only its own', () => {
    const secretsOf = (name: ServiceName) => compose.services[name].secrets;
    expect(secretsOf('gateway')).toEqual(['issuer-public-key', 'internal-private-key']);
    expect(composeEnv('gateway').INTERNAL_TOKEN_PRIVATE_KEY_FILE).toBe('/run/secrets/internal-private-key');
    expect(composeEnv('gateway').JWT_PUBLIC_KEY_FILE).toBe('/run/secrets/issuer-public-key');
    for (const name of SUBGRAPH_NAMES) {
      expect(secretsOf(name)).toEqual(['internal-public-key']);
      expect(composeEnv(name).INTERNAL_TOKEN_PUBLIC_KEY_FILE).toBe('/run/secrets/internal-public-key');
    }
    expect(compose.secrets).toEqual({
      'issuer-public-key': { file: './data/keys/demo-issuer-public.pem' },
      'internal-private-key': { file: './data/keys/internal-private.pem' },
      'internal-public-key': { file: './data/keys/internal-public.pem' },
    });
  });

  it('pins every image', () => {
    const images = Object.values(compose.services).map((service: any) => service.image);
    expect(images.filter((image: string) => !/^[a-z0-9./-]+:\d[\w.-]*$/.test(image))).toEqual([]);
  });
});

describe('Kubernetes manifests', () => {
  it('run each service from the pinned image with its default port, probes, resources and a locked-down container', () => {
    for (const name of SERVICES) {
      const deployment = named('Deployment', name);
      const pod = deployment.spec.template.spec;
      const container = containerOf(name);
      expect({ [name]: [container.image, container.args] }).toEqual({ [name]: [IMAGE, [name]] });
      expect(container.ports).toEqual([
        { name: 'http', containerPort: DEFAULT_PORTS[name] },
        { name: 'metrics', containerPort: 9400 },
      ]);
      expect([container.livenessProbe.httpGet, container.readinessProbe.httpGet]).toEqual([
        { path: '/health', port: 'http' },
        { path: '/ready', port: 'http' },
      ]);
      expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
      expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(container.volumeMounts[0]).toEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'jinling-hie', 'app.kubernetes.io/component': name });
      expect(named('Service', name).spec.ports).toEqual([{ name: 'http', port: DEFAULT_PORTS[name], targetPort: 'http' }]);
      expect(named('Service', name).spec.selector).toEqual(deployment.spec.selector.matchLabels);
      const autoscaler = named('HorizontalPodAutoscaler', name).spec;
      expect([autoscaler.scaleTargetRef, autoscaler.minReplicas]).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name }, 2]);
      const budget = named('PodDisruptionBudget', name).spec;
      expect([budget.selector.matchLabels, budget.minAvailable]).toEqual([deployment.spec.selector.matchLabels, 1]);
    }
  });

  it('give every service the variables it needs, only variables the configuration knows, and a configuration that loads', () => {
    for (const name of SERVICES) {
      const env = kubernetesEnv(name);
      expect({ [name]: required(name).filter((variable) => !env[variable]) }).toEqual({ [name]: [] });
      const names = [...Object.keys(env), ...containerOf(name).env.map((variable: { name: string }) => variable.name)];
      expect({ [name]: names.filter((variable) => !CONFIG_VARIABLES.includes(variable) && variable !== 'APOLLO_TELEMETRY_DISABLED') }).toEqual({ [name]: [] });
      const config = loadConfig({ ...env, MONGODB_URI: env.MONGODB_URI && 'mongodb://mongos.jinling-hie:27017' });
      expect([config.NODE_ENV, config.HOST]).toEqual(['production', '0.0.0.0']);
      const pod = named('Deployment', name).spec.template.spec;
      expect(containerOf(name).lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
      expect(`${name}: ${5 + config.SHUTDOWN_DRAIN_MS / 1000 + 5}`).toBe(`${name}: ${pod.terminationGracePeriodSeconds}`);
      if (name === 'gateway') expect(config.GATEWAY_PORT).toBe(DEFAULT_PORTS.gateway);
      else expect(config.subgraphPorts[name]).toBe(DEFAULT_PORTS[name]);
    }
    expect(loadConfig(kubernetesEnv('gateway')).subgraphUrls).toEqual({
      records: 'http://records:4001/graphql',
      labs: 'http://labs:4002/graphql',
      prescriptions: 'http://prescriptions:4003/graphql',
      referrals: 'http://referrals:4004/graphql',
      access: 'http://access:4005/graphql',
    });
  });

  it('keep secrets out of the Deployments: the database URI from a Secret, keys as files from Secret volumes', () => {
    const secretTemplates = objects('Secret');
    const secretKeys = (secret: string) => Object.keys(secretTemplates.find((object) => object.metadata.name === secret)?.stringData ?? {});
    for (const name of SERVICES) {
      const container = containerOf(name);
      const pod = named('Deployment', name).spec.template.spec;
      const inline = container.env.filter(
        (variable: { name: string; value?: string }) =>
          /MONGODB_URI|JWKS|PRIVATE/.test(variable.name) && variable.value !== undefined && !variable.name.endsWith('_FILE'),
      );
      expect({ [name]: inline }).toEqual({ [name]: [] });
      for (const variable of container.env.filter((variable: { valueFrom?: unknown }) => variable.valueFrom)) {
        const { name: secret, key } = variable.valueFrom.secretKeyRef;
        expect(`${variable.name}: ${secret}/${key} ${secretKeys(secret).includes(key) || variable.valueFrom.secretKeyRef.optional === true}`).toBe(
          `${variable.name}: ${secret}/${key} true`,
        );
      }
      const env = kubernetesEnv(name);
      for (const variable of Object.keys(env).filter((variable) => variable.endsWith('_KEY_FILE'))) {
        const file = env[variable]!;
        const mount = container.volumeMounts.find((candidate: { mountPath: string }) => file.startsWith(`${candidate.mountPath}/`));
        const volume = pod.volumes.find((candidate: { name: string }) => candidate.name === mount?.name);
        expect(`${name} ${variable}: ${volume?.secret?.secretName}/${path.basename(file)}`).toBe(
          `${name} ${variable}: ${volume?.secret?.secretName}/${secretKeys(volume?.secret?.secretName).find((key) => key === path.basename(file))}`,
        );
        expect(mount.readOnly).toBe(true);
      }
    }
    expect(Object.keys(named('ConfigMap', 'jinling-hie').data).filter((variable) => /URI|KEY|SECRET|PASSWORD|JWKS/.test(variable))).toEqual([]);
    expect(named('Deployment', 'gateway').spec.template.spec.volumes.map((volume: any) => volume.secret?.secretName)).toEqual([
      undefined,
      'jinling-internal-token-private',
      'jinling-client-tokens',
    ]);
    for (const name of SUBGRAPH_NAMES)
      expect(named('Deployment', name).spec.template.spec.volumes.map((volume: any) => volume.secret?.secretName)).toEqual([
        undefined,
        'jinling-internal-token-public',
      ]);
  });

  it('let only the gateway reach the subgraphs, and only on their ports; monitoring reaches /metrics only', () => {
    const policies = objects('NetworkPolicy');
    expect(policies).toHaveLength(1);
    const policy = policies[0]!;
    const labelsOf = (name: ServiceName) => named('Deployment', name).spec.template.metadata.labels;
    const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([key, value]) => labels[key] === value);
    expect(SERVICES.filter((name) => selects(policy.spec.podSelector.matchLabels, labelsOf(name)))).toEqual([...SUBGRAPH_NAMES]);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toHaveLength(2);
    const [rule, scrape] = policy.spec.ingress;
    expect(scrape).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 9400 }],
    });
    expect(rule.from).toHaveLength(1);
    expect(Object.keys(rule.from[0])).toEqual(['podSelector']);
    expect(SERVICES.filter((name) => selects(rule.from[0].podSelector.matchLabels, labelsOf(name)))).toEqual(['gateway']);
    expect(rule.ports).toEqual(SUBGRAPH_NAMES.map((name: SubgraphName) => ({ protocol: 'TCP', port: DEFAULT_PORTS[name] })));
  });

  it('pin every image and place everything in the project namespace', () => {
    const namespaced = manifests.filter((manifest: Manifest) => manifest.object.kind !== 'Namespace');
    expect(namespaced.filter((manifest) => manifest.object.metadata.namespace !== 'jinling-hie').map((manifest) => manifest.file)).toEqual([]);
    const images = objects('Deployment').flatMap((deployment) =>
      deployment.spec.template.spec.containers.map((container: { image: string }) => container.image),
    );
    expect([...new Set(images)]).toEqual([IMAGE]);
  });
});
