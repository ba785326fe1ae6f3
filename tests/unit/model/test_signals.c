/*
 * Unit tests for model/signals: folding, the sentiment rules (negation,
 * intensifiers, capitals, exclamation marks), look-alikes of supervisor
 * requests, and the accuracy on the labelled sets under
 * tests/unit/model/data/signals/: precision and recall per language are
 * printed and must meet the targets (supervisor requests 95 %, irate and
 * abusive 90 %). DESK_SIGNALS_VERBOSE=1 prints every miss.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/signals.h"
#include "model/signals_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA_DIR "tests/unit/model/data/signals/"

static void test_fold(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"Chci mluvit s vedoucím", "chci mluvit s vedoucim"},
        {"CHCĘ ROZMAWIAĆ Z KIEROWNIKIEM!", "chce rozmawiac z kierownikiem"},
        {"Żółć, łąka — Straße", "zolc laka strasse"},
        {"¿Podría hablar con él?", "podria hablar con el"},
        {"I don’t care", "i don't care"},
        {"ﬁle ＦＵＬＬ Ærø İstanbul Đorđe", "file full aero istanbul dorde"},
        {"Привет мир", "привет мир"},
        {"", ""},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_arena a;
        desk_arena_init(&a);
        char *f = desk_signals_fold(&a, cases[i].in, strlen(cases[i].in));
        assert_non_null(f);
        if (strcmp(f, cases[i].want) != 0) {
            fail_msg("fold(%s) = '%s', want '%s'", cases[i].in, f, cases[i].want);
        }
        desk_arena_release(&a);
    }
}

static void test_rules(void **state)
{
    static const struct {
        const char *text;
        int mood;
        int sign; /* -1 negative score, 1 positive, 0 zero */
        bool abusive, sup;
    } cases[] = {
        {"I am happy with it", DESK_MOOD_CALM, 1, false, false},
        {"I am not happy with it", DESK_MOOD_NEGATIVE, -1, false, false},
        {"no estoy contento", DESK_MOOD_NEGATIVE, -1, false, false},
        {"nejsem spokojen", DESK_MOOD_NEGATIVE, -1, false, false},
        {"nie jestem zadowolony", DESK_MOOD_NEGATIVE, -1, false, false},
        {"Not bad", DESK_MOOD_CALM, 1, false, false},
        {"This is bad", DESK_MOOD_NEGATIVE, -1, false, false},
        {"This is VERY BAD!!!", DESK_MOOD_IRATE, -1, false, false},
        {"What are your opening hours?", DESK_MOOD_CALM, 0, false, false},
        {"you idiot", DESK_MOOD_IRATE, -1, true, false},
        {"chci mluvit s vedoucím", DESK_MOOD_CALM, 0, false, true},
        {"chci mluvit s vedoucim", DESK_MOOD_CALM, 0, false, true},
        {"chcę rozmawiać z kierownikiem", DESK_MOOD_CALM, 0, false, true},
        {"my manager asked me to write", DESK_MOOD_CALM, 0, false, false},
        {"mi jefe me pidió que escribiera", DESK_MOOD_CALM, 0, false, false},
        {"můj vedoucí mi řekl", DESK_MOOD_CALM, 0, false, false},
        {"mój kierownik kazał", DESK_MOOD_CALM, 0, false, false},
        /* round 8: a pronoun, or a request with its subject left out, after a person named */
        {"Decyzję musi podjąć jego przełożona. Proszę o kontakt z nią.", DESK_MOOD_CALM, 0, false,
         true},
        {"O zwrocie decyduje kierownik. Niech się do mnie odezwie.", DESK_MOOD_CALM, 0, false,
         true},
        {"O zwrocie decyduje kierownik. Niech mi ktoś to wyjaśni.", DESK_MOOD_CALM, 0, false,
         false},
        {"O zwrocie decyduje kierownik. Niech pan mi to wyjaśni.", DESK_MOOD_CALM, 0, false, false},
        /* asking whether such a person is there */
        {"Jest w ogóle jakiś szef tych kurierów?", DESK_MOOD_CALM, 0, false, true},
        {"Czy w wersji Business jest moduł dla kierowników?", DESK_MOOD_CALM, 0, false, false},
        /* reflexive possessives belong to the subject; a genitive owner */
        {"chci to probrat se svým vedoucím", DESK_MOOD_CALM, 0, false, false},
        {"Zavolejte svého vedoucího.", DESK_MOOD_CALM, 0, false, true},
        {"Muszę to omówić ze swoim kierownikiem.", DESK_MOOD_CALM, 0, false, false},
        {"Proszę przekazać to swojemu przełożonemu.", DESK_MOOD_CALM, 0, false, true},
        {"czy moge dodac kierowniczke mojego biura do konta?", DESK_MOOD_CALM, 0, false, false},
        /* negated escalation; ultimatums; an ability left elliptic */
        {"No need to escalate this.", DESK_MOOD_CALM, 0, false, false},
        {"Jestli mi váš vedoucí dneska nezavolá, ruším smlouvu.", DESK_MOOD_CALM, 0, false, true},
        {"Rozumiem, że pan nie może. To poproszę kogoś, kto może.", DESK_MOOD_CALM, 0, false, true},
        /* praise passed on through a pronoun */
        {"Kierowniczka była bardzo pomocna, proszę jej przekazać podziękowania.", DESK_MOOD_CALM, 1,
         false, false},
        /* round 9: a pure jussive with a contact verb, a clause or a wish clause after the
         * person; a wish to talk after asking whether they are there */
        {"od tygodnia nie dziala karta, kto jest nad wami? niech sie odezwie", DESK_MOOD_NEGATIVE,
         -1, false, true},
        {"Kto u was zdecydował o przeniesieniu lotu? Chcę, żeby do mnie oddzwoniła.",
         DESK_MOOD_CALM, 0, false, true},
        {"Chci vědět, kdo za to zodpovídá, a ať mi ten člověk zavolá.", DESK_MOOD_CALM, 0, false,
         true},
        {"Czy kierownik zmiany będzie dziś na recepcji? Chciałbym pogadać o rezerwacji.",
         DESK_MOOD_CALM, 0, false, true},
        {"Kierownik zmiany był dziś na recepcji. Chciałbym pogadać o rezerwacji.", DESK_MOOD_CALM,
         0, false, false},
        {"Kierownik był miły. Niech się pan do mnie odezwie.", DESK_MOOD_CALM, 0, false, false},
        /* being there in a condition; an ultimatum whose threat follows the demand */
        {"If there's anyone above you who can override it, I'd be happy to wait.", DESK_MOOD_CALM,
         1, false, true},
        {"Somebody in management calls me by 5pm or I'm going to the ombudsman.", DESK_MOOD_IRATE,
         -1, false, true},
        /* a dative noun apart from the possessive; a genitive owner one step further */
        {"Proszę o przekazanie mojej propozycji naczelnikowi wydziału.", DESK_MOOD_CALM, 0, false,
         true},
        {"Przekażę to mojemu kierownikowi.", DESK_MOOD_CALM, 0, false, false},
        {"El director del colegio de mi hijo pide el certificado, ¿lo puedo descargar?",
         DESK_MOOD_CALM, 0, false, false},
        /* a closing "who" question of authority; wanting to know who is to blame */
        {"Who decides here?", DESK_MOOD_CALM, 0, false, true},
        {"Who is responsible for this mess?", DESK_MOOD_NEGATIVE, -1, false, false},
        {"I want to know who is responsible for the delay.", DESK_MOOD_NEGATIVE, -1, false, false},
        /* insults: said of the addressees, a vocative of contempt, not said of oneself */
        {"Sois todos igual de incompetentes.", DESK_MOOD_IRATE, -1, true, false},
        {"This service is incompetent.", DESK_MOOD_IRATE, -1, false, false},
        {"Vy hyeny jedny.", DESK_MOOD_IRATE, 0, true, false},
        {"Sem fakt nasraná.", DESK_MOOD_IRATE, -1, false, false},
        /* round 10: what the addressees are likened to, and the same thing said of nothing */
        {"Vy jste jak papoušek.", DESK_MOOD_IRATE, -1, true, false},
        {"Usted es un loro con uniforme.", DESK_MOOD_IRATE, -1, true, false},
        {"Pani jest jak automat z napojami.", DESK_MOOD_IRATE, -1, true, false},
        {"Mám doma papouška a robota.", DESK_MOOD_CALM, 0, false, false},
        {"El loro de mi hija se escapó de la jaula.", DESK_MOOD_CALM, 0, false, false},
        /* round 10: a threat understated; not knowing where is none */
        {"I know where your depot is.", DESK_MOOD_IRATE, -1, true, false},
        {"I don't know where your depot is.", DESK_MOOD_CALM, 0, false, false},
        /* round 10: passing it up in Spanish opens a request; posting it online does not */
        {"Súbelo a quien corresponda, por favor.", DESK_MOOD_CALM, 0, false, true},
        /* praise in scare quotes; a formal letter's threat is procedure */
        {"Pani kierownik już mi raz 'pomogła'.", DESK_MOOD_NEGATIVE, -1, false, false},
        {"Vážení, nebude-li věc vyřízena do 15 dnů, podáme žalobu.", DESK_MOOD_NEGATIVE, -1, false,
         false},
        /* a son of sixteen is no insult */
        {"Mi hijo de 16 años necesita una tarjeta vinculada a mi cuenta.", DESK_MOOD_CALM, 0, false,
         false},
        {"Sois unos hijos de perra.", DESK_MOOD_IRATE, -1, true, false},
        /* owners of a business, not of an account */
        {"Pass this to the owner of the company.", DESK_MOOD_CALM, 0, false, true},
        {"I am the owner of the account.", DESK_MOOD_CALM, 0, false, false},
        /* round 11: whoever a "who" question asks after, pointed back at; a name asked for */
        {"Who decides on exceptions here? I would like that person to call me.", DESK_MOOD_CALM, 0,
         false, true},
        {"Kto u was zatwierdza wyjątki? Chcę z tą osobą porozmawiać.", DESK_MOOD_CALM, 0, false,
         true},
        {"Who decides on exceptions here? I want to know why they refused.", DESK_MOOD_CALM, 0,
         false, false},
        {"Kto zatwierdza wnioski? Pytam, bo go nie widzę na liście.", DESK_MOOD_CALM, 0, false,
         false},
        /* round 11: a person of weak authority asked for by a frame; the agent is not */
        {"Please pass my case to someone who can authorise a refund.", DESK_MOOD_CALM, 0, false,
         true},
        {"The agent who approved it was nice.", DESK_MOOD_CALM, 1, false, false},
        /* round 11: stems and persons of the vocabulary: "aprueba", "abyste", "s tím člověkem" */
        {"¿Quién aprueba las excepciones? Quiero hablar con esa persona.", DESK_MOOD_CALM, 0, false,
         true},
        {"Vedoucí je dnes tady. Chci, abyste to předali jemu.", DESK_MOOD_CALM, 0, false, true},
        {"Kdo u vás schvaluje výjimky? Rád bych se s tím člověkem spojil.", DESK_MOOD_CALM, 0,
         false, true},
        /* round 11: talking to a wall, a reckoning said quietly; a plain question is calm */
        {"Talking to you is like talking to a brick wall.", DESK_MOOD_IRATE, -1, true, false},
        {"Świat jest mały, jeszcze się spotkamy.", DESK_MOOD_IRATE, -1, true, false},
        {"¿Qué tengo que hacer para cerrar la cuenta?", DESK_MOOD_CALM, 0, false, false},
        /* round 11: a request recounted after a past verb of asking, or negated over "nic" */
        {"Ayer pedí hablar con un supervisor, pero ya está resuelto.", DESK_MOOD_CALM, 1, false,
         false},
        {"Prosiłam o rozmowę z kierownikiem, ale już nie trzeba.", DESK_MOOD_CALM, 0, false, false},
        {"Není potřeba nic eskalovat, vedoucí mi už volal.", DESK_MOOD_CALM, 1, false, false},
        {"Quiero hablar con un supervisor.", DESK_MOOD_CALM, 0, false, true},
        /* round 11: inside the description of another person, a request and an insult */
        {"¿Con quién podría hablar que tenga facultad para aprobarlo? Usted ha sido amable.",
         DESK_MOOD_CALM, 0, false, true},
        {"Get me someone who isn't a complete idiot.", DESK_MOOD_IRATE, -1, true, false},
        {"You are not an idiot, I know.", DESK_MOOD_CALM, 1, false, false},
        /* round 11: a feeling told of a third person or of oneself is not vented */
        {"Mąż jest wściekły na siebie, bo zostawił ładowarkę w pokoju.", DESK_MOOD_NEGATIVE, -1,
         false, false},
        {"Jsem naštvaný, zase mi nejde internet.", DESK_MOOD_IRATE, -1, false, false},
        /* an expletive of frustration is anger; profanity aimed at the staff or the company,
         * or in a phrase that aims by itself, is abuse */
        {"This is absolutely fucking ridiculous.", DESK_MOOD_IRATE, -1, false, false},
        {"Fuck this, I'm done waiting.", DESK_MOOD_IRATE, -1, false, false},
        {"Your fucking company took my money twice.", DESK_MOOD_IRATE, -1, true, false},
        {"Fuck you and your refund policy.", DESK_MOOD_IRATE, -1, true, false},
        {"Joder, otra vez sin conexión.", DESK_MOOD_IRATE, -1, false, false},
        {"Me cago en la leche, tres semanas esperando.", DESK_MOOD_IRATE, -1, false, false},
        {"Vuestra puta empresa me ha cobrado dos veces.", DESK_MOOD_IRATE, -1, true, false},
        {"Idos a la mierda.", DESK_MOOD_IRATE, -1, true, false},
        {"Do prdele, zase mi nejde internet.", DESK_MOOD_IRATE, -1, false, false},
        {"Kurva, už je to týden.", DESK_MOOD_IRATE, -1, false, false},
        {"Vaše zasraná firma mi zase strhla peníze.", DESK_MOOD_IRATE, -1, true, false},
        {"Jděte do prdele s tou vaší podporou.", DESK_MOOD_IRATE, -1, true, false},
        {"Kurwa, znowu nie działa internet.", DESK_MOOD_IRATE, -1, false, false},
        {"Ja pierdolę, trzeci tydzień czekam.", DESK_MOOD_IRATE, -1, false, false},
        {"Pierdolę was i waszą infolinię.", DESK_MOOD_IRATE, -1, true, false},
        {"Wasza jebana firma znowu mnie oszukała.", DESK_MOOD_IRATE, -1, true, false},
        /* round 12: a repetition count alone is a patient complaint, anger beside anger */
        {"This is the third time I have sent the form.", DESK_MOOD_NEGATIVE, -1, false, false},
        {"This is the third time I have sent the form. Unacceptable.", DESK_MOOD_IRATE, -1, false,
         false},
        {"Posílám ten formulář už potřetí.", DESK_MOOD_NEGATIVE, -1, false, false},
        {"Posílám ten formulář už potřetí, je to k ničemu!", DESK_MOOD_IRATE, -1, false, false},
        /* round 12: an insult or a threat said of the customer's own lot is no abuse */
        {"My idiot neighbour cut the cable.", DESK_MOOD_NEGATIVE, -1, false, false},
        {"Your idiot colleague hung up on me.", DESK_MOOD_IRATE, -1, true, false},
        {"El idiota de mi vecino me cortó el cable.", DESK_MOOD_NEGATIVE, -1, false, false},
        {"El idiota de tu compañero me colgó.", DESK_MOOD_IRATE, -1, true, false},
        {"Szef mnie zabije, jeśli faktura nie dotrze.", DESK_MOOD_NEGATIVE, -1, false, false},
        {"Zabiję was, jeśli faktura nie dotrze.", DESK_MOOD_IRATE, -1, true, false},
        /* round 12: a heading in capitals is a label, elsewhere a word in capitals shouts */
        {"IMPORTANT: my card was lost, please block it.", DESK_MOOD_NEGATIVE, -1, false, false},
        {"My card was lost, IMPORTANT, please block it.", DESK_MOOD_IRATE, -1, false, false},
        /* round 12: a demand for haste as a sentence of its own is anger */
        {"Chci zpátky své peníze. Hned.", DESK_MOOD_IRATE, -1, false, false},
        {"Hned jak přijde zásilka, dám vědět.", DESK_MOOD_CALM, 0, false, false},
        /* round 12: a short word in capitals is an abbreviation unless it negates, urges or
         * stands alone, or the message exclaims */
        {"The app crashed again and I lost the VAT form.", DESK_MOOD_NEGATIVE, -1, false, false},
        {"The app crashed and I am NOT paying for this.", DESK_MOOD_IRATE, -1, false, false},
        {"Aplikace spadla a ztratil jsem formulář k DPH.", DESK_MOOD_NEGATIVE, -1, false, false},
        /* round 13: an insult denied by a verb of saying is a complaint said with restraint,
         * unless the message goes on to liken them to something that would do better */
        {"I'm not saying your staff are idiots, but nobody at the gate knew the gate had moved.",
         DESK_MOOD_NEGATIVE, -1, false, false},
        {"Your staff are idiots, nobody at the gate knew the gate had moved.", DESK_MOOD_IRATE, -1,
         true, false},
        {"No digo que sean tontos, pero nadie me ha contestado.", DESK_MOOD_NEGATIVE, -1, false,
         false},
        {"Son ustedes tontos, nadie me ha contestado.", DESK_MOOD_IRATE, -1, true, false},
        {"Nie mówię, że jesteście idiotami, ale paczki nadal nie ma.", DESK_MOOD_NEGATIVE, -1,
         false, false},
        {"Jesteście idiotami, paczki nadal nie ma.", DESK_MOOD_IRATE, -1, true, false},
        {"I'm not saying you're idiots, I'm just saying a monkey would have done better.",
         DESK_MOOD_IRATE, -1, true, false},
        {"No digo que sean idiotas, pero hace falta ser muy idiota para perder una maleta.",
         DESK_MOOD_IRATE, -1, true, false},
        /* round 14: who denies an insult keeps their temper: a repetition count or a long
         * complaint after the denial is no anger; a threat or an anger word still is */
        {"I'm not calling you useless, but this is the fourth time I've sent the documents.",
         DESK_MOOD_NEGATIVE, -1, false, false},
        {"You are useless, this is the fourth time I've sent the documents.", DESK_MOOD_IRATE, -1,
         true, false},
        {"Neříkám, že jste neschopní, ale píšu už počtvrté a pořád nic.", DESK_MOOD_NEGATIVE, -1,
         false, false},
        {"I'm not calling you a liar, but the bill is triple and I am absolutely livid.",
         DESK_MOOD_IRATE, -1, false, false},
        /* round 14: a word for worthless goods said of a thing is a verdict, no anger alone;
         * of the whole affair, or with a raised voice, it stays anger */
        {"Este router es una porquería, se cae todas las noches.", DESK_MOOD_NEGATIVE, -1, false,
         false},
        {"Es una porquería, se cae todas las noches.", DESK_MOOD_IRATE, -1, false, false},
        {"Ta aplikacja to jakiś szajs, nie da się zapłacić.", DESK_MOOD_NEGATIVE, -1, false, false},
        {"Ta aplikacja to jakiś szajs! Chcę zwrot pieniędzy!", DESK_MOOD_IRATE, -1, false, false},
        {"Ten ovladač je úplnej krám, tlačítko se zasekává.", DESK_MOOD_NEGATIVE, -1, false, false},
        {"Je to krám, tlačítko se zasekává.", DESK_MOOD_IRATE, -1, false, false},
        /* round 14: a smile or a laugh makes exclamation marks and capitals joy, not
         * agitation; abuse beside it is still abuse */
        {"IMPORTANT!! The keys are in the box by the gate, not at reception :)", DESK_MOOD_CALM, 0,
         false, false},
        {"IMPORTANT!! The keys are in the box by the gate, not at reception!!", DESK_MOOD_IRATE, -1,
         false, false},
        {"lol ok, you are a bunch of useless muppets", DESK_MOOD_IRATE, -1, true, false},
        /* round 14: "people like you" denied a place is contempt without an insult word */
        {"People like you should not be allowed near a keyboard.", DESK_MOOD_IRATE, -1, true,
         false},
        {"People like you are why I keep my account here.", DESK_MOOD_CALM, 1, false, false},
        {"Lidi jako vy by neměli mít přístup k počítači.", DESK_MOOD_IRATE, -1, true, false},
        {"Lidi jako vy mi vždycky pomohou.", DESK_MOOD_CALM, 0, false, false},
        {"Ludzie tacy jak Wy nie powinni mieć dostępu do komputera.", DESK_MOOD_IRATE, -1, true,
         false},
        {"Gente como usted no debería acercarse a un teclado.", DESK_MOOD_IRATE, -1, true, false},
        /* round 14: a question that doubts the staff can read at all is contempt; a request
         * to read something is not */
        {"Are you even capable of reading? I wrote the date in the first line.", DESK_MOOD_IRATE,
         -1, true, false},
        {"Are you able to read the attachment I sent yesterday?", DESK_MOOD_CALM, 0, false, false},
        {"Umíte vůbec číst? Číslo smlouvy je v předmětu.", DESK_MOOD_IRATE, -1, true, false},
        {"Czy pani w ogóle umie czytać? PESEL był w pierwszym zdaniu.", DESK_MOOD_IRATE, -1, true,
         false},
        {"¿Puede leer el adjunto que le mandé ayer?", DESK_MOOD_CALM, 0, false, false},
        /* round 13: a vocative expletive is an interjection unless its sentence speaks to the
         * one it names; filth said of a thing is anger, aimed at the company abuse */
        {"Ty vole, to snad není pravda, platba odešla dvakrát.", DESK_MOOD_IRATE, -1, false, false},
        {"Ty vole, ty seš úplně mimo.", DESK_MOOD_IRATE, -1, true, false},
        {"This piece of shit router drops the connection every hour.", DESK_MOOD_IRATE, -1, false,
         false},
        {"You piece of shit, give me my money back.", DESK_MOOD_IRATE, -1, true, false},
        {"Ten telefon je totální sračka.", DESK_MOOD_IRATE, -1, false, false},
        {"Vaše firma je totální sračka.", DESK_MOOD_IRATE, -1, true, false},
        {"Je to svinstvo, proud nám vypnuli bez ohlášení.", DESK_MOOD_IRATE, -1, false, false},
        {"Vy jste svinstvo.", DESK_MOOD_IRATE, -1, true, false},
        /* round 13: wishing the company ruin or its staff out of work is abuse */
        {"I hope your company goes bankrupt and you all lose your jobs.", DESK_MOOD_IRATE, -1, true,
         false},
        {"I hope you don't go bankrupt before my refund arrives.", DESK_MOOD_CALM, 0, false, false},
        {"Přeju vám, ať zkrachujete.", DESK_MOOD_IRATE, -1, true, false},
        {"Firma zbankrutowała, mam nadzieję, że zwrot jednak przyjdzie.", DESK_MOOD_CALM, 0, false,
         false},
        /* round 13: the press and a regulator are anger, a television or a tax office is not */
        {"Když to neopravíte, jdu s tím do televize.", DESK_MOOD_IRATE, -1, false, false},
        {"Můžete mi televizi doručit až po 17. hodině?", DESK_MOOD_CALM, 0, false, false},
        {"Jeśli tego nie naprawicie, piszę do urzędu regulacyjnego.", DESK_MOOD_IRATE, -1, false,
         false},
        {"Jak zrobić przelew do urzędu skarbowego?", DESK_MOOD_CALM, 0, false, false},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_arena a;
        struct desk_signals s;
        desk_arena_init(&a);
        assert_int_equal(
            desk_signals_analyze_with(&a, cases[i].text, strlen(cases[i].text), NULL, &s), 0);
        int sign = s.score > 0 ? 1 : s.score < 0 ? -1 : 0;
        if (s.mood != cases[i].mood || sign != cases[i].sign || s.abusive != cases[i].abusive ||
            s.supervisor_request != cases[i].sup) {
            fail_msg("'%s': mood %s score %.3f abusive %d supervisor %d", cases[i].text,
                     desk_mood_name(s.mood), s.score, s.abusive, s.supervisor_request);
        }
        assert_true(s.score >= -1 && s.score <= 1);
        /* The model is measured on the labelled sets (test_accuracy); these cases show
         * where it reads a look-alike differently from the rules. */
        assert_int_equal(desk_signals_analyze(&a, cases[i].text, strlen(cases[i].text), &s), 0);
        if (s.mood != cases[i].mood || s.abusive != cases[i].abusive ||
            s.supervisor_request != cases[i].sup) {
            printf("with the model: '%s': mood %s abusive %d supervisor %d\n", cases[i].text,
                   desk_mood_name(s.mood), s.abusive, s.supervisor_request);
        }
        desk_arena_release(&a);
    }
}

/* The learned half on its own: folding, determinism, decisions and the trigger it shows. */
static void test_model(void **state)
{
    const struct desk_sigmodel *m = &desk_sigmodel_trained;
    struct desk_arena a;
    struct desk_sigmodel_feature *f, *g;
    float dec[DESK_SIG_LABELS];
    (void)state;
    desk_arena_init(&a);
    assert_non_null(m->w);
    /* Folded alike: the same buckets with diacritics or without. */
    static const char with[] = "Chci mluvit s vedoucím!", without[] = "chci MLUVIT s vedoucim !";
    size_t n = desk_sigmodel_features(&a, with, strlen(with), &f);
    size_t k = desk_sigmodel_features(&a, without, strlen(without), &g);
    assert_true(n > 20);
    assert_int_equal(n, k);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(f[i].bucket, g[i].bucket);
        assert_true(f[i].bucket < DESK_SIGMODEL_BUCKETS);
    }
    static const char req[] = "Can I please speak to your supervisor about this?";
    desk_sigmodel_decide(m, f, desk_sigmodel_features(&a, req, strlen(req), &f), dec);
    assert_true(dec[DESK_SIG_SUPERVISOR] >= m->threshold[DESK_SIG_SUPERVISOR]);
    size_t from = 0, to = 0;
    assert_true(desk_sigmodel_strongest(m, DESK_SIG_SUPERVISOR, req, strlen(req), &from, &to));
    assert_true(from < to && to <= strlen(req));
    static const char calm[] = "Thank you, the parcel arrived this morning in one piece.";
    desk_sigmodel_decide(m, f, desk_sigmodel_features(&a, calm, strlen(calm), &f), dec);
    for (int l = 0; l < DESK_SIG_LABELS; l++) {
        assert_true(dec[l] < m->threshold[l]);
    }
    /* Nothing to read: nothing fires; no model: nothing is decided. */
    desk_sigmodel_decide(m, f, desk_sigmodel_features(&a, "", 0, &f), dec);
    assert_true(dec[DESK_SIG_SUPERVISOR] < m->threshold[DESK_SIG_SUPERVISOR]);
    struct desk_sigmodel none = {0};
    desk_sigmodel_decide(&none, f, 0, dec);
    assert_true(dec[DESK_SIG_ABUSIVE] < -1e30f);
    assert_false(desk_sigmodel_strongest(&none, DESK_SIG_SUPERVISOR, req, strlen(req), &from, &to));
    desk_arena_release(&a);
}

/*
 * What the model takes back from the rules, below its floors: a look-alike
 * the rules read as a request (with its trigger), and capitals the rules
 * read as anger. What abuse makes irate stays irate.
 */
static void test_model_floor(void **state)
{
    static const char branch[] = "Vedouci vasi pobocky v Olomouci mi rekl, at si o novou kartu "
                                 "napisu sem. Muzete ji poslat na vydejni misto?";
    /* Capitals written to be read: the rules hear a shout, the model does not. */
    static const char urgent[] = "PLEASE CHANGE THE DELIVERY ADDRESS FOR MY CAT FOOD "
                                 "SUBSCRIPTION BEFORE FRIDAY, WE MOVE ON THURSDAY. NOTHING "
                                 "WRONG, JUST TIMING.";
    static const char insult[] = "You people are useless idiots.";
    struct desk_arena a;
    struct desk_signals r, s;
    (void)state;
    desk_arena_init(&a);
    assert_true(desk_sigmodel_trained.floor[DESK_SIG_SUPERVISOR] <
                desk_sigmodel_trained.threshold[DESK_SIG_SUPERVISOR]);
    assert_int_equal(desk_signals_analyze_with(&a, branch, strlen(branch), NULL, &r), 0);
    assert_true(r.supervisor_request);
    assert_int_equal(desk_signals_analyze(&a, branch, strlen(branch), &s), 0);
    assert_false(s.supervisor_request);
    for (size_t i = 0; i < s.n_triggers; i++) {
        assert_string_not_equal(s.trigger_kinds[i], "supervisor");
    }
    assert_int_equal(desk_signals_analyze_with(&a, urgent, strlen(urgent), NULL, &r), 0);
    assert_int_equal(r.mood, DESK_MOOD_IRATE);
    assert_int_equal(desk_signals_analyze(&a, urgent, strlen(urgent), &s), 0);
    assert_int_not_equal(s.mood, DESK_MOOD_IRATE);
    assert_true(s.score >= -0.5);
    assert_int_equal(desk_signals_analyze(&a, insult, strlen(insult), &s), 0);
    assert_true(s.abusive);
    assert_int_equal(s.mood, DESK_MOOD_IRATE);
    desk_arena_release(&a);
}

static void test_triggers(void **state)
{
    struct desk_arena a;
    struct desk_signals s;
    const char *text = "Dejte mi vedoucího, vy idioti! Je to NEPŘIJATELNÉ.";
    (void)state;
    desk_arena_init(&a);
    assert_int_equal(desk_signals_analyze(&a, text, strlen(text), &s), 0);
    assert_true(s.supervisor_request);
    assert_true(s.abusive);
    assert_int_equal(s.mood, DESK_MOOD_IRATE);
    bool sup = false, abuse = false, senti = false;
    for (size_t i = 0; i < s.n_triggers; i++) {
        sup |= strcmp(s.triggers[i], "Dejte mi vedoucího") == 0;
        abuse |= strcmp(s.triggers[i], "idioti") == 0;
        senti |= strcmp(s.triggers[i], "NEPŘIJATELNÉ") == 0;
    }
    assert_true(sup && abuse && senti);
    desk_arena_release(&a);
}

static void test_hostile_input(void **state)
{
    /* Invalid UTF-8, NULs, a huge message: no error, no crash, bounded work. */
    static const char bad[] = "\xff\xfe manager \xc3 please \x00 idiot";
    struct desk_arena a;
    struct desk_signals s;
    (void)state;
    desk_arena_init(&a);
    assert_int_equal(desk_signals_analyze(&a, bad, sizeof(bad) - 1, &s), 0);
    size_t n = 1 << 20;
    char *big = malloc(n);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++) {
        big[i] = "a! "[i % 3];
    }
    assert_int_equal(desk_signals_analyze(&a, big, n, &s), 0);
    assert_int_equal(desk_signals_analyze(&a, NULL, 0, &s), 0);
    assert_int_equal(s.mood, DESK_MOOD_CALM);
    free(big);
    desk_arena_release(&a);
}

/* ---- accuracy on the labelled sets -------------------------------------- */

struct counts {
    int tp, fp, fn, n, mood_ok;
};

struct metrics {
    struct counts sup, irate, abuse;
};

static double ratio(int a, int b)
{
    return b ? (double)a / b : 1.0;
}

static bool verbose(void)
{
    const char *v = getenv("DESK_SIGNALS_VERBOSE");
    return v && *v && *v != '0';
}

static void count(struct counts *c, bool want, bool got)
{
    c->tp += want && got;
    c->fp += !want && got;
    c->fn += want && !got;
}

/* Counts what s says of a message against what it should say. */
static void score(struct metrics *m, const struct desk_signals *s, int want_mood, bool want_sup,
                  bool want_abuse)
{
    count(&m->sup, want_sup, s->supervisor_request);
    count(&m->irate, want_mood == DESK_MOOD_IRATE, s->mood == DESK_MOOD_IRATE);
    count(&m->abuse, want_abuse, s->abusive);
    m->irate.mood_ok += s->mood == want_mood;
    m->irate.n++;
}

/*
 * Reads one labelled file: what the rules alone say into m, and what they
 * say with the trained model into with. Returns the number of messages.
 */
static int run_file(const char *path, struct metrics *m, struct metrics *with)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    char line[2048];
    int n = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#') {
            continue;
        }
        char *mood = line, *sup = strchr(mood, '\t');
        char *abuse = sup ? strchr(sup + 1, '\t') : NULL;
        char *text = abuse ? strchr(abuse + 1, '\t') : NULL;
        if (!text) {
            fclose(f);
            fail_msg("%s: malformed line '%s'", path, line);
        }
        *sup++ = *abuse++ = *text++ = '\0';
        int want_mood;
        if (desk_mood_parse(mood, &want_mood) != 0) {
            fclose(f);
            fail_msg("%s: bad mood '%s'", path, mood);
        }
        struct desk_arena a;
        struct desk_signals s, sm;
        desk_arena_init(&a);
        assert_int_equal(desk_signals_analyze_with(&a, text, strlen(text), NULL, &s), 0);
        assert_int_equal(desk_signals_analyze(&a, text, strlen(text), &sm), 0);
        bool want_sup = *sup == '1', want_abuse = *abuse == '1';
        bool want_irate = want_mood == DESK_MOOD_IRATE, got_irate = s.mood == DESK_MOOD_IRATE;
        score(m, &s, want_mood, want_sup, want_abuse);
        score(with, &sm, want_mood, want_sup, want_abuse);
        /* The blind set's misses are never printed: nobody tunes on them. */
        if (verbose() && !strstr(path, "blind_") &&
            (want_sup != s.supervisor_request || want_irate != got_irate ||
             want_abuse != s.abusive || want_mood != s.mood)) {
            printf("  miss %s: want %s/%d/%d got %s/%d/%d (%.3f) [", path, mood, want_sup,
                   want_abuse, desk_mood_name(s.mood), s.supervisor_request, s.abusive, s.score);
            for (size_t i = 0; i < s.n_triggers; i++) {
                printf("%s%s", i ? "|" : "", s.triggers[i]);
            }
            printf("] %s\n", text);
        }
        desk_arena_release(&a);
        n++;
    }
    fclose(f);
    return n;
}

static void print_line(const char *lang, const char *set, int n, const struct metrics *m)
{
    printf("signals %s %-11s n=%3d  supervisor P=%.3f R=%.3f  irate P=%.3f R=%.3f  abusive "
           "P=%.3f R=%.3f  mood accuracy=%.3f\n",
           lang, set, n, ratio(m->sup.tp, m->sup.tp + m->sup.fp),
           ratio(m->sup.tp, m->sup.tp + m->sup.fn), ratio(m->irate.tp, m->irate.tp + m->irate.fp),
           ratio(m->irate.tp, m->irate.tp + m->irate.fn),
           ratio(m->abuse.tp, m->abuse.tp + m->abuse.fp),
           ratio(m->abuse.tp, m->abuse.tp + m->abuse.fn), ratio(m->irate.mood_ok, m->irate.n));
}

static void add(struct counts *to, const struct counts *c)
{
    to->tp += c->tp;
    to->fp += c->fp;
    to->fn += c->fn;
    to->n += c->n;
    to->mood_ok += c->mood_ok;
}

static void add_metrics(struct metrics *to, const struct metrics *m)
{
    add(&to->sup, &m->sup);
    add(&to->irate, &m->irate);
    add(&to->abuse, &m->abuse);
}

/* How a labelled set is used. */
enum set_use {
    TUNED,   /* the rules were tuned on it, the model trained on it */
    STUDIED, /* the model was trained on it; rounds 12 to 14 of the rules read its misses */
    TRAINED, /* only the model was trained on it: for the rules, unseen text until round 14,
                which read the misses of train22..27 too */
    BLIND,   /* neither: never tuned or trained on, its misses never printed */
};

static const struct {
    const char *name;
    enum set_use use;
} sets[] = {
    {"dev", TUNED},       {"holdout", TUNED},   {"holdout2", TUNED},  {"holdout3", TUNED},
    {"holdout4", TUNED},  {"holdout5", TUNED},  {"holdout6", TUNED},  {"holdout7", TUNED},
    {"holdout8", TUNED},  {"holdout9", TUNED},  {"holdout10", TUNED}, {"holdout11", TUNED},
    {"holdout12", TUNED}, {"holdout13", TUNED}, {"holdout14", TUNED}, {"holdout15", TUNED},
    {"holdout16", TUNED}, {"holdout17", TUNED}, {"holdout18", TUNED}, {"holdout19", TUNED},
    {"holdout20", TUNED}, {"holdout21", TUNED}, {"train1", STUDIED},  {"train2", STUDIED},
    {"train3", STUDIED},  {"train4", STUDIED},  {"train5", STUDIED},  {"train6", STUDIED},
    {"train7", STUDIED},  {"train8", STUDIED},  {"train9", STUDIED},  {"train10", STUDIED},
    {"train11", STUDIED}, {"train12", STUDIED}, {"train13", STUDIED}, {"train14", STUDIED},
    {"train15", STUDIED}, {"train16", STUDIED}, {"train17", STUDIED}, {"train18", STUDIED},
    {"train19", STUDIED}, {"train20", STUDIED}, {"train21", STUDIED}, {"train22", STUDIED},
    {"train23", STUDIED}, {"train24", STUDIED}, {"train25", STUDIED}, {"train26", STUDIED},
    {"train27", STUDIED}, {"train28", TRAINED}, {"train29", TRAINED}, {"train30", TRAINED},
    {"blind", BLIND},
};

/*
 * The rules are measured alone, set by set, and gated on the tuned sets
 * together: the model, trained on those sets, would hide what the rules
 * miss; on the sets only the model was trained on ("trained") they meet
 * text they were not tuned on ("studied": those whose misses rounds 12 to
 * 14 of the rules read, without gating on them). With the model, the tuned
 * sets are fitted (only their precision is gated: the model must not add
 * false alarms); the blind set, which neither half has seen, is the
 * measure of both together.
 */
static void test_accuracy(void **state)
{
    static const char *const langs[] = {"en", "es", "cs", "pl"};
    bool ok = true;
    (void)state;
    for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
        struct metrics all = {0}, all_with = {0}, trained = {0}, studied = {0};
        int total = 0, n_trained = 0, n_studied = 0;
        for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
            char path[256];
            struct metrics m = {0}, with = {0};
            snprintf(path, sizeof(path), DATA_DIR "%s_%s.tsv", sets[k].name, langs[i]);
            int n = run_file(path, &m, &with);
            if (n < 0) {
                if (k == 0) {
                    fail_msg("cannot read %s (run from the repository root)", path);
                }
                continue;
            }
            print_line(langs[i], sets[k].name, n, &m);
            if (sets[k].use == BLIND) {
                /* measured and reported, never tuned or trained on, nor gated */
                print_line(langs[i], "blind+model", n, &with);
                continue;
            }
            if (sets[k].use == TRAINED) {
                add_metrics(&trained, &m);
                n_trained += n;
                continue;
            }
            if (sets[k].use == STUDIED) {
                add_metrics(&studied, &m);
                n_studied += n;
                continue;
            }
            add_metrics(&all, &m);
            add_metrics(&all_with, &with);
            total += n;
        }
        if (n_studied) {
            print_line(langs[i], "studied", n_studied, &studied);
        }
        if (n_trained) {
            print_line(langs[i], "trained", n_trained, &trained);
        }
        print_line(langs[i], "gated", total, &all);
        print_line(langs[i], "gated+model", total, &all_with);
        if (ratio(all_with.sup.tp, all_with.sup.tp + all_with.sup.fp) < 0.95 ||
            ratio(all_with.irate.tp, all_with.irate.tp + all_with.irate.fp) < 0.90 ||
            ratio(all_with.abuse.tp, all_with.abuse.tp + all_with.abuse.fp) < 0.90) {
            printf("signals %s with the model below target precision\n", langs[i]);
            ok = false;
        }
        double sp = ratio(all.sup.tp, all.sup.tp + all.sup.fp);
        double sr = ratio(all.sup.tp, all.sup.tp + all.sup.fn);
        double ip = ratio(all.irate.tp, all.irate.tp + all.irate.fp);
        double ir = ratio(all.irate.tp, all.irate.tp + all.irate.fn);
        double ap = ratio(all.abuse.tp, all.abuse.tp + all.abuse.fp);
        double ar = ratio(all.abuse.tp, all.abuse.tp + all.abuse.fn);
        if (total < 60 || sp < 0.95 || sr < 0.95 || ip < 0.90 || ir < 0.90 || ap < 0.90 ||
            ar < 0.90) {
            printf("signals %s below target\n", langs[i]);
            ok = false;
        }
    }
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),     cmocka_unit_test(test_rules),
        cmocka_unit_test(test_triggers), cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_model),    cmocka_unit_test(test_model_floor),
        cmocka_unit_test(test_accuracy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
