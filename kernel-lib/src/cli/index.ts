/**
 * The `ser` command: a thin dispatcher over kernel-lib. Each area registers its subcommands in
 * its own file (cli/corpus.ts, cli/features.ts, ...). Contract: docs/architecture.md, "The `ser` contract".
 */
import { type Command, type CommandIO, type FlagSpec, parseArgs, UsageError } from './command';
import { commands as corpus } from './corpus';
import { commands as features } from './features';
import { commands as svm } from './svm';
import { commands as cnn } from './cnn';
import { commands as predict } from './predict';
import { commands as notebooks } from './notebooks';
import { commands as live } from './live';

export * from './command';

export const ALL_COMMANDS: Command[] = [...corpus, ...features, ...svm, ...cnn, ...predict, ...live, ...notebooks];

const JSON_FLAG: FlagSpec = { type: 'boolean', description: 'print one JSON document on stdout' };

export function helpText(cmds: Command[] = ALL_COMMANDS): string {
  const lines = ['usage: ser <command> [options]', '', 'commands:'];
  for (const c of cmds) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push('', 'Every command takes --json (one JSON document on stdout) and --help.');
  lines.push('Exit status: 0 success, 1 failed run, 2 bad arguments or unusable input.');
  return lines.join('\n');
}

function commandHelp(c: Command): string {
  const lines = [`usage: ${c.usage}`, '', c.summary, ''];
  for (const [name, s] of Object.entries({ ...c.flags, json: JSON_FLAG })) {
    const def = s.default !== undefined ? ` (default ${s.default})` : '';
    lines.push(`  --${name}${s.type === 'boolean' ? '' : ` <${s.type}>`}  ${s.description}${def}`);
  }
  return lines.join('\n');
}

/** Finds the longest command path matching the argument words. */
function resolve(argv: string[], cmds: Command[]): { cmd: Command; rest: string[] } | null {
  let best: { cmd: Command; rest: string[] } | null = null;
  for (const c of cmds) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.cmd.path.length)) {
      best = { cmd: c, rest: argv.slice(c.path.length) };
    }
  }
  return best;
}

export const defaultIO: CommandIO = {
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
};

/** Runs `ser` with the given arguments; returns the exit status (never calls process.exit). */
export async function main(argv: string[], io: CommandIO = defaultIO, cmds: Command[] = ALL_COMMANDS): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    io.out(helpText(cmds));
    return argv.length === 0 ? 2 : 0;
  }
  const found = resolve(argv, cmds);
  if (!found) {
    io.err(
      `ser: unknown command '${argv
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ')}' (see ser --help)`,
    );
    return 2;
  }
  const { cmd, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(cmd));
    return 0;
  }
  let json = rest.includes('--json');
  try {
    const args = parseArgs(rest, { ...cmd.flags, json: JSON_FLAG });
    json = !!args.flags.json;
    const p = cmd.positionals ?? { min: 0, max: 0, name: '' };
    if (args.positionals.length < p.min) throw new UsageError(`missing ${p.name} (usage: ${cmd.usage})`);
    if (p.max !== undefined && args.positionals.length > p.max) {
      throw new UsageError(`unexpected argument '${args.positionals[p.max]}' (usage: ${cmd.usage})`);
    }
    const res = await cmd.run(args, io);
    if (json) io.out(JSON.stringify(res.json, null, 2));
    else if (res.text) io.out(res.text);
    return res.exitCode ?? 0;
  } catch (e) {
    const usage = e instanceof UsageError || (e as any)?.usage === true;
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    io.err(`ser ${cmd.path.join(' ')}: ${msg}`);
    if (json) io.out(JSON.stringify({ ok: false, error: msg, exitCode: usage ? 2 : 1 }));
    if (!usage && process.env.SER_DEBUG && e instanceof Error) io.err(e.stack ?? '');
    return usage ? 2 : 1;
  }
}
