// The interface's languages: every string the console and portal show is in
// the gettext catalogs (po/*.po, checked by msgfmt and compiled into the
// binary), plural forms follow each language's Plural-Forms, and the
// compiled catalogs are served.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Desk, REPO, show } from './lib/desk.mjs';
import { compilePlural, useCatalog, tn, t } from '../../web/core.mjs';

let desk;

before(async () => {
    desk = await Desk.create('console_i18n');
    await desk.start();
});

after(async () => {
    await desk?.stop();
});

const CS = 'nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;';
const PL = 'nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);';

test('Plural-Forms expressions are evaluated without eval', () => {
    const cases = [
        [CS, [[0, 2], [1, 0], [2, 1], [4, 1], [5, 2], [11, 2], [22, 2], [101, 2]]],
        [PL, [[0, 2], [1, 0], [2, 1], [4, 1], [5, 2], [12, 2], [14, 2], [21, 2], [22, 1], [24, 1], [25, 2], [112, 2], [122, 1], [1002, 1]]],
        ['nplurals=2; plural=(n != 1);', [[0, 1], [1, 0], [2, 1]]],
        ['nplurals=1; plural=0;', [[0, 0], [7, 0]]],
        ['nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;', [[1, 0], [11, 2], [21, 0], [3, 1], [13, 2]]],
    ];
    for (const [expr, pairs] of cases) {
        const f = compilePlural(expr);
        for (const [n, want] of pairs) {
            assert.equal(f(n), want, `${expr} for n=${n}`);
        }
    }
    assert.throws(() => compilePlural('plural=(n==1 ? 0'), /plural/);
    assert.throws(() => compilePlural('plural=alert(1)'), /plural/);
});

/** The msgids of a .po/.pot text, long ones (wrapped over several lines) joined. */
function msgids(text) {
    const ids = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
        const m = /^msgid "(.*)"$/.exec(lines[i]);
        if (!m) {
            continue;
        }
        let id = m[1];
        while (i + 1 < lines.length && /^"(.*)"$/.test(lines[i + 1])) {
            id += /^"(.*)"$/.exec(lines[++i])[1];
        }
        ids.push(id);
    }
    return ids;
}

test('msgids wrapped over several lines are read whole', () => {
    assert.deepEqual(msgids('msgid ""\nmsgstr "header"\n\nmsgid ""\n"Long "\n"text"\nmsgstr "x"\n\nmsgid "short"\nmsgstr "y"\n'), ['', 'Long text', 'short']);
});

test('every interface string is in every catalog, and msgfmt accepts them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-i18n-'));
    try {
        const web = readdirSync(join(REPO, 'web')).filter((f) => f.endsWith('.mjs')).map((f) => join(REPO, 'web', f));
        const pot = join(dir, 'now.pot');
        execFileSync('xgettext', ['--language=JavaScript', '--from-code=UTF-8', '--keyword=t', '--keyword=tn:1,2', '--no-location', '-o', pot, ...web]);
        const ids = msgids(readFileSync(pot, 'utf8')).filter(Boolean);
        assert.ok(ids.length > 100, `found ${ids.length} strings`);
        for (const lang of ['en', 'es', 'cs', 'pl']) {
            const po = join(REPO, 'po', `${lang}.po`);
            const out = execFileSync('msgfmt', ['--check', '--statistics', '-o', join(dir, `${lang}.mo`), po], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
            const text = readFileSync(po, 'utf8');
            const have = new Set(msgids(text));
            const missing = ids.filter((id) => !have.has(id));
            assert.deepEqual(missing, [], `${lang}.po lacks strings (regenerate po/desk.pot and the catalogs) ${out}`);
            assert.doesNotMatch(text, /^msgstr(\[\d\])? ""\n\n/m, `${lang}.po has an untranslated entry`);
            assert.doesNotMatch(text, /^#,.*fuzzy/m, `${lang}.po has a fuzzy (unchecked) entry`);
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test('the compiled catalogs are served and give Czech and Polish plurals', async () => {
    const want = {
        cs: [[1, '1 požadavek'], [3, '3 požadavky'], [5, '5 požadavků']],
        pl: [[1, '1 zgłoszenie'], [3, '3 zgłoszenia'], [5, '5 zgłoszeń'], [22, '22 zgłoszenia'], [25, '25 zgłoszeń']],
        es: [[1, '1 ticket'], [2, '2 tickets']],
    };
    for (const [lang, pairs] of Object.entries(want)) {
        const r = await desk.api('GET', `/assets/i18n.${lang}.json`);
        assert.equal(r.status, 200, show(r));
        assert.match(r.headers.get('content-type'), /^application\/json/);
        useCatalog(lang, r.json);
        for (const [n, text] of pairs) {
            assert.equal(tn('{n} ticket', '{n} tickets', n), text.replace(/^\d+/, new Intl.NumberFormat(lang).format(n)));
        }
    }
    useCatalog('pl', (await desk.api('GET', '/assets/i18n.pl.json')).json);
    assert.equal(t('Sign out'), 'Wyloguj się');
    assert.equal(t('Search: {q}', { q: '<b>x</b>' }), 'Wyszukiwanie: <b>x</b>', 'values are filled as text, the caller sets textContent');
    assert.equal(t('A string nobody translated'), 'A string nobody translated');
});
