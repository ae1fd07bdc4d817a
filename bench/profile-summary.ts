/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [skip seconds]`: where a process
 * spent its CPU, by package (or project file) and by function, from a V8 CPU profile written
 * by `BENCH_CPU_PROFILE=1 npm run bench`. Skipping the first seconds leaves start-up out.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function ownerOf(url: string): string {
  if (!url) return '(native / idle)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return url;
  const project = /\/(gateway|subgraphs|bench|tools)\/.*$/.exec(url);
  return project ? project[0].slice(1) : url;
}

function main(): void {
  const [file, topArgument, skipArgument] = process.argv.slice(2);
  if (!file) throw new Error('Usage: profile-summary.ts <file.cpuprofile> [top] [skip seconds]');
  const top = Number(topArgument ?? 25);
  const skipMicros = Number(skipArgument ?? 0) * 1e6;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let elapsed = 0;
  profile.samples.forEach((id, index) => {
    const frame = nodes.get(id)!.callFrame;
    const micros = profile.timeDeltas[index] ?? 0;
    elapsed += micros;
    if (elapsed < skipMicros || frame.functionName === '(idle)') return;
    total += micros;
    const owner = ownerOf(frame.url);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'} ${owner}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  });
  const print = (title: string, rows: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, micros] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`);
    }
  };
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms on CPU (idle excluded)`);
  print('self time by package or file', byOwner);
  print('self time by function', byFunction);
}

main();
