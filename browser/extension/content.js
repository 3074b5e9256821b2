/* Per-site number detection: a small call button beside each phone number in the page text.
 *
 * Off unless the rep switched it on for this site in the toolbar popup. The page's text and
 * layout stay as they were: each button lives in a closed shadow root of an empty, zero-width
 * inline element placed after the number (or after the link holding it), and floats over the
 * page. Changes to the page are collected by a MutationObserver and scanned when the browser is
 * idle, in slices, so pages that change constantly stay responsive.
 */
"use strict";

(function () {
  const api = globalThis.browser ?? globalThis.chrome;
  const { findPhoneNumbers } = globalThis.A1Detect;
  const HOST_TAG = "a1dialer-call";
  const SKIPPED = new Set([
    "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "INPUT", "SELECT", "OPTION", "BUTTON",
    "CODE", "PRE", "KBD", "SAMP", "VAR", "SVG", "MATH", "CANVAS", "IFRAME", "OBJECT", "HEAD",
    "TITLE", HOST_TAG.toUpperCase(),
  ]);
  const PHONE_LINK = /^(?:tel|callto|sips?):/i;
  const SLICE_MS = 8; // the longest a scan runs before giving the page its turn

  let enabled = false;
  let observer = null;
  const pending = new Set();
  let scheduled = false;
  // Each text node scanned (and each piece our splits made), with the text it had then: our own
  // splits change a node's text too, and must not make it look new.
  let scanned = new WeakMap();
  let marked = new WeakSet(); // links that already have their button
  let splits = []; // [text node, the piece split off it], to join again when switched off

  function siteKey() {
    return location.origin;
  }

  function skipped(element) {
    for (let node = element; node; node = node.parentElement) {
      if (SKIPPED.has(node.nodeName.toUpperCase())) return true;
      if (node.isContentEditable) return true;
      if (node.getAttribute && node.getAttribute("aria-hidden") === "true") return true;
    }
    return false;
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
      const header = table.tHead ? table.tHead.rows[0] : table.rows[0];
      if (header && header !== row) {
        const labels = Array.from(header.cells, (c) => c.textContent.trim().toLowerCase());
        const column = labels.findIndex((label) =>
          /^(?:name|contact|contact name|full name|customer|lead|person)$/.test(label),
        );
        if (column >= 0 && row.cells[column] && row.cells[column] !== cell) {
          return clean(row.cells[column].textContent);
        }
      }
    }
    const card = element.closest(".vcard, .h-card, [itemtype*='schema.org/Person']");
    if (card) {
      const name = card.querySelector(".fn, .p-name, [itemprop='name']");
      if (name) return clean(name.textContent);
    }
    return "";
  }

  function clean(text) {
    const name = text.replace(/\s+/g, " ").trim();
    return name.length <= 100 ? name : "";
  }

  function makeButton(number, name) {
    const host = document.createElement(HOST_TAG);
    // Zero width, inline: the line's text does not move.
    host.style.cssText =
      "all: initial; display: inline-block; position: relative; width: 0; height: 0; " +
      "vertical-align: baseline;";
    const shadow = host.attachShadow({ mode: "closed" });
    const button = document.createElement("button");
    button.type = "button";
    button.title = api.i18n.getMessage("callNumber", [number]);
    button.setAttribute("aria-label", button.title);
    button.style.cssText =
      "all: initial; position: absolute; left: 1px; bottom: 0.3em; width: 0.95em; " +
      "height: 0.95em; border-radius: 50%; background: #1a7f37; cursor: pointer; " +
      "box-shadow: 0 0 0 1px #fff; z-index: 2147483000; display: block;";
    const icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("style", "width: 70%; height: 70%; margin: 15%; display: block; fill: #fff;");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute(
      "d",
      "M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 " +
        "0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 " +
        "2.45.57 3.57a1 1 0 0 1-.25 1z",
    );
    icon.appendChild(path);
    button.appendChild(icon);
    button.addEventListener("click", (event) => {
      event.preventDefault();
      event.stopPropagation();
      api.runtime.sendMessage({ type: "offer", number, name });
    });
    shadow.appendChild(button);
    return host;
  }

  function scanTextNode(node) {
    if (scanned.get(node) === node.data || !node.isConnected) return;
    scanned.set(node, node.data);
    const parent = node.parentElement;
    if (!parent || skipped(parent)) return;
    const link = linkOf(parent);
    if (link) {
      if (marked.has(link)) return;
      const href = link.getAttribute("href") || "";
      const found = findPhoneNumbers(node.data);
      if (!PHONE_LINK.test(href) && !found.length) return;
      // A button inside a link would follow it: it goes after the link.
      marked.add(link);
      const number = PHONE_LINK.test(href) && !found.length ? decodeLink(href) : found[0].number;
      if (number) link.after(makeButton(number, contactName(link)));
      return;
    }
    const found = findPhoneNumbers(node.data);
    // From the last to the first, so each split leaves the earlier numbers where they were.
    for (let i = found.length - 1; i >= 0; i -= 1) {
      const { end, number } = found[i];
      if (end < node.data.length) {
        const rest = node.splitText(end);
        scanned.set(rest, rest.data);
        splits.push([node, rest]);
      }
      scanned.set(node, node.data);
      node.after(makeButton(number, contactName(parent)));
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
    if (scheduled) return;
    scheduled = true;
    const later = globalThis.requestIdleCallback ?? ((run) => setTimeout(() => run(null), 50));
    later(drain, { timeout: 500 });
  }

  function drain(deadline) {
    scheduled = false;
    const started = performance.now();
    const timeLeft = () =>
      deadline && !deadline.didTimeout ? deadline.timeRemaining() > 1 : performance.now() - started < SLICE_MS;
    for (const root of pending) {
      pending.delete(root);
      if (!enabled) return;
      if (root.nodeType === Node.TEXT_NODE) {
        scanTextNode(root);
      } else if (root.isConnected && !skipped(root)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
          acceptNode: (text) =>
            scanned.get(text) === text.data || !/\d/.test(text.data) ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_ACCEPT,
        });
        const texts = [];
        for (let text = walker.nextNode(); text; text = walker.nextNode()) texts.push(text);
        for (const text of texts) pending.add(text);
      }
      if (!timeLeft()) break;
    }
    if (pending.size && enabled) {
      scheduled = true;
      const later = globalThis.requestIdleCallback ?? ((run) => setTimeout(() => run(null), 50));
      later(drain, { timeout: 500 });
    }
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
