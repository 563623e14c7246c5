// Guest screens (kiosk and a phone at a table): the cart, the item dialog, checkout, live 86 and the
// kiosk's idle reset. The server decides everything that matters (prices, rules, availability); this
// only keeps the screen honest while the guest decides, and sends item ids, option ids and quantities.
(function () {
  "use strict";
  var main = document.querySelector(".guest-main");
  if (!main) return;
  var cart = [];
  var pendingKey = null;
  var currency = main.dataset.currency || "USD";
  var money = function (minor) {
    try { return new Intl.NumberFormat(undefined, { style: "currency", currency: currency }).format(minor / 100); } catch (e) { return (minor / 100).toFixed(2); }
  };
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  // ---- availability (86) flags: rendered with the page, replaced live by public/js/live.js
  var unavailable = { item: {}, option: {} };
  function readFlags() {
    unavailable = { item: {}, option: {} };
    $$("#avail-flags [data-kind]").forEach(function (f) {
      if (f.dataset.available === "false") unavailable[f.dataset.kind][f.dataset.id] = true;
    });
    $$("[data-item-id].guest-item").forEach(function (b) {
      var out = !!unavailable.item[b.dataset.itemId];
      b.disabled = out;
      var desc = b.querySelector(".guest-item-desc");
      if (desc) {
        if (!desc.dataset.text) desc.dataset.text = desc.textContent === "Sold out" ? "" : desc.textContent;
        desc.textContent = out ? "Sold out" : desc.dataset.text;
      }
    });
    $$(".guest-dialog input[data-option-name]").forEach(function (input) {
      var out = !!unavailable.option[input.value];
      input.disabled = out;
      if (out) input.checked = false;
    });
    renderCart();
  }
  document.addEventListener("live:swapped", function (e) {
    if (e.detail && e.detail.element && e.detail.element.closest("#avail-flags")) readFlags();
  });

  function soldOut(line) {
    if (unavailable.item[line.itemId]) return line.name;
    var gone = line.options.filter(function (o) { return unavailable.option[o.id]; });
    return gone.length ? gone.map(function (o) { return o.name; }).join(", ") : null;
  }

  // ---- the cart
  function renderCart() {
    var list = $("[data-cart-lines]");
    if (!list) return;
    list.textContent = "";
    var total = 0;
    cart.forEach(function (line, i) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.className = "guest-line-name";
      name.textContent = line.quantity + " × " + line.name;
      li.appendChild(name);
      var price = document.createElement("span");
      var each = line.price + line.options.reduce(function (s, o) { return s + o.delta; }, 0);
      price.textContent = money(each * line.quantity);
      total += each * line.quantity;
      li.appendChild(price);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "guest-btn";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + line.name);
      remove.addEventListener("click", function () { cart.splice(i, 1); pendingKey = null; renderCart(); });
      li.appendChild(remove);
      if (line.options.length || line.note) {
        var mods = document.createElement("span");
        mods.className = "guest-mods";
        mods.textContent = line.options.map(function (o) { return o.name; }).concat(line.note ? ["Note: " + line.note] : []).join(", ");
        li.appendChild(mods);
      }
      var out = soldOut(line);
      if (out) {
        li.className = "soldout";
        var flag = document.createElement("span");
        flag.className = "guest-soldout";
        flag.textContent = "Sold out: " + out + ". Please remove it.";
        li.appendChild(flag);
      }
      list.appendChild(li);
    });
    var empty = $("[data-cart-empty]");
    if (empty) empty.hidden = cart.length > 0;
    var t = $("[data-cart-total]");
    if (t) t.textContent = cart.length ? money(total) : "";
    var bar = $("[data-cartbar]");
    if (bar) {
      var items = cart.reduce(function (s, l) { return s + l.quantity; }, 0);
      bar.hidden = !items;
      $("[data-cartbar-count]", bar).textContent = items + (items === 1 ? " item · " : " items · ") + money(total);
    }
  }

  // ---- the item dialog: the same min/max rules as the POS (the server checks them again)
  document.addEventListener("click", function (e) {
    var open = e.target.closest && e.target.closest("[data-open-item]");
    if (open && !open.disabled) {
      var dialog = document.getElementById("item-" + open.dataset.openItem);
      if (dialog) {
        var err = $("[data-dialog-error]", dialog);
        if (err) err.textContent = "";
        dialog.showModal();
      }
    }
    var close = e.target.closest && e.target.closest("[data-close-dialog]");
    if (close) close.closest("dialog").close();
  });

  $$("[data-item-form]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var error = $("[data-dialog-error]", form);
      var problem = null;
      $$("fieldset.guest-group", form).forEach(function (g) {
        var n = $$("input:checked", g).length;
        var min = Number(g.dataset.min), max = Number(g.dataset.max);
        if (!problem && n < min) problem = "Choose " + (min === max ? min : "at least " + min) + " for " + g.dataset.groupName + ".";
        if (!problem && n > max) problem = "Choose at most " + max + " for " + g.dataset.groupName + ".";
      });
      var qty = Number($("input[name=quantity]", form).value);
      if (!problem && !(qty >= 1 && qty <= 20 && Math.floor(qty) === qty)) problem = "How many: a whole number from 1 to 20.";
      if (problem) { error.textContent = problem; return; }
      cart.push({
        itemId: form.dataset.itemForm, name: form.dataset.name, price: Number(form.dataset.price), quantity: qty,
        note: $("input[name=note]", form).value.trim(),
        options: $$("input:checked", form).filter(function (i) { return i.dataset.optionName; }).map(function (i) {
          return { id: i.value, name: i.dataset.optionName, delta: Number(i.dataset.delta) };
        }),
      });
      pendingKey = null;
      form.reset();
      form.closest("dialog").close();
      renderCart();
      var status = $("[data-checkout-error]");
      if (status) status.textContent = "";
    });
  });

  // ---- checkout: one idempotency key per cart, reused on a retry or a double tap
  var checkout = $("[data-checkout]");
  var busy = false;
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + "-" + Math.random().toString(36).slice(2, 12);
  }
  if (checkout) checkout.addEventListener("submit", function (e) {
    e.preventDefault();
    var error = $("[data-checkout-error]");
    if (busy) return;
    if (!cart.length) { error.textContent = "Your order is empty: tap an item to add it."; return; }
    var out = cart.map(soldOut).filter(Boolean);
    if (out.length) { error.textContent = "Sold out: " + out.join(", ") + ". Please remove it from your order."; return; }
    if (!pendingKey) pendingKey = newKey();
    var data = new FormData(checkout);
    var body = {
      items: cart.map(function (l) { return { menuItemId: l.itemId, quantity: l.quantity, modifierOptionIds: l.options.map(function (o) { return o.id; }), note: l.note || null }; }),
      name: data.get("name") || null, idempotencyKey: pendingKey, pageToken: main.dataset.pageToken,
    };
    if (data.get("dining")) body.dining = data.get("dining");
    if (data.get("payment")) body.payment = data.get("payment");
    busy = true;
    var button = $("[data-checkout-button]");
    button.disabled = true;
    error.textContent = "";
    if (body.payment !== "card") { send(body, error, button); return; }
    // The card never touches our server: Square's SDK turns it into a one-time token we send instead.
    startCard().then(function (card) { return card.tokenize(); }).then(function (result) {
      if (!result || result.status !== "OK") throw new Error((result && result.errors && result.errors[0] && result.errors[0].message) || "Check the card details and try again.");
      body.sourceId = result.token;
      send(body, error, button);
    }).catch(function (err) {
      error.textContent = "The card was not charged: " + (err && err.message ? err.message : "please try again.");
      busy = false; button.disabled = false;
    });
  });

  // ---- card at the kiosk: Square's card form, shown only while "Pay by card" is chosen
  var cardForm = $("[data-card-form]");
  var cardPromise = null;
  function startCard() {
    if (!cardPromise) {
      cardPromise = Promise.resolve().then(function () {
        if (!window.Square) throw new Error("card payment is not reachable right now. Choose Pay at the counter.");
        return window.Square.payments(cardForm.dataset.appId, cardForm.dataset.locationId).card();
      }).then(function (card) { return card.attach("#card-container").then(function () { return card; }); });
      cardPromise.catch(function () { cardPromise = null; });
    }
    return cardPromise;
  }
  if (checkout && cardForm) checkout.addEventListener("change", function (e) {
    if (!e.target || e.target.name !== "payment") return;
    cardForm.hidden = e.target.value !== "card";
    if (!cardForm.hidden) startCard().catch(function (err) { $("[data-checkout-error]").textContent = err.message; });
  });

  function send(body, error, button) {
    fetch(main.dataset.checkoutUrl, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body), credentials: "same-origin" })
      .then(function (res) { return res.json().then(function (json) { return { ok: res.ok, json: json }; }); })
      .then(function (r) {
        if (r.ok) { location.assign(r.json.url); return; }
        error.textContent = r.json.message || "Your order could not be placed. Please try again.";
        busy = false; button.disabled = false;
      })
      .catch(function () {
        // The network failed: the same key is sent again, so a retry cannot make a second order.
        error.textContent = "No connection. Tap again to retry: you will not be charged or served twice.";
        busy = false; button.disabled = false;
      });
  }

  // ---- kiosk: 60 s without a touch goes back to the start (a fresh menu, or a new order)
  var idle = Number(main.dataset.idleSeconds || 0);
  if (idle > 0) {
    var timer = null;
    var reset = function () {
      if (main.dataset.idleHome) { location.assign(main.dataset.idleHome); return; }
      cart = []; pendingKey = null; renderCart();
      $$("dialog[open]").forEach(function (d) { d.close(); });
      if (checkout) checkout.reset();
      if (cardForm) cardForm.hidden = true;
      var err = $("[data-checkout-error]");
      if (err) err.textContent = "";
      window.scrollTo(0, 0);
    };
    var touch = function () { clearTimeout(timer); timer = setTimeout(reset, idle * 1000); };
    ["pointerdown", "keydown", "input", "scroll"].forEach(function (t) { document.addEventListener(t, touch, { passive: true }); });
    touch();
  }
  readFlags();
})();
