// The texts of a live page. The page hands them over in its own language,
// from the catalogue, as data attributes of <template id="live-strings">:
// data-kind-kans becomes strings.kindKans.

export const strings = document.getElementById("live-strings").dataset;

const cap = (s) => s[0].toUpperCase() + s.slice(1);

// label returns the text for a key of a group: label("kind", "kans").
export const label = (group, key) => strings[group + cap(key)] || key;

// fill puts values into a text's {placeholders}.
export const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
