/** Where a dialled number leads. Pure: a function of the number and the configuration. */
export type Route =
  | { readonly kind: 'echo' }
  | { readonly kind: 'extension'; readonly number: string }
  | { readonly kind: 'unknown' };

export interface DialplanConfig {
  readonly echoCode: string;
  readonly extensions: ReadonlySet<string>;
}

export function route(dialled: string, plan: DialplanConfig): Route {
  if (dialled === plan.echoCode) return { kind: 'echo' };
  if (plan.extensions.has(dialled)) return { kind: 'extension', number: dialled };
  return { kind: 'unknown' };
}
