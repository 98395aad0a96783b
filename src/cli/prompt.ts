/**
 * Asking for what is missing, only when we may (IO.canPrompt). @inquirer/prompts is loaded on
 * first use so that scripts and cron never pay for it.
 */
import { missingFlag } from './context.js';
import type { IO } from './io.js';

export interface Ask {
  flag: string;
  message: string;
  /** Returns an error text, or true when the answer is acceptable. */
  validate?: (answer: string) => true | string | Promise<true | string>;
  required?: boolean;
  default?: string;
}

/** The flag's value, else a prompt on a terminal, else exit 2 naming the flag (if required). */
export async function valueOrAsk(io: IO, value: string | undefined, ask: Ask): Promise<string | undefined> {
  if (value !== undefined) return value;
  if (!io.canPrompt) {
    if (ask.required) throw missingFlag(ask.flag, ask.message);
    return undefined;
  }
  const { input } = await import('@inquirer/prompts');
  const answer = await input({
    message: ask.message,
    default: ask.default,
    required: ask.required ?? false,
    validate: (a: string) => (a === '' && !ask.required ? true : ask.validate ? ask.validate(a) : true),
  });
  return answer === '' ? undefined : answer;
}

/** Validation function for prompts from a throwing parser (e.g. parseAmount). */
export function checkWith(parse: (s: string) => unknown): (s: string) => true | string {
  return (s) => {
    try {
      parse(s);
      return true;
    } catch (err) {
      return (err as Error).message;
    }
  };
}
