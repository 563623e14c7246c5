import type { PropsWithChildren } from "@kitajs/html";
import type { Flash } from "./form-state";

/** A stable id for a field of one form on a page with many forms. */
export const fieldId = (formKey: string, field: string) => `f-${formKey.replace(/[^\w-]/g, "-")}-${field}`;

export function FieldError(props: { id: string; message?: string }) {
  return props.message ? <p class="field-error" id={`${props.id}-error`} role="alert" safe>{props.message}</p> : "";
}

type InputProps = {
  formKey: string;
  name: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  required?: boolean;
  maxlength?: number;
  inputmode?: "text" | "decimal" | "numeric";
  type?: "text" | "number";
  min?: number;
  max?: number;
  class?: string;
  /** Screen-reader label only (the column header says it on wide tables). */
  hiddenLabel?: boolean;
};

/** A labelled input with its error right under it, wired up with aria-invalid / aria-describedby. */
export function TextInput(p: InputProps) {
  const id = fieldId(p.formKey, p.name);
  const describedBy = [p.error ? `${id}-error` : "", p.hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field ${p.class ?? ""}`}>
      <label for={id} class={p.hiddenLabel ? "visually-hidden" : undefined} safe>{p.label}</label>
      <input
        id={id} name={p.name} type={p.type ?? "text"} value={p.value} required={p.required} maxlength={p.maxlength}
        inputmode={p.inputmode} min={p.min} max={p.max} aria-invalid={p.error ? "true" : undefined} aria-describedby={describedBy}
        autocomplete="off"
      />
      {p.hint ? <p class="hint muted" id={`${id}-hint`} safe>{p.hint}</p> : ""}
      <FieldError id={id} message={p.error} />
    </div>
  );
}

export function TextArea(p: Omit<InputProps, "inputmode" | "type" | "min" | "max"> & { rows?: number; placeholder?: string }) {
  const id = fieldId(p.formKey, p.name);
  const describedBy = [p.error ? `${id}-error` : "", p.hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field ${p.class ?? ""}`}>
      <label for={id} safe>{p.label}</label>
      <textarea id={id} name={p.name} rows={String(p.rows ?? 3)} maxlength={p.maxlength} placeholder={p.placeholder} aria-invalid={p.error ? "true" : undefined} aria-describedby={describedBy} safe>{p.value}</textarea>
      {p.hint ? <p class="hint muted" id={`${id}-hint`} safe>{p.hint}</p> : ""}
      <FieldError id={id} message={p.error} />
    </div>
  );
}

export function Checkbox(p: { formKey: string; name: string; label: string; checked: boolean; error?: string; value?: string }) {
  const id = fieldId(p.formKey, p.name);
  return (
    <div class="field checkbox-field">
      <label for={id} class="checkbox">
        <input id={id} type="checkbox" name={p.name} value={p.value ?? "on"} checked={p.checked} aria-invalid={p.error ? "true" : undefined} aria-describedby={p.error ? `${id}-error` : undefined} />
        <span safe>{p.label}</span>
      </label>
      <FieldError id={id} message={p.error} />
    </div>
  );
}

export function Select(p: PropsWithChildren<{ formKey: string; name: string; label: string; error?: string; required?: boolean; class?: string; hiddenLabel?: boolean }>) {
  const id = fieldId(p.formKey, p.name);
  return (
    <div class={`field ${p.class ?? ""}`}>
      <label for={id} class={p.hiddenLabel ? "visually-hidden" : undefined} safe>{p.label}</label>
      <select id={id} name={p.name} required={p.required} aria-invalid={p.error ? "true" : undefined} aria-describedby={p.error ? `${id}-error` : undefined}>
        {p.children as "safe"}
      </select>
      <FieldError id={id} message={p.error} />
    </div>
  );
}

export function FlashMessage(props: { flash?: Flash | null }) {
  if (!props.flash) return "";
  return <p class={`flash ${props.flash.kind}`} role={props.flash.kind === "error" ? "alert" : "status"} safe>{props.flash.text}</p>;
}

/**
 * A one-button form: a real POST without JavaScript; with htmx, posted in place and the named region
 * of the returned page swapped in (hx-select), so the page keeps its scroll position.
 */
export function ActionButton(p: { action: string; region: string; label: string; ariaLabel?: string; fields?: Record<string, string>; class?: string; confirm?: string; disabled?: boolean }) {
  return (
    <form method="post" action={p.action} class="inline-form" hx-post={p.action} hx-target={`#${p.region}`} hx-select={`#${p.region}`} hx-swap="outerHTML" hx-confirm={p.confirm}>
      {Object.entries(p.fields ?? {}).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
      <button type="submit" class={`btn small ${p.class ?? ""}`} aria-label={p.ariaLabel} title={p.ariaLabel} disabled={p.disabled} safe>{p.label}</button>
    </form>
  );
}

/** The attributes that make a whole form post in place and swap its region. */
export function regionForm(action: string, region: string) {
  return { method: "post", action, "hx-post": action, "hx-target": `#${region}`, "hx-select": `#${region}`, "hx-swap": "outerHTML" } as const;
}
