/**
 * `{{variable}}` placeholders, as GitHub's prompt files write them. Filling is literal: a value
 * is never itself searched for placeholders, so text from the editor cannot inject one.
 */
import type { PromptFile } from './promptFile';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** Filled from the editor by Run Prompt; everything else is asked for. */
export const EDITOR_VARIABLES = ['selection', 'file', 'language'] as const;

/** Every variable the prompt's messages use, in order of first use. */
export function variablesOf(prompt: Pick<PromptFile, 'messages'>): string[] {
  const names = new Set<string>();
  for (const m of prompt.messages) for (const match of m.content.matchAll(PLACEHOLDER)) names.add(match[1] as string);
  return [...names];
}

/** The text with every known placeholder replaced; unknown ones are listed in `missing`. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    if (Object.hasOwn(values, name)) return values[name] as string;
    missing.add(name);
    return whole;
  });
  return { text, missing: [...missing] };
}

/** The prompt's messages filled in; throws naming the variables that have no value. */
export function fillMessages(prompt: Pick<PromptFile, 'messages' | 'file'>, values: Readonly<Record<string, string>>): PromptFile['messages'] {
  const missing = new Set<string>();
  const messages = prompt.messages.map((m) => {
    const filled = fillTemplate(m.content, values);
    filled.missing.forEach((n) => missing.add(n));
    return { role: m.role, content: filled.text };
  });
  if (missing.size > 0) {
    const names = [...missing].map((n) => `{{${n}}}`).join(', ');
    throw new MissingVariablesError([...missing], `${prompt.file} uses ${names}, which ${missing.size > 1 ? 'have' : 'has'} no value. Give ${missing.size > 1 ? 'them' : 'it'} a value (or add ${missing.size > 1 ? 'them' : 'it'} to the testData row).`);
  }
  return messages;
}

export class MissingVariablesError extends Error {
  constructor(
    readonly names: string[],
    message: string,
  ) {
    super(message);
    this.name = 'MissingVariablesError';
  }
}
