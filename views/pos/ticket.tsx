import type { OrderView, LineView } from "../../src/orders/service";
import { money, ORDER_TYPE_LABELS } from "./format";

/** soldOut: unsent line id -> why it cannot be sent now (86'd or off the menu since it was taken). */
type TicketProps = { order: OrderView; currency: string; canVoid: boolean; canDiscount: boolean; error?: string; notice?: string; soldOut?: Record<string, string> };

function VersionField({ order }: { order: OrderView }) {
  return <input type="hidden" name="version" value={String(order.version)} />;
}

/** A small form posting to one ticket action and swapping the ticket with the answer. */
function Action(props: { order: OrderView; path: string; label: string; kind?: string; fields?: Record<string, string> }) {
  const action = `/pos/orders/${props.order.id}/${props.path}`;
  return (
    <form method="post" action={action} hx-post={action} hx-target="#ticket" hx-swap="outerHTML" class="inline">
      <VersionField order={props.order} />
      {Object.entries(props.fields ?? {}).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <button class={`btn ${props.kind ?? ""}`} type="submit" safe>{props.label}</button>
    </form>
  );
}

function lineState(line: LineView, soldOut: string | undefined): { label: string; cls: string } {
  if (line.voidedAt) return { label: "VOID", cls: "crit" };
  if (soldOut) return { label: "86'd", cls: "crit" };
  if (!line.firedAt) return { label: line.held ? "HOLD" : "NEW", cls: line.held ? "warn" : "" };
  if (line.stations.length && line.stations.every((s) => s.status === "ready")) return { label: "READY", cls: "ok" };
  return { label: "SENT", cls: "ok" };
}

/** The line's second row: its modifiers, note, seat and course, in the space of one line. */
function lineDetail(line: LineView): string {
  return [line.modifiers.map((m) => m.name).join(", "), line.seat ? `Seat ${line.seat}` : "", line.course > 1 ? `Course ${line.course}` : "",
    line.voidReason ? `Void: ${line.voidReason}` : ""].filter(Boolean).join(" · ");
}

/**
 * One compact line: a single tap target (the summary) that opens the line's actions, so a long
 * ticket keeps its totals and Send in view (issue 9, point 1).
 */
function Line({ line, order, currency, canVoid, soldOut }: { line: LineView; order: OrderView; currency: string; canVoid: boolean; soldOut?: string }) {
  const state = lineState(line, soldOut);
  const unit = line.unitPriceCents + line.modifiers.reduce((s, m) => s + m.priceDeltaCents, 0);
  const editable = order.status !== "completed" && order.status !== "cancelled";
  const detail = lineDetail(line);
  const repeat = `/pos/orders/${order.id}/lines/${line.id}/repeat`;
  return (
    <li class={`line${line.voidedAt ? " voided" : ""}${soldOut ? " sold-out" : ""}`} id={`line-${line.id}`}>
      <details class="line-menu">
        <summary class="line-row">
          <strong class="qty" safe>{`${line.quantity}×`}</strong>
          <span class="line-text">
            <span class="line-name" safe>{line.name}</span>
            {detail ? <span class="line-detail muted" safe>{detail}</span> : ""}
            {line.note ? <span class="note" safe>{`Note: ${line.note}`}</span> : ""}
          </span>
          <span class={`badge ${state.cls}`} safe>{state.label}</span>
          <span class="line-total" safe>{money(line.voidedAt ? 0 : unit * line.quantity, currency)}</span>
        </summary>
        {editable && !line.voidedAt ? (
          <div class="line-actions row">
            {line.menuItemId ? (
              <form method="post" action={repeat} hx-post={repeat} hx-target="#ticket" hx-swap="outerHTML" class="inline">
                <button class="btn small" type="submit">Repeat</button>
              </form>
            ) : ""}
            {!line.firedAt ? <Action order={order} path={`lines/${line.id}/remove`} label="Remove" kind="small" /> : ""}
            {line.firedAt ? (
              <form method="post" action={`/pos/orders/${order.id}/lines/${line.id}/remove`} hx-post={`/pos/orders/${order.id}/lines/${line.id}/remove`} hx-target="#ticket" hx-swap="outerHTML" class="void-form row">
                <VersionField order={order} />
                <label class="grow">Void reason<input type="text" name="reason" required maxlength="200" autocomplete="off" /></label>
                {canVoid ? "" : <label class="grow">Manager PIN<input type="password" name="managerPin" required inputmode="numeric" pattern="[0-9]{4,6}" autocomplete="off" /></label>}
                <button class="btn danger" type="submit">Void item</button>
              </form>
            ) : ""}
          </div>
        ) : ""}
      </details>
      {soldOut ? <p class="flash error" role="alert" safe>{`${soldOut}: remove it before sending`}</p> : ""}
    </li>
  );
}

/** The running ticket: the same component for the full page and every htmx swap (id="ticket"). */
export function Ticket({ order, currency, canVoid, canDiscount, error, notice, soldOut = {} }: TicketProps) {
  const pending = order.lines.filter((l) => !l.firedAt && !l.voidedAt);
  const unheld = pending.filter((l) => !l.held);
  const courses = [...new Set(pending.map((l) => l.course))].sort();
  const editable = order.status !== "completed" && order.status !== "cancelled";
  const header = [ORDER_TYPE_LABELS[order.type], order.tableLabel ? `Table ${order.tableLabel}` : "", order.guests ? `${order.guests} guests` : ""].filter(Boolean).join(" · ");
  return (
    <section id="ticket" class="ticket card" aria-live="polite" data-order={order.id} data-version={String(order.version)}>
      <header class="ticket-head row">
        <h2 safe>{`#${order.number}`}</h2>
        <span class="grow muted ticket-where" safe>{header}</span>
        <span class="badge" safe>{order.status.toUpperCase()}</span>
      </header>
      {error ? <p class="flash error" role="alert" safe>{error}</p> : ""}
      {notice ? <p class="flash" role="status" safe>{notice}</p> : ""}
      {order.lines.length ? (
        <ol class="lines">{order.lines.map((line) => <Line line={line} order={order} currency={currency} canVoid={canVoid} soldOut={soldOut[line.id]} />)}</ol>
      ) : <p class="muted empty">Tap an item to add it.</p>}
      {/* Pinned under the lines however many there are: totals, Send, Pay and the order's other actions. */}
      <footer class="ticket-foot">
        <dl class="totals">
          <dt>Subtotal</dt><dd safe>{money(order.subtotalCents, currency)}</dd>
          {order.discountCents ? <><dt safe>{`Discount${order.discountReason ? ` (${order.discountReason})` : ""}`}</dt><dd safe>{money(-order.discountCents, currency)}</dd></> : ""}
          <dt>Tax</dt><dd safe>{money(order.taxCents, currency)}</dd>
          <dt class="total">Total</dt><dd class="total" safe>{money(order.totalCents, currency)}</dd>
        </dl>
        {editable ? (
          <div class="ticket-actions">
            {courses.length ? (
              <div class="row course-actions">
                {courses.map((c) => {
                  const held = pending.some((l) => l.course === c && l.held);
                  return (
                    <>
                      <Action order={order} path="hold" label={held ? `Release C${c}` : `Hold C${c}`} kind="small" fields={{ course: String(c), held: held ? "false" : "true" }} />
                      {held ? <Action order={order} path="fire" label={`Fire C${c}`} kind="small" fields={{ course: String(c) }} /> : ""}
                    </>
                  );
                })}
              </div>
            ) : ""}
            <div class="row more-actions">
              <DiscountControl order={order} canDiscount={canDiscount} />
              <CancelOrder order={order} canVoid={canVoid} />
            </div>
          </div>
        ) : ""}
        <div class="pay-bar">
          {editable && unheld.length ? <SendButton order={order} count={unheld.length} /> : ""}
          {order.status !== "cancelled" && order.lines.some((l) => !l.voidedAt)
            ? <a class="btn pay" href={`/pos/orders/${order.id}/pay`} safe>{`Pay ${money(order.totalCents, currency)}`}</a> : ""}
        </div>
      </footer>
    </section>
  );
}

function SendButton({ order, count }: { order: OrderView; count: number }) {
  const action = `/pos/orders/${order.id}/send`;
  return (
    <form method="post" action={action} hx-post={action} hx-target="#ticket" hx-swap="outerHTML" class="send-form">
      <VersionField order={order} />
      <button class="btn primary big" type="submit" data-send safe>{order.status === "open" ? `Send to kitchen (${count})` : `Send addition (${count})`}</button>
    </form>
  );
}

/**
 * A discount: a manager applies it; anyone else asks for it on the spot with a manager's PIN, like a
 * fired line's void (src/pos/quick-routes.ts audits requester and approver).
 */
function DiscountControl({ order, canDiscount }: { order: OrderView; canDiscount: boolean }) {
  const action = canDiscount ? `/pos/orders/${order.id}/discount` : `/pos/orders/${order.id}/discount-request`;
  return (
    <details class="order-action">
      <summary class="btn small">Discount…</summary>
      <form method="post" action={action} hx-post={action} hx-target="#ticket" hx-swap="outerHTML" class="stack action-panel">
        <VersionField order={order} />
        <div class="row">
          <label class="grow">Amount or percent<input type="text" name="value" required placeholder="5.00 or 10%" autocomplete="off" /></label>
          <label class="grow">Reason<input type="text" name="reason" required maxlength="200" autocomplete="off" /></label>
        </div>
        {canDiscount ? "" : <label>Manager PIN<input type="password" name="managerPin" required inputmode="numeric" pattern="[0-9]{4,6}" autocomplete="off" /></label>}
        <button class="btn primary" type="submit">Apply discount</button>
      </form>
    </details>
  );
}

/**
 * Cancelling: free while nothing was fired; once the kitchen has seen the order it is a manager's call
 * with a reason, like a fired line's void (a manager's PIN when the person at the till is not one).
 */
function CancelOrder({ order, canVoid }: { order: OrderView; canVoid: boolean }) {
  const action = `/pos/orders/${order.id}/cancel`;
  if (!order.lines.some((l) => l.firedAt)) {
    return (
      <details class="order-action">
        <summary class="btn small danger">Cancel order…</summary>
        <Action order={order} path="cancel" label="Yes, cancel this order" kind="danger" />
      </details>
    );
  }
  return (
    <details class="order-action">
      <summary class="btn small danger">Cancel order…</summary>
      <form method="post" action={action} hx-post={action} hx-target="#ticket" hx-swap="outerHTML" class="stack action-panel">
        <VersionField order={order} />
        <p class="muted">The kitchen has this order: every station will show it as VOID.</p>
        <label>Reason<input type="text" name="reason" required maxlength="200" autocomplete="off" /></label>
        {canVoid ? "" : <label>Manager PIN<input type="password" name="managerPin" required inputmode="numeric" pattern="[0-9]{4,6}" autocomplete="off" /></label>}
        <button class="btn danger" type="submit">Cancel the order</button>
      </form>
    </details>
  );
}
