import { formatSse } from '../sse.ts';

/** OpenAI's error envelope, which its SDK turns into typed APIError subclasses. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Builds an OpenAI error body; `param` and `code` are null when not given, as OpenAI sends them. */
export function openAIErrorBody(e: { message: string; type: string; code?: string | null; param?: string | null }): OpenAIErrorBody {
  return { error: { message: e.message, type: e.type, param: e.param ?? null, code: e.code ?? null } };
}

/** A mid-stream error frame: OpenAI sends the error envelope as a data event, which the SDK throws as APIError. */
export function openAIStreamErrorFrame(e: { message: string; type: string; code?: string | null; param?: string | null }): string {
  return formatSse({ data: JSON.stringify(openAIErrorBody(e)) });
}

/** One entry of GET /v1/models. */
export interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** The GET /v1/models list body for the given model ids. */
export function openAIModelsList(
  ids: string[],
  opts: { created?: number; ownedBy?: string } = {},
): { object: 'list'; data: OpenAIModel[] } {
  const created = opts.created ?? Math.floor(Date.now() / 1000);
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created, owned_by: opts.ownedBy ?? 'bulwark' })) };
}
