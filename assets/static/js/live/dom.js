// Small DOM helpers. Texts from people are set as text, never as HTML.

// el makes an element with a class and a text.
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text; // text, never HTML
  return e;
}

// button makes a small quiet button. action names it, so that the focus can
// come back to it after its note is redrawn.
export function button(text, action, onClick) {
  const b = el("button", `button button--quiet button--small button--${action}`, text);
  b.type = "button";
  b.dataset.action = action;
  b.addEventListener("click", onClick);
  return b;
}
