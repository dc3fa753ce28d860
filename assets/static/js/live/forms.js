// The phone's forms: a note, and an interview excerpt (professionals only).
// Before sending, the privacy guard looks at the text (the server's own
// guard, so warning and removal agree); if it finds something, or a word
// that looks like a name (names are never removed), the author chooses to
// change the text or send it as it is, knowing what will be removed.
// Offline, the check is skipped: the server removes what it must anyway and
// says so in its answer.

import { fill, strings } from "./strings.js";

// noteForm sends a new note.
export function noteForm(room) {
  const form = room.root.querySelector("[data-live-form]");
  if (!form) return;
  const textarea = form.querySelector("textarea");
  const updateCount = counter(textarea, form.querySelector("[data-live-count]"), 500);
  guarded(form, textarea, (text) => {
    const data = new FormData(form);
    room.queue("note.create", { cluster: data.get("cluster"), kind: data.get("kind"), text });
    textarea.value = "";
    updateCount();
    if (room.notice) room.notice.hidden = true;
    textarea.focus();
  });
}

// excerptForm sends an interview excerpt. Only a professional's page has
// the form.
export function excerptForm(room) {
  const form = room.root.querySelector("[data-live-excerpt-form]");
  if (!form) return;
  const textarea = form.querySelector("textarea");
  const updateCount = counter(textarea, form.querySelector("[data-live-count]"), 2000);
  tagSuggestions(room, form.querySelector("input[name=tags]"), form.querySelector("[data-live-tag-list]"));
  guarded(form, textarea, (text) => {
    const data = new FormData(form);
    const tags = String(data.get("tags") || "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean)
      .slice(0, 8);
    room.queue("excerpt.create", { cluster: data.get("cluster"), source: data.get("source"), text, tags });
    form.reset();
    updateCount();
    const sel = form.querySelector("select[name=cluster]");
    const session = room.state.session;
    if (sel && session && session.focus) sel.value = session.focus;
    const sent = form.querySelector("[data-live-excerpt-notice]");
    sent.textContent = strings.excerptSent;
    sent.hidden = false;
  });
}

// tagSuggestions offers the session's tags, most used first, in the tag
// field's datalist. The field holds several tags separated by commas, and
// a datalist completes the whole value: each suggestion is what is typed
// so far up to the last comma, with one tag not yet chosen after it.
function tagSuggestions(room, input, list) {
  if (!input || !list) return;
  const update = () => {
    const counts = new Map();
    for (const x of room.state.excerpts.values()) for (const t of x.tags) counts.set(t, (counts.get(t) || 0) + 1);
    const typed = input.value;
    const cut = typed.lastIndexOf(",");
    const prefix = cut >= 0 ? typed.slice(0, cut + 1).trimEnd() + " " : "";
    const chosen = new Set(prefix.split(",").map((t) => t.trim().toLowerCase()));
    const tags = [...counts.keys()].filter((t) => !chosen.has(t.toLowerCase())).sort((a, b) => counts.get(b) - counts.get(a) || a.localeCompare(b));
    list.replaceChildren(
      ...tags.slice(0, 20).map((t) => {
        const o = document.createElement("option");
        o.value = prefix + t;
        return o;
      }),
    );
  };
  input.addEventListener("focus", update);
  input.addEventListener("input", update);
}

async function privacyCheck(text) {
  try {
    const res = await fetch("/api/privacy-check", {
      method: "POST",
      credentials: "same-origin",
      referrerPolicy: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(2500),
    });
    if (res.ok) return await res.json();
  } catch {
    // Offline or slow: send; the server's guard still applies.
  }
  return null;
}

// guarded calls submit with the form's text once the privacy guard found
// nothing, or the author chose to send it anyway.
function guarded(formEl, textarea, submit) {
  const warning = formEl.querySelector("[data-live-privacy-warning]");
  const message = warning?.querySelector("[data-live-privacy-message]");
  let approved = null; // the text the author chose to send as it is
  formEl.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = textarea.value.trim();
    if (!text) {
      textarea.focus();
      return;
    }
    if (warning && approved !== text) {
      const verdict = await privacyCheck(text);
      if (verdict && (verdict.removed.length || verdict.names?.length)) {
        message.textContent = verdict.message;
        warning.hidden = false;
        warning.querySelector("[data-live-send-anyway]").focus();
        approved = null;
        return;
      }
    }
    if (warning) warning.hidden = true;
    approved = null;
    submit(text);
  });
  warning?.querySelector("[data-live-send-anyway]").addEventListener("click", () => {
    approved = textarea.value.trim();
    formEl.requestSubmit();
  });
  warning?.querySelector("[data-live-change]").addEventListener("click", () => {
    warning.hidden = true;
    textarea.focus();
  });
  textarea.addEventListener("input", () => warning && (warning.hidden = true));
}

// counter keeps out saying how many characters are left; it returns the
// function that updates it.
function counter(textarea, out, max) {
  const update = () => (out.textContent = fill(strings.charsLeft, { n: max - [...textarea.value].length }));
  textarea.addEventListener("input", update);
  update();
  return update;
}
