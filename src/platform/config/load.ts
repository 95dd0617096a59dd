/**
 * Reads a YAML configuration, validates it against the schema once, and freezes it
 * (STYLE principle 11). Every failure is a HotlineError whose `details.problems` lists one
 * line per problem, so the CLI can print them and tests can match them exactly.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { HotlineError } from '../errors.js';
import { formatProblems } from './problems.js';
import { configSchema, type Config } from './schema.js';

type MutableConfig = z.output<typeof configSchema>;

function invalid(sourceName: string, problems: string[]): HotlineError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const message = `${sourceName}: invalid configuration (${count})\n${problems.map((p) => `  ${p}`).join('\n')}`;
  return new HotlineError('CONFIG_INVALID', message, { source: sourceName, problems });
}

/** `line 3, column 7: Map keys must be unique`, from yaml's own error text and position. */
function yamlProblems(text: string): { value: unknown; problems: string[] } {
  const doc = parseDocument(text, { prettyErrors: true });
  const problems = doc.errors.map((err) => {
    const reason = (err.message.split('\n')[0] ?? err.message).replace(/ at line \d+, column \d+:?$/, '');
    const pos = err.linePos?.[0];
    return pos === undefined ? `YAML: ${reason}` : `line ${pos.line}, column ${pos.col}: ${reason}`;
  });
  if (problems.length > 0) return { value: undefined, problems };
  try {
    return { value: doc.toJS(), problems };
  } catch (err) {
    // toJS throws on an alias to an anchor that does not exist, or on an alias bomb.
    return { value: undefined, problems: [`YAML: ${(err as Error).message}`] };
  }
}

function validate(text: string, sourceName: string): MutableConfig {
  const parsed = yamlProblems(text);
  if (parsed.problems.length > 0) throw invalid(sourceName, parsed.problems);
  // An empty file (or one holding only comments) means "all defaults".
  const input = parsed.value ?? {};
  const result = configSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw invalid(sourceName, formatProblems(result.error.issues, configSchema));
  return result.data;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Validates YAML text; `sourceName` names it in messages (a file path, or e.g. "admin API"). */
export function parseConfig(text: string, sourceName: string): Config {
  return deepFreeze(validate(text, sourceName));
}

/** The configuration an empty file gives: every default. */
export function configDefaults(): Config {
  return parseConfig('', 'defaults');
}

function readable(path: string): string | undefined {
  try {
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}

/** TLS files are named relative to the configuration file and must be readable now, not at the first WSS connection. */
function resolveTlsFiles(cfg: MutableConfig, configPath: string): string[] {
  const tls = cfg.sip.tls;
  if (tls === undefined) return [];
  const base = dirname(resolve(configPath));
  tls.certFile = resolve(base, tls.certFile);
  tls.keyFile = resolve(base, tls.keyFile);
  const problems: string[] = [];
  for (const key of ['certFile', 'keyFile'] as const) {
    const code = readable(tls[key]);
    if (code !== undefined) problems.push(`sip.tls.${key}: cannot read ${tls[key]} (${code})`);
  }
  return problems;
}

/**
 * Loads and validates a configuration file. Throws HotlineError CONFIG_UNREADABLE when the
 * file cannot be read and CONFIG_INVALID (with `details.problems`) when its content is wrong.
 */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new HotlineError('CONFIG_UNREADABLE', `cannot read configuration file ${path} (${code})`, {
      path,
      cause: code,
    });
  }
  const cfg = validate(text, path);
  const problems = resolveTlsFiles(cfg, path);
  if (problems.length > 0) throw invalid(path, problems);
  return deepFreeze(cfg);
}
