// The steward's review page: search the per-figure table, and open or
// close every cluster at once. Without scripts the page works as it is:
// every cluster is a <details> to open by hand, and the tools stay hidden.

const tools = document.querySelector("[data-review-tools]");
const groups = [...document.querySelectorAll("[data-review-group]")];
const search = document.querySelector("[data-review-search]");
const count = document.querySelector("[data-review-count]");

if (tools && search) {
  tools.hidden = false;
  let timer = 0;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(filter, 150);
  });
  document.querySelector("[data-review-open]").addEventListener("click", () => groups.forEach((g) => (g.open = true)));
  document.querySelector("[data-review-close]").addEventListener("click", () => groups.forEach((g) => (g.open = false)));
}

// filter shows the rows whose text holds every word typed, opens the
// clusters that have one and closes the others; an empty search shows all.
function filter() {
  const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
  let found = 0;
  for (const g of groups) {
    let here = 0;
    for (const row of g.querySelectorAll("tr[data-search]")) {
      const hit = words.every((w) => row.dataset.search.includes(w));
      row.hidden = !hit;
      if (hit) here++;
    }
    found += here;
    g.hidden = words.length > 0 && here === 0;
    g.open = words.length > 0 && here > 0;
  }
  count.textContent = words.length ? count.dataset.template.replace("{n}", found.toLocaleString(document.documentElement.lang)) : "";
}
