/**
 * Feature codes and ring group numbers in the dialplan (pure): what a dialled string asks
 * for. Exact codes are matched first, then ring group numbers, then the two prefixes
 * (`*72<number>` forward, `**<extension>` directed pickup).
 */

export interface FeatureCodes {
  readonly dndOnCode: string;
  readonly dndOffCode: string;
  readonly forwardOnCode: string;
  readonly forwardOffCode: string;
  readonly groupPickupCode: string;
  readonly directedPickupPrefix: string;
}

export const DEFAULT_FEATURE_CODES: FeatureCodes = {
  dndOnCode: '*78',
  dndOffCode: '*79',
  forwardOnCode: '*72',
  forwardOffCode: '*73',
  groupPickupCode: '*8',
  directedPickupPrefix: '**',
};

export type FeatureRoute =
  | { readonly kind: 'ring-group'; readonly group: string }
  | { readonly kind: 'dnd'; readonly on: boolean }
  /** `number` is what followed the code; it may be empty or invalid (checked when used). */
  | { readonly kind: 'forward-on'; readonly number: string }
  | { readonly kind: 'forward-off' }
  | { readonly kind: 'group-pickup' }
  | { readonly kind: 'directed-pickup'; readonly extension: string };

/** What the dialplan needs to recognise features. */
export interface FeatureDialplan {
  readonly codes: FeatureCodes;
  readonly ringGroups: ReadonlySet<string>;
}

export function matchFeature(dialled: string, plan: FeatureDialplan): FeatureRoute | undefined {
  const c = plan.codes;
  if (dialled === c.dndOnCode) return { kind: 'dnd', on: true };
  if (dialled === c.dndOffCode) return { kind: 'dnd', on: false };
  if (dialled === c.forwardOffCode) return { kind: 'forward-off' };
  if (dialled === c.groupPickupCode) return { kind: 'group-pickup' };
  if (plan.ringGroups.has(dialled)) return { kind: 'ring-group', group: dialled };
  if (dialled.startsWith(c.forwardOnCode))
    return { kind: 'forward-on', number: dialled.slice(c.forwardOnCode.length) };
  const rest = dialled.slice(c.directedPickupPrefix.length);
  if (dialled.startsWith(c.directedPickupPrefix) && /^[0-9]+$/.test(rest))
    return { kind: 'directed-pickup', extension: rest };
  return undefined;
}
