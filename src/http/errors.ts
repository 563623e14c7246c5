/**
 * A refusal the user should read: a 4xx with a human message and, when one input is at fault, its field.
 * Services throw it; the app turns it into a JSON problem body or an HTML message.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, field?: string) => new HttpError(400, "bad_request", message, field);
export const notFound = (message = "Not found") => new HttpError(404, "not_found", message);
export const forbidden = (message = "You do not have permission to do that") => new HttpError(403, "forbidden", message);
export const unauthorized = (message = "Please sign in") => new HttpError(401, "unauthorized", message);
export const conflict = (message: string, field?: string) => new HttpError(409, "conflict", message, field);
export const unprocessable = (message: string, field?: string) => new HttpError(422, "unprocessable", message, field);

export type Problem = { error: string; message: string; field?: string; requestId?: string };
