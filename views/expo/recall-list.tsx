import type { OrderView } from "../../src/orders/service";

/**
 * The expo's recall menu: the last orders served, newest first. The page renders it once and
 * public/js/kds.js reloads it (GET /expo/recall-list) whenever it is opened and on every live update
 * while open, so an order served after the page loaded is there to recall (issue 9, point 9).
 */
export function ExpoRecallList({ recent }: { recent: OrderView[] }) {
  return (
    <nav data-recall-list data-load="/expo/recall-list" data-live-reload>
      {recent.length ? recent.map((o) => (
        <form method="post" action={`/expo/orders/${o.id}/recall`}><button class="btn" type="submit" safe>{`#${o.number}`}</button></form>
      )) : <span class="muted">Nothing served yet</span>}
    </nav>
  );
}
