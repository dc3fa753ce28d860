// Dialogs on the console: real <dialog> elements, opened modally so that
// the keyboard stays inside them and Escape cancels.

// dialogs opens the dialog a [data-open-dialog] button names, and closes
// the one a [data-close-dialog] button is in.
export function dialogs(root) {
  root.addEventListener("click", (e) => {
    const open = e.target.closest("[data-open-dialog]");
    if (open) {
      document.getElementById(open.dataset.openDialog)?.showModal();
      return;
    }
    e.target.closest("[data-close-dialog]")?.closest("dialog")?.close();
  });
}

// confirmDialog asks a question in the page's #confirm-dialog and resolves
// to whether the person chose ok (the button labelled okLabel). Escape, the
// cancel button and closing count as no.
export function confirmDialog(text, okLabel) {
  const dialog = document.getElementById("confirm-dialog");
  if (!dialog) return Promise.resolve(false);
  dialog.querySelector("[data-confirm-text]").textContent = text;
  dialog.querySelector("[data-confirm-ok]").textContent = okLabel;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
}
