/** Where a dialled number leads. Pure: a function of the number and the configuration. */
export type Route =
  | { readonly kind: 'echo' }
  | { readonly kind: 'dtmf-test' }
  | { readonly kind: 'record-test' }
  | { readonly kind: 'conference'; readonly room: string }
  | { readonly kind: 'extension'; readonly number: string }
  | { readonly kind: 'unknown' };

export interface DialplanConfig {
  readonly echoCode: string;
  readonly dtmfTestCode: string;
  readonly recordTestCode: string;
  readonly conferenceCode: string;
  readonly extensions: ReadonlySet<string>;
}

export function route(dialled: string, plan: DialplanConfig): Route {
  if (dialled === plan.echoCode) return { kind: 'echo' };
  if (dialled === plan.dtmfTestCode) return { kind: 'dtmf-test' };
  if (dialled === plan.recordTestCode) return { kind: 'record-test' };
  if (dialled === plan.conferenceCode) return { kind: 'conference', room: dialled };
  if (plan.extensions.has(dialled)) return { kind: 'extension', number: dialled };
  return { kind: 'unknown' };
}
