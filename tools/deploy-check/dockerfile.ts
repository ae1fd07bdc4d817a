/**
 * The Dockerfile checked offline: its syntax by dockerfile-utils (the linter behind the common
 * editors' Dockerfile support), then this project's rules for a production image.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

/** One build stage: its FROM and the instructions after it. */
interface Stage {
  from: Instruction;
  instructions: Instruction[];
}

const SECRET_NAMES = /SECRET|PASSWORD|PRIVATE_KEY|TOKEN|MONGODB_URI/;

/** What is wrong with the Dockerfile `text`, one line per problem; empty when it passes. */
export function dockerfileProblems(text: string): string[] {
  const problems = validate(text).map((diagnostic) => `line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
  const stages = stagesOf(text);
  const final = stages.at(-1);
  if (!final) return [...problems, 'no FROM instruction'];
  const at = (instruction: Instruction) => `line ${instruction.getRange().start.line + 1}`;
  const stageNames = new Set(stages.map((stage) => stage.from.getArguments()[2]?.getValue()).filter(Boolean));

  for (const { from } of stages) {
    const image = from.getArguments()[0]?.getValue() ?? '';
    if (stageNames.has(image)) continue;
    const tag = image.includes('@') ? 'digest' : image.split('/').at(-1)!.split(':')[1];
    if (!tag || tag === 'latest') problems.push(`${at(from)}: base image ${image} needs a fixed version tag or digest`);
  }
  for (const instruction of stages.flatMap((stage) => [stage.from, ...stage.instructions])) {
    const keyword = instruction.getKeyword();
    const content = instruction.getArgumentsContent() ?? '';
    if (keyword === 'ADD') problems.push(`${at(instruction)}: use COPY, not ADD (nothing is fetched or unpacked implicitly)`);
    if ((keyword === 'ENV' || keyword === 'ARG') && SECRET_NAMES.test(content))
      problems.push(`${at(instruction)}: ${keyword} must not carry secrets or connection strings; pass them at run time`);
    if (keyword === 'RUN' && /\bnpm (install|i)\b/.test(content)) problems.push(`${at(instruction)}: install with npm ci (the lock file), not npm install`);
  }
  if (!/--omit=dev/.test(stages.flatMap((stage) => stage.instructions.map((instruction) => instruction.getArgumentsContent() ?? '')).join('\n'))) {
    problems.push('the image must leave out dev dependencies (npm ci --omit=dev or npm prune --omit=dev)');
  }

  const users = final.instructions.filter((instruction) => instruction.getKeyword() === 'USER');
  const user = users.at(-1)?.getArgumentsContent()?.split(':')[0];
  if (user === undefined) problems.push('the final stage must set a USER (it would run as root)');
  else if (!/^\d+$/.test(user) || user === '0')
    problems.push(`${at(users.at(-1)!)}: USER must be a numeric non-root id (Kubernetes can only verify runAsNonRoot for a number), not ${user}`);
  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    const last = final.instructions.filter((instruction) => instruction.getKeyword() === keyword).at(-1);
    if (last && !(last.getArgumentsContent() ?? '').trim().startsWith('[')) {
      problems.push(`${at(last)}: ${keyword} must use the exec (JSON) form, so the service itself receives SIGTERM`);
    }
  }
  return problems;
}

function stagesOf(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') stages.push({ from: instruction, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}
