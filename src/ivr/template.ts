/**
 * `${NAME}` templates: text in which each `${NAME}` is replaced by a variable's value.
 * There is no escape: a `$` not followed by `{` is kept as it is.
 */
import { VARIABLE_NAME } from './schema-values.js';

const REF = /\$\{([^}]*)\}/g;

export interface TemplateProblem {
  readonly message: string;
}

/** The variable names a template uses, in order of appearance (repeats kept once). */
export function templateVariables(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(REF)) {
    const name = m[1]!.trim();
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** What is wrong with a template's syntax, or null: an unclosed `${`, a bad name. */
export function templateProblem(text: string): TemplateProblem | null {
  for (const m of text.matchAll(REF)) {
    const name = m[1]!.trim();
    if (!VARIABLE_NAME.test(name)) {
      return {
        message: `"\${${m[1]!}}" does not name a variable (a letter or _, then letters, digits or _)`,
      };
    }
  }
  const rest = text.replace(REF, '');
  if (rest.includes('${')) return { message: 'has a "${" without its closing "}"' };
  return null;
}

/** Replaces each `${NAME}` with `lookup(NAME)`; an unknown name gives the empty string. */
export function renderTemplate(text: string, lookup: (name: string) => string | undefined): string {
  if (!text.includes('${')) return text;
  return text.replace(REF, (_, name: string) => lookup(name.trim()) ?? '');
}
