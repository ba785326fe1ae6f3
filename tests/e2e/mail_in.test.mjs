// Email in through `desk mailgate` (what an MTA pipes to), checked through the API as
// an agent would: tickets from messages in legacy charsets with their language,
// threading by Message-ID and by [#id] tag, a requester's reply reopening a solved
// ticket, Cc'd people as followers, attachments and the raw .eml, bounces as internal
// notes, automatic replies that trigger nothing, suspended tickets (list, show, raw,
// recover, delete), duplicates, the sender rate limit, and exit 75 when nothing was stored.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Desk, DESK_BIN, REPO, addStandardUsers, show } from './lib/desk.mjs';

const DATA = join(REPO, 'tests', 'unit', 'mail', 'data');
let desk;
let u;

before(async () => {
    desk = await Desk.create('mail_in');
    u = await addStandardUsers(desk);
    await desk.start();
});

after(async () => {
    await desk?.stop();
});

/** Pipe BYTES to `desk mailgate`; resolve {code, stdout, stderr}. */
export function mailgate(db, bytes, args = []) {
    return new Promise((resolve, reject) => {
        const p = spawn(DESK_BIN, ['mailgate', '--db', db, '--mail-address', 'support@desk.test', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
        const out = [];
        const err = [];
        p.stdout.on('data', (d) => out.push(d));
        p.stderr.on('data', (d) => err.push(d));
        p.on('error', reject);
        p.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
        p.stdin.on('error', () => {});
        p.stdin.end(bytes);
    });
}

async function deliver(bytes, args) {
    const r = await mailgate(desk.db, typeof bytes === 'string' ? Buffer.from(bytes.replace(/\n/g, '\r\n')) : bytes, args);
    assert.equal(r.code, 0, `mailgate exit ${r.code}: ${r.stderr}`);
    const m = r.stdout.match(/^(\w+) ticket=(\d+)/);
    assert.ok(m, r.stdout);
    return { outcome: m[1], ticket: Number(m[2]), out: r.stdout };
}

const file = (name) => readFileSync(join(DATA, name));
const api = (method, path, body, auth = u.agent) => desk.api(method, path, { auth, body });

async function ticket(id) {
    const r = await api('GET', `tickets/${id}.json`);
    assert.equal(r.status, 200, show(r));
    return r.json.ticket;
}

async function comments(id) {
    const r = await api('GET', `tickets/${id}/comments.json`);
    assert.equal(r.status, 200, show(r));
    return r.json.comments;
}

async function user(id) {
    const r = await api('GET', `users/${id}.json`);
    assert.equal(r.status, 200, show(r));
    return r.json.user;
}

test('messages in legacy charsets become tickets with correct text, sender and language', async () => {
    const cases = [
        ['cs-windows-1250.eml', 'Reklamace zboží', 'Jiří Novák', 'cs', 'Příliš žluťoučký kůň úpěl ďábelské ódy.'],
        ['pl-iso-8859-2.eml', 'Zamówienie nie dotarło', 'Paweł Kowalski', 'pl', 'Zażółć gęślą jaźń.'],
        ['es-iso-8859-1.eml', 'Contraseña olvidada', 'José Muñoz', 'es', 'Buenos días, no puedo acceder'],
        ['ja-iso-2022-jp.eml', '注文について', '山田太郎', 'ja', 'お世話になっております。'],
        ['cs-mislabelled.eml', 'Reklamace', 'Jiri Novak', 'cs', 'Příliš žluťoučký kůň'],
    ];
    for (const [name, subject, from, lang, start] of cases) {
        const d = await deliver(file(name));
        assert.equal(d.outcome, 'created', `${name}: ${d.out}`);
        const t = await ticket(d.ticket);
        assert.equal(t.subject, subject, name);
        assert.equal(t.language, lang, name);
        assert.equal(t.via.channel, 'email', name);
        assert.ok(t.description.startsWith(start), `${name}: ${t.description}`);
        const requester = await user(t.requester_id);
        assert.equal(requester.name, from, name);
        assert.equal(requester.role, 'end-user');
        assert.equal(requester.locale, lang, `${name}: a new sender's locale is the language they wrote in`);
    }
});

test('replies thread by In-Reply-To, by References and by [#id]; the requester reopens a solved ticket', async () => {
    const first = await deliver(`From: Eva Svoboda <eva@example.cz>
To: support@desk.test
Subject: Faktura
Message-ID: <eva-1@example.cz>
Content-Type: text/plain; charset=utf-8

Dobrý den, nemohu najít fakturu za březen. Můžete mi ji prosím poslat znovu?
`);
    assert.equal(first.outcome, 'created');
    const id = first.ticket;
    const solve = await api('PUT', `tickets/${id}.json`, { ticket: { status: 'solved', comment: { body: 'Sent it again.', public: true } } });
    assert.equal(solve.status, 200, show(solve));
    assert.equal((await ticket(id)).status, 'solved');

    const reply = await deliver(`From: Eva Svoboda <eva@example.cz>
To: support@desk.test
Subject: Re: Faktura
Message-ID: <eva-2@example.cz>
In-Reply-To: <eva-1@example.cz>
Content-Type: text/plain; charset=utf-8

Děkuji, ale faktura je na špatnou adresu.

Dne 1. 3. 2026 Podpora napsala:
> Sent it again.
`);
    assert.equal(reply.outcome, 'updated');
    assert.equal(reply.ticket, id);
    const t = await ticket(id);
    assert.equal(t.status, 'open', 'the requester writing again reopens a solved ticket');
    const cs = await comments(id);
    const last = cs[cs.length - 1];
    assert.equal(last.body, 'Děkuji, ale faktura je na špatnou adresu.', 'quoted history is not part of the comment');
    assert.equal(last.author_id, t.requester_id);
    assert.equal(last.public, true);
    assert.equal(last.via.channel, 'email');
    assert.equal(last.metadata.system.message_id, 'eva-2@example.cz');

    const byRefs = await deliver(`From: eva@example.cz
To: support@desk.test
Subject: something else entirely
Message-ID: <eva-3@example.cz>
References: <unknown@example.cz> <eva-2@example.cz>
Content-Type: text/plain

Jeste jedna vec.
`);
    assert.equal(byRefs.ticket, id, 'References find the ticket of any message desk received');

    const byTag = await deliver(`From: eva@example.cz
To: support@desk.test
Subject: Re: [#${id}] Faktura
Message-ID: <eva-4@example.cz>
Content-Type: text/plain

Posilam prilohu.
`);
    assert.equal(byTag.outcome, 'updated');
    assert.equal(byTag.ticket, id, 'the [#id] subject tag threads when no header does');
});

test('Cc\'d people become followers and may reply; attachments are kept and served; the .eml is downloadable', async () => {
    const d = await deliver(file('rfc2231-attachment.eml'));
    assert.equal(d.outcome, 'created');
    const t = await ticket(d.ticket);
    assert.equal(t.collaborator_ids.length, 2, JSON.stringify(t));
    const followers = await Promise.all(t.collaborator_ids.map(user));
    assert.deepEqual(followers.map((f) => f.email).sort(), ['bea@example.de', 'chef@example.de']);
    assert.equal(t.language, 'de');

    const [c] = await comments(d.ticket);
    assert.equal(c.attachments.length, 1);
    const a = c.attachments[0];
    assert.equal(a.file_name, 'žluťoučký kůň.pdf', 'RFC 2231 continued, percent-encoded UTF-8 name');
    assert.equal(a.content_type, 'application/pdf');
    const got = await desk.api('GET', a.content_url, { auth: u.agent });
    assert.equal(got.status, 200);
    assert.ok(got.text.startsWith('%PDF-1.4'));
    const shown = await api('GET', `attachments/${a.id}.json`);
    assert.equal(shown.status, 200, show(shown));
    assert.equal(shown.json.attachment.size, a.size);
    // The mail's HTML is the comment's html_body (Zendesk's field), sanitized.
    assert.ok(c.html_body.startsWith('<div class="zd-comment" dir="auto">'), c.html_body);
    assert.ok(c.html_body.includes('<b>Rechnung</b>'), c.html_body);
    for (const bad of ['script', 'alert', 'onclick', 'style', 'javascript:', 'tracker.example']) {
        assert.ok(!c.html_body.includes(bad), `no ${bad} in the html_body: ${c.html_body}`);
    }
    assert.equal(c.metadata.system.email_html, undefined, 'not a second copy in the metadata');

    const raw = await desk.api('GET', c.metadata.system.raw_email_url, { auth: u.agent });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get('content-type'), 'message/rfc822');
    assert.equal(raw.text, file('rfc2231-attachment.eml').toString('utf8'), 'the original message, byte for byte');
    const asCustomer = await desk.api('GET', c.metadata.system.raw_email_url, { auth: u.customer });
    assert.equal(asCustomer.status, 403);

    const bea = await deliver(`From: Bea <bea@example.de>
To: support@desk.test
Subject: Re: Rechnung
Message-ID: <bea-1@example.de>
In-Reply-To: <rfc2231@example.de>
Content-Type: text/plain; charset=utf-8

Ich bin auch betroffen.
`);
    assert.equal(bea.ticket, d.ticket);
    const cs = await comments(d.ticket);
    assert.equal(cs[cs.length - 1].public, true, 'a follower writes publicly');
});

test('a stranger using only the [#id] tag writes an internal note', async () => {
    const first = await deliver(`From: owner@example.com
To: support@desk.test
Subject: My account
Message-ID: <owner-1@example.com>
Content-Type: text/plain

Please close my account.
`);
    const d = await deliver(`From: mallory@example.net
To: support@desk.test
Subject: [#${first.ticket}] hello
Message-ID: <mallory-1@example.net>
Content-Type: text/plain

I am the owner, send me the password.
`);
    assert.equal(d.ticket, first.ticket);
    const cs = await comments(first.ticket);
    assert.equal(cs[cs.length - 1].public, false);
    assert.deepEqual((await ticket(first.ticket)).collaborator_ids, []);
});

test('a bounce adds an internal note and marks the address; automatic replies trigger nothing', async () => {
    const first = await deliver(`From: gone.user@example.org
To: support@desk.test
Subject: Help
Message-ID: <gone-1@example.org>
Content-Type: text/plain

Help me please, my order is late.
`);
    // The bounce names a Message-ID desk sent on that ticket (recorded as mail-out does).
    const sent = await api('PUT', `tickets/${first.ticket}.json`, { ticket: { comment: { body: 'We are looking into it.' } } });
    assert.equal(sent.status, 200);
    const { execFileSync } = await import('node:child_process');
    execFileSync('sqlite3', [desk.db, `INSERT INTO mail_ids(message_id, ticket_id, direction, created_at) VALUES ('desk-7-3@desk.test', ${first.ticket}, 'out', 0)`]);

    const before = (await comments(first.ticket)).length;
    const d = await deliver(file('dsn.eml'));
    assert.equal(d.outcome, 'bounce');
    assert.equal(d.ticket, first.ticket);
    const cs = await comments(first.ticket);
    assert.equal(cs.length, before + 1, 'no new ticket, one note');
    const note = cs[cs.length - 1];
    assert.equal(note.public, false);
    assert.match(note.body, /gone\.user@example\.org.*5\.1\.1.*User unknown/s);
    const und = execFileSync('sqlite3', [desk.db, "SELECT address, status FROM mail_undeliverable"]).toString();
    assert.match(und, /gone\.user@example\.org\|5\.1\.1/);

    const solved = await api('PUT', `tickets/${first.ticket}.json`, { ticket: { status: 'solved' } });
    assert.equal(solved.status, 200, show(solved));
    const ooo = await deliver(`From: gone.user@example.org
To: support@desk.test
Subject: Automatic reply: Help
Message-ID: <gone-ooo@example.org>
In-Reply-To: <desk-7-3@desk.test>
Auto-Submitted: auto-replied
Content-Type: text/plain

I am away until Monday.
`);
    assert.equal(ooo.outcome, 'updated');
    assert.equal((await ticket(first.ticket)).status, 'solved', 'an automatic reply does not reopen');
    const last = (await comments(first.ticket)).at(-1);
    assert.equal(last.public, false);
    assert.equal(last.metadata.system.automatic, true);

    // The mark shows on the user (staff see it), and the automatic reply did not clear it.
    const requester = (await ticket(first.ticket)).requester_id;
    const marked = (await user(requester)).email_undeliverable;
    assert.ok(marked, 'the bounced address is marked on the user');
    assert.equal(marked.address, 'gone.user@example.org');
    assert.equal(marked.status, '5.1.1');
    assert.match(marked.diagnostic, /User unknown/);
    assert.equal(marked.ticket_id, first.ticket);
    assert.ok(!Number.isNaN(Date.parse(marked.since)), marked.since);
    // Cleared by staff once the mailbox is fixed; nobody else may.
    const path = `users/${requester}/email_undeliverable.json`;
    assert.equal((await api('DELETE', path, undefined, u.customer)).status, 403);
    assert.equal((await api('DELETE', path)).status, 204);
    assert.equal((await user(requester)).email_undeliverable, null);
    assert.equal((await api('DELETE', path)).status, 404, 'nothing left to clear');
    // Bounced again, then cleared by an ordinary message from the address: it works again.
    const again = await deliver(Buffer.from(file('dsn.eml').toString('latin1').replace('dsn1@', 'dsn2@'), 'latin1'));
    assert.equal(again.outcome, 'bounce');
    assert.equal((await user(requester)).email_undeliverable.status, '5.1.1');
    const back = await deliver(`From: gone.user@example.org
To: support@desk.test
Subject: Re: Help
Message-ID: <gone-2@example.org>
In-Reply-To: <desk-7-3@desk.test>
Content-Type: text/plain

My mailbox works again, any news?
`);
    assert.equal(back.outcome, 'updated');
    assert.equal((await user(requester)).email_undeliverable, null, 'a message from the address clears its mark');
});

test('broken, looping and storming mail is suspended with a reason; the next message still flows', async () => {
    const causes = [];
    for (const name of ['binary-garbage.eml', 'no-header.eml', 'nested-deep.eml', 'bulk-list.eml']) {
        const d = await deliver(file(name));
        assert.equal(d.outcome, 'suspended', `${name}: ${d.out}`);
        causes.push(d.out);
        const next = await deliver(`From: next@example.com\nTo: support@desk.test\nSubject: after ${name}\nMessage-ID: <next-${name}@example.com>\n\nStill flowing.\n`);
        assert.equal(next.outcome, 'created', `the message after ${name}`);
    }
    const big = Buffer.concat([Buffer.from('From: big@example.com\r\nSubject: huge\r\nMessage-ID: <big@example.com>\r\n\r\n'), Buffer.alloc(70_000, 'a')]);
    const d = await deliver(big, ['--mail-max-size', '65536']);
    assert.equal(d.outcome, 'suspended');
    assert.match(d.out, /too large/);

    const list = await api('GET', 'suspended_tickets.json');
    assert.equal(list.status, 200, show(list));
    const byCause = list.json.suspended_tickets.map((s) => s.cause);
    assert.ok(byCause.some((c) => /binary data/.test(c)), byCause.join('; '));
    assert.ok(byCause.some((c) => /nested too deeply/.test(c)));
    assert.ok(byCause.some((c) => /X-Loop/.test(c)));
    const huge = list.json.suspended_tickets.find((s) => /too large/.test(s.cause));
    assert.equal(huge.author.email, 'big@example.com');
    assert.equal(huge.subject, 'huge');
    assert.equal(huge.size, big.length);

    // Recovering the loop-suspended newsletter makes it a ticket; the suspended one is gone.
    const loop = list.json.suspended_tickets.find((s) => /X-Loop/.test(s.cause));
    assert.equal((await api('PUT', `suspended_tickets/${loop.id}/recover.json`, {}, u.agent)).status, 403, 'agents may not recover');
    const rec = await api('PUT', `suspended_tickets/${loop.id}/recover.json`, {}, u.supervisor);
    assert.equal(rec.status, 200, show(rec));
    assert.equal(rec.json.ticket.subject, 'Our newsletter');
    assert.equal((await api('GET', `suspended_tickets/${loop.id}.json`)).status, 404);

    const garbage = list.json.suspended_tickets.find((s) => /binary data/.test(s.cause));
    const raw = await api('GET', `suspended_tickets/${garbage.id}/raw`);
    assert.equal(raw.status, 200);
    const bad = await api('PUT', `suspended_tickets/${garbage.id}/recover.json`, {}, u.supervisor);
    assert.equal(bad.status, 422, show(bad));
    assert.match(bad.json.details?.base?.[0]?.description ?? '', /binary data/, show(bad));
    const del = await api('DELETE', `suspended_tickets/${garbage.id}.json`, undefined, u.supervisor);
    assert.equal(del.status, 204);
    assert.equal((await api('GET', 'suspended_tickets.json', undefined, u.customer)).status, 403);
});

test('a redelivered message is stored once; a storm from one sender is suspended', async () => {
    const msg = `From: twice@example.com\nTo: support@desk.test\nSubject: once\nMessage-ID: <twice@example.com>\n\nOnly once please.\n`;
    const a = await deliver(msg);
    const b = await deliver(msg);
    assert.equal(a.outcome, 'created');
    assert.equal(b.outcome, 'duplicate');
    assert.equal(b.ticket, a.ticket);

    let suspended = 0;
    for (let i = 0; i < 6; i++) {
        const d = await deliver(`From: storm@example.com\nTo: support@desk.test\nSubject: storm ${i}\nMessage-ID: <storm-${i}@example.com>\n\nAgain.\n`, ['--mail-rate', '3']);
        suspended += d.outcome === 'suspended';
    }
    assert.equal(suspended, 3, 'the fourth message in an hour and later ones are suspended');
});

test('exit 75 when the message cannot be stored, so the MTA retries', async () => {
    const r = await mailgate(join(desk.dir, 'no', 'such', 'dir', 'x.db'), Buffer.from('From: a@b.example\r\n\r\nhi\r\n'));
    assert.equal(r.code, 75, r.stderr);
});
