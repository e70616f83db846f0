// The page's language for the browser modules: Django's JavaScript catalogue
// (/jsi18n/, a script of this origin loaded before the modules) defines
// `django.gettext` and friends; without it, strings stay English.

const catalog = globalThis.django;

export function gettext(text) {
  return catalog ? catalog.gettext(text) : text;
}

export function pgettext(context, text) {
  return catalog ? catalog.pgettext(context, text) : text;
}

export function ngettext(singular, plural, count) {
  if (catalog) return catalog.ngettext(singular, plural, count);
  return count === 1 ? singular : plural;
}

// "%(name)s" placeholders filled from an object, as Django's interpolate(fmt, obj, true).
export function interpolate(format, values) {
  return format
    .replace(/%\((\w+)\)s/g, (match, name) => (name in values ? String(values[name]) : match))
    .replaceAll("%%", "%");
}
