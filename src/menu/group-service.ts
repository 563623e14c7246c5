import type { Db } from "../db/client";
import { withTenant, type Tx } from "../db/tenant";
import { conflict, notFound } from "../http/errors";
import * as q from "./admin-queries";
import { recordMenuChange, moveOne, type Direction } from "./change";
import type { MenuActor } from "./service";
import { currencyDecimals, parsePrice } from "../money";
import { groupRuleErrors, MAX_OPTIONS_PER_GROUP } from "./rules";
import { checkInt, checkName, InvalidInput, type FieldErrors } from "./validate";

export type GroupForm = {
  name?: string;
  required?: boolean;
  minSelect?: string;
  maxSelect?: string;
  /** Only when creating: one option per line, "Bacon +2.50" or "Medium". */
  options?: string;
};

export type OptionForm = { name?: string; priceDelta?: string; isDefault?: boolean; stationId?: string };

/** Creates (id null, with its first options) or updates a group's name and selection rules. */
export async function saveGroup(db: Db, restaurantId: string, actor: MenuActor, id: string | null, form: GroupForm): Promise<q.Group> {
  return withTenant(db, restaurantId, async (tx) => {
    const existing = id ? await q.findGroup(tx, restaurantId, id) : null;
    if (id && !existing) throw notFound("That modifier group does not exist.");
    const currency = (await q.findPricing(tx, restaurantId))?.currency ?? "USD";
    const errors: FieldErrors = {};
    const name = checkName(form.name, "Group name");
    if (name.error) errors.name = name.error;
    else if (await q.groupNameTaken(tx, restaurantId, name.value, id)) errors.name = `There is already a modifier group called "${name.value}"`;
    const min = checkInt(form.minSelect, "Minimum", 0, MAX_OPTIONS_PER_GROUP);
    if (min.error) errors.minSelect = min.error;
    const max = checkInt(form.maxSelect, "Maximum", 1, MAX_OPTIONS_PER_GROUP);
    if (max.error) errors.maxSelect = max.error;
    const current = existing ? await q.listOptions(tx, restaurantId, existing.id) : [];
    const added = existing ? { options: [], error: undefined } : parseOptionLines(form.options ?? "", currency);
    if (added.error) errors.options = added.error;
    const required = form.required ?? false;
    if (!min.error && !max.error && !added.error) {
      const rules = groupRuleErrors({
        required, minSelect: min.value, maxSelect: max.value,
        optionCount: current.length + added.options.length, defaultCount: current.filter((o) => o.isDefault).length,
      });
      for (const [field, message] of Object.entries(rules)) errors[field] ??= message;
    }
    if (Object.keys(errors).length) throw new InvalidInput(errors);
    const values = { name: name.value, required, minSelect: min.value, maxSelect: max.value };
    let group: q.Group;
    if (existing) {
      await q.updateGroup(tx, restaurantId, existing.id, values);
      group = { ...existing, ...values };
    } else {
      group = await q.insertGroup(tx, restaurantId, values);
      await q.insertOptions(tx, restaurantId, group.id, added.options);
    }
    await recordMenuChange(tx, restaurantId, actor, { kind: "group", action: existing ? "updated" : "created", id: group.id }, { name: group.name });
    return group;
  });
}

/**
 * "Bacon +2.50", "No bun -1", "Medium": a name, then optionally a signed price change. Blank lines are
 * skipped; a repeated name or a bad price is reported with its line number.
 */
export function parseOptionLines(text: string, currency: string): { options: q.OptionValues[]; error?: string } {
  const options: q.OptionValues[] = [];
  const seen = new Set<string>();
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const match = /^(.*?)\s+([+-]\s*\S+)$/.exec(line.trim());
    const name = checkName(match ? match[1] : line, "Option name");
    const where = `Line ${index + 1}`;
    if (name.error) return { options, error: `${where}: ${name.error}` };
    const delta = match ? parsePrice(match[2]!.replace(/\s+/g, ""), currency, { signed: true }) : { ok: true as const, value: 0 };
    if (!delta.ok) return { options, error: `${where}: ${delta.message} (write a price change like +1.50 or -0.50${currencyDecimals(currency) === 0 ? ", without decimals" : ""})` };
    if (seen.has(name.value.toLowerCase())) return { options, error: `${where}: "${name.value}" is listed twice` };
    seen.add(name.value.toLowerCase());
    options.push({ name: name.value, priceDeltaCents: delta.value, isDefault: false, stationId: null });
  }
  return { options };
}

export async function deleteGroup(db: Db, restaurantId: string, actor: MenuActor, id: string): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    const group = await q.findGroup(tx, restaurantId, id);
    if (!group) throw notFound("That modifier group does not exist.");
    // Options and item attachments go with it (ON DELETE CASCADE); orders keep their snapshots.
    await q.deleteGroup(tx, restaurantId, id);
    await recordMenuChange(tx, restaurantId, actor, { kind: "group", action: "deleted", id }, { name: group.name });
  });
}

/** Adds (optionId null) or edits an option of a group. */
export async function saveOption(db: Db, restaurantId: string, actor: MenuActor, groupId: string, optionId: string | null, form: OptionForm): Promise<q.Option> {
  return withTenant(db, restaurantId, async (tx) => {
    const group = await q.findGroup(tx, restaurantId, groupId);
    if (!group) throw notFound("That modifier group does not exist.");
    const existing = optionId ? await q.findOption(tx, restaurantId, optionId) : null;
    if (optionId && (!existing || existing.groupId !== group.id)) throw notFound("That modifier option does not exist.");
    const values = await checkOptionForm(tx, restaurantId, group, existing, form);
    let option: q.Option;
    if (existing) {
      await q.updateOption(tx, restaurantId, existing.id, values);
      option = { ...existing, ...values };
    } else {
      [option] = (await q.insertOptions(tx, restaurantId, group.id, [values])) as [q.Option];
    }
    // A single-choice group has one default: choosing a new one clears the previous.
    if (values.isDefault && group.maxSelect === 1) await q.clearOtherDefaults(tx, restaurantId, group.id, option.id);
    await recordMenuChange(tx, restaurantId, actor, { kind: "option", action: existing ? "updated" : "created", id: option.id }, { groupId, name: option.name });
    return option;
  });
}

async function checkOptionForm(tx: Tx, restaurantId: string, group: q.Group, existing: q.Option | null, form: OptionForm): Promise<q.OptionValues> {
  const stationId = form.stationId || null;
  if (stationId && (await q.existingStationIds(tx, restaurantId, [stationId])).size === 0) throw notFound("That station does not exist.");
  const currency = (await q.findPricing(tx, restaurantId))?.currency ?? "USD";
  const siblings = (await q.listOptions(tx, restaurantId, group.id)).filter((o) => o.id !== existing?.id);
  const errors: FieldErrors = {};
  const name = checkName(form.name, "Option name");
  if (name.error) errors.name = name.error;
  else if (siblings.some((o) => o.name.toLowerCase() === name.value.toLowerCase())) errors.name = `"${group.name}" already has an option called "${name.value}"`;
  const delta = parsePrice(form.priceDelta ?? "0", currency, { signed: true });
  if (!delta.ok) errors.priceDelta = delta.message;
  const isDefault = form.isDefault ?? false;
  if (!existing && siblings.length + 1 > MAX_OPTIONS_PER_GROUP) errors.name = `A group can have at most ${MAX_OPTIONS_PER_GROUP} options`;
  if (isDefault && group.maxSelect > 1 && siblings.filter((o) => o.isDefault).length + 1 > group.maxSelect) {
    errors.isDefault = `At most ${group.maxSelect} options of "${group.name}" can be preselected (default)`;
  }
  if (Object.keys(errors).length) throw new InvalidInput(errors);
  return { name: name.value, priceDeltaCents: delta.ok ? delta.value : 0, isDefault, stationId };
}

/** Removes an option unless that would break its group's rules (say which to change first). */
export async function deleteOption(db: Db, restaurantId: string, actor: MenuActor, optionId: string): Promise<q.Option> {
  return withTenant(db, restaurantId, async (tx) => {
    const option = await q.findOption(tx, restaurantId, optionId);
    if (!option) throw notFound("That modifier option does not exist.");
    const group = (await q.findGroup(tx, restaurantId, option.groupId))!;
    const left = (await q.listOptions(tx, restaurantId, group.id)).length - 1;
    if (left === 0 && group.required) throw conflict(`"${group.name}" is required and needs at least one option: add another option or untick Required first.`);
    if (left > 0 && group.maxSelect > left) throw conflict(`"${group.name}" allows up to ${group.maxSelect} choices: lower its maximum to ${left} before removing an option.`);
    await q.deleteOption(tx, restaurantId, option.id);
    await recordMenuChange(tx, restaurantId, actor, { kind: "option", action: "deleted", id: option.id }, { groupId: group.id, name: option.name });
    return option;
  });
}

export async function moveOption(db: Db, restaurantId: string, actor: MenuActor, optionId: string, direction: Direction): Promise<q.Option> {
  return withTenant(db, restaurantId, async (tx) => {
    const option = await q.findOption(tx, restaurantId, optionId);
    if (!option) throw notFound("That modifier option does not exist.");
    const order = moveOne((await q.listOptions(tx, restaurantId, option.groupId)).map((o) => o.id), option.id, direction);
    if (order) {
      await q.setOptionPositions(tx, restaurantId, order);
      await recordMenuChange(tx, restaurantId, actor, { kind: "option", action: "moved", id: option.id }, { direction });
    }
    return option;
  });
}
