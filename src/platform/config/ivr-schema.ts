/**
 * The `ivr` section of the configuration: the flows new calls can run, inline or by file,
 * and the interpreter's loop guard. Kept apart from schema.ts, which assembles every
 * section.
 *
 * The configuration checks a flow's outline only (a file path, or a mapping); the IVR
 * validates the whole document when it loads the flows (src/ivr/load.ts), and reports each
 * problem under its key path, e.g. `ivr.flows.antifraud.nodes.menu.options.1`. Loading a
 * configuration therefore loads no IVR code.
 */
import { z } from 'zod';

/** Matches DEFAULT_MAX_STEPS in ivr/limits.ts. */
export const IVR_DEFAULT_MAX_STEPS = 1000;

const FLOW_ID = /^[A-Za-z0-9_-]{1,64}$/;
const flowId = z.string().regex(FLOW_ID, 'must be a flow id: 1 to 64 letters, digits, _ or -');

/** A path to a flow file (JSON, or YAML for .yaml/.yml), relative to the configuration file, or the flow inline. */
export const ivrFlowSourceSchema = z.union([z.string().min(1), z.record(z.string(), z.unknown())], {
  error: 'must be a path to a flow file or an inline flow (a mapping)',
});

export const ivrSchema = z.strictObject({
  flows: z.record(flowId, ivrFlowSourceSchema).default(() => ({})),
  maxSteps: z.number().int().min(10).max(100_000).default(IVR_DEFAULT_MAX_STEPS),
});

export type IvrConfig = z.output<typeof ivrSchema>;
