// Atelier's page script. Pages work without it; it only adds comfort.
// Loaded as a module from our own origin: the CSP allows no inline script.

document.documentElement.classList.add("js");

// Keep the focus on the main landmark after following the skip link, so
// screen readers and keyboards continue from the content.
const skip = document.querySelector(".skip-link");
if (skip) {
  skip.addEventListener("click", () => {
    const main = document.getElementById("main");
    if (main) main.focus();
  });
}
