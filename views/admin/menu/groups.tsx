import type { MenuAdminData } from "../../../src/menu/admin-read";
import type { Group, Option } from "../../../src/menu/admin-queries";
import { priceInputValue } from "../../../src/money";
import { MAX_OPTIONS_PER_GROUP } from "../../../src/menu/rules";
import { NAME_MAX } from "../../../src/menu/validate";
import { AvailabilityToggle } from "../../menu/availability-toggle";
import { ActionButton, Checkbox, FieldError, fieldId, FlashMessage, regionForm, Select, TextArea, TextInput } from "./fields";
import { errorFor, shown, shownTicked, type Flash, type FormState } from "./form-state";
import { MenuPage, type Frame } from "./page";

export const GROUPS_BOARD = "groups-board";
export const GROUP_EDITOR = "group-editor";

type Props = { frame: Frame; data: MenuAdminData; state?: FormState | null; flash?: Flash | null };

export function GroupsPage(p: Props) {
  return (
    <MenuPage frame={p.frame} title="Modifier groups" tab="groups">
      <GroupsBoard {...p} />
    </MenuPage>
  );
}

export function GroupsBoard(p: Props) {
  const { data } = p;
  return (
    <section id={GROUPS_BOARD} class="stack">
      <FlashMessage flash={p.flash} />
      {data.groups.length === 0 ? <p class="muted">No modifier groups yet.</p> : (
        <table class="card groups-table">
          <thead><tr><th scope="col">Group</th><th scope="col">Rule</th><th scope="col">Options</th><th scope="col">Used by</th></tr></thead>
          <tbody>
            {data.groups.map((g) => {
              const options = data.options.filter((o) => o.groupId === g.id);
              const used = data.itemGroups.filter((a) => a.groupId === g.id).length;
              const optionText: string = options.length ? options.map((o) => o.name).join(", ") : "No options";
              return (
                <tr>
                  <th scope="row"><a href={`/admin/menu/groups/${g.id}`} safe>{g.name}</a></th>
                  <td safe>{ruleText(g)}</td>
                  <td class="muted" safe>{optionText}</td>
                  <td safe>{`${used} item${used === 1 ? "" : "s"}`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <NewGroupForm {...p} />
    </section>
  );
}

export function ruleText(g: Pick<Group, "required" | "minSelect" | "maxSelect">): string {
  const choose = g.minSelect === g.maxSelect ? `choose ${g.maxSelect}` : `choose ${g.minSelect} to ${g.maxSelect}`;
  return `${g.required ? "Required" : "Optional"}, ${choose}`;
}

function RuleFields(p: { state?: FormState | null; formKey: string; group: Group | null }) {
  const k = p.formKey;
  return (
    <div class="form-grid rule-fields" x-data="groupRules">
      <Checkbox formKey={k} name="required" label="Required (the guest must choose)" checked={shownTicked(p.state, k, "required", p.group?.required ?? false)} error={errorFor(p.state, k, "required")} />
      <TextInput formKey={k} name="minSelect" label="Minimum choices" type="number" min={0} max={MAX_OPTIONS_PER_GROUP} inputmode="numeric" value={shown(p.state, k, "minSelect", String(p.group?.minSelect ?? 0))} error={errorFor(p.state, k, "minSelect")} required />
      <TextInput formKey={k} name="maxSelect" label="Maximum choices" type="number" min={1} max={MAX_OPTIONS_PER_GROUP} inputmode="numeric" value={shown(p.state, k, "maxSelect", String(p.group?.maxSelect ?? 1))} error={errorFor(p.state, k, "maxSelect")} required />
    </div>
  );
}

function NewGroupForm(p: Props) {
  const k = "new-group";
  return (
    <form {...regionForm("/admin/menu/groups", GROUPS_BOARD)} class="card stack new-group" novalidate>
      <h2>New modifier group</h2>
      <TextInput formKey={k} name="name" label="Group name" value={shown(p.state, k, "name", "")} error={errorFor(p.state, k, "name")} required maxlength={NAME_MAX} hint="Like Doneness, Side or Add-ons" />
      <RuleFields state={p.state} formKey={k} group={null} />
      <TextArea
        formKey={k} name="options" label="Options, one per line" rows={5} value={shown(p.state, k, "options", "")} error={errorFor(p.state, k, "options")}
        hint="Add a price change after the name when there is one: Bacon +2.50, No bun -1.00" placeholder={"Rare\nMedium\nWell done"}
      />
      <div><button type="submit" class="btn primary">Create group</button></div>
    </form>
  );
}

export function GroupPage(p: Props & { group: Group }) {
  return (
    <MenuPage frame={p.frame} title={`Modifier group: ${p.group.name}`} tab="groups">
      <p><a href="/admin/menu/groups">← All modifier groups</a></p>
      <GroupEditor {...p} />
    </MenuPage>
  );
}

export function GroupEditor(p: Props & { group: Group }) {
  const { group, data, state } = p;
  const k = "group";
  const options = data.options.filter((o) => o.groupId === group.id);
  const used = data.itemGroups.filter((a) => a.groupId === group.id).length;
  return (
    <section id={GROUP_EDITOR} class="stack">
      <FlashMessage flash={p.flash} />
      <form {...regionForm(`/admin/menu/groups/${group.id}`, GROUP_EDITOR)} class="card stack" novalidate>
        <TextInput formKey={k} name="name" label="Group name" value={shown(state, k, "name", group.name)} error={errorFor(state, k, "name")} required maxlength={NAME_MAX} />
        <RuleFields state={state} formKey={k} group={group} />
        <FieldError id={fieldId(k, "options")} message={errorFor(state, k, "options")} />
        <div><button type="submit" class="btn primary">Save group</button></div>
      </form>
      <div class="card stack">
        <h2>Options</h2>
        <p class="muted">Shown on the POS in this order. "Default" options start out chosen.</p>
        <div class="option-list" role="list">
          <div class="option-row option-head" aria-hidden="true">
            <span>Name</span><span>Price change</span><span>Default</span><span>Station</span><span></span><span>Availability</span><span>Order</span>
          </div>
          {options.map((o, index) => <OptionRow {...p} option={o} first={index === 0} last={index === options.length - 1} />)}
        </div>
        <NewOptionForm {...p} />
      </div>
      <div class="card row danger-zone">
        <p class="grow muted" safe>{`Used by ${used} item${used === 1 ? "" : "s"}. Deleting the group removes it from them; orders already taken keep their choices.`}</p>
        <form method="post" action={`/admin/menu/groups/${group.id}/delete`} hx-post={`/admin/menu/groups/${group.id}/delete`} hx-confirm={`Delete the modifier group "${group.name}"?`}>
          <button type="submit" class="btn danger">Delete group</button>
        </form>
      </div>
    </section>
  );
}

function StationSelect(p: { data: MenuAdminData; formKey: string; selected: string; error?: string }) {
  return (
    <Select formKey={p.formKey} name="stationId" label="Station" error={p.error} hiddenLabel>
      <option value="" selected={p.selected === ""}>With the item</option>
      {p.data.stations.map((s) => <option value={s.id} selected={s.id === p.selected} safe>{s.name}</option>)}
    </Select>
  );
}

function OptionRow(p: Props & { group: Group; option: Option; first: boolean; last: boolean }) {
  const { option, state, data } = p;
  const k = `option:${option.id}`;
  const currency = data.pricing.currency;
  return (
    <div class={`option-row ${option.available ? "" : "unavailable"}`} role="listitem" id={`option-${option.id}`}>
      {/* display: contents on this form lets its inputs line up with the header row's grid columns. */}
      <form {...regionForm(`/admin/menu/options/${option.id}`, GROUP_EDITOR)} class="option-fields" aria-label={`Option ${option.name}`}>
        <TextInput formKey={k} name="name" label="Option name" hiddenLabel value={shown(state, k, "name", option.name)} error={errorFor(state, k, "name")} required maxlength={NAME_MAX} />
        <TextInput formKey={k} name="priceDelta" label="Price change" hiddenLabel inputmode="decimal" value={shown(state, k, "priceDelta", priceInputValue(option.priceDeltaCents, currency))} error={errorFor(state, k, "priceDelta")} maxlength={12} />
        <Checkbox formKey={k} name="isDefault" label="Default" checked={shownTicked(state, k, "isDefault", option.isDefault)} error={errorFor(state, k, "isDefault")} />
        <StationSelect data={data} formKey={k} selected={shown(state, k, "stationId", option.stationId ?? "")} error={errorFor(state, k, "stationId")} />
        <button type="submit" class="btn small" aria-label={`Save ${option.name}`}>Save</button>
      </form>
      <AvailabilityToggle kind="option" id={option.id} name={option.name} available={option.available} back={`/admin/menu/groups/${p.group.id}`} />
      <div class="row-actions">
        <ActionButton action={`/admin/menu/options/${option.id}/move`} region={GROUP_EDITOR} label="▲" ariaLabel={`Move ${option.name} up`} fields={{ direction: "up" }} disabled={p.first} />
        <ActionButton action={`/admin/menu/options/${option.id}/move`} region={GROUP_EDITOR} label="▼" ariaLabel={`Move ${option.name} down`} fields={{ direction: "down" }} disabled={p.last} />
        <ActionButton action={`/admin/menu/options/${option.id}/delete`} region={GROUP_EDITOR} label="✕" ariaLabel={`Delete ${option.name}`} class="danger" confirm={`Delete the option "${option.name}"?`} />
      </div>
    </div>
  );
}

function NewOptionForm(p: Props & { group: Group }) {
  const k = "new-option";
  return (
    <form {...regionForm(`/admin/menu/groups/${p.group.id}/options`, GROUP_EDITOR)} class="option-row new-option" aria-label="Add an option">
      <TextInput formKey={k} name="name" label="New option" value={shown(p.state, k, "name", "")} error={errorFor(p.state, k, "name")} required maxlength={NAME_MAX} />
      <TextInput formKey={k} name="priceDelta" label="Price change" inputmode="decimal" value={shown(p.state, k, "priceDelta", "0")} error={errorFor(p.state, k, "priceDelta")} maxlength={12} />
      <Checkbox formKey={k} name="isDefault" label="Default" checked={shownTicked(p.state, k, "isDefault", false)} error={errorFor(p.state, k, "isDefault")} />
      <StationSelect data={p.data} formKey={k} selected={shown(p.state, k, "stationId", "")} error={errorFor(p.state, k, "stationId")} />
      <button type="submit" class="btn primary small">Add option</button>
    </form>
  );
}
