/**
 * The one-tap 86 switch for an item or a modifier option. One component for the admin table, the
 * POS and the kitchen, and for the fragment POST /menu/{items|options}/:id/availability returns.
 * Without JavaScript it is a plain form (the route redirects back to `back`); with htmx it replaces
 * itself. `data-available` lets a row grey itself out in CSS (:has) without a second template.
 */
export function AvailabilityToggle(p: { kind: "item" | "option"; id: string; name: string; available: boolean; back?: string }) {
  const id = availabilityToggleId(p.kind, p.id);
  const action = `/menu/${p.kind === "item" ? "items" : "options"}/${p.id}/availability`;
  const label = p.available ? `Mark ${p.name} as sold out (86)` : `${p.name} is 86'd: bring it back`;
  return (
    <form id={id} method="post" action={action} class="avail-toggle" data-available={String(p.available)} hx-post={action} hx-target="this" hx-swap="outerHTML">
      <input type="hidden" name="available" value={p.available ? "false" : "true"} />
      {p.back ? <input type="hidden" name="back" value={p.back} /> : ""}
      <button type="submit" class={`btn small avail-btn ${p.available ? "" : "danger"}`} aria-pressed={p.available ? "false" : "true"} aria-label={label} title={label}>
        {p.available ? "Available" : "86'd"}
      </button>
    </form>
  );
}

/** The switch's element id: live screens replace it by this id when someone else 86es the item. */
export const availabilityToggleId = (kind: "item" | "option", id: string) => `avail-${kind}-${id}`;

/** What replaces the switch when the change was refused (the item is gone, or the request was wrong). */
export function AvailabilityError(p: { message: string }) {
  return <span class="avail-toggle field-error" role="alert" safe>{p.message}</span>;
}
