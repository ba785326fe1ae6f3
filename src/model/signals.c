/*
 * Sentiment, abuse and supervisor-request detection (signals.h). The text
 * is split into words by ICU's word break iterator; each word is folded by
 * an ICU transliterator (NFD, combining marks removed, Latin-ASCII) and
 * case-folded, then the lexicon (signals_lex.c) is matched on the folded
 * words. Sentiment follows VADER's rules (Hutto & Gilbert, ICWSM 2014):
 * valences summed with negation, intensifiers, capitals and exclamation
 * marks, normalized to -1 … 1; anger markers, shouting and repeated
 * exclamation marks count as arousal, which separates irate from merely
 * negative. A supervisor request is a supervisor noun reached from a
 * request frame over connecting words only ("chci mluvit s vaším
 * vedoucím"), never one the customer owns ("můj vedoucí mi řekl").
 */
#include "model/signals.h"
#include "core/error.h"
#include "model/signals_lex.h"
#include "model/signals_model.h"

#include <math.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#define MAX_TOKENS    4096
#define MAX_PAT_WORDS 8
#define TOKEN_MAX     64 /* UTF-16 units of one word we fold; longer words are skipped */

/* ---- the compiled lexicon ------------------------------------------------ */

struct pat {
    const struct desk_lex *e;
    size_t n;
    const char *w[MAX_PAT_WORDS];
    unsigned char len[MAX_PAT_WORDS];
    bool prefix[MAX_PAT_WORDS];
    char buf[96];
};

static struct pat *pats;
/* Entries by the first two letters of their first word ([c][26]: one-letter words). */
#define N_BUCKETS (27 * 27)
static size_t *bucket_idx[N_BUCKETS];
static size_t bucket_n[N_BUCKETS];
static UTransliterator *translit;
static pthread_mutex_t translit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static bool init_ok;

static int letter(char c)
{
    return c >= 'a' && c <= 'z' ? c - 'a' : 26;
}

static int bucket_of(const char *w, size_t len)
{
    return letter(w[0]) * 27 + (len >= 2 ? letter(w[1]) : 26);
}

/*
 * The transliterator, opened on first need (translit_lock held): opening
 * it builds ICU's whole transliterator registry, tens of milliseconds a
 * process spends for nothing when every word folds the fast way. NULL
 * when ICU cannot open it.
 */
static UTransliterator *transliterator(void)
{
    static bool tried;
    if (!tried) {
        static const char rules[] = "NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII";
        UChar id[64];
        UErrorCode err = U_ZERO_ERROR;
        tried = true;
        u_uastrcpy(id, rules);
        translit = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
        if (U_FAILURE(err)) {
            translit = NULL;
        }
    }
    return translit;
}

#define MAX_PATS 6144

static void compile(void)
{
    static struct pat storage[MAX_PATS];
    if (n_desk_lex > sizeof(storage) / sizeof(storage[0])) {
        return;
    }
    pats = storage;
    for (size_t i = 0; i < n_desk_lex; i++) {
        struct pat *p = &pats[i];
        p->e = &desk_lex[i];
        size_t l = strlen(p->e->pat);
        if (l >= sizeof(p->buf)) {
            return;
        }
        memcpy(p->buf, p->e->pat, l + 1);
        char *s = p->buf;
        for (;;) {
            char *sp = strchr(s, ' ');
            if (sp) {
                *sp = '\0';
            }
            size_t wl = strlen(s);
            if (wl && s[wl - 1] == '*') {
                p->prefix[p->n] = true;
                s[--wl] = '\0';
            }
            p->w[p->n] = s;
            p->len[p->n] = (unsigned char)wl;
            p->n++;
            if (!sp || p->n == MAX_PAT_WORDS) {
                break;
            }
            s = sp + 1;
        }
        bucket_n[bucket_of(p->w[0], p->len[0])]++;
    }
    static size_t idx[MAX_PATS];
    size_t off = 0;
    for (int b = 0; b < N_BUCKETS; b++) {
        bucket_idx[b] = idx + off;
        off += bucket_n[b];
        bucket_n[b] = 0;
    }
    for (size_t i = 0; i < n_desk_lex; i++) {
        int b = bucket_of(pats[i].w[0], pats[i].len[0]);
        bucket_idx[b][bucket_n[b]++] = i;
    }
    init_ok = true;
}

/* ---- names ------------------------------------------------------------- */

static const char *const mood_names[] = {"calm", "negative", "irate"};

const char *desk_mood_name(int mood)
{
    return mood >= 0 && mood < 3 ? mood_names[mood] : NULL;
}

int desk_mood_parse(const char *s, int *out)
{
    for (int i = 0; s && i < 3; i++) {
        if (strcasecmp(s, mood_names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return DESK_EINVAL;
}

/* ---- tokens ------------------------------------------------------------ */

struct tok {
    const char *f; /* folded, NUL-terminated (arena) */
    size_t flen;
    int32_t u_start, u_end; /* in the UTF-16 text */
    bool caps;              /* written in capitals (two letters or more, all upper case) */
    bool bos;               /* a sentence boundary comes before it */
    bool clause;            /* a sentence or clause boundary (comma, colon, dash) comes before it */
    int letters;
};

struct text {
    struct desk_arena *a;
    UChar *u;
    int32_t ulen;
    struct tok *t;
    size_t n;
    int excl;
    bool marks_run; /* "??", "?!", "!?": a question asked in exasperation */
};

static bool clause_char(UChar c)
{
    return c == ',' || c == ':' || c == 0x2013 || c == 0x2014 || c == '(' || c == ')' ||
           c == 0x3001 || c == 0xFF0C;
}

static bool boundary_char(UChar c)
{
    return c == '.' || c == '!' || c == '?' || c == ';' || c == '\n' || c == 0xA1 || c == 0xBF ||
           c == 0x2026;
}

/* Latin letters without a canonical decomposition, folded as Latin-ASCII would. */
static const char *latin_extra(UChar c)
{
    switch (c) {
    case 0x0141: /* Ł */
    case 0x0142: /* ł */
    case 0x0140: /* ŀ */
        return "l";
    case 0x00D8: /* Ø */
    case 0x00F8: /* ø */
        return "o";
    case 0x0110: /* Đ */
    case 0x0111: /* đ */
    case 0x00D0: /* Ð */
    case 0x00F0: /* ð */
        return "d";
    case 0x00DF: /* ß */
        return "ss";
    case 0x00C6: /* Æ */
    case 0x00E6: /* æ */
        return "ae";
    case 0x0152: /* Œ */
    case 0x0153: /* œ */
        return "oe";
    case 0x0131: /* ı */
        return "i";
    case 0x0126: /* Ħ */
    case 0x0127: /* ħ */
        return "h";
    case 0x0166: /* Ŧ */
    case 0x0167: /* ŧ */
        return "t";
    case 0x00DE: /* Þ */
    case 0x00FE: /* þ */
        return "th";
    case 0x2018:
    case 0x2019: /* typographic apostrophes: "don’t" is "don't" */
        return "'";
    default:
        return NULL;
    }
}

/*
 * The common case without the transliterator: canonical decomposition
 * (unorm2), combining marks dropped, the few Latin letters that do not
 * decompose mapped, ASCII lower-cased. Returns NULL when something else
 * is left (another script, a ligature, a full-width letter): the caller
 * then uses the transliterator.
 */
static char *fold_fast(struct desk_arena *a, const UChar *u, int32_t n, size_t *out_len)
{
    UChar nfd[TOKEN_MAX * 4];
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = n;
    const UChar *src = u;
    bool ascii = true;
    for (int32_t i = 0; i < n && ascii; i++) {
        ascii = u[i] < 0x80;
    }
    if (!ascii) {
        const UNormalizer2 *nf = unorm2_getNFDInstance(&err);
        len = U_SUCCESS(err) ? unorm2_normalize(nf, u, n, nfd, TOKEN_MAX * 4, &err) : 0;
        if (U_FAILURE(err)) {
            return NULL;
        }
        src = nfd;
    }
    char *s = desk_arena_alloc(a, (size_t)len * 2 + 1), *p = s;
    for (int32_t i = 0; i < len; i++) {
        UChar c = src[i];
        if (c < 0x80) {
            *p++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else if (u_charType(c) == U_NON_SPACING_MARK) {
            continue;
        } else {
            const char *x = latin_extra(c);
            if (!x) {
                return NULL;
            }
            while (*x) {
                *p++ = *x++;
            }
        }
    }
    *p = '\0';
    *out_len = (size_t)(p - s);
    return s;
}

/* Folds u[0..n) into UTF-8 in the arena. The transliterator needs translit_lock. */
static char *fold_word(struct desk_arena *a, const UChar *u, int32_t n, size_t *out_len)
{
    char *fast = fold_fast(a, u, n, out_len);
    if (fast) {
        return fast;
    }
    UChar buf[TOKEN_MAX * 4], folded[TOKEN_MAX * 4];
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = n, limit = n;
    memcpy(buf, u, (size_t)n * sizeof(UChar));
    pthread_mutex_lock(&translit_lock);
    UTransliterator *t = transliterator();
    if (t) {
        utrans_transUChars(t, buf, &len, (int32_t)(sizeof(buf) / sizeof(buf[0])), 0, &limit, &err);
    }
    pthread_mutex_unlock(&translit_lock);
    if (!t) {
        return NULL;
    }
    if (U_FAILURE(err)) {
        return NULL;
    }
    int32_t fl = u_strFoldCase(folded, (int32_t)(sizeof(folded) / sizeof(folded[0])), buf, len,
                               U_FOLD_CASE_DEFAULT, &err);
    if (U_FAILURE(err)) {
        return NULL;
    }
    for (int32_t i = 0; i < fl; i++) {
        if (folded[i] == 0x2019 || folded[i] == 0x2018) {
            folded[i] = '\'';
        }
    }
    int32_t need = 0;
    err = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &need, folded, fl, &err);
    err = U_ZERO_ERROR;
    char *s = desk_arena_alloc(a, (size_t)need + 1);
    u_strToUTF8(s, need + 1, NULL, folded, fl, &err);
    if (U_FAILURE(err)) {
        return NULL;
    }
    *out_len = (size_t)need;
    return s;
}

static int tokenize(struct text *x, const char *text, size_t len)
{
    UErrorCode err = U_ZERO_ERROR;
    /* UTF-16 never needs more units than UTF-8 has bytes: one pass, no preflight. */
    x->u = desk_arena_alloc(x->a, (len + 1) * sizeof(UChar));
    u_strFromUTF8WithSub(x->u, (int32_t)len + 1, &x->ulen, text, (int32_t)len, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) {
        return DESK_EINTERNAL;
    }
    for (int32_t i = 0; i < x->ulen; i++) {
        x->excl += x->u[i] == '!';
        x->marks_run |= i > 0 && (x->u[i] == '?' || x->u[i] == '!') &&
                        (x->u[i - 1] == '?' || x->u[i - 1] == '!') &&
                        x->u[i] + x->u[i - 1] != 2 * '!';
    }
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "en", x->u, x->ulen, &err);
    if (U_FAILURE(err)) {
        return DESK_EINTERNAL;
    }
    size_t cap = 64;
    x->t = desk_arena_alloc(x->a, cap * sizeof(*x->t));
    int32_t prev_end = 0;
    int rc = 0;
    for (int32_t s = ubrk_first(bi), e = ubrk_next(bi); e != UBRK_DONE && x->n < MAX_TOKENS;
         s = e, e = ubrk_next(bi)) {
        if (ubrk_getRuleStatus(bi) == UBRK_WORD_NONE || e - s > TOKEN_MAX) {
            continue;
        }
        if (x->n == cap) {
            struct tok *grown = desk_arena_alloc(x->a, 2 * cap * sizeof(*grown));
            memcpy(grown, x->t, cap * sizeof(*grown));
            x->t = grown;
            cap *= 2;
        }
        struct tok *t = &x->t[x->n];
        memset(t, 0, sizeof(*t));
        t->u_start = s;
        t->u_end = e;
        t->bos = x->n == 0;
        for (int32_t i = prev_end; i < s && !t->bos; i++) {
            t->bos = boundary_char(x->u[i]);
            t->clause |= clause_char(x->u[i]);
        }
        t->clause |= t->bos;
        int upper = 0;
        for (int32_t i = s; i < e; i++) {
            if (u_isalpha(x->u[i])) {
                t->letters++;
                upper += u_isupper(x->u[i]) != 0;
            }
        }
        t->caps = t->letters >= 2 && upper == t->letters;
        t->f = fold_word(x->a, x->u + s, e - s, &t->flen);
        if (!t->f) {
            rc = DESK_EINTERNAL;
            break;
        }
        prev_end = e;
        x->n++;
    }
    ubrk_close(bi);
    return rc;
}

/* ---- matching ---------------------------------------------------------- */

/* Number of tokens p matches starting at k, or 0 (defined below). */
static size_t match_at(const struct text *x, const struct pat *p, size_t k);

/*
 * A full stop right after an abbreviation ("np.", "e.g.", "např.", "p. ej.")
 * ends no sentence: the next word keeps its sentence.
 */
static void unabbreviate(struct text *x)
{
    for (size_t k = 0; k + 1 < x->n; k++) {
        if (!x->t[k + 1].bos || x->t[k].flen > 5) {
            continue;
        }
        bool only_stop = true;
        for (int32_t i = x->t[k].u_end; i < x->t[k + 1].u_start; i++) {
            UChar c = x->u[i];
            only_stop &= c == '.' || c == ' ';
        }
        if (!only_stop) {
            continue;
        }
        int b = bucket_of(x->t[k].f, x->t[k].flen);
        for (size_t j = 0; j < bucket_n[b]; j++) {
            const struct pat *p = &pats[bucket_idx[b][j]];
            if (p->e->kind == LEX_ABBR && p->n == 1 && match_at(x, p, k)) {
                x->t[k + 1].bos = false;
                break;
            }
        }
    }
}

/* Number of tokens p matches starting at k, or 0. Phrases do not cross sentences. */
static size_t match_at(const struct text *x, const struct pat *p, size_t k)
{
    if (k + p->n > x->n) {
        return 0;
    }
    for (size_t i = 0; i < p->n; i++) {
        const struct tok *t = &x->t[k + i];
        if (i > 0 && t->bos) {
            return 0;
        }
        if (p->prefix[i] ? t->flen < p->len[i] : t->flen != p->len[i]) {
            return 0;
        }
        if (memcmp(t->f, p->w[i], p->len[i]) != 0) {
            return 0;
        }
    }
    return p->n;
}

/* What the lexicon says about each token position. */
struct marks {
    const struct desk_lex *val; /* best sentiment entry starting here */
    unsigned char val_len;
    unsigned char noun_len;   /* longest supervisor noun starting here */
    unsigned char noun_langs; /* languages of the nouns starting here (bit per lex_lang) */
    unsigned char poss_langs; /* languages of a possessive ending here */
    short frame_from;         /* a frame ends here: its first token, else -1 */
    bool back, fill, poss, neg, boost, damp, esc, wish, your, thing;
    bool self;               /* a possessive of what the customer is ("I'm a", "jsem") ends here */
    unsigned char who;       /* a person is described from here: 1 "someone", 2 a bare "who" */
    unsigned char who_langs; /* languages of that description */
    unsigned char auth;      /* an authority starts here: 1 weak ("approve"), 2 strong, 3 strong
                                at the end of its clause ("kdo to tam vede?") */
    unsigned char auth_len;
    bool strong; /* a strong authority anywhere in its clause starts here ("rozhoduje o") */
    bool sought; /* a bare "who" asks here who has a weak authority ("Who decides on refunds?"):
                    a person asked after, not yet asked for */
    unsigned char ana_len; /* a word pointing back at a person starts here ("them", "s ním") */
    unsigned char ana_langs;
    bool now, move, up, alone, ask, can;
    bool sarc;               /* a sarcasm marker starts here ("as always", "gratuluju") */
    bool cond;               /* a condition opens here ("if", "jestli", "jak", "jeżeli") */
    unsigned char jus_langs; /* a request with its subject left out starts here ("niech", "ať",
                                "could he"): its languages */
    bool jus_pure;           /* that request is a pure jussive ("niech", "ať", "que") */
    bool youare;             /* says what the addressees are ("sois", "jste") */
    bool iam;                /* says what the customer is or feels ("jsem", "cítím se jak") */
    bool formal;             /* a formal salutation ("Vážení", "Dear Sir or Madam") */
    bool know;               /* wanting to know ("know", "vědět", "saber") */
    bool me;                 /* the customer as an object ends here ("me", "do mnie", "se mnou") */
    bool refl;               /* a reflexive possessive ("svým", "swoim") */
    bool first; /* a verb whose subject is the customer ends here ("můžu", "chcę", "bych") */
    unsigned char exist; /* 1 asks whether a person is there ("is there", "hay", "jest"), 2 whether
                            they read ("read", "czyta", "čtou") */
    bool call, praise, of;
    bool past;      /* a past verb of asking ends here ("pedí", "prosiłem o") */
    bool third;     /* a third person ends here ("my husband", "manžel", "mąż") */
    bool at_self;   /* the customer's self as an object starts here ("na siebie", "at myself") */
    bool question;  /* the token's sentence is a question */
    bool mine;      /* the customer's own ("my", "mi", "můj", "mój") */
    bool deny;      /* a negated verb of saying or calling ends here ("not saying", "neříkám") */
    bool voc;       /* a vocative expletive starts here ("ty vole") */
    bool thou;      /* speaks to one person ("ty", "tebou") */
    bool wish_harm; /* a wish starts here ("I hope", "ojalá", "oby") */
    unsigned char ruin_len; /* the ruin of a business or a livelihood starts here ("bankrupt") */
    unsigned char at_langs; /* languages of an addressee or their company here ("you", "vy") */
};

static void mark(const struct text *x, struct marks *m)
{
    for (size_t k = 0; k < x->n; k++) {
        m[k].frame_from = -1;
    }
    for (size_t k = 0; k < x->n; k++) {
        int b = bucket_of(x->t[k].f, x->t[k].flen);
        for (size_t j = 0; j < bucket_n[b]; j++) {
            const struct pat *p = &pats[bucket_idx[b][j]];
            size_t l = match_at(x, p, k);
            if (!l) {
                continue;
            }
            size_t end = k + l - 1;
            switch (p->e->kind) {
            case LEX_VAL:
            case LEX_IRATE:
            case LEX_REPEAT:
            case LEX_ABUSE:
            case LEX_CURSE:
            case LEX_LIKEN:
                /* The longest entry wins; of two as long, the insult ("podvodníci" is
                 * abuse, "podvod" only anger). */
                if (l > m[k].val_len || (l == m[k].val_len && p->e->kind == LEX_ABUSE)) {
                    m[k].val = p->e;
                    m[k].val_len = (unsigned char)l;
                }
                break;
            case LEX_NOUN:
                if (l > m[k].noun_len) {
                    m[k].noun_len = (unsigned char)l;
                }
                m[k].noun_langs |= (unsigned char)(1u << p->e->lang);
                break;
            case LEX_FRAME:
                if (m[end].frame_from < 0 || (short)k < m[end].frame_from) {
                    m[end].frame_from = (short)k;
                }
                break;
            case LEX_BACK:
                m[k].back = true;
                break;
            case LEX_FILL:
                for (size_t i = k; i <= end; i++) {
                    m[i].fill = true;
                }
                break;
            case LEX_POSS:
                m[end].poss = true;
                m[end].self |= p->e->v > 0;
                m[end].poss_langs |= (unsigned char)(1u << p->e->lang);
                break;
            case LEX_NEG:
                m[end].neg = true;
                break;
            case LEX_BOOST:
                m[end].boost = true;
                break;
            case LEX_DAMP:
                m[end].damp = true;
                break;
            case LEX_ESC:
                m[k].esc = true;
                break;
            case LEX_WISH:
                m[end].wish = true;
                break;
            case LEX_YOUR:
                m[end].your = true;
                break;
            case LEX_THING:
                m[k].thing = true;
                break;
            case LEX_WHO:
                if (m[k].who < (p->e->v > 0 ? 2 : 1)) {
                    m[k].who = p->e->v > 0 ? 2 : 1;
                }
                m[k].who_langs |= (unsigned char)(1u << p->e->lang);
                break;
            case LEX_AUTH:
                m[k].strong |= p->e->v == 1.0f;
                if (m[k].auth < 1 + (int)p->e->v) {
                    m[k].auth = (unsigned char)(1 + (int)p->e->v);
                }
                if (l > m[k].auth_len) {
                    m[k].auth_len = (unsigned char)l;
                }
                break;
            case LEX_ANA:
                if (l > m[k].ana_len) {
                    m[k].ana_len = (unsigned char)l;
                }
                m[k].ana_langs |= (unsigned char)(1u << p->e->lang);
                break;
            case LEX_NOW:
                m[k].now = true;
                break;
            case LEX_MOVE:
                m[k].move = true;
                break;
            case LEX_UP:
                m[k].up = true;
                break;
            case LEX_ALONE:
                m[k].alone = true;
                break;
            case LEX_ASK:
                m[k].ask = true;
                break;
            case LEX_CAN:
                m[k].can = true;
                break;
            case LEX_SARC:
                m[k].sarc = true;
                break;
            case LEX_COND:
                m[end].cond = true;
                break;
            case LEX_JUS:
                m[k].jus_langs |= (unsigned char)(1u << p->e->lang);
                m[k].jus_pure |= p->e->v > 0;
                break;
            case LEX_YOUARE:
                m[end].youare |= p->e->v == 0;
                m[end].iam |= p->e->v > 0;
                break;
            case LEX_FORMAL:
                m[k].formal = true;
                break;
            case LEX_KNOW:
                m[k].know = true;
                break;
            case LEX_ME:
                m[end].me = true;
                break;
            case LEX_REFL:
                m[k].refl = true;
                break;
            case LEX_SELF:
                m[end].first = true;
                break;
            case LEX_EXIST:
                for (size_t i = k; i <= end; i++) {
                    m[i].exist = p->e->v > 0 ? 2 : 1;
                }
                break;
            case LEX_CALL:
                m[k].call = true;
                break;
            case LEX_PRAISE:
                m[k].praise = true;
                break;
            case LEX_OF:
                m[k].of = true;
                break;
            case LEX_AT:
                for (size_t i = k; i <= end; i++) {
                    m[i].at_langs |= (unsigned char)(1u << p->e->lang);
                }
                break;
            case LEX_PAST:
                m[end].past = true;
                break;
            case LEX_OTHER:
                m[end].third |= p->e->v == 0;
                m[k].at_self |= p->e->v > 0;
                break;
            case LEX_MINE:
                m[end].mine = true;
                break;
            case LEX_DENY:
                m[end].deny = true;
                break;
            case LEX_RUIN:
                m[k].wish_harm |= p->e->v == 0;
                if (p->e->v > 0 && l > m[k].ruin_len) {
                    m[k].ruin_len = (unsigned char)l;
                }
                break;
            case LEX_VOC:
                m[k].voc |= p->e->v == 0;
                m[k].thou |= p->e->v > 0;
                break;
            default:
                break;
            }
        }
    }
}

#define WHO_REACH 6

static long frame_before(const struct text *x, const struct marks *m, size_t k);

/*
 * A person described by their authority is a supervisor noun: "someone who
 * actually has the authority", "whoever can decide", "alguien que de verdad
 * pueda aprobarla", "někoho s rozhodovací pravomocí", "kdo to tam u vás
 * vede", "kto tam u Państwa rządzi". A bare "who" needs a strong authority
 * ("who is in charge", not "the agent who approved it"), a weak one needs
 * an ability before it ("someone who can approve", not "can someone tell
 * me when you decide"). The description
 * ends with its clause or a negator; "někoho, kdo má pravomoc" is read from
 * the "kdo".
 */
static void describe_authority(const struct text *x, struct marks *m)
{
    for (size_t k = 0; k < x->n; k++) {
        if (!m[k].who) {
            continue;
        }
        /* Asked for by a request frame, the person needs no ability before a weak authority:
         * "bump this up to someone who can actually issue refunds", "que me llame quien pueda
         * autorizar", "dejte to někomu, kdo to schválí". */
        bool framed = frame_before(x, m, k) >= 0;
        bool can = false;
        for (size_t j = k + 1; j < x->n && j <= k + WHO_REACH; j++) {
            /* "někoho, kdo má pravomoc", "člověku, který nad vámi rozhoduje": a relative
             * after the comma goes on describing the person. */
            if ((x->t[j].clause && !(m[j].who == 2 && !x->t[j].bos)) || m[j].neg) {
                break;
            }
            size_t l = j + m[j].auth_len - k;
            bool last = k + l >= x->n || x->t[k + l].clause;
            /* An ability with nothing after it points back at what the addressee cannot do:
             * "To poproszę kogoś, kto może.", "someone who can", "alguien que sí pueda". */
            bool elliptic = m[j].can && !m[j].auth && (j + 1 >= x->n || x->t[j + 1].clause);
            if (elliptic) {
                l = j + 1 - k;
            }
            /* "Who can approve a refund?" asks after a person of authority; in a statement
             * a bare "who" with a weak authority is the agent ("the agent who approved it"). */
            if (m[j].strong || (m[j].auth == 3 && last) || elliptic ||
                (m[j].auth == 1 && (framed || (can && (m[k].who == 1 || m[k].question))))) {
                if (l > m[k].noun_len && l < 256) {
                    m[k].noun_len = (unsigned char)l;
                    m[k].noun_langs |= m[k].who_langs;
                }
                break;
            }
            /* "¿Quién decide al final?", "kto u was podpisuje zgody?": whoever that is may be
             * pointed back at by what follows ("Me gustaría que esa persona me escribiera"). */
            if (m[j].auth == 1 && m[k].who == 2 && m[k].question) {
                m[k].sought = true;
                break;
            }
            can |= m[j].can;
        }
    }
}

/* ---- triggers ---------------------------------------------------------- */

/* Keeps str (arena) as a trigger of kind, unless it is kept already or there is no room. */
static void keep_trigger(struct desk_signals *out, const char *str, const char *kind)
{
    for (size_t i = 0; i < out->n_triggers; i++) {
        if (strcmp(out->triggers[i], str) == 0) {
            return;
        }
    }
    if (out->n_triggers < DESK_SIGNALS_MAX_TRIGGERS) {
        out->triggers[out->n_triggers] = str;
        out->trigger_kinds[out->n_triggers] = kind;
        out->n_triggers++;
    }
}

/* Forgets the triggers of kind, keeping the order of the others. */
static void drop_triggers(struct desk_signals *out, const char *kind)
{
    size_t n = 0;
    for (size_t i = 0; i < out->n_triggers; i++) {
        if (strcmp(out->trigger_kinds[i], kind) != 0) {
            out->triggers[n] = out->triggers[i];
            out->trigger_kinds[n] = out->trigger_kinds[i];
            n++;
        }
    }
    out->n_triggers = n;
}

static void add_trigger(const struct text *x, struct desk_signals *out, size_t from, size_t to,
                        const char *kind)
{
    if (out->n_triggers == DESK_SIGNALS_MAX_TRIGGERS) {
        return;
    }
    int32_t s = x->t[from].u_start, e = x->t[to].u_end;
    UErrorCode err = U_ZERO_ERROR;
    int32_t need = 0;
    u_strToUTF8(NULL, 0, &need, x->u + s, e - s, &err);
    err = U_ZERO_ERROR;
    char *str = desk_arena_alloc(x->a, (size_t)need + 1);
    u_strToUTF8(str, need + 1, NULL, x->u + s, e - s, &err);
    keep_trigger(out, str, kind);
}

/* ---- supervisor requests ----------------------------------------------- */

#define WALK_BACK    6
#define WALK_FORWARD 3

/* A request frame reached from token k backwards over connecting words: its first token, or -1. */
static long frame_before(const struct text *x, const struct marks *m, size_t k)
{
    for (long j = (long)k - 1, steps = 0; j >= 0 && steps < WALK_BACK; j--, steps++) {
        if (x->t[j + 1].bos) {
            return -1;
        }
        if (m[j].frame_from >= 0) {
            return m[j].frame_from;
        }
        if (!m[j].fill) {
            return -1;
        }
    }
    return -1;
}

#define COND_REACH 6

/*
 * Whether the negator at token j stands in a condition, which makes its
 * request an ultimatum: "Jak do piątej nie zadzwoni do mnie wasz szef",
 * "Jeżeli do jutra nie zadzwoni ktoś z dyrekcji", "if a manager doesn't
 * call me today".
 */
static bool conditional(const struct text *x, const struct marks *m, long j)
{
    for (long i = j - 1, steps = 0; i >= 0 && steps < COND_REACH; i--, steps++) {
        if (m[i].cond) {
            return true;
        }
        if (x->t[i + 1].bos) {
            return false;
        }
    }
    return false;
}

/*
 * Whether the request whose frame starts at token from is negated: a
 * negator right before it, over other frames and connecting words only ("I
 * don't need a manager", "nie chcę rozmawiać z kierownikiem", "nechci
 * mluvit s vedoucím", "no hace falta hablar con un supervisor", "nie musi
 * pan przekazywać tego szefowi", "no se lo pase a su jefe"). A past verb
 * of asking there recounts an earlier request ("La semana pasada pedí
 * hablar con un responsable, pero ya no hace falta").
 */
static bool frame_negated(const struct text *x, const struct marks *m, long from)
{
    long j = from - 1;
    for (int steps = 0; j >= 0 && steps < 4 && !x->t[j + 1].clause; steps++) {
        if (m[j].past) {
            return true;
        }
        if (m[j].neg) {
            return !conditional(x, m, j);
        }
        if (m[j].frame_from >= 0) {
            j = m[j].frame_from - 1;
        } else if (m[j].fill) {
            j--;
        } else {
            return false;
        }
    }
    return false;
}

/*
 * Whether the wish word at token k follows a request frame, not negated:
 * "chcę, żeby", "chci, aby", "I'd like it if". The frame's first token, or -1.
 */
static long wish_opens(const struct text *x, const struct marks *m, size_t k)
{
    if (!m[k].wish || k == 0) {
        return -1;
    }
    /* A wish of two words ("aby mi", "that you") is read from its first. */
    long f = (long)k - 1;
    while (f > 0 && m[f].wish && !x->t[f + 1].bos) {
        f--;
    }
    if (m[f].frame_from < 0 && f > 0 && m[f].fill && !x->t[f + 1].bos) {
        f--;
    }
    if (m[f].frame_from >= 0 && !x->t[k].bos && !frame_negated(x, m, m[f].frame_from)) {
        return m[f].frame_from;
    }
    return -1;
}

#define WISH_REACH 12

/*
 * A wish clause that reaches token k: a request frame followed by a wish
 * word ("žádám, aby", "chtěl bych, aby", "solicito que", "chcę, żeby",
 * "I am requesting that"), at most WISH_REACH words (numbers aside) before k in the same
 * sentence, so "solicito que mi caso sea revisado por un responsable"
 * reads as a request whatever the verbs in between. Returns the frame's
 * first token, or -1.
 */
static long wish_before(const struct text *x, const struct marks *m, size_t k)
{
    for (long w = (long)k - 1, steps = 0; w > 0 && steps < WISH_REACH; w--) {
        if (x->t[w + 1].bos) {
            return -1;
        }
        /* Numbers do not count: "faktury č. 2023-0915", "nr FV/2023/0915". */
        steps += x->t[w].letters > 0;
        if (!m[w].wish) {
            continue;
        }
        return wish_opens(x, m, (size_t)w);
    }
    return -1;
}

#define SENTENCE_REACH 8

/*
 * A request frame earlier in the same sentence, at most SENTENCE_REACH
 * words before token k, not negated: "could you please arrange for a
 * manager", "chci podat formální stížnost u vašeho vedoucího", "prosím o
 * předání mého požadavku vedoucímu". Returns its first token, or -1.
 */
static long sentence_frame(const struct text *x, const struct marks *m, size_t k)
{
    for (long j = (long)k - 1, steps = 0; j >= 0 && steps < SENTENCE_REACH; j--, steps++) {
        /* "I want to know who is responsible" asks for a name, not for the person. */
        if (x->t[j + 1].bos || m[j].know) {
            return -1;
        }
        if (m[j].frame_from >= 0) {
            return frame_negated(x, m, m[j].frame_from) ? -1 : m[j].frame_from;
        }
    }
    return -1;
}

/*
 * Marks the tokens of each sentence that ends with a question mark, or
 * opens with a question particle ("czy kierownik mógłby zadzwonić" written
 * without one). One pass over the text.
 */
static void mark_questions(const struct text *x, struct marks *m)
{
    for (size_t b = 0; b < x->n;) {
        size_t e = b;
        while (e + 1 < x->n && !x->t[e + 1].bos) {
            e++;
        }
        bool q = m[b].ask;
        int32_t to = e + 1 < x->n ? x->t[e + 1].u_start : x->ulen;
        for (int32_t i = x->t[e].u_end; i < to && !q; i++) {
            q = x->u[i] == '?' || x->u[i] == 0xFF1F;
        }
        for (size_t i = b; i <= e; i++) {
            m[i].question = q;
        }
        b = e + 1;
    }
}

/* Whether token k is a connecting word, an urgency or a "please" of a terse request. */
static bool terse_word(const struct marks *m, size_t k)
{
    return m[k].fill || m[k].now || m[k].back;
}

/*
 * A terse request: the sentence holds the noun k..end with connecting words
 * only, and an urgency or a "please" stands in it or makes up the whole next
 * sentence: "MANAGER. NOW.", "encargado porfa", "Šéfa, hned!".
 */
static bool terse(const struct text *x, const struct marks *m, size_t k, size_t end)
{
    bool urgent = false;
    for (size_t i = k; !x->t[i].bos;) {
        i--;
        if (!terse_word(m, i)) {
            return false;
        }
        urgent |= m[i].now || m[i].back;
    }
    size_t i = end + 1;
    for (; i < x->n && !x->t[i].bos; i++) {
        if (!terse_word(m, i)) {
            return false;
        }
        urgent |= m[i].now || m[i].back;
    }
    if (urgent || i == x->n) {
        return urgent;
    }
    bool next = false;
    for (size_t j = i; j < x->n && (j == i || !x->t[j].bos); j++) {
        if (!terse_word(m, j)) {
            return false;
        }
        next |= m[j].now || m[j].back;
    }
    return next;
}

#define MOVE_REACH 5

/*
 * Handing the case up the hierarchy, with no noun: "předejte to výš",
 * "przekazać moje zgłoszenie wyżej", "pass this up the chain". Returns the
 * first token of the verb that hands it on, or -1.
 */
static long move_up(const struct text *x, const struct marks *m, size_t k)
{
    for (long j = (long)k - 1, steps = 0; j >= 0 && steps < MOVE_REACH; j--, steps++) {
        if (x->t[j + 1].bos) {
            return -1;
        }
        if (m[j].move) {
            return frame_negated(x, m, j) ? -1 : j;
        }
    }
    return -1;
}

#define PRAISE_RELAY 3.5

/*
 * Praise passed on: the rest of the sentence after the noun at end says
 * something good and nothing bad ("Please tell your manager thank you,
 * Priya was brilliant"). Not a request.
 */
static bool praise_after(const struct text *x, const struct marks *m, size_t end)
{
    double good = 0;
    for (size_t j = end + 1; j < x->n && !x->t[j].bos; j++) {
        if (m[j].val && m[j].val->v < 0) {
            return false;
        }
        /* "proszę jej przekazać podziękowania", "vyřiďte jí poděkování" */
        if (m[j].praise) {
            return true;
        }
        good += m[j].val ? m[j].val->v : 0;
    }
    /* More than a closing "thanks": "manager, please, thank you" still asks. */
    return good >= PRAISE_RELAY;
}

#define REFL_REACH 8

/*
 * A reflexive possessive belongs to the subject of its clause. With the
 * customer as subject ("můžu přepsat smlouvu na svého šéfa", "chcę to omówić
 * ze swoim kierownikiem") the noun after it is the customer's own; with the
 * addressee ("zavolejte svého vedoucího", "proszę przekazać swojemu
 * przełożonemu") it is theirs. A wish word opens a clause with a subject of
 * its own ("chci, abyste to předal svému vedoucímu").
 */
static bool reflexive_own(const struct text *x, const struct marks *m, size_t k)
{
    long r = -1;
    if (k > 0 && m[k - 1].refl && !x->t[k].bos) {
        r = (long)k - 1;
    } else if (k > 1 && m[k - 2].refl && !x->t[k].bos && !x->t[k - 1].bos) {
        r = (long)k - 2;
    }
    for (long j = r - 1, steps = 0; r >= 0 && j >= 0 && steps < REFL_REACH; j--, steps++) {
        if (x->t[j + 1].bos || m[j].wish) {
            return false;
        }
        if (m[j].first) {
            return true;
        }
    }
    return false;
}

/*
 * The noun owned through a genitive by the customer's own: "kierowniczkę
 * mojego biura", "vedoucí mé firmy", "the head of my department", "el jefe
 * de mi hijo".
 */
static bool genitive_own(const struct text *x, const struct marks *m, size_t end,
                         unsigned char langs)
{
    size_t j = end + 1;
    if (j < x->n && m[j].of && !x->t[j].clause) {
        j++;
    }
    if (j + 1 < x->n && !x->t[j].clause && !x->t[j + 1].clause && (m[j].poss_langs & langs) &&
        !m[j].self) {
        return true;
    }
    /* One step further, over a word and an "of": "el director del colegio de mi hijo". */
    if (j + 3 < x->n && !x->t[j + 1].clause && m[j + 1].of && !x->t[j + 2].clause) {
        j += 2;
        return !x->t[j + 1].clause && (m[j].poss_langs & langs) && !m[j].self;
    }
    return false;
}

/* Whether folded word w ends with suffix s. */
static bool ends_with(const struct tok *w, const char *s)
{
    size_t n = strlen(s);
    return w->flen >= n && memcmp(w->f + w->flen - n, s, n) == 0;
}

/*
 * Whether the noun at k is in the dative ("naczelnikowi", "starostovi",
 * "vedoucímu") while the word before it is not: the possessive before that
 * word goes with it, not with the noun ("przekazanie mojej propozycji
 * naczelnikowi", not "mému finančnímu vedoucímu").
 */
static bool dative_apart(const struct text *x, size_t k)
{
    static const char *const dative[] = {"owi", "ovi", "mu"};
    bool noun = false, before = false;
    for (size_t i = 0; i < sizeof(dative) / sizeof(dative[0]); i++) {
        noun |= ends_with(&x->t[k], dative[i]);
        before |= ends_with(&x->t[k - 1], dative[i]);
    }
    return noun && !before;
}

#define EXIST_REACH 5

/*
 * Asking whether such a person is there, or reads: "Is there anyone senior?",
 * "¿Hay algún encargado?", "Jest w ogóle jakiś szef tych kurierów?", "Čtou
 * tyhle chaty nějací nadřízení?", "Czy ktoś z kierownictwa w ogóle czyta te
 * maile?". The verb's first token, or -1; the caller has seen the question.
 */
static long exists_near(const struct text *x, const struct marks *m, size_t k, size_t end)
{
    bool reading_only = false;
    for (long j = (long)k - 1, steps = 0; j >= 0 && steps < EXIST_REACH; j--, steps++) {
        if (x->t[j + 1].bos) {
            break;
        }
        if (m[j].exist == 2 || (m[j].exist && !reading_only)) {
            return j;
        }
        /* "Is there a module for team managers?" asks after a thing: being there reaches
         * the noun over connecting words only, reading a little further. */
        reading_only |= !m[j].fill;
    }
    for (size_t j = end + 1, steps = 0; j < x->n && steps < 3 && !x->t[j].clause; j++, steps++) {
        if (m[j].exist == 2 || (m[j].exist && steps == 0)) {
            return (long)j;
        }
    }
    return -1;
}

#define CALL_REACH   6
#define THREAT_REACH 12

/*
 * The noun as the subject of a condition with a contact verb, negated or
 * not: an ultimatum, "If your boss doesn't call me back today…", "Jestli mi
 * váš vedoucí dneska nezavolá…", "Jak twój szef do mnie nie zadzwoni…", "Si
 * mañana no me llama alguien de la gerencia…". The condition's token, or -1.
 */
static long ultimatum(const struct text *x, const struct marks *m, size_t k, size_t end)
{
    long c = -1;
    for (long i = (long)k - 1, steps = 0; i >= 0 && steps < COND_REACH + 2; i--, steps++) {
        if (m[i].cond) {
            c = i;
            break;
        }
        if (x->t[i].bos) {
            break;
        }
    }
    for (long j = c + 1; c >= 0 && j < (long)k; j++) {
        if (m[j].call) {
            return c;
        }
    }
    for (size_t j = end + 1, steps = 0; c >= 0 && j < x->n && steps < CALL_REACH && !x->t[j].clause;
         j++, steps++) {
        if (m[j].call) {
            return c;
        }
    }
    /* The threat after the demand: "Somebody in management calls me by 5pm or I'm going to
     * the ombudsman", "Vedoucí mi zavolá do pátku, jinak jdu do médií". */
    if (c >= 0 || !x->t[k].clause) {
        return -1;
    }
    bool call = false;
    for (size_t j = end + 1, steps = 0; j < x->n && steps < THREAT_REACH && !x->t[j].bos;
         j++, steps++) {
        if (m[j].neg) {
            return -1;
        }
        if (call && m[j].cond) {
            return (long)k;
        }
        call |= steps < CALL_REACH && m[j].call;
    }
    return -1;
}

#define JUS_REACH 8

/*
 * A request whose subject is left out, right after a person was named: "…
 * decyduje kierowniczka placówki. Czy mogłaby do mnie oddzwonić?", "Kdo nad
 * vámi rozhoduje? Ať se mi ozve.", "Niech się w końcu do mnie odezwie!". The
 * sentence or clause opens with a third-person request and has the customer
 * as its object, no negator and no other person; a pure jussive needs no
 * object beside a contact verb ("kto jest nad wami? niech się odezwie"). The
 * token of that object or verb, or -1.
 */
static long dropped_subject(const struct text *x, const struct marks *m, size_t k, bool pure)
{
    long me = -1;
    for (size_t j = k + 1, steps = 0; j < x->n && steps < JUS_REACH && !x->t[j].bos; j++, steps++) {
        /* "Niech pan mi powie" speaks to the agent. */
        if (m[j].neg || m[j].who || m[j].noun_len || (j <= k + 2 && m[j].your)) {
            return -1;
        }
        if ((m[j].me || (pure && m[j].call)) && me < 0) {
            me = (long)j;
        }
    }
    return me;
}

/*
 * Whether token k opens a clause, or follows a short conjunction that does
 * ("…, a ať mi to ten člověk přijde vysvětlit", "and have them call me").
 */
static bool opens_clause(const struct text *x, size_t k)
{
    return x->t[k].clause ||
           (k > 0 && x->t[k - 1].clause && !x->t[k - 1].bos && x->t[k - 1].flen <= 3 &&
            x->t[k - 1].letters == (int)x->t[k - 1].flen);
}

#define TALK_REACH 3

/*
 * After a question asking whether a person of authority is there, the next
 * sentence opening with a wish to talk or be called, with no other person
 * and no negator: "jest dziś na recepcji kierownik zmiany? chciałbym
 * pogadać…", "Is your manager in today? I'd like to talk about my bill."
 * The contact verb's token, or -1.
 */
static long talk_after(const struct text *x, const struct marks *m, size_t k)
{
    long call = -1, frame = -1;
    for (size_t j = k, steps = 0; j < x->n && (j == k || !x->t[j].bos); j++, steps++) {
        if (m[j].neg || m[j].who || m[j].noun_len || m[j].ana_len) {
            return -1;
        }
        if (call >= 0) {
            continue;
        }
        if (frame >= 0 && m[j].call && (long)j - frame <= 2) {
            call = (long)j;
        } else if (m[j].frame_from >= 0 && steps <= TALK_REACH) {
            frame = (long)j;
        }
    }
    return call;
}

/*
 * A bare "who" question of authority that closes the message, with nothing
 * negative in it, is a hint to be passed on: "Who decides here?", "¿Quién
 * manda ahí?", "Kdo tu rozhoduje?"; not "Who is responsible for this mess?",
 * and not when more follows (the next sentence says what is wanted).
 */
static bool closing_who(const struct marks *m, size_t k, size_t last, bool last_negative)
{
    return m[k].who == 2 && k >= last && !last_negative && m[k].question;
}

/* A request to talk, not negated, inside the description of a person k..end ("con quién
 * podría hablar que…"): k, or -1. */
static long frame_within(const struct text *x, const struct marks *m, size_t k, size_t end)
{
    bool frame = false;
    for (size_t i = k + 1; i <= end && i < x->n; i++) {
        frame |= m[i].frame_from >= (long)k && !frame_negated(x, m, m[i].frame_from);
        if (frame && m[i].call) {
            return (long)k;
        }
    }
    return -1;
}

/* Whether praise is passed on between a frame and the noun: "Chtěla bych pochválit vedoucí". */
static bool praise_between(const struct marks *m, long from, size_t k)
{
    for (long j = from; j >= 0 && j < (long)k; j++) {
        if (m[j].praise) {
            return true;
        }
    }
    return false;
}

static void supervisor(const struct text *x, const struct marks *m, struct desk_signals *out)
{
    /* Sentences are counted so that "them" after "Who is in charge there?" is that person. */
    long sent = -1, asked = -3;
    unsigned char asked_langs = 0;
    bool asked_q = false; /* that person was asked after in a question */
    /* The last sentence, and whether it says something negative (closing_who). */
    size_t last = x->n;
    bool last_negative = false;
    while (last > 0) {
        last--;
        last_negative |= m[last].val && m[last].val->v < 0;
        if (x->t[last].bos) {
            break;
        }
    }
    for (size_t k = 0; k < x->n; k++) {
        sent += x->t[k].bos;
        size_t l = m[k].noun_len;
        /* A person asked after in the sentence before or in this one: "Who is above
         * you? Could you put them on the line?", "Kdo to tam vede? Rád bych s ním mluvil." */
        /* Asked after in a question, the person may be pointed back at a sentence later
         * still: "Who makes decisions here? Because it isn't you. I want them ringing me." */
        long reach = asked_q ? 2 : 1;
        bool ana = !l && m[k].ana_len && sent - asked <= reach && (m[k].ana_langs & asked_langs);
        if (ana) {
            l = m[k].ana_len;
        }
        /* After a question the pointing back may be asked for anywhere in its clause: "Rád
         * bych se s tím člověkem spojil", "Pues con ella quiero hablar". */
        bool ana_asked = ana && asked_q;
        if (!l && m[k].sought) {
            asked = sent;
            asked_langs = m[k].who_langs;
            asked_q = true;
            continue;
        }
        /* A request with its subject left out after a person was named. */
        bool starts = x->t[k].bos || (k > 0 && x->t[k - 1].bos && m[k - 1].ask);
        /* Or later in the sentence, or in a wish clause: "Chci vědět, kdo za to zodpovídá, a
         * ať mi to ten člověk přijde vysvětlit", "Chcę, żeby do mnie oddzwoniła." */
        /* Not the Spanish "que" after a comma, a relative: "a Laura, que me atendió". */
        bool clause = !starts && opens_clause(x, k) && sent - asked <= 1 &&
                      (m[k].jus_langs & (unsigned char)~(1u << LEX_ES));
        bool wish = !l && asked_q && sent - asked <= 1 && wish_opens(x, m, k) >= 0;
        if (!l && (((m[k].jus_langs & asked_langs) && (clause || (starts && sent - asked == 1))) ||
                   wish)) {
            long me = dropped_subject(x, m, k, m[k].jus_pure);
            if (me >= 0) {
                out->supervisor_request = true;
                add_trigger(x, out, wish ? (size_t)wish_opens(x, m, k) : k, (size_t)me,
                            "supervisor");
                continue;
            }
        }
        /* A wish to talk after asking whether the person is there. */
        if (!l && asked_q && x->t[k].bos && sent - asked == 1) {
            long call = talk_after(x, m, k);
            if (call >= 0) {
                out->supervisor_request = true;
                add_trigger(x, out, k, (size_t)call, "supervisor");
                asked_q = false;
                continue;
            }
        }
        if (l) {
            size_t end = k + l - 1;
            /* The customer's own manager ("my manager asked me", "our finance manager",
             * "jsem projektový manažer") is a look-alike, and so is a thing named after
             * one ("the manager role", "supervisor mode"). */
            bool own = k > 0 && (m[k - 1].poss_langs & m[k].noun_langs) && !x->t[k].bos;
            own |= k > 1 && (m[k - 2].poss_langs & m[k].noun_langs) && !x->t[k].bos &&
                   !x->t[k - 1].bos && (m[k - 2].self || !m[k - 1].fill) &&
                   m[k - 1].frame_from < 0 &&
                   !((m[k].noun_langs & (1u << LEX_CS | 1u << LEX_PL)) && dative_apart(x, k));
            own |= reflexive_own(x, m, k) || genitive_own(x, m, end, m[k].noun_langs);
            if (!ana && (own || (end + 1 < x->n && m[end + 1].thing && !x->t[end + 1].bos))) {
                k = end;
                continue;
            }
            long from = frame_before(x, m, k);
            size_t to = end;
            if (from >= 0 && frame_negated(x, m, from)) {
                k = end;
                continue;
            }
            if (from < 0) {
                /* "Potřebovala bych, aby mi ten člověk zavolal." */
                from = wish_before(x, m, k);
            }
            if (from < 0 && (!ana || ana_asked)) {
                from = sentence_frame(x, m, k);
            }
            if (from < 0 && !ana && k > 0 && m[k - 1].your && !x->t[k].bos && m[k].question) {
                /* Asking after the addressee's manager: "Is your manager around?" */
                from = (long)k - 1;
            }
            if (from >= 0 && !ana && praise_between(m, from, k)) {
                k = end;
                continue;
            }
            bool question = from < 0 && m[k].question;
            if (question && !ana) {
                from = exists_near(x, m, k, end);
                if (from > (long)k) {
                    to = (size_t)from;
                    from = (long)k;
                }
            }
            if (from < 0 && !ana && !question) {
                /* Being there in a condition hints at a request: "If there's anyone above you
                 * who can override it, I'd be happy to wait", "Jeśli jest ktoś wyżej, …". */
                long e = exists_near(x, m, k, end);
                if (e > 0 && e < (long)k && m[e - 1].cond && !x->t[e].bos) {
                    from = e - 1;
                }
            }
            if (from < 0 && !ana) {
                from = ultimatum(x, m, k, end);
            }
            if (from < 0) {
                /* Free word order: "kierownika poproszę", "vedoucího mi dejte". */
                for (size_t j = end + 1, steps = 0; j < x->n && steps < WALK_FORWARD;
                     j++, steps++) {
                    /* Across a comma only from a noun that opens its clause ("Supervisor,
                     * please"), not "Nechci obtěžovat vedoucího, potřebuji jen …". */
                    if (x->t[j].bos || (x->t[j].clause && !x->t[k].clause && !question)) {
                        break;
                    }
                    /* In a question a modal after the noun asks too: "Czy kierownik
                     * mógłby zadzwonić?", "¿El encargado podría llamarme?", also over a
                     * comma: "až bude mít čas vedoucí směny, mohl by mi zavolat?" */
                    if (m[j].back || (m[j].frame_from >= 0 && (question || ana_asked))) {
                        from = (long)k;
                        to = j;
                        break;
                    }
                    if (!m[j].fill) {
                        break;
                    }
                }
            }
            if (from < 0 && !ana && m[k].who) {
                /* The request inside the description: "¿Con quién podría hablar que tenga
                 * facultad para aprobarlo?", "S kým můžu mluvit, kdo má pravomoc?" */
                from = frame_within(x, m, k, end);
            }
            if (from < 0 && !ana && terse(x, m, k, end)) {
                from = (long)k;
            }
            if (from < 0 && !ana && closing_who(m, k, last, last_negative)) {
                from = (long)k;
            }
            if (from >= 0 && praise_after(x, m, end)) {
                from = -1;
            }
            if (from >= 0) {
                out->supervisor_request = true;
                add_trigger(x, out, (size_t)from, to, "supervisor");
            } else if (!ana) {
                /* A person of authority named, asked after or described ("Who is above you?",
                 * "ktoś nad panią te regulaminy zatwierdza", "musi to zatwierdzić dyrektor
                 * oddziału"): a pronoun, or a request with its subject left out, may point
                 * back. */
                asked = sent;
                asked_langs = m[k].noun_langs;
                asked_q = m[k].question;
            }
            k = end;
        } else if (m[k].up && move_up(x, m, k) >= 0) {
            out->supervisor_request = true;
            add_trigger(x, out, (size_t)move_up(x, m, k), k, "supervisor");
        } else if (m[k].esc) {
            /* "Escalate this, please", "Prosím, eskalujte to": a request on its own when it
             * opens a sentence or follows a frame, not "the problem escalated". */
            bool opens = x->t[k].bos;
            long from = frame_before(x, m, k);
            for (long j = (long)k - 1; !opens && from < 0 && j >= 0 && m[j].fill; j--) {
                opens = x->t[j].bos;
            }
            /* "No need to escalate this" */
            if (from >= 0 && frame_negated(x, m, from)) {
                opens = false;
                from = -1;
            }
            if (opens || from >= 0) {
                out->supervisor_request = true;
                add_trigger(x, out, from >= 0 ? (size_t)from : k, k, "supervisor");
            }
        }
    }
}

/* ---- sentiment --------------------------------------------------------- */

#define OTHER_REACH 3
#define FELT_REACH  3
#define FELT_FACTOR 0.3

/*
 * Whether the feeling at k..k+l-1 is someone else's, or the customer's at themself: a third
 * person just before it in its clause ("Manžel je naštvanej", "My daughter was so angry",
 * "Mąż jest wściekły") or the self as its object just after ("wściekły na siebie", "naštvaná
 * jen sama na sebe"). It is told, not vented: little weight and no arousal.
 */
static bool felt_by_other(const struct text *x, const struct marks *m, size_t k, size_t l)
{
    for (long i = (long)k - 1, steps = 0; i >= 0 && steps < FELT_REACH; i--, steps++) {
        if (x->t[i + 1].clause) {
            break;
        }
        if (m[i].third) {
            return true;
        }
    }
    for (size_t i = k + l, steps = 0; i < x->n && steps < FELT_REACH && !x->t[i].clause;
         i++, steps++) {
        if (m[i].at_self) {
            return true;
        }
    }
    return false;
}

/*
 * Whether the negator at token j stands in a relative describing another person, whom the
 * customer wants instead of the addressee: "alguien que no tenga aserrín en la cabeza",
 * "someone who isn't a complete idiot", "kogoś, kto nie jest idiotą". The insult is said of
 * the addressee all the same.
 */
static bool other_than_you(const struct text *x, const struct marks *m, long j)
{
    for (long i = j - 1, steps = 0; i >= 0 && steps < OTHER_REACH; i--, steps++) {
        if (m[i].who == 1) {
            return true;
        }
        if (x->t[i].bos) {
            break;
        }
    }
    return false;
}

#define NEG_SCALAR    (-0.74) /* VADER: a negated word keeps 74 % of its weight, reversed */
#define BOOST_FACTOR  1.5
#define DAMP_FACTOR   0.5
#define CAPS_FACTOR   1.5
#define EXCL_STEP     0.292 /* VADER's emphasis per exclamation mark, up to four */
#define NORM_ALPHA    15.0
#define ALONE_VALENCE 2.5
#define SARC_VALENCE  1.5
#define ABBR_LETTERS  5      /* a word in capitals shorter than this may be an abbreviation */
#define REPEAT_ALONE  (-2.5) /* the sum, a count included, that makes a count alone anger */

/*
 * Sarcasm: praise in a complaint, marked as such ("Fantastic service as
 * always", "No gratuluju", "Gracias por perder mi maleta", "Brawo"). The
 * praise is read as its opposite when a sarcasm marker stands in a text
 * that also says something negative, or when two markers do.
 */
static bool sarcastic(const struct text *x, const struct marks *m)
{
    int markers = 0;
    bool negative = false;
    for (size_t k = 0; k < x->n; k++) {
        markers += m[k].sarc;
        negative |= m[k].val && m[k].val->v < 0;
    }
    return markers >= 2 || (markers && negative);
}

#define CALLED_REACH 3

/*
 * An anger word said of the addressees as what they are is an insult: "Sois
 * todos igual de incompetentes", "Jste šmejdi", "you're all incompetent";
 * "a service that is incompetent" is only anger. So is a thing they are
 * likened to: "vy jste jak papoušek", "usted es un loro", "pani jest jak
 * automat"; "mám papouška" is neither.
 */
static bool called_names(const struct text *x, const struct marks *m, size_t k)
{
    /* One word: "jste jeden velký vtip" is no name. */
    const struct desk_lex *e = m[k].val;
    if (!e || (e->kind != LEX_LIKEN && (e->kind != LEX_IRATE || e->v > -2.5f)) ||
        (e->kind == LEX_IRATE && m[k].val_len != 1)) {
        return false;
    }
    for (size_t d = 1; d <= CALLED_REACH && d <= k; d++) {
        if (x->t[k - d + 1].clause || m[k - d].neg) {
            return false;
        }
        if (m[k - d].youare) {
            return true;
        }
    }
    return false;
}

/*
 * Whether the one word at k … k + l - 1 is said of the customer or of what is theirs: right
 * after the customer's own ("my stupid printer", "mi estúpido router") or the customer as its
 * object ("Šéf mě zabije", "Szef mnie zabije"), or before "of mine" ("la tonta de mí", "el
 * idiota de mi vecino"). Told, not vented at the staff. A phrase aims by itself ("wyjdzie ode
 * mnie na noszach").
 */
static bool of_own(const struct text *x, const struct marks *m, size_t k, size_t l)
{
    if (l != 1) {
        return false;
    }
    if (k >= 1 && !x->t[k].clause && (m[k - 1].mine || m[k - 1].me)) {
        return true;
    }
    size_t j = k + 1;
    return j + 1 < x->n && !x->t[j].clause && !x->t[j + 1].clause && m[j].of && m[j + 1].mine;
}

/*
 * An insult said of the customer or of what is theirs (of_own), or one or two words after
 * what the customer is or feels ("Sem fakt nasraná", "Cítím se jak blbec"). Anger, not abuse.
 */
static bool said_of_self(const struct text *x, const struct marks *m, size_t k, size_t l)
{
    if (of_own(x, m, k, l)) {
        return true;
    }
    for (size_t d = 1; d <= 2 && d <= k; d++) {
        if (x->t[k - d + 1].clause) {
            return false;
        }
        if (m[k - d].iam) {
            return true;
        }
    }
    return false;
}

/*
 * The Czech and Polish vocative of contempt, "vy hyeny jedny", "ty vole
 * jeden", "wy złodzieje jedne": "you", one word, "one". Whether it ends at
 * token k.
 */
static bool vocative_insult(const struct text *x, size_t k)
{
    static const char *const one[] = {"jeden", "jedna", "jedno", "jedni", "jedny", "jedne"};
    if (k < 2 || x->t[k].clause || x->t[k - 1].clause) {
        return false;
    }
    const struct tok *you = &x->t[k - 2];
    bool pronoun = you->flen == 2 && (memcmp(you->f, "vy", 2) == 0 ||
                                      memcmp(you->f, "ty", 2) == 0 || memcmp(you->f, "wy", 2) == 0);
    for (size_t i = 0; pronoun && i < sizeof(one) / sizeof(one[0]); i++) {
        if (strcmp(x->t[k].f, one[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Whether the string w (a folded token, a lexicon pattern) is one of the n strings in list. */
static bool in_list(const char *w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(w, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* in_list over a whole static array. */
#define IN_LIST(w, list) in_list((w), (list), sizeof(list) / sizeof((list)[0]))

#define VERDICT_REACH 3

/*
 * Whether the anger word at token k is a verdict on goods: a word for worthless things
 * ("junk, porquería, krám, szajs, a disaster") as the predicate of a copula whose subject is a
 * noun ("The router you sent is a useless piece of junk", "Este router es una porquería", "Ten
 * ovladač je úplnej krám", "Ta aplikacja to jakiś szajs"), over articles and intensifiers only.
 * A complaint about goods, not anger at anyone. A pronoun subject speaks of the whole affair
 * ("This is a disaster", "Je to krám"), the addressees or their managers of people ("You are
 * useless"): those stay anger. Words of outrage ("a joke, kpina, výsměch") are no verdict on
 * goods: an offer called a mockery is anger.
 */
static bool verdict_on_thing(const struct text *x, const struct marks *m, size_t k)
{
    static const char *const junk[] = {"useless", "junk",   "disaster*", "porqueria*", "desastre*",
                                       "kram",    "smejd*", "k nicemu",  "szajs*",     "porazka"};
    static const char *const copula[][2] = {[LEX_EN] = {"is", "is"},
                                            [LEX_ES] = {"es", "es"},
                                            [LEX_CS] = {"je", "je"},
                                            [LEX_PL] = {"to", "jest"}};
    /* articles and the adjectives that intensify a noun ("úplnej krám", "totalny szajs") */
    static const char *const article[] = {
        "a",         "an",        "un",      "una",       "jakis",   "jakas",
        "jakies",    "complete",  "total",   "absolute",  "utter",   "autentica",
        "verdadera", "uplny",     "uplnej",  "totalni",   "strasny", "strasnej",
        "obycejny",  "obycejnej", "totalny", "kompletny", "zwykly",  "straszny"};
    static const char *const pronoun[] = {"this", "that", "it",    "what",  "which", "esto",
                                          "eso",  "que",  "to",    "tohle", "toto",  "tamto",
                                          "co",   "ono",  "ktore", "ktory", "ktora"};
    const struct desk_lex *e = m[k].val;
    if (e->lang >= sizeof(copula) / sizeof(copula[0]) || !IN_LIST(e->pat, junk)) {
        return false;
    }
    for (size_t d = 1; d <= VERDICT_REACH && d < k; d++) {
        size_t c = k - d;
        if (x->t[c + 1].clause) {
            return false;
        }
        if (in_list(x->t[c].f, copula[e->lang], 2)) {
            const struct tok *subj = &x->t[c - 1];
            return !x->t[c].bos && !x->t[c].clause && !m[c - 1].at_langs && !m[c - 1].youare &&
                   !m[c - 1].noun_len && !IN_LIST(subj->f, pronoun);
        }
        if (!m[c].boost && !IN_LIST(x->t[c].f, article)) {
            return false;
        }
    }
    return false;
}

#define UNFIT_REACH 12

/*
 * Whether "people like you" starts at token k and its sentence goes on to deny them a place:
 * "People like you should not be allowed near a keyboard", "Gente como usted no debería
 * acercarse a un teclado", "Lidi jako vy by neměli mít přístup k počítači", "Ludzie tacy jak
 * Wy nie powinni mieć dostępu do komputera". Contempt for the addressees without an insult
 * word. Returns the last token of "people like you", or -1.
 */
static long unfit_people(const struct text *x, size_t k)
{
    static const char *const people[] = {"people", "gente", "lidi",   "lide",
                                         "ludzie", "ludzi", "takovi", "tacy"};
    static const char *const such[] = {"takovi", "tacy", "takich"};
    static const char *const like[] = {"like", "como", "jako", "jak"};
    static const char *const you[] = {"you", "usted", "ustedes", "vosotros", "vy",  "ty",
                                      "wy",  "pan",   "pani",    "panstwo",  "wam", "tu"};
    static const char *const unfit[] = {"shouldn't", "shouldnt", "nemeli",
                                        "nemel",     "nemela",   "nemely"};
    static const char *const should[] = {"should",  "deberia", "deberian", "deberiais",
                                         "powinni", "powinno", "powinien", "powinna"};
    static const char *const negator[] = {"not", "never", "no", "nie"};
    size_t i = k;
    if (!IN_LIST(x->t[i].f, people)) {
        return -1;
    }
    i++;
    if (i < x->n && IN_LIST(x->t[i].f, such)) {
        i++;
    }
    if (i + 1 >= x->n || !IN_LIST(x->t[i].f, like) || !IN_LIST(x->t[i + 1].f, you)) {
        return -1;
    }
    long end = (long)i + 1;
    for (size_t j = i + 2; j < x->n && j <= i + UNFIT_REACH && !x->t[j].bos; j++) {
        if (IN_LIST(x->t[j].f, unfit) ||
            (IN_LIST(x->t[j].f, should) && ((j + 1 < x->n && IN_LIST(x->t[j + 1].f, negator)) ||
                                            IN_LIST(x->t[j - 1].f, negator)))) {
            return end;
        }
    }
    return -1;
}

#define DOUBT_REACH 4

/*
 * Whether the word at token k is reading whose very ability a question doubts of the staff:
 * "Are you even capable of reading?", "¿Usted sabe leer?", "Umíte vůbec číst?", "Czy pani w
 * ogóle umie czytać?". The ability is a knowing how (saber, umět, umieć, potrafić), not a
 * request ("Can you read me the number?", "¿Puede leer el adjunto?"); in English only
 * "capable" or "even" with "you" doubts it ("Are you able to read the attachment?" asks).
 */
static bool reading_doubted(const struct text *x, const struct marks *m, size_t k)
{
    static const char *const read[] = {"read", "reading", "leer", "cist", "czytac"};
    static const char *const know[] = {"sabe",      "saben",   "sabes",    "sabeis",  "umite",
                                       "umis",      "umi",     "neumite",  "neumis",  "neumi",
                                       "umie",      "umiecie", "umiesz",   "potrafi", "potraficie",
                                       "potrafisz", "capable", "incapable"};
    static const char *const doubt_en[] = {"capable", "incapable", "even"};
    if (!m[k].question || !IN_LIST(x->t[k].f, read)) {
        return false;
    }
    bool en = strcmp(x->t[k].f, "read") == 0 || strcmp(x->t[k].f, "reading") == 0;
    bool known = false, doubted = !en, you = !en;
    for (size_t d = 1; d <= DOUBT_REACH && d <= k && !x->t[k - d + 1].bos; d++) {
        const struct tok *w = &x->t[k - d];
        known |= IN_LIST(w->f, know);
        doubted |= IN_LIST(w->f, doubt_en);
        you |= strcmp(w->f, "you") == 0;
    }
    return known && doubted && you;
}

#define DENY_REACH 8

/* Whether the sentiment entry e is an insult by its words alone, or an anger word as strong. */
static bool insult_word(const struct desk_lex *e)
{
    return e->kind == LEX_ABUSE || e->kind == LEX_CURSE || e->kind == LEX_LIKEN ||
           (e->kind == LEX_IRATE && e->v <= -2.5f);
}

/*
 * Whether a verb of saying or calling, negated, stands before the insult at token k in its
 * sentence: "I'm not saying your staff are idiots, but…", "No digo que sean tontos", "Neříkám,
 * že jste neschopní", "Nie mówię, że jesteście idiotami". A denial reaches the first insult
 * after it only: "No digo que sean idiotas, pero hace falta ser muy idiota para…" says the
 * second.
 */
static bool deny_before(const struct text *x, const struct marks *m, size_t k)
{
    for (size_t d = 1; d <= DENY_REACH && d <= k; d++) {
        size_t j = k - d;
        if (x->t[j + 1].bos) {
            return false;
        }
        if (m[j].deny) {
            return true;
        }
        if (m[j].val && insult_word(m[j].val)) {
            return false;
        }
    }
    return false;
}

/* Whether something a person is likened to in contempt follows token k in the message. */
static bool likened_after(const struct marks *m, size_t k, size_t n)
{
    for (size_t i = k + 1; i < n; i++) {
        if (m[i].val && m[i].val->kind == LEX_LIKEN) {
            return true;
        }
    }
    return false;
}

/*
 * How a denial before the insult at token k reads: DENIAL_NONE without one; DENIAL_MEANT when
 * the complaint after it is said with restraint, not as an insult ("No digo que sean tontos,
 * pero tres personas me han dado tres respuestas"); DENIAL_SARCASTIC when the message goes on
 * to liken them to something that would do better ("I'm not saying you're stupid, I'm just
 * saying a monkey with a stapler would have filed it"): the insult is said, negator or not.
 */
enum denial { DENIAL_NONE, DENIAL_MEANT, DENIAL_SARCASTIC };

static enum denial denial_of(const struct text *x, const struct marks *m, size_t k)
{
    if (!deny_before(x, m, k)) {
        return DENIAL_NONE;
    }
    return likened_after(m, k, x->n) ? DENIAL_SARCASTIC : DENIAL_MEANT;
}

#define RUIN_REACH   10
#define RUIN_VALENCE 3.0 /* as much as an insult */

/*
 * Whether the ruin at token k is wished: a wish before it in its sentence, no negator between
 * ("I hope your company goes bankrupt", "Ojalá quiebren", "Přeju vám, ať zkrachujete",
 * "Obyście zbankrutowali"). Wishing harm is abuse; "I hope you don't go bust" is not.
 */
static bool ruin_wished(const struct text *x, const struct marks *m, size_t k)
{
    if (!m[k].ruin_len) {
        return false;
    }
    for (size_t d = 1; d <= RUIN_REACH && d <= k; d++) {
        size_t j = k - d;
        if (m[j].neg) {
            return false;
        }
        if (m[j].wish_harm) {
            return true;
        }
        if (x->t[j].bos) {
            return false;
        }
    }
    return false;
}

#define AIM_REACH 4

/*
 * Whether the sentence from token k on speaks to one person: a word of the second person
 * singular ("ty", "tebou"), or a Czech verb in it, which ends in "š" ("píšeš", "nezvládneš").
 */
static bool speaks_to_one(const struct text *x, const struct marks *m, size_t k)
{
    for (size_t i = k; i < x->n && (i == k || !x->t[i].bos); i++) {
        UChar last = x->u[x->t[i].u_end - 1];
        if (m[i].thou || last == 0x0161 || last == 0x0160) {
            return true;
        }
    }
    return false;
}

/*
 * An expletive is abuse only when aimed at the addressees or the company
 * that stands for them: after them in its clause ("you fucking clowns",
 * "vuestra puta empresa", "firma na hovno", "wy partacze jebani"), or right
 * before them ("fuck you", "pierdolę was", "me cago en vuestra", "mierda de
 * compañía"). Aimed at nothing ("fucking ridiculous", "joder", "kurwa", "do
 * prdele") it is anger. The expletive spans tokens k … k + l - 1.
 */
static bool aimed(const struct text *x, const struct marks *m, size_t k, size_t l)
{
    unsigned char lang = (unsigned char)(1u << m[k].val->lang);
    if (m[k].voc && k + l < x->n && speaks_to_one(x, m, k + l)) {
        return true;
    }
    for (size_t d = 1; d <= AIM_REACH && d <= k; d++) {
        if (x->t[k - d + 1].clause) {
            break;
        }
        if ((m[k - d].at_langs & lang) || m[k - d].youare) {
            return true;
        }
    }
    size_t j = k + l;
    if (j < x->n && !x->t[j].clause && m[j].of) {
        j++;
    }
    return j < x->n && !x->t[j].clause && (m[j].at_langs & lang);
}

/* Whether code unit c is a quotation mark. */
static bool quote_char(UChar c)
{
    return c == '\'' || c == '"' || c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201C ||
           c == 0x201D || c == 0x201E || c == 0xAB || c == 0xBB;
}

/*
 * Praise in scare quotes is its opposite: "Pani kierownik już mi raz
 * 'pomogła'", "their 'help'", "su «ayuda»". The word stands alone between
 * quotation marks.
 */
static bool scare_quoted(const struct text *x, size_t k, size_t l)
{
    int32_t s = x->t[k].u_start, e = x->t[k + l - 1].u_end;
    return s > 0 && e < x->ulen && quote_char(x->u[s - 1]) && quote_char(x->u[e]);
}

/* Whether code point c is a smiling or laughing face, a heart, raised or folded hands. */
static bool smile_char(UChar32 c)
{
    return (c >= 0x1F600 && c <= 0x1F60E) || c == 0x1F642 || c == 0x1F917 || c == 0x1F923 ||
           c == 0x1F970 || c == 0x1F64C || c == 0x1F64F || c == 0x2764 || c == 0x263A;
}

/*
 * Whether the writer smiles or laughs: a smiling emoji ("😂", "🙌"), an emoticon (":)",
 * ":-)", ":D", ";)") or a word of laughter ("haha", "lol", "jajaja", "xD"). Exclamation marks
 * and capitals beside it are joy or emphasis ("GRACIAAAS!! 🙌", "DŮLEŽITÉ!! … :)"), not
 * agitation.
 */
static bool smiling(const struct text *x)
{
    for (int32_t i = 0; i < x->ulen;) {
        UChar32 c;
        U16_NEXT(x->u, i, x->ulen, c);
        if (smile_char(c)) {
            return true;
        }
        if ((c == ':' || c == ';') && i < x->ulen) {
            int32_t j = i + (x->u[i] == '-' && i + 1 < x->ulen);
            if (x->u[j] == ')' || x->u[j] == 'D') {
                return true;
            }
        }
    }
    for (size_t k = 0; k < x->n; k++) {
        const char *f = x->t[k].f;
        if (strncmp(f, "haha", 4) == 0 || strncmp(f, "hehe", 4) == 0 ||
            strncmp(f, "jajaja", 6) == 0 || strcmp(f, "lol") == 0 || strcmp(f, "xd") == 0) {
            return true;
        }
    }
    return false;
}

/*
 * The score, the mood and the sentiment triggers of the message. Returns
 * whether it denies an insult ("You are not an idiot"): the rules read the
 * negation, which the model cannot.
 */
static bool sentiment(const struct text *x, const struct marks *m, struct desk_signals *out)
{
    bool denied = false;
    double s = 0;
    int arousal = 0, words = 0, caps_words = 0, caps_short = 0;
    for (size_t k = 0; k < x->n; k++) {
        if (x->t[k].letters >= 2) {
            words++;
            caps_words += x->t[k].caps && x->t[k].letters >= 3;
            caps_short += x->t[k].caps;
        }
    }
    bool shouting = caps_words >= 3 && caps_words * 10 >= words * 6;
    /* A short message wholly in capitals shouts too: "WHERE IS MY PARCEL????" */
    shouting |= caps_words >= 2 && caps_short == words;
    bool sarc = sarcastic(x, m);
    bool smile = smiling(x);
    /* Two words in capitals shout as well when they demand a manager: "MANAGER. NOW.",
     * "GERENTE. YA." */
    shouting |= out->supervisor_request && caps_short >= 2 && caps_short * 10 >= words * 6;
    bool even = out->supervisor_request && x->excl == 0 && !x->marks_run && caps_words == 0;
    /* A letter that opens formally and never raises its voice states its threats as
     * procedure ("…podáme žalobu", "skierowaniem sprawy na drogę sądową"): anger words count
     * as arousal only when intensified ("naprosto pobouřen", "głęboko oburzony"). */
    bool formal = x->n > 0 && m[0].formal && x->excl == 0 && !x->marks_run && caps_words == 0;
    int loose_caps = 0, loose_short = 0, repeats = 0;
    bool now = false, cursed = false, restrained = false;
    long last_val_end = -1;
    for (size_t k = 0; k < x->n; k++) {
        const struct desk_lex *e = m[k].val;
        now |= m[k].now;
        if (sarc && m[k].sarc) {
            s -= SARC_VALENCE;
            arousal += arousal == 0;
            add_trigger(x, out, k, k, "sentiment");
        }
        if ((m[k].alone || m[k].now) && x->t[k].bos && (k + 1 == x->n || x->t[k + 1].bos) &&
            !m[k].question) {
            /* "Enough." as a sentence of its own, not "not enough space"; so is a demand for
             * haste: "Now.", "Ya.", "Hned." */
            s -= ALONE_VALENCE;
            arousal++;
            add_trigger(x, out, k, k, "sentiment");
            continue;
        }
        if (vocative_insult(x, k)) {
            out->abusive = true;
            arousal++;
        }
        /* Contempt without an insult word weighs as an insult. */
        if (ruin_wished(x, m, k) || unfit_people(x, k) >= 0 || reading_doubted(x, m, k)) {
            out->abusive = true;
            arousal++;
            s -= RUIN_VALENCE;
        }
        if (!e) {
            /* A heading in capitals opening a sentence is a label, not a shout:
             * "URGENT: …", "DŮLEŽITÉ: …". */
            bool heading = x->t[k].bos && x->t[k].u_end < x->ulen && x->u[x->t[k].u_end] == ':';
            if (x->t[k].caps && x->t[k].letters >= 3 && !heading) {
                /* A short word in capitals is mostly an abbreviation ("PDF", "SMS", "NIP-em",
                 * "DIČ"), unless it negates, urges or stands alone: "NOT", "HOY", "SIX." */
                loose_caps++;
                loose_short += x->t[k].letters < ABBR_LETTERS && !m[k].neg && !m[k].now &&
                               !(x->t[k].bos && (k + 1 == x->n || x->t[k + 1].bos));
            }
            continue;
        }
        size_t l = m[k].val_len;
        double v = e->v;
        /* "mám papouška" says nothing of anyone */
        if (v == 0 || (e->kind == LEX_LIKEN && !called_names(x, m, k))) {
            k += l - 1;
            continue;
        }
        bool negated = false;
        long neg_at = -1;
        double mult = 1;
        /* A negator or intensifier modifies the first sentiment word after it only. */
        for (size_t d = 1; d <= 3 && d <= k && (long)(k - d) > last_val_end; d++) {
            size_t j = k - d;
            if (x->t[j + 1].bos) {
                break;
            }
            /* A negator does not reach across a comma either: "nikt nie odpowiada, to
             * niedopuszczalne" is not "not unacceptable". */
            if (x->t[j + 1].clause) {
                break;
            }
            if (m[j].neg && !negated) {
                negated = true;
                neg_at = (long)j;
            }
            if (d <= 2 && m[j].boost) {
                mult *= BOOST_FACTOR;
            }
            if (d <= 2 && m[j].damp) {
                mult *= DAMP_FACTOR;
            }
        }
        bool abuse = e->kind == LEX_ABUSE || (e->kind == LEX_CURSE && aimed(x, m, k, l));
        if (negated && abuse && other_than_you(x, m, neg_at)) {
            negated = false;
        }
        /* "No digo que sean tontos, pero…": the insult is denied, the complaint stays; a
         * third of its weight, not reversed as a plain negation would. */
        enum denial denial = (abuse || called_names(x, m, k) || insult_word(e)) && e->v < 0
                                 ? denial_of(x, m, k)
                                 : DENIAL_NONE;
        bool disowned = denial == DENIAL_MEANT;
        if (denial != DENIAL_NONE) {
            negated = false;
        }
        bool told = (e->kind == LEX_VAL || e->kind == LEX_IRATE || e->kind == LEX_CURSE) &&
                    e->v < 0 && felt_by_other(x, m, k, l);
        /* "Ta aplikacja to jakiś szajs": a verdict on goods weighs, but is no anger alone. */
        bool verdict = e->kind == LEX_IRATE && e->v < 0 && verdict_on_thing(x, m, k);
        restrained |= verdict;
        /* "Szef mnie zabije", "la tonta de mí": a complaint about one's own lot. */
        told |= e->kind == LEX_ABUSE && of_own(x, m, k, l);
        if (told) {
            mult *= FELT_FACTOR;
        }
        bool caps = false;
        for (size_t i = k; i < k + l; i++) {
            caps |= x->t[i].caps;
        }
        if (caps && !shouting) {
            mult *= CAPS_FACTOR;
        }
        v *= mult;
        if (negated) {
            v *= NEG_SCALAR;
        }
        if (sarc && v > 0) {
            v = -v;
        } else if (v > 0 && scare_quoted(x, k, l)) {
            v = -v;
            arousal += arousal == 0;
        }
        bool own = abuse && said_of_self(x, m, k, l);
        restrained |= disowned;
        if (disowned || own) {
            denied = true; /* denied, or said of the customer's own lot */
        } else if (abuse || called_names(x, m, k)) {
            out->abusive |= !negated;
            denied |= negated;
            arousal += !negated;
        }
        /* A repetition count beside a supervisor request made in an even voice (no
         * exclamation mark, no capitals) is how a patient customer complains: "This is the
         * third time. Is there anyone more senior?" */
        if (!negated && !told && !disowned && (!formal || mult > 1) &&
            ((e->kind == LEX_IRATE && !verdict) || (e->kind == LEX_CURSE && !abuse) || own ||
             (e->kind == LEX_REPEAT && !even))) {
            if (e->kind == LEX_REPEAT) {
                repeats++;
            } else {
                arousal++;
            }
            cursed |= e->kind == LEX_CURSE;
        }
        if (!negated && !disowned && !verdict && e->v <= -2.5f && mult > 1) {
            arousal++;
        }
        if ((!abuse && !called_names(x, m, k)) || negated || own || disowned) {
            add_trigger(x, out, k, k + l - 1, "sentiment");
        }
        s += v;
        k += l - 1;
        last_val_end = (long)k;
    }
    /* A repetition count alone is a patient complaint ("Third time this week my rider
     * cancelled"); it is anger beside other anger, an exclamation or more bad news. */
    if (repeats && (arousal || x->excl || (s < REPEAT_ALONE && !restrained))) {
        arousal += repeats;
    }
    /* Abbreviations alone raise no voice; beside an exclamation mark they may. */
    if (loose_caps == loose_short && !x->excl) {
        loose_caps = 0;
    }
    int excl = x->excl < 4 ? x->excl : 4;
    if (s > 0.5) {
        s += EXCL_STEP * excl;
    } else if (!smile) {
        /* Emphasis with nothing positive said reads as agitation. */
        s -= EXCL_STEP * excl;
        if (x->excl >= 2 || x->marks_run) {
            s -= 0.6;
            arousal++;
        }
        if (shouting) {
            s -= 2.0;
            arousal += 2;
        } else if (loose_caps && (x->excl > 0 || s < 0)) {
            s -= 0.8;
            arousal++;
        }
        /* Shouting for a manager: "FETCH YOUR MANAGER!", "ZAVOLEJTE VEDOUCÍHO!" */
        if (!shouting && out->supervisor_request && loose_caps >= 2 && x->excl > 0) {
            s -= 1.0;
            arousal++;
        }
        /* Demanding a manager at once with an exclamation: "¡Pásame con tu supervisor
         * YA!", "Get me a manager now!" */
        if (out->supervisor_request && x->excl > 0 && now) {
            s -= 2.0;
            arousal++;
        }
    }
    double score = s / sqrt(s * s + NORM_ALPHA);
    if (score > 1) {
        score = 1;
    } else if (score < -1) {
        score = -1;
    }
    out->score = round(score * 1000) / 1000;
    /* Swearing is anger even where the rest of the message is mild: "To jest gówno i dobrze o
     * tym wiecie". */
    /* Who takes care not to insult ("I'm not saying you're incompetent, but this is the
     * fourth time…") keeps their temper: the sum alone, however long the complaint, is no
     * anger; a raised voice, a threat or an anger word still is. */
    bool kept = restrained && !out->abusive && !x->excl && !x->marks_run && !shouting && !cursed;
    /* A smile or a laugh keeps the mood light: only abuse, swearing or the sum make irate. */
    if (smile) {
        arousal = 0;
    }
    if (out->abusive || (cursed && score < 0) || (score <= -0.8 && (!kept || arousal >= 1)) ||
        (score <= -0.45 && arousal >= 1) || (score <= -0.35 && arousal >= 2)) {
        out->mood = DESK_MOOD_IRATE;
    } else if (score <= -0.2) {
        out->mood = DESK_MOOD_NEGATIVE;
    } else {
        out->mood = DESK_MOOD_CALM;
    }
    return denied;
}

/* Abuse triggers come first: they are what a supervisor must see. */
static void abuse_triggers(const struct text *x, const struct marks *m, struct desk_signals *out)
{
    for (size_t k = 0; k < x->n; k++) {
        if (vocative_insult(x, k)) {
            add_trigger(x, out, k - 2, k, "abuse");
        }
        if (ruin_wished(x, m, k)) {
            add_trigger(x, out, k, k + m[k].ruin_len - 1, "abuse");
        }
        if (reading_doubted(x, m, k)) {
            add_trigger(x, out, k, k, "abuse");
        }
        long unfit = unfit_people(x, k);
        if (unfit >= 0) {
            add_trigger(x, out, k, (size_t)unfit, "abuse");
        }
        bool abuse = m[k].val && (m[k].val->kind == LEX_ABUSE ||
                                  (m[k].val->kind == LEX_CURSE && aimed(x, m, k, m[k].val_len)));
        enum denial denial = m[k].val ? denial_of(x, m, k) : DENIAL_NONE;
        if (m[k].val && denial != DENIAL_MEANT &&
            ((abuse && !said_of_self(x, m, k, m[k].val_len)) || called_names(x, m, k))) {
            long neg_at = -1;
            for (size_t d = 1; d <= 3 && d <= k && !x->t[k - d + 1].clause && !denial; d++) {
                if (m[k - d].neg && neg_at < 0) {
                    neg_at = (long)(k - d);
                }
            }
            if (neg_at < 0 || (abuse && other_than_you(x, m, neg_at))) {
                add_trigger(x, out, k, k + m[k].val_len - 1, "abuse");
            }
            k += m[k].val_len - 1;
        }
    }
}

/* ---- the learned half --------------------------------------------------- */

/* The score of a message the model alone reads as irate, at most: the irate band's edge. */
#define MODEL_IRATE_SCORE (-0.5)

/* A label the model gives that the rules did not, with its strongest words as the trigger. */
static void model_adds(struct desk_arena *a, const struct desk_sigmodel *m, const char *text,
                       size_t len, int label, const char *kind, struct desk_signals *out)
{
    size_t from, to;
    if (desk_sigmodel_strongest(m, label, text, len, &from, &to)) {
        keep_trigger(out, desk_arena_strndup(a, text + from, to - from), kind);
    }
}

/*
 * The model reads the message beside the rules and adds what they missed
 * (model/signals_model.h). An irate reading it adds puts the score at
 * least at the edge of the irate band; abuse makes a message irate, as it
 * does for the rules. Where the rules read an insult as denied, the model,
 * which weighs the insult's words and not the negation, adds no abuse.
 *
 * It takes back what the rules read where it scores the message below
 * the label's floor, a score nearly every message of the label it was
 * trained on reached (signals_train.c): a supervisor request, which is
 * then a look-alike ("Vedouci vasi pobocky mi rekl, at si o novou kartu
 * napisu sem"), and an irate reading not made by abuse. Where writers said
 * negative and the rules irate it is usually so: firm letters with a
 * deadline, capitals written to be read ("PLEASE CHANGE THE DELIVERY
 * ADDRESS … NOTHING WRONG, JUST TIMING"). The message reads negative
 * then, its score at most at the irate band's edge.
 */
static void consult_model(struct desk_arena *a, const struct desk_sigmodel *m, const char *text,
                          size_t len, bool denied, struct desk_signals *out)
{
    struct desk_sigmodel_feature *f;
    float dec[DESK_SIG_LABELS];
    size_t n = desk_sigmodel_features(a, text, len, &f);
    desk_sigmodel_decide(m, f, n, dec);
    if (!out->supervisor_request && dec[DESK_SIG_SUPERVISOR] >= m->threshold[DESK_SIG_SUPERVISOR]) {
        out->supervisor_request = true;
        model_adds(a, m, text, len, DESK_SIG_SUPERVISOR, "supervisor", out);
    } else if (out->supervisor_request &&
               dec[DESK_SIG_SUPERVISOR] < m->floor[DESK_SIG_SUPERVISOR]) {
        out->supervisor_request = false;
        drop_triggers(out, "supervisor");
    }
    if (!out->abusive && !denied && dec[DESK_SIG_ABUSIVE] >= m->threshold[DESK_SIG_ABUSIVE]) {
        out->abusive = true;
        model_adds(a, m, text, len, DESK_SIG_ABUSIVE, "abuse", out);
    }
    if (out->mood != DESK_MOOD_IRATE &&
        (out->abusive || dec[DESK_SIG_IRATE] >= m->threshold[DESK_SIG_IRATE])) {
        out->mood = DESK_MOOD_IRATE;
        out->score = out->score < MODEL_IRATE_SCORE ? out->score : MODEL_IRATE_SCORE;
        model_adds(a, m, text, len, DESK_SIG_IRATE, "sentiment", out);
    } else if (out->mood == DESK_MOOD_IRATE && !out->abusive &&
               dec[DESK_SIG_IRATE] < m->floor[DESK_SIG_IRATE]) {
        out->mood = DESK_MOOD_NEGATIVE;
        out->score = out->score > MODEL_IRATE_SCORE ? out->score : MODEL_IRATE_SCORE;
    }
}

/* ---- entry points ------------------------------------------------------ */

static size_t utf8_cut(const char *text, size_t len)
{
    if (len <= DESK_SIGNALS_MAX_BYTES) {
        return len;
    }
    len = DESK_SIGNALS_MAX_BYTES;
    while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80) {
        len--;
    }
    return len;
}

int desk_signals_analyze(struct desk_arena *a, const char *text, size_t len,
                         struct desk_signals *out)
{
    return desk_signals_analyze_with(a, text, len, &desk_sigmodel_trained, out);
}

int desk_signals_analyze_with(struct desk_arena *a, const char *text, size_t len,
                              const struct desk_sigmodel *model, struct desk_signals *out)
{
    memset(out, 0, sizeof(*out));
    pthread_once(&init_once, compile);
    if (!init_ok) {
        return DESK_EINTERNAL;
    }
    if (!text || !len) {
        return 0;
    }
    struct text x = {.a = a};
    int rc = tokenize(&x, text, utf8_cut(text, len));
    if (rc) {
        memset(out, 0, sizeof(*out));
        return rc;
    }
    struct marks *m = desk_arena_alloc(a, (x.n ? x.n : 1) * sizeof(*m));
    unabbreviate(&x);
    mark(&x, m);
    mark_questions(&x, m);
    describe_authority(&x, m);
    supervisor(&x, m, out);
    abuse_triggers(&x, m, out);
    bool denied = sentiment(&x, m, out);
    if (model) {
        consult_model(a, model, text, utf8_cut(text, len), denied, out);
    }
    return 0;
}

char *desk_signals_fold(struct desk_arena *a, const char *text, size_t len)
{
    pthread_once(&init_once, compile);
    if (!init_ok) {
        return NULL;
    }
    struct text x = {.a = a};
    if (text && len && tokenize(&x, text, utf8_cut(text, len)) != 0) {
        return NULL;
    }
    size_t total = 1;
    for (size_t i = 0; i < x.n; i++) {
        total += x.t[i].flen + 1;
    }
    char *s = desk_arena_alloc(a, total), *p = s;
    for (size_t i = 0; i < x.n; i++) {
        if (i) {
            *p++ = ' ';
        }
        memcpy(p, x.t[i].f, x.t[i].flen);
        p += x.t[i].flen;
    }
    *p = '\0';
    return s;
}
