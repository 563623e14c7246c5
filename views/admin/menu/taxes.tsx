import type { MenuAdminData } from "../../../src/menu/admin-read";
import { percentInputValue } from "../../../src/money";
import { NAME_MAX } from "../../../src/menu/validate";
import { ActionButton, fieldId, FieldError, FlashMessage, regionForm, TextInput } from "./fields";
import { errorFor, shown, type Flash, type FormState } from "./form-state";
import { MenuPage, type Frame } from "./page";

export const TAX_BOARD = "tax-board";

type Props = { frame: Frame; data: MenuAdminData; state?: FormState | null; flash?: Flash | null };

export function TaxPage(p: Props) {
  return (
    <MenuPage frame={p.frame} title="Tax & pricing" tab="taxes">
      <TaxBoard {...p} />
    </MenuPage>
  );
}

export function TaxBoard(p: Props) {
  const { data, state } = p;
  const k = "pricing";
  const mode = shown(state, k, "taxInclusive", data.pricing.taxInclusive ? "inclusive" : "exclusive");
  return (
    <section id={TAX_BOARD} class="stack">
      <FlashMessage flash={p.flash} />
      <form {...regionForm("/admin/menu/pricing", TAX_BOARD)} class="card stack" novalidate>
        <h2>Pricing</h2>
        <TextInput formKey={k} name="defaultRate" label="Default tax rate (%)" inputmode="decimal" value={shown(state, k, "defaultRate", percentInputValue(data.pricing.taxRateBps))} error={errorFor(state, k, "defaultRate")} required maxlength={6} hint="Used by every item without a tax category of its own, like 8.25" class="narrow-field" />
        <fieldset class="radio-list" aria-describedby={errorFor(state, k, "taxInclusive") ? `${fieldId(k, "taxInclusive")}-error` : undefined}>
          <legend safe>{`Menu prices (${data.pricing.currency})`}</legend>
          <label class="checkbox"><input type="radio" name="taxInclusive" value="exclusive" checked={mode === "exclusive"} /> <span>Tax is added on top of menu prices</span></label>
          <label class="checkbox"><input type="radio" name="taxInclusive" value="inclusive" checked={mode === "inclusive"} /> <span>Menu prices already include tax</span></label>
          <FieldError id={fieldId(k, "taxInclusive")} message={errorFor(state, k, "taxInclusive")} />
        </fieldset>
        <p class="hint muted">Changes apply to new orders; orders already taken keep the prices and tax they were taken with.</p>
        <div><button type="submit" class="btn primary">Save pricing</button></div>
      </form>
      <div class="card stack">
        <h2>Tax categories</h2>
        <p class="muted">For items taxed at another rate than the default, like alcohol.</p>
        {data.taxCategories.map((t) => {
          const tk = `tax:${t.id}`;
          const used = data.items.filter((i) => i.taxCategoryId === t.id).length;
          return (
            <div class="row tax-row">
              <form {...regionForm(`/admin/menu/taxes/${t.id}`, TAX_BOARD)} class="row grow" novalidate>
                <TextInput formKey={tk} name="name" label="Name" value={shown(state, tk, "name", t.name)} error={errorFor(state, tk, "name")} required maxlength={NAME_MAX} class="grow" />
                <TextInput formKey={tk} name="rate" label="Rate (%)" inputmode="decimal" value={shown(state, tk, "rate", percentInputValue(t.rateBps))} error={errorFor(state, tk, "rate")} required maxlength={6} class="narrow-field" />
                <button type="submit" class="btn small">Save</button>
              </form>
              <span class="muted" safe>{`${used} item${used === 1 ? "" : "s"}`}</span>
              <ActionButton action={`/admin/menu/taxes/${t.id}/delete`} region={TAX_BOARD} label="Delete" ariaLabel={`Delete ${t.name}`} class="danger" confirm={`Delete the tax category "${t.name}"?`} disabled={used > 0} />
            </div>
          );
        })}
        <form {...regionForm("/admin/menu/taxes", TAX_BOARD)} class="row tax-row new-tax" novalidate>
          <TextInput formKey="new-tax" name="name" label="New tax category" value={shown(state, "new-tax", "name", "")} error={errorFor(state, "new-tax", "name")} required maxlength={NAME_MAX} class="grow" />
          <TextInput formKey="new-tax" name="rate" label="Rate (%)" inputmode="decimal" value={shown(state, "new-tax", "rate", "")} error={errorFor(state, "new-tax", "rate")} required maxlength={6} class="narrow-field" />
          <button type="submit" class="btn primary small">Add</button>
        </form>
      </div>
    </section>
  );
}
