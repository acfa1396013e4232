import { readFileSync } from 'node:fs';
import { Copy, DockerfileParser, Env, From, Instruction, JSONInstruction, Run } from 'dockerfile-ast';

/** One instruction of a stage that changes its files or the environment its commands run in. */
export type Step = { line: number; text: string } & (
  | { kind: 'workdir'; path: string }
  | { kind: 'copy'; sources: string[]; destination: string; fromStage?: string }
  | { kind: 'run'; command: string[] }
  | { kind: 'env'; variables: Record<string, string> }
);

export interface Stage {
  /** The `AS` name, or the stage's index as Docker numbers unnamed stages. */
  name: string;
  image: string;
  steps: Step[];
  /** The command a container of this stage runs (exec form). */
  cmd?: string[];
}

/** Instructions that change nothing the replay can see: who runs the process, which port it opens, labels. */
const WITHOUT_EFFECT = new Set(['USER', 'EXPOSE', 'LABEL']);

/**
 * The stages of a Dockerfile as steps the image check can replay. An instruction it cannot replay faithfully (ARG,
 * ADD, a heredoc, a stage built on another stage…) stops it with the line, rather than be skipped: a check that
 * silently ignores part of the file would pass for an image that does not build.
 */
export function readDockerfile(path: string): Stage[] {
  const dockerfile = DockerfileParser.parse(readFileSync(path, 'utf8'));
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    const text = `${keyword} ${oneLine(instruction)}`;
    const refuse = (why: string): Error =>
      new Error(
        `Dockerfile line ${line} (${text}): ${why}; teach tools/image-check/dockerfile.ts to replay it.`,
      );
    if (keyword === 'FROM') {
      const image = (instruction as From).getImage() ?? '';
      if (stages.some((stage) => stage.name === image)) throw refuse('a stage built on another stage');
      stages.push({ name: (instruction as From).getBuildStage() ?? String(stages.length), image, steps: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw refuse('an instruction before the first FROM');
    if (WITHOUT_EFFECT.has(keyword)) continue;
    if ((instruction instanceof Copy || instruction instanceof Run) && instruction.getHeredocs().length > 0)
      throw refuse('a heredoc');
    switch (keyword) {
      case 'WORKDIR':
        stage.steps.push({ kind: 'workdir', line, text, path: literal(instruction, refuse) });
        break;
      case 'ENV': {
        const variables: Record<string, string> = {};
        for (const property of (instruction as Env).getProperties()) {
          const value = property.getValue() ?? '';
          if (value.includes('$')) throw refuse('a variable reference');
          variables[property.getName()] = value;
        }
        stage.steps.push({ kind: 'env', line, text, variables });
        break;
      }
      case 'COPY': {
        const copy = instruction as Copy;
        const flags = copy.getFlags();
        const unknown = flags.find((flag) => flag.getName() !== 'from');
        if (unknown) throw refuse(`the flag --${unknown.getName()}`);
        const paths = execForm(copy) ?? copy.getArguments().map((argument) => argument.getValue());
        if (paths.length < 2) throw refuse('a COPY without a source and a destination');
        const fromStage = flags[0]?.getValue() ?? undefined;
        if (fromStage !== undefined && !stages.some((earlier) => earlier.name === fromStage))
          throw refuse(`--from=${fromStage}, which is not an earlier stage`);
        stage.steps.push({
          kind: 'copy',
          line,
          text,
          sources: paths.slice(0, -1),
          destination: paths.at(-1)!,
          fromStage,
        });
        break;
      }
      case 'RUN':
        if ((instruction as Run).getFlags().length > 0) throw refuse('a RUN flag');
        stage.steps.push({ kind: 'run', line, text, command: command(instruction as Run) });
        break;
      case 'CMD':
        stage.cmd = command(instruction as JSONInstruction);
        break;
      default:
        throw refuse(`${keyword} is not replayed`);
    }
  }
  if (stages.length === 0) throw new Error(`${path} has no FROM.`);
  return stages;
}

/** Exec form as is; shell form through `/bin/sh -c`, as Docker runs it. */
function command(instruction: JSONInstruction): string[] {
  return execForm(instruction) ?? ['/bin/sh', '-c', shellForm(instruction)];
}

function execForm(instruction: JSONInstruction): string[] | undefined {
  const strings = instruction.getJSONStrings().map((string) => string.getJSONValue());
  return strings.length > 0 ? strings : undefined;
}

/** The command as Docker hands it to the shell: continuation lines joined, comment lines inside them dropped. */
function shellForm(instruction: Instruction): string {
  return instruction
    .getArgumentsContent()!
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('');
}

function literal(instruction: Instruction, refuse: (why: string) => Error): string {
  const value = instruction.getArgumentsContent()?.trim() ?? '';
  if (value === '' || value.includes('$')) throw refuse('an empty value or a variable reference');
  return value;
}

function oneLine(instruction: Instruction): string {
  return (instruction.getArgumentsContent() ?? '').replace(/\s+/g, ' ').trim();
}
