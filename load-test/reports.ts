/**
 * Reports at real size: one restaurant with two years of history (ORDERS, default 300,000 orders) and
 * NEIGHBOURS restaurants beside it (default 50, NEIGHBOUR_ORDERS each, default 6,000), generated in SQL
 * with generate_series (not through the API: this measures reading, not writing). Then each report is
 * timed for one business day and for 30 days, as the tenant role through the real service and views,
 * RUNS times after one warm-up; the table shows the median and the slowest run.
 *
 *     bun load-test/reports.ts        # ORDERS=300000 NEIGHBOURS=50 NEIGHBOUR_ORDERS=6000 RUNS=5
 *
 * Targets (issue 15): under 200 ms for a day, under 1 s for a month.
 */
import { sql } from "drizzle-orm";
import { createBenchDatabase, envInt, orderBody, percentile, rng, seedRestaurants, startServer, type BenchRestaurant } from "./harness";
import { withSystem } from "../src/db/tenant";
import { rowsOf } from "../src/db/client";
import { loadReport } from "../src/reports/service";
import { addDays } from "../src/reports/period";
import type { ReportKind, ReportRestaurant } from "../src/reports/model";
import { businessDate } from "../src/orders/service";
import { ReportPage } from "../views/reports/page";
import { EndOfDayPage } from "../views/reports/end-of-day";

const ORDERS = envInt("ORDERS", 300_000);
const NEIGHBOURS = envInt("NEIGHBOURS", 50);
const NEIGHBOUR_ORDERS = envInt("NEIGHBOUR_ORDERS", 6_000);
const RUNS = envInt("RUNS", 5);
const DAYS = 730;
/** The order path beside a report loop: ORDER_CLIENTS API clients back to back for PHASE_S seconds, alone and then beside reports. */
const ORDER_CLIENTS = envInt("ORDER_CLIENTS", 20);
const PHASE_S = envInt("PHASE_S", 10);

const bench = await createBenchDatabase("reports_bench");
const started = performance.now();
try {
  const restaurants = await seedRestaurants(bench.database, NEIGHBOURS + 1);
  const db = bench.database.db;
  const today = businessDate(new Date(), "America/New_York", 4);
  const firstDay = addDays(today, -DAYS);
  for (const [i, r] of restaurants.entries()) {
    const t0 = performance.now();
    await withSystem(db, (tx) => generateHistory(tx, r.id, i === 0 ? ORDERS : NEIGHBOUR_ORDERS, firstDay));
    if (i === 0 || i === restaurants.length - 1) console.error(`history for restaurant ${i + 1}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  await bench.database.exec("analyze");
  const counts = rowsOf<{ orders: number; lines: number; tickets: number; audit: number }>(await withSystem(db, (tx) => tx.execute(sql`
    select (select count(*) from orders)::int as orders, (select count(*) from order_items)::int as lines,
      (select count(*) from order_item_stations)::int as tickets, (select count(*) from audit_log)::int as audit`)))[0]!;
  console.error(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);

  const big = restaurants[0]!;
  const [row] = rowsOf<ReportRestaurant & { currency: string }>(await withSystem(db, (tx) => tx.execute(sql`
    select id, name, time_zone as "timeZone", currency, day_starts_at_hour as "dayStartsAtHour", age_thresholds as "ageThresholds" from restaurants where id = ${big.id}`)));
  const restaurant = row!;
  const day = addDays(today, -1);
  const periods = [{ label: "day", from: day, to: day }, { label: "30 days", from: addDays(day, -29), to: day }];
  const kinds: ReportKind[] = ["sales", "items", "kitchen", "staff", "end-of-day"];
  const lines: string[] = ["| report | period | median ms | slowest ms | target |", "|---|---|---|---|---|"];
  for (const period of periods) {
    for (const kind of kinds) {
      const once = async () => {
        const t0 = performance.now();
        const report = await loadReport(db, restaurant, kind, { from: period.from, to: period.to });
        // The page as served: the views render the same report to HTML.
        const html = kind === "end-of-day"
          ? EndOfDayPage({ nonce: "n", restaurantName: "R", userName: "U", report, paper: "a4", printedAt: "now" })
          : ReportPage({ nonce: "n", restaurantName: "R", userName: "U", kind, from: period.from, to: period.to, report, quick: [] });
        if (!String(html).length) throw new Error("empty page");
        return performance.now() - t0;
      };
      await once();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await once());
      times.sort((a, b) => a - b);
      const target = period.label === "day" ? 200 : 1000;
      const median = times[Math.floor(times.length / 2)]!;
      lines.push(`| ${kind} | ${period.label} | ${median.toFixed(0)} | ${times.at(-1)!.toFixed(0)} | ${median < target ? "met" : "MISSED"} (< ${target}) |`);
    }
  }
  console.log(`\nReports, one restaurant of ${ORDERS.toLocaleString("en")} orders over ${DAYS} days beside ${NEIGHBOURS} of ${NEIGHBOUR_ORDERS.toLocaleString("en")}; ${counts.orders.toLocaleString("en")} orders, ${counts.lines.toLocaleString("en")} lines in all\n`);
  console.log(lines.join("\n"));
  if (PHASE_S > 0) await ordersBesideReports(restaurants, async () => {
    await loadReport(db, restaurant, "sales", { from: periods[1]!.from, to: periods[1]!.to });
  });
} finally {
  // KEEP_DB=1 leaves the database for EXPLAIN (its name is printed); drop it by hand afterwards.
  if (process.env.KEEP_DB === "1") {
    console.error(`kept database ${bench.name}`);
    await bench.database.close();
  } else await bench.drop();
}

/**
 * Reports must not slow the order path: orders/s and latency through the real server (a child process),
 * first alone, then with a 30-day sales report of the big restaurant running back to back beside them.
 */
async function ordersBesideReports(restaurants: BenchRestaurant[], report: () => Promise<void>) {
  const server = await startServer(bench.url, { DB_POOL_SIZE: "10" });
  try {
    let sequence = 0;
    const place = async (seconds: number) => {
      const latencies: number[] = [];
      let errors = 0;
      const until = performance.now() + seconds * 1000;
      await Promise.all(Array.from({ length: ORDER_CLIENTS }, async (_, index) => {
        const r = restaurants[index % restaurants.length]!;
        const random = rng(index + 1);
        while (performance.now() < until) {
          const started = performance.now();
          const res = await fetch(`${server.baseUrl}/api/v1/orders`, {
            method: "POST", body: JSON.stringify(orderBody(r.items, random)),
            headers: { authorization: `Bearer ${r.apiKey}`, "content-type": "application/json", "idempotency-key": `rep-${process.pid}-${++sequence}` },
          });
          await res.arrayBuffer();
          if (res.status !== 201) errors++;
          latencies.push(performance.now() - started);
        }
      }));
      latencies.sort((a, b) => a - b);
      return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), errors };
    };
    await place(3);
    const alone = await place(PHASE_S);
    let stop = false;
    let reports = 0;
    const loop = (async () => { while (!stop) { await report(); reports++; } })();
    const beside = await place(PHASE_S);
    stop = true;
    await loop;
    const row = (label: string, r: typeof alone) => `| ${label} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.errors} |`;
    console.log(`\nOrders through the API, ${ORDER_CLIENTS} clients back to back, ${PHASE_S} s each (${reports} month reports ran beside the second)\n`);
    console.log(["| orders | orders/s | p50 ms | p95 ms | errors |", "|---|---|---|---|---|", row("alone", alone), row("beside a 30-day report loop", beside)].join("\n"));
  } finally {
    await server.stop();
  }
}

/**
 * Two years of orders for one restaurant, spread evenly over the days, 11:00-23:00 local: 1-3 lines each
 * from its own menu, about 2% of lines voided after firing (audited), 5% of orders with 10% off (audited),
 * every line bumped 3-20 minutes after firing. Totals are computed as pricing would (one 8.75% rate).
 */
async function generateHistory(tx: Parameters<Parameters<typeof withSystem>[1]>[0], rid: string, count: number, firstDay: string) {
  const perDay = Math.ceil(count / DAYS);
  await tx.execute(sql`
    create temporary table if not exists gen_menu (n int, id uuid, name text, price int, station uuid) on commit drop`);
  await tx.execute(sql`truncate gen_menu`);
  await tx.execute(sql`
    insert into gen_menu select row_number() over (order by m.name) - 1, m.id, m.name, m.price_cents,
      (select s.station_id from item_stations s where s.restaurant_id = m.restaurant_id and s.item_id = m.id order by s.station_id limit 1)
    from menu_items m where m.restaurant_id = ${rid}`);
  await tx.execute(sql`
    insert into orders (restaurant_id, id, number, business_date, type, guests, status, created_by, created_at, updated_at, closed_at)
    select ${rid}, gen_random_uuid(), g % ${perDay} + 1, ${firstDay}::date + g / ${perDay},
      (array['dine_in','takeout','delivery','kiosk'])[1 + (g * 7) % 4]::order_type, 1 + g % 4, 'completed',
      (select user_id from memberships where restaurant_id = ${rid} order by user_id offset (g % 3) limit 1),
      t, t, t + interval '40 minutes'
    from generate_series(0, ${count - 1}) g,
      lateral (select ((${firstDay}::date + g / ${perDay})::timestamp + interval '11 hours' + make_interval(secs => (g % ${perDay}) * 43200.0 / ${perDay})) at time zone 'America/New_York' as t) x`);
  await tx.execute(sql`
    insert into order_items (restaurant_id, id, order_id, business_date, menu_item_id, name, unit_price_cents, tax_rate_bps, quantity, line_total_cents, position, fire_round, fired_at, voided_at, void_reason, created_at)
    select o.restaurant_id, gen_random_uuid(), o.id, o.business_date, m.id, m.name, m.price, 875, q, m.price * q, p, 1, o.created_at,
      case when h % 50 = 0 then o.created_at + interval '5 minutes' end, case when h % 50 = 0 then 'bench void' end, o.created_at
    from orders o cross join lateral generate_series(0, (abs(hashtext(o.id::text)) % 3)) p
      cross join lateral (select abs(hashtext(o.id::text || p::text)) as h) hh
      cross join lateral (select 1 + (h / 7) % 2 as q) qq
      join gen_menu m on m.n = h % (select count(*) from gen_menu)
    where o.restaurant_id = ${rid}`);
  await tx.execute(sql`
    insert into order_item_stations (restaurant_id, order_item_id, station_id, order_id, status, bumped_at)
    select i.restaurant_id, i.id, m.station, i.order_id, 'ready', i.fired_at + make_interval(secs => 180 + abs(hashtext(i.id::text)) % 1020)
    from order_items i join gen_menu m on m.id = i.menu_item_id where i.restaurant_id = ${rid} and m.station is not null`);
  await tx.execute(sql`
    with sums as (select order_id, coalesce(sum(line_total_cents) filter (where voided_at is null), 0) as sub from order_items where restaurant_id = ${rid} group by order_id),
    priced as (select o.id, s.sub, case when abs(hashtext(o.id::text)) % 20 = 0 then (s.sub + 5) / 10 else 0 end as disc
      from orders o join sums s on s.order_id = o.id where o.restaurant_id = ${rid})
    update orders o set subtotal_cents = p.sub, discount_cents = p.disc, discount_reason = case when p.disc > 0 then 'bench' end,
      tax_cents = (2 * (p.sub - p.disc) * 875 + 10000) / 20000, total_cents = p.sub - p.disc + (2 * (p.sub - p.disc) * 875 + 10000) / 20000
    from priced p where o.restaurant_id = ${rid} and o.id = p.id`);
  await tx.execute(sql`
    insert into audit_log (restaurant_id, action, actor_user_id, data, created_at)
    select i.restaurant_id, 'order.void', o.created_by, jsonb_build_object('orderId', o.id, 'number', o.number, 'lineId', i.id, 'item', i.name, 'quantity', i.quantity, 'reason', i.void_reason, 'approvedBy', o.created_by), i.voided_at
    from order_items i join orders o on o.restaurant_id = i.restaurant_id and o.id = i.order_id where i.restaurant_id = ${rid} and i.voided_at is not null
    union all
    select o.restaurant_id, 'order.discount', o.created_by, jsonb_build_object('orderId', o.id, 'cents', o.discount_cents, 'reason', 'bench'), o.created_at + interval '10 minutes'
    from orders o where o.restaurant_id = ${rid} and o.discount_cents > 0`);
}
