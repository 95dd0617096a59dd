/**
 * A call's variables: the built-ins (ANI, DNIS, CALLID, DATE, TIME, DATETIME, LANG) and
 * the flow's own. DATE, TIME and DATETIME are read from the channel's clock each time, in
 * the flow's time zone, so a long call sees the time move. All values are text.
 */
import type { Lang } from '../routing/types.js';
import { clockVariables } from './time.js';
import type { AssociatedData, CallInfo } from './types.js';

export const BUILTIN_VARIABLES = ['ANI', 'DNIS', 'CALLID', 'DATE', 'TIME', 'DATETIME', 'LANG'] as const;
export type BuiltinVariable = (typeof BUILTIN_VARIABLES)[number];

export function isBuiltin(name: string): name is BuiltinVariable {
  return (BUILTIN_VARIABLES as readonly string[]).includes(name);
}

export class CallVariables {
  private readonly values = new Map<string, string>();
  private currentLang: Lang;

  constructor(
    private readonly call: CallInfo,
    private readonly now: () => number,
    public timeZone: string,
    lang: Lang,
  ) {
    this.currentLang = lang;
  }

  get lang(): Lang {
    return this.currentLang;
  }

  set lang(lang: Lang) {
    this.currentLang = lang;
  }

  /** Adds a flow's declared variables with their initial values, keeping those already set. */
  declare(initial: Readonly<Record<string, string>>): void {
    for (const [name, value] of Object.entries(initial)) {
      if (!this.values.has(name) && !isBuiltin(name)) this.values.set(name, value);
    }
  }

  get(name: string): string | undefined {
    switch (name) {
      case 'ANI':
        return this.call.ani;
      case 'DNIS':
        return this.call.dnis;
      case 'CALLID':
        return this.call.callId;
      case 'LANG':
        return this.currentLang;
      case 'DATE':
      case 'TIME':
      case 'DATETIME':
        return clockVariables(this.now(), this.timeZone)[name];
      default:
        return this.values.get(name);
    }
  }

  /** Sets a flow variable; built-ins are read-only (validation refuses flows that write them). */
  set(name: string, value: string): void {
    if (isBuiltin(name)) return;
    this.values.set(name, value);
  }

  readonly lookup = (name: string): string | undefined => this.get(name);

  /** Every variable, built-ins first: the call's associated data. */
  snapshot(): AssociatedData {
    const out: Record<string, string> = {};
    for (const name of BUILTIN_VARIABLES) out[name] = this.get(name) ?? '';
    for (const [name, value] of this.values) out[name] = value;
    return Object.freeze(out);
  }
}
