/**
 * `hotline check-config FILE`: validate without starting (the IVR flows it names included). Prints `OK: FILE` and a summary
 * (exit 0), or `INVALID: FILE` and one line per problem (exit 1). Both go to stdout: the
 * report is the command's output.
 */
import { dirname, resolve } from 'node:path';
import { FlowCatalog } from '../ivr/versions.js';
import { loadIvrFlows } from '../ivr/load.js';
import { loadConfigFile } from '../platform/config/index.js';
import { HotlineError } from '../platform/errors.js';
import { summarize } from './banner.js';
import type { CliIo } from './io.js';

function problemsOf(err: unknown): string[] | undefined {
  if (!(err instanceof HotlineError)) return undefined;
  const problems = err.details?.['problems'];
  if (Array.isArray(problems)) return problems.map(String);
  return err.code === 'CONFIG_UNREADABLE' ? [err.message] : undefined;
}

export function checkConfigCommand(file: string, io: CliIo): number {
  try {
    const config = loadConfigFile(file);
    // The flows are files of their own (or inline): each is validated as a start would.
    const flows = loadIvrFlows(config.ivr, new FlowCatalog(), {
      baseDir: dirname(resolve(file)),
      source: 'ivr.flows',
    });
    for (const warning of flows.warnings) io.out(`  warning: ${warning}`);
    io.out(`OK: ${file}`);
    io.out(summarize(config));
    return 0;
  } catch (err) {
    const problems = problemsOf(err);
    if (problems === undefined) throw err;
    io.out(`INVALID: ${file}`);
    for (const problem of problems) io.out(`  ${problem}`);
    return 1;
  }
}
