/*
 * Inside model/signals: the lexicon entry and the compiled-in tables
 * (signals_lex.c). Patterns are folded text (lower case ASCII for the Latin
 * languages): words separated by one space, a trailing '*' on a word
 * matches any word starting with it.
 */
#ifndef DESK_MODEL_SIGNALS_LEX_H
#define DESK_MODEL_SIGNALS_LEX_H

#include <stddef.h>

enum lex_lang { LEX_EN, LEX_ES, LEX_CS, LEX_PL };

enum lex_kind {
    LEX_VAL,   /* sentiment word or phrase, valence v (-4 … 4) */
    LEX_IRATE, /* anger marker: valence v and it counts as arousal */
    LEX_ABUSE, /* insult, contempt, threat, or profanity aimed by itself ("fuck off"): abusive,
                  valence v */
    LEX_CURSE, /* an expletive ("fucking", "joder", "kurva", "kurwa"): anger, valence v and
                  arousal; abusive only when aimed at the addressees (LEX_AT) */
    LEX_NEG,   /* negator: flips the valence of the next words */
    LEX_BOOST, /* intensifier ("very") */
    LEX_DAMP,  /* diminisher ("a bit") */
    LEX_NOUN,  /* a supervisor: manager, vedoucí, kierownik, someone in charge */
    LEX_FRAME, /* a request that may precede a supervisor noun: "speak", "chci", "páseme" */
    LEX_BACK,  /* a request that may follow one: "please", "poproszę", "dejte" */
    LEX_FILL,  /* may stand between a frame and a noun: "to", "your", "s", "z", "con" */
    LEX_POSS,  /* the customer's own: "my", "mi", "můj", "mój" — a look-alike, not a request */
    LEX_ESC,   /* asks to escalate on its own when it opens a request: "escalate", "eskalujte" */
    LEX_WISH,  /* opens a wish clause after a request: "aby", "que", "żeby", "that" */
    LEX_YOUR,  /* the addressee's: "your", "su", "váš", "wasz", "pani" */
    LEX_ABBR,  /* an abbreviation whose full stop ends no sentence: "np", "e.g" */
    LEX_THING, /* makes a supervisor noun before it a thing: "manager role", "konto" */
    LEX_WHO,   /* opens a description of a person: "someone", "whoever", "alguien", "kdo";
                  v 1 for the interrogative or relative "who", "kdo", "kto" */
    LEX_AUTH,  /* what marks that person as having authority: "in charge", "above you",
                  "pravomoc", "rządzi"; v 1 when strong enough after a bare "who" */
    LEX_ANA,   /* points back at a person: "them", "esa persona", "s ním", "z tą osobą" */
    LEX_NOW,   /* urgency: "now", "ya", "hned", "już", "today" */
    LEX_MOVE,  /* hands a case on: "pass", "předejte", "przekazać", "pásenlo" */
    LEX_UP,    /* up the hierarchy: "higher", "výš", "wyżej", "más arriba" */
    LEX_ALONE, /* anger when it is a whole sentence: "Enough.", "Dost!", "Basta." */
    LEX_ASK,   /* a question particle opening a sentence: "czy" */
    LEX_CAN, /* ability, which a weak authority needs: "who CAN approve", "kdo MŮŽE rozhodnout" */
    LEX_SARC,   /* marks praise as sarcasm in a complaint: "as always", "bravo", "gratuluju" */
    LEX_COND,   /* opens a condition: "if", "unless", "si", "jestli", "pokud", "jak", "jeżeli" */
    LEX_JUS,    /* a third-person request with its subject left out: "niech", "ať", "could he";
                   v 1 for a pure jussive, which needs no object ("niech się odezwie") */
    LEX_ME,     /* the customer as an object: "me", "mi", "do mnie", "se mnou" */
    LEX_REFL,   /* a reflexive possessive, owned by the clause's subject: "svým", "swoim" */
    LEX_SELF,   /* a verb whose subject is the customer: "můžu", "chci", "mogę", "bych" */
    LEX_EXIST,  /* asks whether a person exists or reads: "is there", "hay", "jest", "čtou" */
    LEX_CALL,   /* a contact verb, also negated: "call", "nezavolá", "odezwie", "llama" */
    LEX_PRAISE, /* praise or thanks passed on: "pochválit", "podziękować", "felicitar" */
    LEX_OF,     /* a genitive preposition: "of", "de", "del" */
    LEX_REPEAT, /* a repetition count, valence v: "third time", "potřetí", "trzeci raz" */
    LEX_YOUARE, /* says what the addressees are: "you are all", "sois", "jste", "jesteście";
                   v 1 for what the customer is or feels: "jsem", "cítím se jak", "I'm" */
    LEX_FORMAL, /* a formal salutation opening a letter: "Dear Sir or Madam", "Vážení" */
    LEX_KNOW,   /* wanting to know, not to talk: "know", "vědět", "saber", "wiedzieć" */
    LEX_LIKEN,  /* what a person is likened to in contempt, valence v: "parrot", "loro",
                   "automat"; an insult only when said of the addressees ("jste jak papoušek") */
    LEX_PAST,   /* a past verb of asking: a request right after it is recounted, not made
                   ("pedí hablar con", "žádala jsem o přepojení", "prosiłem o rozmowę z") */
    LEX_AT,     /* the addressees, or the company that stands for them: "you", "your", "vosotros",
                   "vy", "wasz", "company", "empresa", "firma"; an expletive next to it is aimed */
    LEX_OTHER,  /* whose the feeling after it is, when not the customer's at the company: a
                   third person ("my husband", "manžel", "mąż", "mi hija"); v 1 for the self
                   as its object after it ("at myself", "na siebie", "sama na sebe") */
    LEX_MINE,   /* the customer's own: "my", "mi", "můj", "mój"; an insult right after it is
                   said of what they own ("my stupid printer", "mi estúpido router") */
    LEX_DENY,   /* a verb of saying or calling, negated: "not saying", "no digo", "neříkám",
                   "nie mówię"; the insult after it in its sentence is denied, not said */
    LEX_VOC,    /* v 0: an expletive said as a vocative ("ty vole"), an interjection unless
                   its sentence speaks to one person; v 1: a word that does ("ty", "tebou") */
    LEX_RUIN    /* v 0: a wish ("I hope", "ojalá", "přeju", "oby"); v 1: the ruin of a business
                   or a livelihood after it ("goes bankrupt", "quiebren", "zkrachujete") */
};

struct desk_lex {
    unsigned char kind; /* enum lex_kind */
    unsigned char lang; /* enum lex_lang */
    float v;
    const char *pat;
};

extern const struct desk_lex desk_lex[];
extern const size_t n_desk_lex;

#endif
