// The "done when" as one story through real components: a Czech customer writes
// from Outlook in Windows-1250 (multipart/alternative, quoted-printable, Exchange headers)
// to a private Postfix instance, which pipes the message to `desk mailgate`; the ticket has
// the right diacritics and language "cs"; an agent's Czech reply goes out through desk's
// outbox to an SMTP relay (aiosmtpd) threaded under the customer's message (In-Reply-To,
// References, [#id] in the subject) so the customer's answer joins the same ticket; a
// broken message lands in the suspended tickets and the next message still flows; and with
// the relay down nothing is lost: the reply waits in the outbox, is retried, and goes out
// once the relay is back on its address.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Desk, REPO, addStandardUsers, show, sleep } from './lib/desk.mjs';
import { SmtpSink, header } from './lib/mail.mjs';
import { Postfix, postfixSkip as skip } from './lib/postfix.mjs';

const DATA = join(REPO, 'tests', 'unit', 'mail', 'data');
const SUPPORT = 'support@desk.test';
const CUSTOMER = 'jiri.dvorak@example.cz';
const SUBJECT = 'Reklamace objednávky č. 4711 – poškozená tiskárna';
const OUTLOOK_ID = '<AM0PR02MB5412D3F1A2B4C6E8F0A1B2C3D4E5@AM0PR02MB5412.eurprd02.prod.outlook.com>';

let desk;
let u;
let sink;
let pf;

before(async () => {
    if (skip) {
        return;
    }
    sink = await SmtpSink.start();
    desk = await Desk.create('mail_story');
    u = await addStandardUsers(desk);
    // Postfix's pipe runs mailgate as nobody: the database is theirs too.
    chmodSync(desk.dir, 0o777);
    chownSync(desk.db, 65534, 65534);
    chmodSync(desk.db, 0o666);
    await desk.start({
        extraArgs: ['--smtp', sink.url, '--smtp-tls', 'none', '--mail-from', SUPPORT, '--mail-name', 'Desk Support',
            '--mail-retry-ms', '100', '--mail-retry-max-ms', '400', '--mail-poll-ms', '200'],
    });
    pf = await Postfix.start({ db: desk.db, args: ['--mail-address', SUPPORT] });
});

after(async () => {
    pf?.stop();
    await desk?.stop();
    await sink?.destroy();
});

const api = (method, path, body, auth = u.agent) => desk.api(method, path, { auth, body });

async function waitFor(what, fn, ms = 30_000) {
    const end = Date.now() + ms;
    for (;;) {
        const v = await fn();
        if (v) {
            return v;
        }
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}\nmaillog:\n${pf.maillog().slice(-3000)}`);
        }
        await sleep(100);
    }
}

async function deliver(from, bytes) {
    const reply = await pf.send(from, SUPPORT, bytes);
    assert.match(reply, /^250 2\.0\.0 Ok: queued/m, reply);
}

async function comments(id) {
    const r = await api('GET', `tickets/${id}/comments.json`);
    assert.equal(r.status, 200, show(r));
    return r.json.comments;
}

async function outbox(id) {
    const r = await api('GET', `outbox.json?ticket_id=${id}`);
    assert.equal(r.status, 200, show(r));
    return r.json.outbox;
}

const idsIn = (v) => (v || '').match(/<[^<>\s]+>/g) || [];
const textOf = (m) => m.parts.find((p) => p.content_type === 'text/plain')?.text ?? '';
const repliesTo = (addr, tag) => sink.messages().filter((m) =>
    m.envelope.rcpt_tos.includes(addr) && header(m, 'subject').includes(tag) && !header(m, 'auto-submitted'));

test('a Czech customer from Outlook in Windows-1250 is answered in Czech in the same thread; broken mail and a relay outage lose nothing', { skip }, async () => {
    // 1. The Outlook message, through Postfix, becomes a ticket with its diacritics and language.
    await deliver(CUSTOMER, readFileSync(join(DATA, 'cs-outlook-1250.eml')));
    const t = await waitFor('the ticket from Outlook', async () => {
        const r = await api('GET', 'tickets.json?per_page=100');
        return r.json.tickets.find((x) => x.subject === SUBJECT);
    });
    const tag = `[#${t.id}]`;
    assert.equal(t.language, 'cs');
    assert.equal(t.via.channel, 'email');
    assert.ok(t.description.startsWith('Dobrý den,\n\nvčera mi přišla zásilka k objednávce č. 4711'), t.description);
    assert.match(t.description, /nefunkční podavač papíru\. Prosím o výměnu nebo vrácení peněz\./);
    const requester = await api('GET', `users/${t.requester_id}.json`);
    assert.equal(requester.json.user.name, 'Jiří Dvořák');
    assert.equal(requester.json.user.email, CUSTOMER);
    assert.equal(requester.json.user.locale, 'cs', 'the customer\'s language becomes their locale');
    const [first] = await comments(t.id);
    assert.equal(first.metadata.system.email_charset, 'windows-1250');
    assert.equal(`<${first.metadata.system.message_id}>`, OUTLOOK_ID);
    assert.match(first.html_body, /<b>4711<\/b>/, 'the sanitized Outlook HTML is the html_body');
    assert.ok(!/MsoNormal|<style|<o:p/.test(first.html_body), first.html_body);

    // 2. The agent answers in Czech: the reply reaches the relay, in Czech, threaded under
    // the customer's message.
    const answer = 'Dobrý den, pane Dvořáku,\n\nomlouváme se. Novou tiskárnu vám pošleme zítra, poškozenou si kurýr vyzvedne.';
    const put = await api('PUT', `tickets/${t.id}.json`, { ticket: { comment: { body: answer } } });
    assert.equal(put.status, 200, show(put));
    const [reply] = await waitFor('the reply at the relay', () => {
        const got = repliesTo(CUSTOMER, tag);
        return got.length ? got : null;
    });
    assert.match(header(reply, 'subject'), new RegExp(`^\\[#${t.id}\\] Re: Reklamace objednávky č\\. 4711 – poškozená tiskárna$`));
    assert.equal(header(reply, 'in-reply-to'), OUTLOOK_ID);
    assert.ok(idsIn(header(reply, 'references')).includes(OUTLOOK_ID), header(reply, 'references'));
    assert.equal(header(reply, 'content-language'), 'cs');
    assert.match(textOf(reply), /Novou tiskárnu vám pošleme zítra/);
    assert.match(textOf(reply), /vám odpovídá na požadavek č\. \d+/, 'the Czech template');

    // 3. The customer answers the reply from Outlook: it joins the same ticket by its headers.
    const customerReply = Buffer.from([
        `From: =?windows-1250?Q?Ji=F8=ED_Dvo=F8=E1k?= <${CUSTOMER}>`, `To: Desk Support <${SUPPORT}>`,
        `Subject: =?windows-1250?Q?RE:_${tag.replace('#', '=23').replace('[', '=5B').replace(']', '=5D')}_Re:_Reklamace?=`,
        'Message-ID: <AM0PR02MB5412AAAA0001@AM0PR02MB5412.eurprd02.prod.outlook.com>',
        `In-Reply-To: ${header(reply, 'message-id')}`, `References: ${OUTLOOK_ID} ${header(reply, 'message-id')}`,
        'MIME-Version: 1.0', 'Content-Type: text/plain; charset="windows-1250"', 'Content-Transfer-Encoding: quoted-printable',
        '', 'D=ECkuji, to je rychl=E9 =F8e=9Aen=ED.', '', '-----Original Message-----',
        `From: Desk Support <${SUPPORT}>`, 'Sent: Tuesday, June 4, 2024 10:00 AM', '', '> Dobr=FD den, pane Dvo=F8=E1ku,', ''].join('\r\n'), 'latin1');
    await deliver(CUSTOMER, customerReply);
    const thanks = await waitFor('the customer\'s answer on the ticket', async () => {
        const cs = await comments(t.id);
        return cs.find((c) => c.body.startsWith('Děkuji, to je rychlé řešení.'));
    });
    assert.equal(thanks.public, true);
    assert.equal(thanks.author_id, t.requester_id);
    assert.ok(!thanks.body.includes('Original Message'), 'the quoted history stays in the raw message');

    // 4. A broken message lands in the suspended tickets; the next one still flows.
    await deliver('broken@example.cz', readFileSync(join(DATA, 'binary-garbage.eml')));
    await deliver(CUSTOMER, Buffer.from(`From: ${CUSTOMER}\r\nTo: ${SUPPORT}\r\nSubject: Dotaz na fakturu\r\nMessage-ID: <after-broken@example.cz>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDobrý den, kdy mi přijde faktura za opravu?\r\n`));
    const suspended = await waitFor('the suspended message', async () => {
        const r = await api('GET', 'suspended_tickets.json');
        return r.json.suspended_tickets.find((s) => /binary data/.test(s.cause));
    });
    assert.ok(suspended.cause.length > 0);
    const next = await waitFor('the message after the broken one', async () => {
        const r = await api('GET', 'tickets.json?per_page=100');
        return r.json.tickets.find((x) => x.subject === 'Dotaz na fakturu');
    });
    assert.equal(next.language, 'cs');
    // Postfix removes a delivered message from its queue just after the pipe returns.
    await waitFor('Postfix to hand every message over', async () => /Mail queue is empty/.test(pf.queue()), 10_000);

    // 5. The relay goes down: the next reply waits in the outbox, is retried, and goes out
    // when the relay is back on its address. Nothing is lost, nothing is sent twice.
    const port = sink.port;
    await sink.stop();
    const down = await api('PUT', `tickets/${t.id}.json`, { ticket: { comment: { body: 'Kurýr přijede ve čtvrtek mezi 9 a 12 hodinou.' } } });
    assert.equal(down.status, 200, show(down));
    const waiting = await waitFor('a failed attempt while the relay is down', async () => {
        const items = await outbox(t.id);
        const m = items.find((x) => x.kind === 'reply' && x.state === 'queued' && x.attempts >= 1);
        return m && /connect/i.test(m.last_error) ? m : null;
    });
    assert.equal(waiting.to, CUSTOMER);
    const before = repliesTo(CUSTOMER, tag).length;
    await sink.listen(port);
    await waitFor('the queued reply at the relay', () => repliesTo(CUSTOMER, tag).length > before);
    const sent = await waitFor('the outbox row marked sent', async () => {
        const m = (await outbox(t.id)).find((x) => x.id === waiting.id);
        return m.state === 'sent' ? m : null;
    });
    assert.ok(sent.attempts >= 2, `retried: ${JSON.stringify(sent)}`);
    const late = repliesTo(CUSTOMER, tag).filter((m) => /Kurýr přijede ve čtvrtek/.test(textOf(m)));
    assert.equal(late.length, 1, 'delivered once');
    assert.equal(header(late[0], 'message-id'), `<${sent.message_id}>`);
    assert.ok(idsIn(header(late[0], 'references')).includes(OUTLOOK_ID), 'still in the customer\'s thread');
});
