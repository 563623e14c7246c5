import { HttpError } from "../http/errors";

type SetLike = { status?: number | string; headers: Record<string, string | number> };

/**
 * A refusal a form shows where the user is looking: its status and headers (Retry-After) go on the
 * response, its message onto the page. Anything that is not an HttpError is a bug and goes on up.
 */
export function asRefusal(error: unknown, set: SetLike): HttpError {
  if (!(error instanceof HttpError)) throw error;
  set.status = error.status;
  Object.assign(set.headers, error.headers);
  return error;
}

/** Field name -> message, for re-rendering a form with the one error in place. */
export function fieldErrors(error: HttpError): Record<string, string> {
  return { [error.field ?? "form"]: error.message };
}
