import type { OrderableItem } from "../../src/menu/service";
import { AvailabilityToggle } from "../menu/availability-toggle";

/** The 86 list of one station: 86'd items first, so what is out is read at a glance. */
export function EightySixList({ stationId, items }: { stationId: string; items: OrderableItem[] }) {
  const sorted = [...items].sort((a, b) => Number(a.available) - Number(b.available) || a.name.localeCompare(b.name));
  return (
    <nav data-load={`/kds/${stationId}/eighty-six`} data-live-reload aria-label="86 list">
      {sorted.length ? sorted.map((i) => (
        <div class="kds-86-row">
          <span safe>{i.kitchenName ?? i.name}</span>
          <AvailabilityToggle kind="item" id={i.id} name={i.name} available={i.available} />
        </div>
      )) : <span class="muted">No items are cooked at this station</span>}
    </nav>
  );
}
