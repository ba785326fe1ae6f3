// Outgoing mail end to end: desk serve sends notices through a real SMTP
// relay (aiosmtpd from Debian, a private instance per test on 127.0.0.1),
// and the tests read what arrived: threading headers, the ticket tag, the
// customer's language and charset, multipart text + HTML, loop headers;
// the relay going down loses nothing; refusals are visible in the API and
// /metrics; STARTTLS and AUTH.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DESK_BIN, Desk, addStandardUsers, show, sleep } from './lib/desk.mjs';
import { SmtpSink, header, rawHeader } from './lib/mail.mjs';

const SUPPORT = 'support@desk.test';
const FAST = ['--mail-retry-ms', '100', '--mail-retry-max-ms', '400', '--mail-poll-ms', '200'];

let desk;
let sink;
let u;

function mailArgs(url, extra = []) {
    return ['--smtp', url, '--mail-from', SUPPORT, '--mail-name', 'Desk Support', ...FAST, ...extra];
}

before(async () => {
    sink = await SmtpSink.start();
    desk = await Desk.create('mail_out');
    u = await addStandardUsers(desk);
    await desk.start({ extraArgs: mailArgs(sink.url, ['--smtp-tls', 'none']) });
});

after(async () => {
    await desk?.stop();
    await sink?.destroy();
});

async function setLocale(user, locale) {
    const r = await desk.api('PUT', `users/${user.id}.json`, { auth: u.admin, body: { user: { locale } } });
    assert.equal(r.status, 200, show(r));
}

// Text language detection cannot judge, so the ticket keeps no language of its own.
const NEUTRAL = '#4711 / 0x2F / 12:30';

/** A request opened by CUSTOMER (as the portal would), with optional language and followers. */
async function openRequest(customer, { subject = 'Tiskárna nefunguje', body = NEUTRAL, language, followers } = {}) {
    let r = await desk.api('POST', 'requests.json', {
        auth: customer,
        body: { request: { subject, comment: { body } } },
    });
    assert.equal(r.status, 201, show(r));
    const id = r.json.request.id;
    const ticket = {};
    if (language) {
        ticket.language = language;
    }
    if (followers) {
        ticket.collaborator_ids = followers.map((f) => f.id);
    }
    if (Object.keys(ticket).length) {
        r = await desk.api('PUT', `tickets/${id}.json`, { auth: u.agent, body: { ticket } });
        assert.equal(r.status, 200, show(r));
    }
    return id;
}

async function reply(id, body, { author = u.agent, isPublic = true } = {}) {
    const r = await desk.api('PUT', `tickets/${id}.json`, {
        auth: author,
        body: { ticket: { comment: { body, public: isPublic } } },
    });
    assert.equal(r.status, 200, show(r));
    return r.json.ticket;
}

async function outbox(query = '', auth = u.agent) {
    const r = await desk.api('GET', `outbox.json${query}`, { auth });
    assert.equal(r.status, 200, show(r));
    return r.json.outbox;
}

/** Waits until every message of ticket ID has left the queue; returns them. */
async function settled(id, { timeoutMs = 10_000 } = {}) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const items = await outbox(`?ticket_id=${id}`);
        if (items.length && items.every((m) => m.state !== 'queued')) {
            return items;
        }
        if (Date.now() > end) {
            throw new Error(`ticket ${id}: messages still queued: ${JSON.stringify(items)}`);
        }
        await sleep(50);
    }
}

function messagesTo(addr, tag) {
    return sink.messages().filter((m) => m.envelope.rcpt_tos.includes(addr) && header(m, 'subject').includes(tag));
}

function textPart(m) {
    return m.parts.find((p) => p.content_type === 'text/plain');
}

function htmlPart(m) {
    return m.parts.find((p) => p.content_type === 'text/html');
}

const idsIn = (v) => (v || '').match(/<[^<>\s]+>/g) || [];

test('a public reply reaches the requester and followers, in Czech, threaded, multipart', async () => {
    const id = await openRequest(u.customer, { language: 'cs', followers: [u.customer2, u.agent2] });
    const tag = `[#${id}]`;
    const before = sink.files().length;
    await reply(id, 'Dobrý den,\n\nzkuste prosím tiskárnu restartovat.\nPříliš žluťoučký kůň úpěl ďábelské ódy.');
    const sent = await settled(id);
    assert.equal(sent.length, 3, JSON.stringify(sent));
    assert.deepEqual(sent.map((m) => m.to).sort(), [u.agent2.email, u.customer.email, u.customer2.email].sort());
    assert.ok(sent.every((m) => m.state === 'sent' && m.attempts === 1 && m.language === 'cs'), JSON.stringify(sent));
    await sink.waitFor(before + 3);
    assert.equal(messagesTo(u.agent.email, tag).length, 0, 'the author gets no copy');

    const [m] = messagesTo(u.customer.email, tag);
    assert.ok(m, 'the requester got the reply');
    assert.deepEqual(m.defects, []);
    assert.ok(m.seven_bit, 'encoded for any relay');
    assert.ok(m.crlf, 'CRLF line ends');
    assert.equal(m.envelope.mail_from, SUPPORT);
    assert.equal(header(m, 'subject'), `${tag} Re: Tiskárna nefunguje`);
    assert.match(rawHeader(m, 'subject'), /=\?UTF-8\?[BQ]\?/i, 'the subject is RFC 2047 encoded as UTF-8');
    assert.equal(header(m, 'from'), '"Alice Agent (Desk Support)" <support@desk.test>');
    assert.equal(header(m, 'reply-to'), `Desk Support <${SUPPORT}>`);
    assert.match(header(m, 'to'), new RegExp(`<${u.customer.email}>`));
    assert.match(header(m, 'message-id'), /^<desk\.T\d+\.\d+\.[0-9a-f]{16}@desk\.test>$/);
    assert.equal(header(m, 'x-loop'), SUPPORT);
    assert.equal(header(m, 'auto-submitted'), undefined, 'a person wrote this reply');
    assert.equal(header(m, 'content-language'), 'cs');
    assert.ok(header(m, 'date'));
    assert.equal(m.content_type, 'multipart/alternative');
    const text = textPart(m);
    const html = htmlPart(m);
    assert.ok(text && html, `text and HTML parts: ${JSON.stringify(m.parts.map((p) => p.content_type))}`);
    for (const p of [text, html]) {
        assert.equal(p.charset, 'utf-8');
        assert.ok(p.decoded_with_charset);
        assert.equal(p.transfer_encoding, 'quoted-printable');
    }
    assert.match(text.text, /Příliš žluťoučký kůň úpěl ďábelské ódy\./);
    assert.match(text.text, /Alice Agent vám odpovídá na požadavek č\. \d+:/, 'the Czech template');
    assert.match(text.text, /##- Odpověď pište nad tento řádek -##/);
    assert.match(html.text, /<html lang="cs">/);
    assert.match(html.text, /Příliš žluťoučký kůň úpěl ďábelské ódy\./);
    const api = sent.find((s) => s.to === u.customer.email);
    assert.equal(`<${api.message_id}>`, header(m, 'message-id'), 'the API shows the Message-ID sent');
    assert.equal(api.subject, `${tag} Re: Tiskárna nefunguje`);

    // The next reply threads under the first: In-Reply-To/References name it.
    const before2 = sink.files().length;
    await reply(id, 'Ještě jedna věc: zkontrolujte papír.');
    await settled(id);
    await sink.waitFor(before2 + 3);
    const replies = messagesTo(u.customer.email, tag);
    assert.equal(replies.length, 2);
    const second = replies.find((r) => header(r, 'message-id') !== header(m, 'message-id'));
    const refs = idsIn(header(second, 'references'));
    assert.ok(refs.includes(header(m, 'message-id')), `References ${refs} include ${header(m, 'message-id')}`);
    assert.ok(idsIn(header(second, 'in-reply-to')).length === 1);
    assert.ok(refs.includes(idsIn(header(second, 'in-reply-to'))[0]), 'In-Reply-To is one of the references');
    const siblings = messagesTo(u.customer2.email, tag).map((x) => header(x, 'message-id'));
    assert.equal(new Set([...siblings, header(m, 'message-id'), header(second, 'message-id')]).size, 4, 'every message has its own id');
});

test('a Czech customer\'s request is answered in Czech without anyone setting a language', async () => {
    const id = await openRequest(u.customer2, {
        subject: 'Objednávka',
        body: 'Dobrý den, objednal jsem si tiskárnu, ale dodnes mi nepřišla. Můžete prosím zjistit, kde je?',
    });
    const t = await desk.api('GET', `tickets/${id}.json`, { auth: u.agent });
    assert.equal(t.json.ticket.language, 'cs', 'detected from the first message');
    const n = sink.files().length;
    await reply(id, 'Dobrý den, zásilka je na cestě.');
    await settled(id);
    await sink.waitFor(n + 1);
    const [m] = messagesTo(u.customer2.email, `[#${id}]`);
    assert.match(textPart(m).text, /vám odpovídá na požadavek č\. \d+:/);
    await setLocale(u.customer2, 'en-US');
});

test('the language follows the ticket, else the requester locale: Polish, Spanish, English', async () => {
    const cases = [
        { user: u.customer2, locale: 'pl-PL', language: undefined, intro: /odpowiada na Twoje zgłoszenie nr \d+:/, charsetText: 'Zażółć gęślą jaźń' },
        { user: u.customer2, locale: 'pl-PL', language: 'es', intro: /ha respondido a su solicitud n\.º \d+:/, charsetText: 'Güeña cigüeña, ñandú' },
        { user: u.customer2, locale: 'ja', language: undefined, intro: /replied to your request #\d+:/, charsetText: '日本語のテキスト' },
    ];
    for (const c of cases) {
        await setLocale(c.user, c.locale);
        const id = await openRequest(c.user, { subject: 'Pytanie', language: c.language });
        const n = sink.files().length;
        await reply(id, c.charsetText);
        await settled(id);
        await sink.waitFor(n + 1);
        const [m] = messagesTo(c.user.email, `[#${id}]`);
        assert.ok(m, `a message for ticket ${id}`);
        assert.match(textPart(m).text, c.intro, `${c.locale}/${c.language}: ${textPart(m).text}`);
        assert.ok(textPart(m).text.includes(c.charsetText));
        assert.ok(htmlPart(m).text.includes(c.charsetText));
    }
    await setLocale(u.customer2, 'en-US');
});

test('internal notes and the customer\'s own messages send nothing', async () => {
    const id = await openRequest(u.customer, { subject: 'Quiet one' });
    await reply(id, 'internal: check the logs', { isPublic: false });
    const r = await desk.api('PUT', `requests/${id}.json`, { auth: u.customer, body: { request: { comment: { body: 'any news?' } } } });
    assert.equal(r.status, 200, show(r));
    await sleep(300);
    assert.deepEqual(await outbox(`?ticket_id=${id}`), []);
    assert.equal(messagesTo(u.customer.email, `[#${id}]`).length, 0);
});

test('the outbox API: filters, one message with its source, permissions, bad input', async () => {
    const id = await openRequest(u.customer, { subject: 'API look' });
    await reply(id, 'Hello from the API test');
    const [m] = await settled(id);
    let r = await desk.api('GET', `outbox/${m.id}.json`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    assert.match(r.json.message.raw, /^Subject: \[#\d+\] Re: API look\r$/m);
    assert.ok((await outbox('?state=sent')).some((x) => x.id === m.id));
    assert.ok(!(await outbox('?state=failed')).some((x) => x.id === m.id));
    const desc = await outbox('?sort_order=desc&per_page=2');
    assert.ok(desc.length <= 2 && (desc.length < 2 || desc[0].id > desc[1].id));

    for (const [path, field] of [
        ['outbox.json?state=lost', 'state'],
        ['outbox.json?ticket_id=abc', 'ticket_id'],
        ['outbox.json?sort_order=up', 'sort_order'],
    ]) {
        r = await desk.api('GET', path, { auth: u.agent });
        assert.equal(r.status, 400, show(r));
        assert.match(r.text, new RegExp(field));
    }
    r = await desk.api('GET', 'outbox.json', { auth: u.customer });
    assert.equal(r.status, 403, show(r));
    r = await desk.api('GET', 'outbox.json');
    assert.equal(r.status, 401, show(r));
    r = await desk.api('GET', 'outbox/999999.json', { auth: u.agent });
    assert.equal(r.status, 404, show(r));
    r = await desk.api('POST', `outbox/${m.id}/retry.json`, { auth: u.agent });
    assert.equal(r.status, 403, show(r));
    r = await desk.api('POST', `outbox/${m.id}/retry.json`, { auth: u.supervisor });
    assert.equal(r.status, 422, show(r));
    assert.match(r.text, /only a failed message can be retried/);
});

/** A second server with its own sink, for tests that break the relay. */
async function isolatedDesk(name, sinkArgs = [], extra = []) {
    const s = await SmtpSink.start({ args: sinkArgs });
    const d = await Desk.create(name);
    const users = {};
    for (const [key, role] of [['agent', 'agent'], ['supervisor', 'supervisor'], ['customer', 'end-user'], ['customer2', 'end-user']]) {
        users[key] = await d.addUser(key, { role }); // token only: no password to hash
    }
    return { s, d, users, start: (url = s.url) => d.start({ extraArgs: mailArgs(url, extra) }) };
}

async function metric(d, name, labels = '') {
    const r = await d.api('GET', '/metrics');
    const line = r.text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
    return line ? Number(line.split(' ')[1]) : undefined;
}

test('relay down: nothing is lost, across a crash, and it all goes out when the relay is back', async () => {
    const { s, d, users, start } = await isolatedDesk('mail_out_down', [], ['--smtp-tls', 'none']);
    try {
        const port = s.port;
        await s.stop(); // the relay is down from the start
        await start();
        const open = await d.api('POST', 'requests.json', {
            auth: users.customer,
            body: { request: { subject: 'Relay test', comment: { body: 'hello' } } },
        });
        assert.equal(open.status, 201, show(open));
        const id = open.json.request.id;
        for (let i = 1; i <= 3; i++) {
            const r = await d.api('PUT', `tickets/${id}.json`, {
                auth: users.agent,
                body: { ticket: { comment: { body: `reply ${i}: Žluťoučký kůň` } } },
            });
            assert.equal(r.status, 200, show(r));
        }
        let items;
        const end = Date.now() + 10_000;
        do {
            await sleep(100);
            const r = await d.api('GET', `outbox.json?ticket_id=${id}`, { auth: users.agent });
            items = r.json.outbox;
        } while (!items.some((m) => m.attempts >= 2) && Date.now() < end);
        assert.equal(items.length, 3);
        assert.ok(items.every((m) => m.state === 'queued'), JSON.stringify(items));
        const tried = items.filter((m) => m.attempts > 0);
        assert.ok(tried.length >= 1 && tried.every((m) => /connect/i.test(m.last_error) && m.next_attempt_at), JSON.stringify(items));
        assert.equal(await metric(d, 'desk_mail_outbox', '{state="queued"}'), 3);
        assert.equal(await metric(d, 'desk_mail_relay_up'), 0);
        assert.ok((await metric(d, 'desk_mail_send_failures_total', '{reason="relay_unreachable"}')) >= 2);

        // A crash while the relay is down: the queue is in the database.
        await d.kill9();
        await start();
        await s.listen(port); // the relay comes back on its address
        const got = await s.waitFor(3, 10_000);
        assert.deepEqual(got.map((m) => textPart(m).text.match(/reply \d/)[0]).sort(), ['reply 1', 'reply 2', 'reply 3']);
        const r = await d.api('GET', `outbox.json?ticket_id=${id}`, { auth: users.agent });
        const final = r.json.outbox;
        await sleep(100);
        assert.ok(final.every((m) => m.state === 'sent' || m.state === 'queued'), JSON.stringify(final));
        const settledItems = [];
        for (let i = 0; i < 100; i++) {
            const x = await d.api('GET', `outbox.json?ticket_id=${id}`, { auth: users.agent });
            if (x.json.outbox.every((m) => m.state === 'sent')) {
                settledItems.push(...x.json.outbox);
                break;
            }
            await sleep(50);
        }
        assert.equal(settledItems.length, 3, 'all three marked sent');
        assert.equal(await metric(d, 'desk_mail_relay_up'), 1);
        assert.equal(await metric(d, 'desk_mail_outbox', '{state="queued"}'), 0);
        assert.equal(s.files().length, 3, 'each message once');
    } finally {
        await d.stop();
        await s.destroy();
    }
});

test('a refused recipient fails visibly; a supervisor retries it once the relay accepts', async () => {
    const { s, d, users, start } = await isolatedDesk('mail_out_refused', ['--reject', 'customer@', '--tempfail', '1'], ['--smtp-tls', 'none']);
    try {
        await start();
        const open = await d.api('POST', 'requests.json', {
            auth: users.customer,
            body: { request: { subject: 'Refused', comment: { body: 'hello' } } },
        });
        const id = open.json.request.id;
        // customer2 follows: its first try meets the 451, then it goes through.
        let r = await d.api('PUT', `tickets/${id}.json`, {
            auth: users.agent,
            body: { ticket: { collaborator_ids: [users.customer2.id], comment: { body: 'we are on it' } } },
        });
        assert.equal(r.status, 200, show(r));
        let items;
        for (let i = 0; i < 200; i++) {
            r = await d.api('GET', `outbox.json?ticket_id=${id}`, { auth: users.agent });
            items = r.json.outbox;
            if (items.length === 2 && items.every((m) => m.state !== 'queued')) {
                break;
            }
            await sleep(50);
        }
        const refused = items.find((m) => m.to === users.customer.email);
        const ok = items.find((m) => m.to === users.customer2.email);
        assert.equal(refused.state, 'failed', JSON.stringify(items));
        assert.match(refused.last_error, /550/);
        assert.equal(ok.state, 'sent', JSON.stringify(items));
        r = await d.api('GET', 'outbox.json?state=failed', { auth: users.agent });
        assert.deepEqual(r.json.outbox.map((m) => m.id), [refused.id]);
        assert.equal(await metric(d, 'desk_mail_outbox', '{state="failed"}'), 1);
        assert.equal(await metric(d, 'desk_mail_send_failures_total', '{reason="refused"}'), 1);
        assert.ok((await metric(d, 'desk_mail_send_failures_total', '{reason="temporary"}')) >= 1, 'the 451 was retried');
        assert.equal(await metric(d, 'desk_mail_sent_total'), 1);

        // The relay stops refusing; a supervisor sends it again.
        const port = s.port;
        await s.stop();
        s.args = [];
        await s.listen(port, []);
        r = await d.api('POST', `outbox/${refused.id}/retry.json`, { auth: users.supervisor });
        assert.equal(r.status, 200, show(r));
        assert.ok(['queued', 'sent'].includes(r.json.message.state), show(r)); // the sender may be quicker than the answer
        const got = await s.waitFor(2);
        assert.ok(got.some((m) => m.envelope.rcpt_tos.includes(users.customer.email)));
    } finally {
        await d.stop();
        await s.destroy();
    }
});

test('STARTTLS (required) with the relay\'s CA, and AUTH from the options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const { s, d, users } = await isolatedDesk('mail_out_tls', ['--tls', cert, key, '--require-tls', '--auth', 'desk:s3cret']);
    try {
        await d.start({
            extraArgs: mailArgs(s.url, ['--smtp-tls', 'require', '--smtp-ca', cert, '--smtp-user', 'desk']),
            env: { DESK_SMTP_PASSWORD: 's3cret' },
        });
        const open = await d.api('POST', 'requests.json', {
            auth: users.customer,
            body: { request: { subject: 'Secure', comment: { body: 'hello' } } },
        });
        await d.api('PUT', `tickets/${open.json.request.id}.json`, {
            auth: users.agent,
            body: { ticket: { comment: { body: 'over TLS' } } },
        });
        const [m] = await s.waitFor(1);
        assert.equal(m.envelope.tls, true, 'STARTTLS was used');
        assert.equal(m.envelope.auth_login, 'desk');
        assert.ok(!d.log().includes('s3cret'), 'the password never reaches the log');
    } finally {
        await d.stop();
        await s.destroy();
        rmSync(dir, { recursive: true, force: true });
    }
});

test('serve refuses mail options that cannot work', async () => {
    const d = await Desk.create('mail_out_opts');
    for (const [args, msg] of [
        [['--smtp', 'smtp://127.0.0.1:1'], /--smtp needs --mail-from/],
        [['--smtp', 'http://127.0.0.1:1', '--mail-from', SUPPORT], /cannot start outgoing mail/],
        [['--mail-from', 'not-an-address'], /cannot start outgoing mail/],
        [['--smtp', 'smtp://127.0.0.1:1', '--mail-from', SUPPORT, '--smtp-tls', 'maybe'], /--smtp-tls must be/],
        [['--mail-from', SUPPORT, '--mail-retry-ms', '0'], /must be positive/],
    ]) {
        const r = spawnSync(DESK_BIN, ['serve', '--db', d.db, '--listen', '127.0.0.1:0', ...args], {
            encoding: 'utf8',
            timeout: 10_000,
        });
        assert.equal(r.status, 1, `${args.join(' ')}: ${r.status} ${r.stderr}`);
        assert.match(r.stderr, msg);
    }
});

test('a request by email is acknowledged in its language, threaded, marked automatic; automatic mail is not', async () => {
    const raw = (from, msgid, subject, body, extra = []) => Buffer.from([
        `From: ${from}`, 'To: support@desk.test', `Subject: ${subject}`, `Message-ID: <${msgid}>`,
        'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit',
        ...extra, '', body, ''].join('\r\n'), 'utf8');
    const n = sink.files().length;
    await desk.cli(['mailgate', '--db', desk.db], {
        input: raw('Zofia Nowak <zofia@example.pl>', 'pl-1@example.pl', 'Zamówienie nie dotarło',
            'Dzień dobry, zamówiłam drukarkę dwa tygodnie temu i nadal jej nie otrzymałam. Proszę o pomoc.'),
    });
    const [ack] = (await sink.waitFor(n + 1)).filter((m) => m.envelope.rcpt_tos.includes('zofia@example.pl'));
    assert.ok(ack, 'the acknowledgement arrived');
    assert.match(header(ack, 'subject'), /^\[#\d+\] Zgłoszenie przyjęte: Zamówienie nie dotarło$/);
    assert.equal(header(ack, 'auto-submitted'), 'auto-replied');
    assert.equal(header(ack, 'in-reply-to'), '<pl-1@example.pl>');
    assert.equal(header(ack, 'from'), `Desk Support <${SUPPORT}>`);
    assert.match(textPart(ack).text, /Otrzymaliśmy Twoje zgłoszenie nr \d+/);
    assert.match(textPart(ack).text, /> Dzień dobry, zamówiłam drukarkę/);

    // An out-of-office reply, and a newsletter, open tickets but get no acknowledgement.
    const before = sink.files().length;
    await desk.cli(['mailgate', '--db', desk.db], {
        input: raw('Petr <petr@example.cz>', 'ooo-1@example.cz', 'Nepřítomen: dovolená', 'Jsem na dovolené do pondělí.', ['Auto-Submitted: auto-replied']),
    });
    await desk.cli(['mailgate', '--db', desk.db], {
        input: raw('News <news@example.com>', 'news-1@example.com', 'Our October news', 'Read all about it.', ['Precedence: bulk', 'List-Id: <news.example.com>']),
    });
    await sleep(1200); // several mail-thread polls
    assert.equal(sink.files().length, before, 'nothing answered automatic mail');
    const queued = await outbox('?state=queued');
    assert.ok(!queued.some((m) => m.to === 'petr@example.cz' || m.to === 'news@example.com'));
});

test('RFC 3834: automatic mail of every kind gets no acknowledgement or notice, also once recovered', async () => {
    const raw = (from, msgid, subject, body, extra = []) => Buffer.from([
        `From: ${from}`, `To: ${SUPPORT}`, `Subject: ${subject}`, `Message-ID: <${msgid}>`,
        'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', ...extra, '', body, ''].join('\r\n'), 'utf8');
    const gate = async (bytes) => {
        const out = await desk.cli(['mailgate', '--db', desk.db, '--mail-address', SUPPORT], { input: bytes });
        const m = out.match(/^(\w+) ticket=(\d+)/);
        assert.ok(m, out);
        return { outcome: m[1], ticket: Number(m[2]), out };
    };
    const before = sink.files().length;
    const senders = [];
    const tickets = [];
    // Each kind of automatic mail opens a ticket (someone may need to read it) but is not answered.
    const kinds = [
        ['Auto-Submitted: auto-generated'],
        ['X-Autoreply: yes'],
        ['X-Autorespond: Vacation'],
        ['Precedence: junk'],
        ['Precedence: list'],
        ['List-Unsubscribe: <mailto:leave@lists.example>'],
        ['Return-Path: <>'],
    ];
    for (const [i, headers] of kinds.entries()) {
        const from = `robot${i}@auto.example`;
        const d = await gate(raw(from, `auto-${i}@auto.example`, `Notice ${i}`, 'This message was generated automatically.', headers));
        assert.equal(d.outcome, 'created', `${headers}: ${d.out}`);
        senders.push(from);
        tickets.push(d.ticket);
    }
    // An out-of-office reply to desk's acknowledgement lands on the ticket as a note, unanswered.
    const n = sink.files().length;
    const human = await gate(raw('Olga <olga@example.cz>', 'olga-1@example.cz', 'Reklamace', 'Dobrý den, posílám reklamaci objednávky číslo 4711, zboží přišlo rozbité.'));
    assert.equal(human.outcome, 'created');
    const [ack] = (await sink.waitFor(n + 1)).filter((m) => m.envelope.rcpt_tos.includes('olga@example.cz'));
    assert.ok(ack, 'the person is acknowledged');
    const acked = sink.files().length;
    const ooo = await gate(raw('Olga <olga@example.cz>', 'olga-ooo@example.cz', 'Automatická odpověď: Reklamace',
        'Jsem mimo kancelář.', ['Auto-Submitted: auto-replied', `In-Reply-To: ${header(ack, 'message-id')}`]));
    assert.equal(ooo.outcome, 'updated');
    assert.equal(ooo.ticket, human.ticket);
    // A bounce about no known message, and a looping message, are suspended; recovered by a
    // supervisor they become tickets, still automatic mail that nothing answers.
    const dsn = Buffer.from([
        'From: Mail Delivery System <MAILER-DAEMON@mx.auto.example>', `To: ${SUPPORT}`,
        'Subject: Undelivered Mail Returned to Sender', 'Message-ID: <dsn-unknown@mx.auto.example>',
        'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="B"', '',
        '--B', 'Content-Type: text/plain', '', 'The mail could not be delivered.',
        '--B', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.auto.example', '',
        'Final-Recipient: rfc822; nobody@else.example', 'Action: failed', 'Status: 5.1.1', '',
        '--B', 'Content-Type: text/rfc822-headers', '', 'Message-ID: <unknown@else.example>', '', '--B--', ''].join('\r\n'));
    const loop = raw('loopy@auto.example', 'loop-1@auto.example', 'Looping', 'Round and round.', [`X-Loop: ${SUPPORT}`]);
    for (const [bytes, subject] of [[dsn, 'Undelivered Mail Returned to Sender'], [loop, 'Looping']]) {
        const d = await gate(bytes);
        assert.equal(d.outcome, 'suspended', d.out);
        const list = await desk.api('GET', 'suspended_tickets.json', { auth: u.admin });
        const s = list.json.suspended_tickets.find((x) => x.subject === subject);
        assert.ok(s, JSON.stringify(list.json));
        const r = await desk.api('PUT', `suspended_tickets/${s.id}/recover.json`, { auth: u.admin });
        assert.equal(r.status, 200, show(r));
        tickets.push(r.json.ticket.id);
    }
    senders.push('mailer-daemon@mx.auto.example', 'loopy@auto.example');

    await sleep(1200); // several mail-thread polls
    const sent = sink.messages().slice(before);
    for (const m of sent) {
        for (const to of m.envelope.rcpt_tos) {
            assert.ok(!senders.includes(to.toLowerCase()), `automatic mail was answered: ${header(m, 'subject')} to ${to}`);
        }
    }
    assert.equal(sink.files().length, acked, 'only the person was answered');
    const ackOnly = await outbox(`?ticket_id=${human.ticket}`);
    assert.deepEqual(ackOnly.map((m) => m.kind), ['received'], 'the out-of-office reply was not answered');
    for (const id of [...tickets, human.ticket]) {
        if (id !== human.ticket) {
            assert.deepEqual(await outbox(`?ticket_id=${id}`), [], `ticket ${id} queued mail`);
        }
        const r = await desk.api('GET', `tickets/${id}/comments.json`, { auth: u.agent });
        const last = r.json.comments.at(-1);
        assert.equal(last.metadata.system.automatic, true, `ticket ${id}'s last comment is automatic mail`);
    }
});

test('an address that bounced gets no more notices', async () => {
    const id = await openRequest(u.customer, { subject: 'Bounce test', followers: [u.customer2] });
    await reply(id, 'First answer');
    const first = await settled(id);
    const toFollower = first.find((m) => m.to === u.customer2.email);
    assert.ok(toFollower, JSON.stringify(first));
    // The follower's server answers with a delivery status notification (RFC 3464).
    const dsn = [
        'From: Mail Delivery System <MAILER-DAEMON@mx.e2e.example>',
        `To: ${SUPPORT}`,
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <dsn-1@mx.e2e.example>',
        'Auto-Submitted: auto-replied',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        'The mail could not be delivered.',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.e2e.example',
        '',
        `Final-Recipient: rfc822; ${u.customer2.email}`,
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 no such user',
        '',
        '--B',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: <${toFollower.message_id}>`,
        `Subject: ${toFollower.subject}`,
        '',
        '--B--',
        '',
    ].join('\r\n');
    await desk.cli(['mailgate', '--db', desk.db], { input: dsn });
    await reply(id, 'Second answer');
    const all = await settled(id);
    const second = all.filter((m) => m.id > Math.max(...first.map((x) => x.id)));
    assert.deepEqual(second.map((m) => m.to), [u.customer.email], 'only the requester this time');
});
