// Fitting the wall's cards to the projector. Nothing may be cut: a card
// shows its whole text, and no word is broken inside (the browser may
// hyphenate Dutch where its dictionary allows, nothing more). So the wall
// tries its card sizes from large to small, with as few columns as fit,
// and takes the first layout in which every card and the whole stage fit.
// A card with a word too long for its column gets a smaller text of its
// own, down to the same minimum. When even the smallest readable size does
// not fit, the wall leaves cards out from the end of each list (the oldest
// notes, the lowest ranks) and says how many: "+12 meer".

// Card sizes, as factors of the wall's own font size (which follows the
// width of the screen). The last is the smallest that stays readable from
// the back of a room.
const sizes = [1.3, 1.15, 1, 0.9, 0.8, 0.72];
const smallest = sizes[sizes.length - 1];
const mostColumns = 6;

// fit lays out stage. Lists are the elements [data-fit-list] in it, each
// with its cards ([data-fit-card]); a list with data-fit-columns flows its
// cards into columns, as many as fit chooses. more(n) makes the "+n meer"
// item. fit returns how many cards it left out.
export function fit(stage, more) {
  const lists = [...stage.querySelectorAll("[data-fit-list]")];
  const flows = lists.filter((l) => l.hasAttribute("data-fit-columns"));
  const cards = [...stage.querySelectorAll("[data-fit-card]")];
  const most = flows.length ? Math.max(1, Math.min(mostColumns, ...flows.map((f) => f.querySelectorAll("[data-fit-card]").length))) : 1;
  // As many columns as leave a card about 16 of its letters wide ("em"),
  // some 30 characters a line, in each list that flows into columns.
  const base = Number.parseFloat(getComputedStyle(stage).fontSize);
  const widths = flows.map((f) => f.clientWidth);
  const columnsFor = (f, size) => Math.max(1, Math.min(most, Math.floor((widths[flows.indexOf(f)] + 12) / (16 * base * size + 12))));

  const apply = (size, fewer = 0) => {
    stage.style.setProperty("--card-size", String(size));
    for (const f of flows) f.style.setProperty("--fit-columns", String(Math.max(1, columnsFor(f, size) - fewer)));
    shrinkWide(cards, size);
  };
  const fits = () => stage.scrollHeight <= stage.clientHeight + 1 && stage.scrollWidth <= stage.clientWidth + 1 && cards.every(cardFits);

  // From the largest size down, one layout each, so that fitting stays
  // quick while notes pour in; a stage far too full skips sizes that
  // cannot fit (the space cards take grows with the square of their size).
  for (let i = 0; i < sizes.length; i++) {
    apply(sizes[i]);
    if (fits()) {
      stage.dataset.fitSize = String(sizes[i]);
      return 0;
    }
    const need = sizes[i] * Math.sqrt(stage.clientHeight / Math.max(1, stage.scrollHeight));
    while (i + 1 < sizes.length - 1 && sizes[i + 1] > need * 1.05) i++;
  }

  // The smallest size does not fit: fewer columns while a card is still
  // too narrow for a word, then leave cards out until the rest fits.
  let fewer = 0;
  apply(smallest);
  while (fewer < mostColumns && !cards.every(fitsAcross)) apply(smallest, ++fewer);
  stage.dataset.fitSize = String(smallest);
  const bottom = stage.getBoundingClientRect().bottom;
  const over = (list) => list.getBoundingClientRect().bottom > bottom + 1 || stage.scrollWidth > stage.clientWidth + 1;
  let left = 0;
  for (const list of lists) {
    const items = [...list.querySelectorAll(":scope > [data-fit-card]")];
    if (!over(list)) continue;
    // Binary search for the most cards that fit with the "+n meer" item.
    let lo = 0;
    let hi = items.length;
    let marker = null;
    const showK = (k) => {
      items.forEach((it, i) => (it.hidden = i >= k));
      const m = more(items.length - k);
      m.dataset.fitMore = "";
      if (marker) marker.replaceWith(m);
      else list.append(m);
      marker = m;
    };
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      showK(mid);
      if (over(list)) hi = mid - 1;
      else lo = mid;
    }
    showK(lo);
    for (const it of items.slice(lo)) it.remove();
    left += items.length - lo;
  }
  return left;
}

// shrinkWide gives a card whose text is wider than its column (a long
// word) a smaller text of its own, step by step, down to the smallest
// size.
function shrinkWide(cards, size) {
  for (const c of cards) c.style.removeProperty("--card-size");
  let wide = cards.filter((c) => !fitsAcross(c));
  for (const s of sizes.filter((x) => x < size)) {
    if (!wide.length) return;
    for (const c of wide) c.style.setProperty("--card-size", String(s));
    wide = wide.filter((c) => !fitsAcross(c));
  }
}

function fitsAcross(card) {
  if (card.scrollWidth > card.clientWidth + 1) return false;
  for (const t of card.querySelectorAll(".note__text, .excerpt__text")) if (t.scrollWidth > t.clientWidth + 1) return false;
  return true;
}

// cardFits reports whether a card shows all of its content: nothing sticks
// out at the bottom or on the right (a word too long for its width).
function cardFits(card) {
  return card.scrollHeight <= card.clientHeight + 1 && fitsAcross(card);
}
