/**
 * Turns a flow's PromptSpec into what the channel plays: templates replaced, the language
 * fixed, and spoken text composed (say-values in words, system prompts in their sentence),
 * so that a real channel only has to synthesize text and the simulator can print it.
 */
import { promptText, type PromptId } from '../media/prompts/index.js';
import { sayValue } from '../media/prompts/say.js';
import type { Lang, PromptSpec } from '../routing/types.js';
import { IvrError } from './errors.js';
import { renderTemplate } from './template.js';
import type { ResolvedPrompt } from './types.js';

/** The system prompts a flow may name with `{ "prompt": … }`: those that take no parameters. */
export const SYSTEM_PROMPTS = [
  'welcome',
  'please-hold',
  'please-enter',
  'enter-extension',
  'invalid-input',
  'number-not-exist',
  'goodbye',
] as const satisfies readonly PromptId[];

export type SystemPromptId = (typeof SYSTEM_PROMPTS)[number];

export function isSystemPrompt(id: string): id is SystemPromptId {
  return (SYSTEM_PROMPTS as readonly string[]).includes(id);
}

/** A flow's named texts: name → text per language. */
export type FlowTexts = Readonly<Record<string, Readonly<Partial<Record<Lang, string>>>>>;

/**
 * Resolves one prompt for the call's language. `{ prompt }` names one of the flow's texts
 * (in the call's language, else the other one) or a system prompt. Throws IvrError
 * IVR_PROMPT_FAILED for a value that cannot be read as its kind (a say-date of "abc") or
 * an unknown prompt name.
 */
export function resolvePrompt(
  spec: PromptSpec,
  lang: Lang,
  lookup: (name: string) => string | undefined,
  texts: FlowTexts = {},
): ResolvedPrompt {
  if ('file' in spec) return { kind: 'file', file: renderTemplate(spec.file, lookup) };
  if ('tts' in spec) return { kind: 'tts', text: renderTemplate(spec.tts, lookup), lang: spec.lang ?? lang };
  if ('silenceMs' in spec) return { kind: 'silence', silenceMs: spec.silenceMs };
  if ('say' in spec) {
    const value = renderTemplate(spec.value, lookup);
    try {
      return { kind: 'say', say: spec.say, value, text: sayValue(spec.say, value, lang), lang };
    } catch (err) {
      throw new IvrError('IVR_PROMPT_FAILED', `say ${spec.say}: ${(err as Error).message}`, {
        say: spec.say,
        value,
      });
    }
  }
  const own = Object.hasOwn(texts, spec.prompt) ? texts[spec.prompt] : undefined;
  if (own !== undefined) {
    const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
    const textLang = own[lang] !== undefined ? lang : other;
    return { kind: 'tts', text: renderTemplate(own[textLang] ?? '', lookup), lang: textLang };
  }
  if (!isSystemPrompt(spec.prompt)) {
    throw new IvrError('IVR_PROMPT_FAILED', `no system prompt ${JSON.stringify(spec.prompt)}`, {
      prompt: spec.prompt,
    });
  }
  return { kind: 'system', prompt: spec.prompt, text: promptText(spec.prompt, lang), lang };
}

export function resolvePrompts(
  specs: readonly PromptSpec[],
  lang: Lang,
  lookup: (name: string) => string | undefined,
  texts: FlowTexts = {},
): ResolvedPrompt[] {
  return specs.map((s) => resolvePrompt(s, lang, lookup, texts));
}

/** What a resolved prompt says, for logs and the simulator: `[file x.wav]`, the text, `[silence 500 ms]`. */
export function describePrompt(p: ResolvedPrompt): string {
  switch (p.kind) {
    case 'file':
      return `[file ${p.file}]`;
    case 'silence':
      return `[silence ${p.silenceMs} ms]`;
    case 'say':
      return `${p.text} [say ${p.say} ${p.value}]`;
    default:
      return p.text;
  }
}
