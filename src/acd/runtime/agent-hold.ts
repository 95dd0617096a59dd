/**
 * Hold of a connected queue call as the agent state sees it. The caller can be held on the
 * agent's behalf in two ways at once: by the agent's phone (a re-INVITE with a=sendonly,
 * which call control reports as the leg's `hold` event) and by the desktop (the CTI `hold`
 * request). The agent is `held` while either holds the caller and `talking` again only when
 * neither does, so a desktop retrieve does not hide a phone that still holds.
 *
 *   {} --hold(phone|desktop)--> {one} --hold(other)--> {both}
 *   {one} --retrieve(it)--> {}   (agent event: hold on the way in, retrieve on the way out)
 */

/** Who holds the caller: the agent's phone, or the agent's desktop (CTI). */
export type HoldSource = 'phone' | 'desktop';

export interface HoldChange {
  readonly held: ReadonlySet<HoldSource>;
  /** The agent event the change means, if any. */
  readonly event: 'hold' | 'retrieve' | undefined;
}

/** The holders after `source` held (`on`) or retrieved, and the agent event that follows. */
export function holdChange(held: ReadonlySet<HoldSource>, source: HoldSource, on: boolean): HoldChange {
  const next = new Set(held);
  if (on) next.add(source);
  else next.delete(source);
  const event =
    held.size === 0 && next.size > 0 ? 'hold' : held.size > 0 && next.size === 0 ? 'retrieve' : undefined;
  return { held: next, event };
}
