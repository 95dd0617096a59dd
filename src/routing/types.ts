/**
 * Shared words of routing, the IVR and the extension features: where a call can be sent
 * and what can be played to it. Plain data, so that configuration, flows and the simulator
 * all speak the same language.
 */

/** Languages of prompts and of the IVR's say-nodes. */
export type Lang = 'zh-CN' | 'en';

/** Something to play: a WAV file, a sentence for the TTS engine, or a value read out. */
export type PromptSpec =
  /** A WAV file; a relative path is taken under the prompts folder. */
  | { readonly file: string }
  /** Free text spoken by the TTS engine (in `lang`, else the call's language). */
  | { readonly tts: string; readonly lang?: Lang }
  /** A value read out in the call's language; `value` may name a variable as `${NAME}`. */
  | { readonly say: SayKind; readonly value: string }
  /** A built-in system prompt (welcome, please-hold, goodbye …) from src/media/prompts. */
  | { readonly prompt: string }
  | { readonly silenceMs: number };

export type SayKind = 'number' | 'digits' | 'date' | 'time' | 'money';

/** Skills a call asks for: skill name → minimum proficiency (1–10). */
export type SkillRequirements = Readonly<Record<string, number>>;

/**
 * Where a call goes. Inbound numbers (DIDs), IVR transfer nodes, overflow rules and the
 * extension features all name destinations in this one shape.
 */
export type Destination =
  | { readonly type: 'ivr'; readonly flow: string }
  | {
      readonly type: 'queue';
      readonly queue: string;
      /** Further queues the call waits in at the same time, in order of preference (ACD-5). */
      readonly queues?: readonly string[];
      readonly priority?: number;
      readonly skills?: SkillRequirements;
    }
  | { readonly type: 'extension'; readonly number: string }
  | { readonly type: 'ringGroup'; readonly group: string }
  | { readonly type: 'voicemail'; readonly mailbox: string }
  | { readonly type: 'external'; readonly number: string; readonly trunkGroup?: string }
  | { readonly type: 'announcement'; readonly prompts: readonly PromptSpec[] }
  | { readonly type: 'hangup'; readonly cause?: number };

export type DestinationType = Destination['type'];
