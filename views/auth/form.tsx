/** Small form pieces shared by the sign-in, account and admin pages: labels, hints and field errors. */

export type FieldErrors = Partial<Record<string, string>>;

/** The message under a field, tied to it with aria-describedby so screen readers read it with the field. */
export function FieldError(props: { id: string; message?: string }) {
  return props.message ? <p class="field-error" id={`${props.id}-error`} role="alert" safe>{props.message}</p> : "";
}

/** aria attributes for an input with an optional hint and error. */
export function describedBy(id: string, opts: { hint?: boolean; error?: string }) {
  const ids = [opts.hint ? `${id}-hint` : "", opts.error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return { "aria-describedby": ids || undefined, "aria-invalid": opts.error ? "true" : undefined };
}

export function Flash(props: { message?: string; kind?: "ok" | "error" }) {
  if (!props.message) return "";
  return <p class={`flash ${props.kind ?? "ok"}`} role={props.kind === "error" ? "alert" : "status"} safe>{props.message}</p>;
}
