/**
 * The extensions and the built-in codes of the configuration in force, rebuilt once per
 * reload (not per call): what authentication, the dialplan and the features look up.
 */
import type { Config, ExtensionConfig } from '../platform/config/index.js';
import type { DialplanConfig } from './dialplan.js';

type BaseDialplan = Pick<
  DialplanConfig,
  'echoCode' | 'dtmfTestCode' | 'recordTestCode' | 'conferenceCode' | 'extensions' | 'acd'
>;

export class LiveDirectory {
  private seen: Config | undefined;
  private byNumber = new Map<string, ExtensionConfig>();
  private plan: BaseDialplan | undefined;

  constructor(private readonly current: () => Config) {}

  private fresh(): void {
    const config = this.current();
    if (config === this.seen) return;
    this.seen = config;
    this.byNumber = new Map(config.extensions.map((e) => [e.number, e]));
    const calls = config.calls;
    this.plan = {
      echoCode: calls.echoCode,
      dtmfTestCode: calls.dtmfTestCode,
      recordTestCode: calls.recordTestCode,
      conferenceCode: calls.conferenceCode,
      extensions: new Set(this.byNumber.keys()),
      acd: config.acd.featureCodes,
    };
  }

  extension(number: string): ExtensionConfig | undefined {
    this.fresh();
    return this.byNumber.get(number);
  }

  /** The built-in codes and the extension numbers (a new Set after each reload). */
  dialplan(): BaseDialplan {
    this.fresh();
    return this.plan!;
  }
}
