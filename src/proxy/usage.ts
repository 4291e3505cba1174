import type { WireFormat } from '../wire/types.ts';

/** Token counts from a non-streamed upstream body, without a full translation. */
export function usageOf(format: WireFormat, body: Record<string, unknown>): { inputTokens: number | null; outputTokens: number | null } {
  const usage = body.usage as Record<string, unknown> | undefined;
  if (!usage || typeof usage !== 'object') return { inputTokens: null, outputTokens: null };
  return format === 'anthropic'
    ? { inputTokens: numberAt(usage, 'input_tokens'), outputTokens: numberAt(usage, 'output_tokens') }
    : { inputTokens: numberAt(usage, 'prompt_tokens'), outputTokens: numberAt(usage, 'completion_tokens') };
}

function numberAt(usage: Record<string, unknown>, key: string): number | null {
  const value = usage[key];
  return typeof value === 'number' ? value : null;
}
