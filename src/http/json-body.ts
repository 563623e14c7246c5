import { HttpError } from "./errors";

/**
 * Every JSON body is read here, bounded before any recursive work touches it. A body nested tens of
 * thousands of levels deep parses, then overflows the stack of whatever walks it next (the order
 * API's idempotency hash did: a 500). The largest honest body, an order of 100 lines with long notes,
 * is well under 256 KiB and 10 levels deep.
 */
export const JSON_LIMITS = { bytes: 256 * 1024, depth: 32 };

const tooLarge = () => new HttpError(413, "body_too_large", `The JSON body must be at most ${JSON_LIMITS.bytes / 1024} KiB`, "body");
const tooDeep = () => new HttpError(400, "body_too_deep", `The JSON body must be nested at most ${JSON_LIMITS.depth} levels deep`, "body");
const malformed = () => new HttpError(400, "malformed_body", "The request body could not be read (malformed JSON).", "body");

export const isJsonType = (contentType: string) => /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType);

/** The body's text, refused as soon as it passes the byte limit, whether or not it declared a length. */
async function readBounded(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > JSON_LIMITS.bytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > JSON_LIMITS.bytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The deepest nesting of arrays and objects in JSON text, counted without recursion (strings skipped). */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > deepest && (deepest = depth) > stopAt) return deepest;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return deepest;
}

/** Parses a JSON request body within the limits. */
export async function parseJsonBody(request: Request): Promise<unknown> {
  const text = await readBounded(request);
  if (!text.trim()) throw malformed();
  if (jsonDepth(text, JSON_LIMITS.depth) > JSON_LIMITS.depth) throw tooDeep();
  try {
    return JSON.parse(text);
  } catch {
    throw malformed();
  }
}
