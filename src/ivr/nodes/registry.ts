/**
 * The node kinds by type. Typed as a mapped type, so a node type added to the schema
 * without its kind does not compile.
 */
import type { FlowNode, NodeOf, NodeType } from '../schema.js';
import { collectKind } from './collect.js';
import { conditionKind } from './condition.js';
import { gotoKind } from './goto.js';
import { hangupKind } from './hangup.js';
import { httpKind } from './http.js';
import type { NodeKind } from './kind.js';
import { languageKind } from './language.js';
import { lookupKind } from './lookup.js';
import { menuKind } from './menu.js';
import { playKind } from './play.js';
import { recordKind } from './record.js';
import { scheduleKind } from './schedule.js';
import { setKind } from './set.js';
import { surveyKind } from './survey.js';
import { transferKind } from './transfer.js';

export const NODE_KINDS: { readonly [T in NodeType]: NodeKind<NodeOf<T>> } = {
  play: playKind,
  menu: menuKind,
  collect: collectKind,
  set: setKind,
  condition: conditionKind,
  schedule: scheduleKind,
  http: httpKind,
  lookup: lookupKind,
  language: languageKind,
  record: recordKind,
  survey: surveyKind,
  transfer: transferKind,
  goto: gotoKind,
  hangup: hangupKind,
};

/** The kind of a node, typed for that node. */
export function kindOf<N extends FlowNode>(node: N): NodeKind<N> {
  return NODE_KINDS[node.type] as unknown as NodeKind<N>;
}
