// The texts of a live page. The page hands them over in its own language,
// from the catalogue, as data attributes of <template id="live-strings">
// and of any <template data-more-strings> (a page's own texts):
// data-kind-kans becomes strings.kindKans.

export const strings = Object.assign({}, ...[...document.querySelectorAll("#live-strings, template[data-more-strings]")].map((t) => ({ ...t.dataset })));

const cap = (s) => s[0].toUpperCase() + s.slice(1);

// label returns the text for a key of a group: label("kind", "kans").
export const label = (group, key) => strings[group + cap(key)] || key;

// fill puts values into a text's {placeholders}.
export const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));

// The page's plural rules: the same CLDR categories as the catalogue's N
// (i18n/plural.go), which holds a counted text as key.one and key.other.
const rules = new Intl.PluralRules(document.documentElement.lang || "nl");

// plural picks the form of a counted text for n, as the catalogue's N does,
// and fills it with {n} and values: plural("vote", 2) is strings.voteOther
// ("{n} stemmen") with n = 2. A form a language has beyond one and other
// falls back to other.
export function plural(key, n, values = {}) {
  const form = rules.select(n) === "one" ? "One" : "Other";
  return fill(strings[key + form] ?? strings[key + "Other"], { n, ...values });
}
