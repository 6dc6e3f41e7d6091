/**
 * The contract every `ser` subcommand follows (see docs/architecture.md, "The `ser` contract"):
 * flags are declared, parsed strictly, `--json` prints exactly one JSON document on stdout,
 * progress and logs go to stderr, exit 0 = success, 1 = failed run, 2 = bad arguments or
 * unusable input (with a one-line reason naming the file).
 */

export type FlagType = 'string' | 'number' | 'boolean' | 'strings';

export interface FlagSpec {
  type: FlagType;
  description: string;
  default?: string | number | boolean;
  /** allowed values for a string flag */
  choices?: string[];
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, any>;
}

export interface CommandIO {
  /** stdout writer (the JSON document or the human table) */
  out: (text: string) => void;
  /** stderr writer (progress, notices) */
  err: (text: string) => void;
}

export interface Command {
  /** words after `ser`, e.g. ['corpus', 'scan'] */
  path: string[];
  usage: string;
  summary: string;
  flags: Record<string, FlagSpec>;
  /** minimum / maximum number of positional arguments */
  positionals?: { min: number; max?: number; name: string };
  /**
   * Runs the command. Returns the JSON-able result and its human rendering, and the exit code
   * (0 success, 1 failed run). Throw UsageError (exit 2) for bad arguments or unusable input.
   */
  run(args: ParsedArgs, io: CommandIO): Promise<CommandResult>;
}

export interface CommandResult {
  exitCode?: number;
  json: unknown;
  text: string;
}

/** Bad arguments or unusable input: exit status 2 with this one-line message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Strict flag parser: `--name value`, `--name=value`, `--flag` for booleans, repeated for `strings`. */
export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const flags: Record<string, any> = {};
  const positionals: string[] = [];
  for (const [name, s] of Object.entries(spec)) {
    if (s.default !== undefined) flags[name] = s.default;
    else if (s.type === 'boolean') flags[name] = false;
    else if (s.type === 'strings') flags[name] = [];
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    let name = a.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (s.type === 'boolean') {
      if (value !== undefined) throw new UsageError(`option --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`option --${name} needs a value`);
      value = argv[++i];
    }
    if (s.type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`option --${name} needs a number, got '${value}'`);
      flags[name] = n;
    } else if (s.type === 'strings') {
      flags[name].push(value);
    } else {
      if (s.choices && !s.choices.includes(value)) {
        throw new UsageError(`option --${name} must be one of ${s.choices.join(', ')}, got '${value}'`);
      }
      flags[name] = value;
    }
  }
  return { positionals, flags };
}

/** Renders rows as an aligned plain-text table (first column left-aligned, others right). */
export function textTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => String(c)))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
