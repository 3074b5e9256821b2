/* Per-site number detection: a small call button beside each phone number in the page text.
 *
 * Off unless the rep switched it on for this site in the toolbar popup. The page's text and
 * layout stay as they were: each button lives in a closed shadow root of an empty, zero-width
 * inline element placed after the number (or after the link holding it), and floats over the
 * page. Changes to the page are collected by a MutationObserver and read when the browser is
 * idle, in slices; the buttons are then added in a few large batches on animation frames, since
 * each batch makes the browser lay the page out again. Pages that change constantly stay
 * responsive, and a 5,000-row table is done in a couple of seconds.
 */
"use strict";

(function () {
  const api = globalThis.browser ?? globalThis.chrome;
  const { findPhoneNumbers } = globalThis.A1Detect;
  const HOST_TAG = "a1dialer-call";
  // Never inside these: fields, code, editable areas, hidden text, our own buttons. A selector,
  // because closest() needs no style (isContentEditable would lay the page out for each node).
  const SKIPPED = [
    "script", "style", "noscript", "template", "textarea", "input", "select", "option", "button",
    "code", "pre", "kbd", "samp", "var", "svg", "math", "canvas", "iframe", "object", "head",
    "title", HOST_TAG, "[contenteditable]:not([contenteditable='false'])", "[aria-hidden='true']",
  ].join(", ");
  const PHONE_LINK = /^(?:tel|callto|sips?):/i;
  const NAME_HEADERS = /^(?:name|contact|contact name|full name|customer|lead|person)$/;
  const SLICE_MS = 8; // the longest a scan runs when the browser has no idle time to give
  // The longest one batch of buttons takes to add. Each batch also costs a layout of the page
  // (~150 ms for a 5,000-row table on a slow machine), so batches are few and large.
  const PLACE_MS = 40;

  let enabled = false;
  let observer = null;
  const pending = new Set(); // nodes to read
  let jobs = []; // buttons to add: what scanTextNode found
  let scheduled = false;
  // Each text node scanned (and each piece our splits made), with the text it had then: our own
  // splits change a node's text too, and must not make it look new.
  let scanned = new WeakMap();
  let marked = new WeakSet(); // links that already have their button
  const nameColumns = new WeakMap();
  let splits = []; // [text node, the piece split off it], to join again when switched off

  function siteKey() {
    return location.origin;
  }

  function skipped(element) {
    return element.closest(SKIPPED) !== null || document.designMode === "on";
  }

  function linkOf(element) {
    return element.closest ? element.closest("a[href]") : null;
  }

  /* The contact's name when the page makes it clear: the Name column of the number's table
   * row, or the name of the contact card (microformats, schema.org) holding it. */
  function contactName(element) {
    const cell = element.closest("td, th");
    const row = cell && cell.closest("tr");
    const table = row && row.closest("table");
    if (table) {
      const { header, column } = nameColumn(table);
      const named = column >= 0 && row !== header ? row.cells[column] : null;
      if (named && named !== cell) return clean(named.textContent);
    }
    const card = element.closest(".vcard, .h-card, [itemtype*='schema.org/Person']");
    if (card) {
      const name = card.querySelector(".fn, .p-name, [itemprop='name']");
      if (name) return clean(name.textContent);
    }
    return "";
  }

  /* The header row of `table` and the column holding the contact's name (-1: none), read once
   * per table. */
  function nameColumn(table) {
    if (!nameColumns.has(table)) {
      const header = table.tHead ? table.tHead.rows[0] : table.rows[0];
      const labels = header ? Array.from(header.cells, (c) => c.textContent.trim().toLowerCase()) : [];
      const column = labels.findIndex((label) => NAME_HEADERS.test(label));
      nameColumns.set(table, { header, column });
    }
    return nameColumns.get(table);
  }

  function clean(text) {
    const name = text.replace(/\s+/g, " ").trim();
    return name.length <= 100 ? name : "";
  }

  // The phone icon, white on the button's green.
  const ICON =
    "data:image/svg+xml," +
    encodeURIComponent(
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='white'><path d='" +
        "M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 " +
        "0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 " +
        "2.45.57 3.57a1 1 0 0 1-.25 1z'/></svg>",
    );
  // Zero width, inline: the line's text does not move; the button floats just after the number,
  // raised like a superscript. Inline, so no page style can reach in and change it.
  const HOST_STYLE =
    "all: initial; display: inline-block; position: relative; width: 0; height: 0; " +
    "vertical-align: baseline;";
  const BUTTON_CSS =
    "button { all: initial; position: absolute; left: 1px; bottom: 0.3em; width: 0.95em; " +
    "height: 0.95em; border-radius: 50%; cursor: pointer; box-shadow: 0 0 0 1px #fff; " +
    `z-index: 2147483000; display: block; background: #1a7f37 url("${ICON}") center / 70% ` +
    "no-repeat; } button:hover { background-color: #116329; } " +
    "button:focus-visible { outline: 2px solid #0969da; }";
  let buttonSheet = null; // one style sheet shared by every button's shadow root

  function makeButton(number, name) {
    const host = document.createElement(HOST_TAG);
    host.style.cssText = HOST_STYLE;
    const shadow = host.attachShadow({ mode: "closed" });
    if (buttonSheet === null) {
      buttonSheet = new CSSStyleSheet();
      buttonSheet.replaceSync(BUTTON_CSS);
    }
    shadow.adoptedStyleSheets = [buttonSheet];
    const button = document.createElement("button");
    button.type = "button";
    button.title = api.i18n.getMessage("callNumber", [number]);
    button.setAttribute("aria-label", button.title);
    button.addEventListener("click", (event) => {
      event.preventDefault();
      event.stopPropagation();
      // Only the rep's own click: a page's script must not call (the app may dial at once).
      if (!event.isTrusted) return;
      api.runtime.sendMessage({ type: "offer", number, name });
    });
    shadow.appendChild(button);
    return host;
  }

  /* The buttons one text node needs: a job for `place`, or null. Reads the page, changes nothing. */
  function scanTextNode(node) {
    if (scanned.get(node) === node.data || !node.isConnected) return null;
    scanned.set(node, node.data);
    const parent = node.parentElement;
    if (!parent || skipped(parent)) return null;
    const link = linkOf(parent);
    const found = findPhoneNumbers(node.data);
    if (link) {
      if (marked.has(link)) return null;
      const href = link.getAttribute("href") || "";
      if (!PHONE_LINK.test(href) && !found.length) return null;
      // A button inside a link would follow it: it goes after the link.
      marked.add(link);
      // A phone link's own number is the one meant (its text may leave the country code out).
      const number = (PHONE_LINK.test(href) && decodeLink(href)) || (found.length ? found[0].number : "");
      return number ? { node, link, found: [{ end: 0, number }], name: contactName(link) } : null;
    }
    return found.length ? { node, link: null, found, data: node.data, name: contactName(parent) } : null;
  }

  /* Add a job's buttons. */
  function place(job) {
    const { node, link, found, name } = job;
    if (link) {
      if (link.isConnected) link.after(makeButton(found[0].number, name));
      return;
    }
    if (!node.isConnected || node.data !== job.data) {
      queue(node); // the page changed the text since the scan: read it again
      return;
    }
    // From the last to the first, so each split leaves the earlier numbers where they were.
    for (let i = found.length - 1; i >= 0; i -= 1) {
      const { end, number } = found[i];
      if (end < node.data.length) {
        const rest = node.splitText(end);
        scanned.set(rest, rest.data);
        splits.push([node, rest]);
      }
      scanned.set(node, node.data);
      node.after(makeButton(number, name));
    }
  }

  function decodeLink(href) {
    try {
      return decodeURIComponent(href.replace(PHONE_LINK, "").split(/[;?]/)[0]).trim();
    } catch {
      return "";
    }
  }

  function queue(root) {
    pending.add(root);
    schedule();
  }

  /* Reading is done in idle time; the buttons are added on animation frames, as many at a time
   * as fit in a slice. Each batch of buttons makes the browser lay the page out again (a big
   * table entirely), so batches are few and large rather than one per node. */
  function schedule() {
    if (scheduled || !enabled) return;
    scheduled = true;
    if (pending.size) {
      const later = globalThis.requestIdleCallback ?? ((run) => setTimeout(() => run(null), 50));
      later(drain, { timeout: 500 });
    } else if (jobs.length) {
      requestAnimationFrame(placeSome);
    } else {
      scheduled = false;
    }
  }

  function drain(deadline) {
    scheduled = false;
    if (!enabled) return;
    const started = performance.now();
    const timeLeft = () =>
      deadline && !deadline.didTimeout
        ? deadline.timeRemaining() > 1
        : performance.now() - started < SLICE_MS;
    let checked = 0;
    for (const root of pending) {
      pending.delete(root);
      if (root.nodeType === Node.TEXT_NODE) {
        const job = scanTextNode(root);
        if (job) jobs.push(job);
      } else if (root.isConnected && !skipped(root)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
          acceptNode: (text) =>
            scanned.get(text) === text.data || !/\d/.test(text.data)
              ? NodeFilter.FILTER_SKIP
              : NodeFilter.FILTER_ACCEPT,
        });
        for (let text = walker.nextNode(); text; text = walker.nextNode()) pending.add(text);
      }
      // The clock is read every few nodes: reading it costs more than scanning one.
      checked += 1;
      if (checked % 32 === 0 && !timeLeft()) break;
    }
    schedule();
  }

  function placeSome() {
    scheduled = false;
    if (!enabled) return;
    const started = performance.now();
    let placed = 0;
    while (placed < jobs.length && (placed % 64 !== 0 || performance.now() - started < PLACE_MS)) {
      place(jobs[placed]);
      placed += 1;
    }
    jobs = jobs.slice(placed);
    schedule();
  }

  function start() {
    if (enabled) return;
    enabled = true;
    queue(document.body || document.documentElement);
    observer = new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === "characterData") {
          queue(record.target);
          continue;
        }
        for (const node of record.addedNodes) {
          if (node.nodeName.toUpperCase() !== HOST_TAG.toUpperCase()) queue(node);
        }
      }
    });
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  }

  function stop() {
    if (!enabled) return;
    enabled = false;
    observer.disconnect();
    observer = null;
    pending.clear();
    jobs = [];
    for (const host of document.querySelectorAll(HOST_TAG)) host.remove();
    // Join the pieces our splits made (last first), so the page's text nodes are as they were.
    for (const [node, rest] of splits.reverse()) {
      if (node.nextSibling === rest) {
        node.appendData(rest.data);
        rest.remove();
      }
    }
    splits = [];
    scanned = new WeakMap();
    marked = new WeakSet();
  }

  function apply(sites) {
    if (Array.isArray(sites) && sites.includes(siteKey())) start();
    else stop();
  }

  api.storage.local.get("detectSites").then((items) => apply(items.detectSites));
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes.detectSites) apply(changes.detectSites.newValue);
  });

  api.runtime.onMessage.addListener((message, _sender, reply) => {
    if (message && message.type === "selection") {
      reply({ text: String(globalThis.getSelection ? getSelection() : "").trim(), site: siteKey() });
    }
  });
})();
