import sanitizeHtml, { type IOptions } from "sanitize-html";

/**
 * What an outreach email's HTML alternative may hold: text markup, tables, links and images,
 * nothing active. The allow-list is sanitize-html's default (text, lists, tables, headings)
 * plus `img`; attributes are named per tag; URLs are http(s), and mailto/tel for links.
 */
const ALLOWED_TAGS = [...sanitizeHtml.defaults.allowedTags, "img"];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ["href", "name", "target", "title"],
  img: ["src", "alt", "title", "width", "height"],
  td: ["colspan", "rowspan", "align", "valign"],
  th: ["colspan", "rowspan", "align", "valign", "scope"],
  table: ["width", "border", "cellpadding", "cellspacing"],
  ol: ["start", "type"],
  "*": ["dir", "lang"],
};
const ALLOWED_SCHEMES = ["http", "https", "mailto", "tel"];
const URL_ATTRIBUTES = ["href", "src", "cite"];

const STRICT: IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesByTag: { img: ["http", "https"] },
  allowedSchemesAppliedToAttributes: URL_ATTRIBUTES,
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
};

/** The same parse and serialisation with nothing removed: what STRICT would emit if it removed nothing. */
const KEEP_ALL: IOptions = {
  allowedTags: false,
  allowedAttributes: false,
  allowedSchemesAppliedToAttributes: [],
  allowVulnerableTags: true,
  disallowedTagsMode: "discard",
};

/** An HTML body accepted (as it will be sent), or what in it is not allowed. */
export type CheckedHtml = { html: string; problem?: undefined } | { html?: undefined; problem: string };

/**
 * Checks an HTML alternative with sanitize-html (a maintained allow-list sanitiser on
 * htmlparser2, which decodes entities and reads tags as a browser would): the body is
 * accepted only when the allow-list removes nothing from it (and every URL is absolute), so what a person reviews is
 * what is sent, never a silently altered copy. Otherwise the problem names what is not
 * allowed (tags, attributes, URL schemes). Comments, doctypes and CDATA are refused
 * outright: the sanitiser drops them, and mail clients act on conditional comments.
 *
 * The accepted HTML is the sanitiser's serialisation of the input (same elements,
 * attributes and text; quoting and entities may be written differently).
 */
export function checkSimpleHtml(html: string): CheckedHtml {
  if (/<!|<\?/.test(html))
    return { problem: "no comments, doctype, CDATA or processing instructions (<!…>, <?…>)" };
  const found = new Set<string>();
  const strict = sanitizeHtml(html, {
    ...STRICT,
    onOpenTag: (name, attribs) => {
      const tag = name.toLowerCase();
      if (!ALLOWED_TAGS.includes(tag)) found.add(`<${tag}>`);
      const allowed = [...(ALLOWED_ATTRIBUTES[tag] ?? []), ...(ALLOWED_ATTRIBUTES["*"] ?? [])];
      for (const [attribute, value] of Object.entries(attribs)) {
        const a = attribute.toLowerCase();
        if (!allowed.includes(a))
          found.add(/^on/.test(a) ? `event handler ${a}` : `attribute ${a} on <${tag}>`);
        else if (URL_ATTRIBUTES.includes(a)) {
          const scheme = schemeOf(value);
          const schemes = tag === "img" ? ["http", "https"] : ALLOWED_SCHEMES;
          // A mail has no base URL: a relative one leads nowhere (`src=x/onerror=…` is one).
          if (scheme === undefined && !(a === "href" && value.startsWith("#")))
            found.add(`relative URL in ${a} (give an absolute http(s) URL)`);
          else if (scheme === "//") found.add(`protocol-relative URL in ${a}`);
          else if (scheme !== undefined && !schemes.includes(scheme)) found.add(`${scheme}: URL in ${a}`);
        }
      }
    },
  });
  const kept = sanitizeHtml(html, KEEP_ALL);
  if (strict === kept && found.size === 0) return { html: strict };
  const what = [...found].slice(0, 10).join(", ");
  return {
    problem: `simple HTML only (text markup, tables, links, images); not allowed: ${what || "content the sanitiser removes"}`,
  };
}

/** The scheme of a URL as a browser reads it (control characters and whitespace ignored), `//` when protocol-relative, or undefined when relative. */
function schemeOf(url: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers skip them inside a scheme
  const compact = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  if (compact.startsWith("//")) return "//";
  return /^([a-z][a-z0-9+.-]*):/.exec(compact)?.[1];
}
