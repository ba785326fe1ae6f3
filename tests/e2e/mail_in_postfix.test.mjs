// Email in through a real MTA: a private Postfix instance (own config and queue
// directories under a temporary directory, SMTP on 127.0.0.1 on a free port, never the
// system's instance) delivers through its pipe transport to `desk mailgate`, as a
// production setup would. Czech and Polish in ISO-8859-2 and Windows-1250, Spanish in
// ISO-8859-1, Japanese in ISO-2022-JP, a mislabelled message, and broken ones (truncated,
// huge, deeply nested, binary, no header): each becomes a ticket or a suspended ticket with
// a reason, and the messages after each still flow.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Desk, REPO, addStandardUsers, show, sleep } from './lib/desk.mjs';
import { Postfix, postfixSkip as skip } from './lib/postfix.mjs';

const DATA = join(REPO, 'tests', 'unit', 'mail', 'data');
const MAX_SIZE = 200_000;

let desk;
let u;
let pf; // the private Postfix

const maillog = () => (pf ? pf.maillog() : '(no maillog)');
const smtpSend = (port, from, to, bytes) => pf.send(from, to, bytes);

before(async () => {
    if (skip) {
        return;
    }
    desk = await Desk.create('mail_in_postfix');
    u = await addStandardUsers(desk);
    // The pipe runs mailgate as nobody: the database directory is theirs too.
    chmodSync(desk.dir, 0o777);
    chownSync(desk.db, 65534, 65534);
    chmodSync(desk.db, 0o666);
    await desk.start();
    pf = await Postfix.start({ db: desk.db, args: ['--mail-address', 'support@desk.test', '--mail-max-size', String(MAX_SIZE)] });
});

after(async () => {
    pf?.stop();
    await desk?.stop();
});

async function waitFor(what, fn, ms = 30_000) {
    const end = Date.now() + ms;
    for (;;) {
        const v = await fn();
        if (v) {
            return v;
        }
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}\nmaillog:\n${maillog().slice(-4000)}`);
        }
        await sleep(200);
    }
}

async function ticketBySubject(subject) {
    const r = await desk.api('GET', 'tickets.json?per_page=100', { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    return r.json.tickets.find((t) => t.subject === subject);
}

async function suspendedBySubjectOrCause(pred) {
    const r = await desk.api('GET', 'suspended_tickets.json', { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    return r.json.suspended_tickets.find(pred);
}

test('mail in every charset goes through Postfix into tickets with the right text and language', { skip }, async () => {
    const cases = [
        ['cs-windows-1250.eml', 'Reklamace zboží', 'cs', 'Příliš žluťoučký kůň úpěl ďábelské ódy.'],
        ['cs-iso-8859-2.eml', 'Reklamace zboží', 'cs', 'Příliš žluťoučký kůň úpěl ďábelské ódy.'],
        ['pl-windows-1250.eml', 'Zamówienie nie dotarło', 'pl', 'Zażółć gęślą jaźń.'],
        ['pl-iso-8859-2.eml', 'Zamówienie nie dotarło', 'pl', 'Zażółć gęślą jaźń.'],
        ['es-iso-8859-1.eml', 'Contraseña olvidada', 'es', 'Buenos días'],
        ['ja-iso-2022-jp.eml', '注文について', 'ja', 'お世話になっております。'],
        ['cs-mislabelled.eml', 'Reklamace', 'cs', 'Příliš žluťoučký kůň'],
    ];
    for (const [name] of cases) {
        const reply = await smtpSend(pf.port, 'sender@example.org', 'support@desk.test', readFileSync(join(DATA, name)));
        assert.match(reply, /^250 2\.0\.0 Ok: queued/m, `${name}: ${reply}`);
    }
    const r = await waitFor('seven tickets', async () => {
        const l = await desk.api('GET', 'tickets.json?per_page=100', { auth: u.agent });
        return l.json.tickets.filter((t) => t.via.channel === 'email').length >= 7 && l.json.tickets;
    });
    for (const [name, subject, lang, start] of cases) {
        const found = r.filter((t) => t.subject === subject && t.description.startsWith(start));
        assert.ok(found.length >= 1, `${name}: no ticket "${subject}" starting "${start}"`);
        assert.ok(found.every((t) => t.language === lang), `${name}: language ${found.map((t) => t.language)}`);
    }
});

test('broken mail through Postfix is suspended with a reason, and the next message still flows', { skip }, async () => {
    const big = Buffer.concat([Buffer.from('From: big@example.org\r\nTo: support@desk.test\r\nSubject: huge one\r\nMessage-ID: <huge@example.org>\r\n\r\n'), Buffer.alloc(300_000, 'x\r\n')]);
    const broken = [
        ['truncated.eml', readFileSync(join(DATA, 'truncated.eml')), { ticket: 'cut off' }],
        ['nested-deep.eml', readFileSync(join(DATA, 'nested-deep.eml')), { cause: /nested too deeply/ }],
        ['binary-garbage.eml', readFileSync(join(DATA, 'binary-garbage.eml')), { cause: /binary data/ }],
        ['huge', big, { cause: /too large/ }],
    ];
    for (const [name, bytes, want] of broken) {
        const reply = await smtpSend(pf.port, 'sender@example.org', 'support@desk.test', bytes);
        assert.match(reply, /^250 2\.0\.0 Ok: queued/m, `${name}: ${reply}`);
        const after = `after ${name}`;
        const next = Buffer.from(`From: next@example.org\r\nTo: support@desk.test\r\nSubject: ${after}\r\nMessage-ID: <${name}-next@example.org>\r\n\r\nStill flowing after ${name}.\r\n`);
        assert.match(await smtpSend(pf.port, 'next@example.org', 'support@desk.test', next), /^250 2\.0\.0 Ok: queued/m);
        if (want.ticket) {
            await waitFor(`ticket "${want.ticket}"`, () => ticketBySubject(want.ticket));
        } else {
            const s = await waitFor(`suspended ${name}`, () => suspendedBySubjectOrCause((x) => want.cause.test(x.cause)));
            assert.ok(s.cause.length > 0);
        }
        await waitFor(`the message after ${name}`, () => ticketBySubject(after));
    }
    const huge = await suspendedBySubjectOrCause((x) => /too large/.test(x.cause));
    assert.equal(huge.subject, 'huge one');
    assert.ok(huge.size > MAX_SIZE);
    // Nothing is left in Postfix's queue: every message was accepted by mailgate (exit 0).
    // (Postfix removes a delivered message just after the pipe returns: wait for that.)
    await waitFor('an empty Postfix queue', () => /Mail queue is empty/.test(pf.queue()), 10_000);
});
