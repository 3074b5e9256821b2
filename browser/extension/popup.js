/* The toolbar popup: is A1 Dialer there, call the selection, call buttons for this site. */
"use strict";

const api = globalThis.browser ?? globalThis.chrome;
const $ = (id) => document.getElementById(id);
const message = (name, ...values) => api.i18n.getMessage(name, values);

function say(text, problem) {
  $("status").textContent = text;
  $("status").classList.toggle("problem", Boolean(problem));
}

function sayReply(reply) {
  if (reply.ok) say(message("popupOffered"), false);
  else if (reply.missing) say(message("popupMissing"), true);
  else say(message("popupProblem", reply.error || ""), true);
}

async function activeTab() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab;
}

async function main() {
  for (const element of document.querySelectorAll("[data-message]")) {
    element.textContent = message(element.dataset.message);
  }
  const { lastProblem } = await api.storage.session.get("lastProblem");
  const ping = await api.runtime.sendMessage({ type: "ping" });
  if (ping.ok && !lastProblem) say(message("popupReady", ping.version), false);
  else sayReply(ping.ok ? lastProblem : ping);
  await api.storage.session.set({ lastProblem: null });
  await api.action.setBadgeText({ text: "" });

  const tab = await activeTab();
  let page = null;
  try {
    page = tab ? await api.tabs.sendMessage(tab.id, { type: "selection" }) : null;
  } catch {
    page = null; // a browser page, the web store or a page loaded before the extension
  }
  $("number").value = page ? page.text.slice(0, 64) : "";
  $("number").focus();
  $("offer").addEventListener("submit", async (event) => {
    event.preventDefault();
    sayReply(await api.runtime.sendMessage({ type: "offer", number: $("number").value, name: "" }));
  });

  if (!page) {
    $("detect").disabled = true;
    $("detect-label").textContent = message("popupDetectUnavailable");
    return;
  }
  const { detectSites = [] } = await api.storage.local.get("detectSites");
  $("detect").checked = detectSites.includes(page.site);
  $("detect-label").textContent = message("popupDetect", new URL(page.site).host);
  $("detect").addEventListener("change", () =>
    api.runtime.sendMessage({ type: "set-detection", site: page.site, on: $("detect").checked }),
  );
}

main();
