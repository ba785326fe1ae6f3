/*
 * HTML mail: libxml2's HTML parser (which copes with the tag soup mail
 * clients write) builds the tree; this file walks it twice — once for the
 * text a comment shows, once for a copy that keeps only harmless elements
 * and attributes, so no script, style, event handler, form, frame or
 * remote image (a tracking pixel) reaches an agent's browser.
 */
#include "mail/mail_int.h"
#include "core/buf.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <string.h>
#include <strings.h>

/* HTML beyond this is not parsed (the raw message keeps it). */
#define HTML_MAX (1u << 20)
/* Elements nested deeper than this are flattened. */
#define HTML_DEPTH_MAX 200

static bool name_in(const xmlChar *name, const char *const *list)
{
    for (; *list; list++) {
        if (strcasecmp((const char *)name, *list) == 0) {
            return true;
        }
    }
    return false;
}

/* Elements whose content is never text a person wrote. */
static const char *const dropped[] = {
    "script",   "style",    "head",  "title",    "meta",   "link",     "iframe", "object",
    "embed",    "form",     "input", "button",   "select", "svg",      "math",   "base",
    "template", "noscript", "frame", "frameset", "applet", "textarea", NULL};

static const char *const blocks[] = {
    "p",       "div",     "ul",     "ol",      "li",      "tr",     "table",      "h1",
    "h2",      "h3",      "h4",     "h5",      "h6",      "pre",    "blockquote", "hr",
    "section", "article", "header", "footer",  "address", "center", "dl",         "dt",
    "dd",      "body",    "html",   "caption", "figure",  NULL};

/* ---- text -------------------------------------------------------------- */

struct text_out {
    struct desk_buf b;
    int quote;       /* blockquote depth */
    bool line_start; /* nothing written on this line yet */
    int newlines;    /* newlines owed before the next text */
    bool space;      /* a space is owed before the next word */
    int pre;         /* inside <pre> */
};

static void owe_newlines(struct text_out *t, int n)
{
    if (t->b.len && t->newlines < n) {
        t->newlines = n;
    }
    t->space = false;
}

static void put(struct text_out *t, const char *s, size_t n)
{
    if (!n) {
        return;
    }
    if (t->newlines) {
        for (int i = 0; i < t->newlines; i++) {
            desk_buf_adds(&t->b, "\n");
        }
        t->newlines = 0;
        t->line_start = true;
        t->space = false;
    }
    if (t->line_start) {
        for (int i = 0; i < t->quote; i++) {
            desk_buf_adds(&t->b, "> ");
        }
        t->line_start = false;
    } else if (t->space) {
        desk_buf_adds(&t->b, " ");
    }
    t->space = false;
    desk_buf_add(&t->b, s, n);
}

/* Writes text content: whitespace runs become one space, except in <pre>. */
static void put_text(struct text_out *t, const char *s)
{
    while (*s) {
        if (t->pre) {
            const char *nl = strchr(s, '\n');
            size_t n = nl ? (size_t)(nl - s) : strlen(s);
            put(t, s, n);
            if (!nl) {
                return;
            }
            t->newlines++;
            s = nl + 1;
            continue;
        }
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == '\f') {
            t->space = t->b.len && !t->line_start && !t->newlines;
            s++;
            continue;
        }
        /* U+00A0 (no-break space) is a space too. */
        if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
            t->space = t->b.len && !t->line_start && !t->newlines;
            s += 2;
            continue;
        }
        size_t n = 0;
        while (s[n] && s[n] != ' ' && s[n] != '\n' && s[n] != '\t' && s[n] != '\r' &&
               s[n] != '\f' && !((unsigned char)s[n] == 0xC2 && (unsigned char)s[n + 1] == 0xA0)) {
            n++;
        }
        put(t, s, n);
        s += n;
    }
}

static void walk_text(struct text_out *t, xmlNode *n, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) {
                put_text(t, (const char *)n->content);
            }
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || !n->name || name_in(n->name, dropped)) {
            continue;
        }
        const char *name = (const char *)n->name;
        bool block = name_in(n->name, blocks);
        bool quote = strcasecmp(name, "blockquote") == 0;
        bool pre = strcasecmp(name, "pre") == 0;
        if (strcasecmp(name, "br") == 0) {
            t->newlines++;
            t->space = false;
            continue;
        }
        if (block) {
            owe_newlines(t, strcasecmp(name, "p") == 0 || quote ? 2 : 1);
        }
        if (strcasecmp(name, "hr") == 0) {
            put(t, "----", 4);
            owe_newlines(t, 1);
            continue;
        }
        if (strcasecmp(name, "li") == 0) {
            put(t, "-", 1);
            t->space = true;
        }
        if (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0) {
            t->space = t->b.len && !t->line_start;
        }
        t->quote += quote;
        t->pre += pre;
        if (depth < HTML_DEPTH_MAX) {
            walk_text(t, n->children, depth + 1);
        }
        t->quote -= quote;
        t->pre -= pre;
        if (strcasecmp(name, "a") == 0) {
            xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
            xmlChar *inner = xmlNodeGetContent(n);
            if (href && strncasecmp((const char *)href, "http", 4) == 0 &&
                (!inner || !strstr((const char *)inner, (const char *)href))) {
                t->space = true;
                put(t, "<", 1);
                desk_buf_adds(&t->b, (const char *)href);
                desk_buf_adds(&t->b, ">");
            }
            xmlFree(href);
            xmlFree(inner);
        }
        if (block) {
            owe_newlines(t, strcasecmp(name, "p") == 0 || quote ? 2 : 1);
        }
    }
}

/* ---- sanitized HTML ---------------------------------------------------- */

static const char *const kept[] = {
    "a",     "b",          "i",   "u",     "s",   "em",  "strong", "p",     "br",      "div",
    "span",  "blockquote", "ul",  "ol",    "li",  "pre", "code",   "table", "thead",   "tbody",
    "tfoot", "tr",         "td",  "th",    "h1",  "h2",  "h3",     "h4",    "h5",      "h6",
    "hr",    "sub",        "sup", "small", "img", "dl",  "dt",     "dd",    "caption", NULL};

static const char *const void_elements[] = {"br", "hr", "img", NULL};

static void escape(struct desk_buf *b, const char *s, bool attr)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = *s == '&'           ? "&amp;"
                          : *s == '<'         ? "&lt;"
                          : *s == '>'         ? "&gt;"
                          : attr && *s == '"' ? "&quot;"
                                              : NULL;
        if (rep) {
            desk_buf_add(b, run, (size_t)(s - run));
            desk_buf_adds(b, rep);
            run = s + 1;
        }
    }
    desk_buf_add(b, run, (size_t)(s - run));
}

/* True for an address a link may point to: the web or an email address. */
static bool safe_href(const char *href)
{
    while (*href == ' ' || *href == '\t' || *href == '\n') {
        href++;
    }
    return strncasecmp(href, "http://", 7) == 0 || strncasecmp(href, "https://", 8) == 0 ||
           strncasecmp(href, "mailto:", 7) == 0;
}

static void put_attr(struct desk_buf *b, xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) {
        return;
    }
    bool ok = true;
    if (strcmp(name, "href") == 0) {
        ok = safe_href((const char *)v);
    } else if (strcmp(name, "src") == 0) {
        /* Only images carried in the message itself: remote ones track the reader. */
        ok = strncasecmp((const char *)v, "cid:", 4) == 0;
    } else if (strcmp(name, "colspan") == 0 || strcmp(name, "rowspan") == 0 ||
               strcmp(name, "width") == 0 || strcmp(name, "height") == 0) {
        for (const xmlChar *p = v; *p && ok; p++) {
            ok = *p >= '0' && *p <= '9';
        }
    }
    if (ok) {
        desk_buf_addf(b, " %s=\"", name);
        escape(b, (const char *)v, true);
        desk_buf_adds(b, "\"");
    }
    xmlFree(v);
}

static void walk_clean(struct desk_buf *b, xmlNode *n, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) {
                escape(b, (const char *)n->content, false);
            }
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || !n->name || name_in(n->name, dropped)) {
            continue;
        }
        const char *name = (const char *)n->name;
        bool keep = name_in(n->name, kept);
        if (keep) {
            desk_buf_addf(b, "<%s", name);
            if (strcasecmp(name, "a") == 0) {
                put_attr(b, n, "href");
                desk_buf_adds(b, " rel=\"noopener noreferrer nofollow\"");
            } else if (strcasecmp(name, "img") == 0) {
                put_attr(b, n, "src");
                put_attr(b, n, "alt");
                put_attr(b, n, "width");
                put_attr(b, n, "height");
            } else if (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0) {
                put_attr(b, n, "colspan");
                put_attr(b, n, "rowspan");
            }
            desk_buf_adds(b, ">");
        }
        if (name_in(n->name, void_elements)) {
            continue;
        }
        if (depth < HTML_DEPTH_MAX) {
            walk_clean(b, n->children, depth + 1);
        }
        if (keep) {
            desk_buf_addf(b, "</%s>", name);
        }
    }
}

void mail_html(struct desk_arena *a, const char *html, size_t len, const char **text,
               const char **clean)
{
    mail_lib_init();
    if (len > HTML_MAX) {
        len = HTML_MAX;
    }
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET);
    struct text_out t = {.line_start = true};
    struct desk_buf c;
    desk_buf_init(&t.b, 0);
    desk_buf_init(&c, 0);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (root) {
        walk_text(&t, root, 0);
        walk_clean(&c, root, 0);
    }
    *text = desk_arena_strndup(a, t.b.data ? t.b.data : "", t.b.len);
    *clean = desk_arena_strndup(a, c.data ? c.data : "", c.len);
    desk_buf_release(&t.b);
    desk_buf_release(&c);
    xmlFreeDoc(doc);
}
