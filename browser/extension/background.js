/* The extension's background: the context menu, and the one way numbers reach A1 Dialer. */
"use strict";

const api = globalThis.browser ?? globalThis.chrome;
const HOST = "com.a1dialer.native";
const PHONE_LINK = /^(?:tel|callto|sips?):/i;

/* The native host's answer to `message`; {ok: false, missing: true} when the browser cannot
 * start the host (A1 Dialer or its browser helper is not installed). */
async function ask(message) {
  try {
    const reply = await api.runtime.sendNativeMessage(HOST, message);
    return reply && typeof reply === "object" ? reply : { ok: false, error: String(reply) };
  } catch (problem) {
    return { ok: false, missing: true, error: String(problem && problem.message ? problem.message : problem) };
  }
}

/* Hand `number` (and the contact's `name`) to A1 Dialer, which asks or dials as the rep set it. */
async function offer(number, name) {
  // A selection across lines or table cells comes with newlines and tabs: one space each.
  const text = String(number || "").replace(/\s+/g, " ").trim();
  if (!text) return { ok: false, error: api.i18n.getMessage("nothingSelected") };
  const contact = String(name || "").replace(/\s+/g, " ").trim().slice(0, 256);
  const reply = await ask({ type: "offer", number: text.slice(0, 256), name: contact, dial: false });
  // A failed offer from the menu or a page button has nowhere else to show: the toolbar badge
  // marks it and the popup says what went wrong.
  await api.storage.session.set({ lastProblem: reply.ok ? null : reply });
  await api.action.setBadgeText({ text: reply.ok ? "" : "!" });
  if (!reply.ok) await api.action.setBadgeBackgroundColor({ color: "#b3261e" });
  return reply;
}

function numberOfLink(url) {
  try {
    return decodeURIComponent(url.replace(PHONE_LINK, "").split(/[;?]/)[0]).trim();
  } catch {
    return "";
  }
}

/* Detection is per site: the list of origins the rep switched it on for. */
async function setDetection(site, on) {
  const { detectSites = [] } = await api.storage.local.get("detectSites");
  const others = detectSites.filter((known) => known !== site);
  await api.storage.local.set({ detectSites: on ? [...others, site] : others });
}

async function createMenus() {
  await api.contextMenus.removeAll();
  api.contextMenus.create({
    id: "call-selection",
    title: api.i18n.getMessage("menuCall"),
    contexts: ["selection"],
  });
  try {
    api.contextMenus.create({
      id: "call-link",
      title: api.i18n.getMessage("menuCall"),
      contexts: ["link"],
      targetUrlPatterns: ["tel:*", "callto:*", "sip:*", "sips:*"],
    });
  } catch {
    // A browser that takes no such link patterns: the item would show on every link, so phone
    // links are called by selecting their text instead.
  }
}

api.runtime.onInstalled.addListener(createMenus);
api.runtime.onStartup.addListener(createMenus);

api.contextMenus.onClicked.addListener((info) => {
  if (info.menuItemId === "call-link" && info.linkUrl && PHONE_LINK.test(info.linkUrl)) {
    offer(numberOfLink(info.linkUrl), "");
  } else if (info.menuItemId === "call-selection") {
    offer(info.selectionText, "");
  }
});

api.runtime.onMessage.addListener((message, sender, reply) => {
  if (!message || typeof message !== "object") return false;
  // Page buttons may only offer; the popup (one of our own pages) may also ask and switch.
  const fromExtensionPage =
    sender.id === api.runtime.id && String(sender.url || "").startsWith(api.runtime.getURL(""));
  if (message.type === "offer") {
    offer(message.number, message.name).then(reply);
    return true;
  }
  if (!fromExtensionPage) return false;
  if (message.type === "ping") {
    ask({ type: "ping" }).then(reply);
    return true;
  }
  if (message.type === "set-detection") {
    setDetection(String(message.site), Boolean(message.on)).then(() => reply({ ok: true }));
    return true;
  }
  return false;
});

globalThis.a1dialer = { offer, setDetection, ask };
