import type { WireFormat } from '../wire/types.ts';

/** Token counts from a non-streamed upstream body, without a full translation. */
export function usageOf(format: WireFormat, body: Record<string, unknown>): { inputTokens: number | null; outputTokens: number | null } {
  const usage = body.usage as Record<string, unknown> | undefined;
  if (!usage || typeof usage !== 'object') return { inputTokens: null, outputTokens: null };
  const pick = (key: string): number | null => (typeof usage[key] === 'number' ? (usage[key] as number) : null);
  return format === 'anthropic'
    ? { inputTokens: pick('input_tokens'), outputTokens: pick('output_tokens') }
    : { inputTokens: pick('prompt_tokens'), outputTokens: pick('completion_tokens') };
}
