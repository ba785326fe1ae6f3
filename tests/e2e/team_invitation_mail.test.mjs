// Onboarding by email: a supervisor invites an agent, desk mails the
// one-time link through the outbox to a real SMTP relay (aiosmtpd from
// Debian on 127.0.0.1), the invitee opens the link from the delivered mail
// in a real browser (Debian's chromium), sets a password and signs in; the
// same link is refused the second time. The link follows --public-url when
// set; the mail is in the invitee's language; nobody can read the link from
// the outbox.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Desk, addStandardUsers, basicPassword, show, sleep } from './lib/desk.mjs';
import { SmtpSink, header } from './lib/mail.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const CHROMIUM = process.env.DESK_CHROMIUM || '/usr/bin/chromium';
const MAIL = ['--mail-from', 'support@desk.test', '--mail-name', 'Desk Support', '--smtp-tls', 'none',
    '--mail-retry-ms', '100', '--mail-retry-max-ms', '400', '--mail-poll-ms', '200'];

let desk;
let sink;
let u;
let group;
let browser;

async function must(method, path, body, auth = u.admin, ok = [200, 201]) {
    const r = await desk.api(method, path, { auth, body });
    assert.ok(ok.includes(r.status), `${method} ${path}: ${show(r)}`);
    return r.json;
}

before(async () => {
    assert.ok(existsSync(CHROMIUM), `chromium not found at ${CHROMIUM} (scripts/deps.d/console.list installs it)`);
    sink = await SmtpSink.start();
    desk = await Desk.create('team_invitation_mail');
    u = await addStandardUsers(desk);
    await desk.start({ extraArgs: ['--smtp', sink.url, ...MAIL] });
    group = (await must('POST', 'groups.json', { group: { name: 'Support' } })).group.id;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
});

after(async () => {
    await browser?.close();
    await desk?.stop();
    await sink?.destroy();
});

const textPart = (m) => m.parts.find((p) => p.content_type === 'text/plain').text;
const htmlPart = (m) => m.parts.find((p) => p.content_type === 'text/html').text;

/** The messages the sink received for address. */
async function mailsTo(address, n = 1) {
    const end = Date.now() + 20_000;
    while (Date.now() < end) {
        let got = [];
        try {
            got = sink.messages().filter((m) => m.envelope.rcpt_tos?.includes(address) || (header(m, 'to') || '').includes(address));
        } catch {
            // a message still being written: read it on the next turn
        }
        if (got.length >= n) {
            return got;
        }
        await sleep(100);
    }
    throw new Error(`no mail to ${address}: ${sink.messages().length} in the sink`);
}

async function outboxRow(id) {
    const end = Date.now() + 10_000;
    for (;;) {
        const row = (await must('GET', `outbox/${id}.json`, undefined, u.supervisor)).message;
        if (row.state !== 'queued' || Date.now() > end) {
            return row;
        }
        await sleep(100);
    }
}

test('the invitee gets the link by mail, sets a password in the console once, and signs in', async () => {
    const inv = (await must('POST', 'staff/invitations.json', {
        invitation: { email: 'nina@e2e.example', name: 'Nina Nováková', role: 'agent', group_ids: [group], locale: 'cs-CZ' },
    }, u.supervisor)).invitation;
    assert.equal(inv.mailed, true);
    assert.ok(inv.outbox_id > 0);
    // Without --public-url the link is on the host the inviter used.
    assert.equal(inv.link, `${desk.url}/console/#/invitation/${inv.token}`);

    const [mail] = await mailsTo('nina@e2e.example');
    assert.equal(header(mail, 'subject'), 'Pozvánka do týmu Desk Support');
    assert.equal(header(mail, 'content-language'), 'cs');
    assert.equal(header(mail, 'auto-submitted'), 'auto-generated');
    assert.match(header(mail, 'to'), /Nina Nováková <nina@e2e\.example>/);
    const text = textPart(mail);
    assert.match(text, /vás zve do týmu Desk Support/);
    const link = /(https?:\/\/\S+\/console\/#\/invitation\/[A-Za-z0-9_-]+)/.exec(text)?.[1];
    assert.ok(link, text);
    assert.equal(link, inv.link);
    assert.ok(htmlPart(mail).includes(`href="${link}"`));

    // The outbox shows the message was sent, never its source: it carries the link.
    const row = await outboxRow(inv.outbox_id);
    assert.equal(row.kind, 'invitation');
    assert.equal(row.state, 'sent', JSON.stringify(row));
    assert.equal(row.ticket_id, null);
    assert.equal(row.raw, null);
    assert.equal(row.to, 'nina@e2e.example');
    const listed = await must('GET', 'outbox.json?state=sent', undefined, u.agent);
    assert.ok(!JSON.stringify(listed).includes(inv.token), 'the token is not in the outbox list');

    // The invitee follows the link from the mail in a browser.
    const context = await browser.newContext({ locale: 'cs-CZ' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(link);
    await page.fill('input[name=new-password]', 'Nina-Strong-Pass-42');
    await page.fill('input[name=repeat-password]', 'Nina-Other-Pass-42');
    await page.click('button[type=submit]');
    await page.locator('p.error').filter({ hasText: /\S/ }).waitFor();
    assert.equal(await page.locator('p.error').textContent(), 'Hesla se neshodují.');
    await page.fill('input[name=repeat-password]', 'Nina-Strong-Pass-42');
    await page.click('button[type=submit]');
    // Then the sign-in form, and in with the new password.
    await page.locator('input[type=email]').waitFor();
    assert.ok(!page.url().includes(inv.token), 'the token leaves the address bar');
    await page.fill('input[type=email]', 'nina@e2e.example');
    await page.fill('input[type=password]', 'Nina-Strong-Pass-42');
    await page.click('button[type=submit]');
    await page.getByTestId('me').waitFor();
    assert.deepEqual(errors, []);
    const me = await desk.api('GET', 'users/me.json', { auth: basicPassword('nina@e2e.example', 'Nina-Strong-Pass-42') });
    assert.equal(me.status, 200, show(me));
    assert.equal(me.json.user.active, true);

    // The same link a second time: refused, in the browser and through the API.
    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    await again.fill('input[name=new-password]', 'Mallory-Pass-4242');
    await again.fill('input[name=repeat-password]', 'Mallory-Pass-4242');
    await again.click('button[type=submit]');
    await again.locator('p.error').filter({ hasText: /\S/ }).waitFor();
    assert.match(await again.locator('p.error').textContent(), /invalid, used or expired/);
    const twice = await desk.api('POST', `staff/invitations/${inv.token}/accept.json`, { body: { invitation: { password: 'Mallory-Pass-4242' } } });
    assert.equal(twice.status, 404, show(twice));
    const mallory = await desk.api('GET', 'users/me.json', { auth: basicPassword('nina@e2e.example', 'Mallory-Pass-4242') });
    assert.equal(mallory.status, 401);
    await context.close();
    await again.context().close();
});

test('a relay that is down delays the mail, loses nothing; languages; a bad locale is a 422', async () => {
    await sink.stop();
    const inv = (await must('POST', 'staff/invitations.json', {
        invitation: { email: 'piotr@e2e.example', name: 'Piotr Zieliński', languages: [{ tag: 'pl', proficiency: 'native' }] },
    }, u.supervisor)).invitation;
    await sleep(600);
    let row = (await must('GET', `outbox/${inv.outbox_id}.json`, undefined, u.supervisor)).message;
    assert.equal(row.state, 'queued');
    assert.ok(row.attempts >= 1, JSON.stringify(row));
    assert.equal(row.raw, null, 'not even a queued invitation shows its source');
    await sink.listen();
    const [mail] = await mailsTo('piotr@e2e.example');
    // No locale: the first language of the profile.
    assert.equal(header(mail, 'subject'), 'Zaproszenie do zespołu Desk Support');
    assert.ok(textPart(mail).includes(inv.link));

    for (const [locale, subject] of [['es', 'Invitación a Desk Support'], ['de-AT', 'Einladung zu Desk Support'], ['ja', 'Invitation to Desk Support']]) {
        const email = `inv-${locale}@e2e.example`;
        await must('POST', 'staff/invitations.json', { invitation: { email, name: `Person ${locale}`, locale } }, u.supervisor);
        const [m] = await mailsTo(email);
        assert.equal(header(m, 'subject'), subject);
    }
    const bad = await desk.api('POST', 'staff/invitations.json', { auth: u.supervisor, body: { invitation: { email: 'x@e2e.example', name: 'X', locale: 'klingon' } } });
    assert.equal(bad.status, 422, show(bad));
    assert.ok(bad.json.details.locale, bad.text);
});

test('an invitation revoked before its mail went out is never mailed', async () => {
    await sink.stop();
    const inv = (await must('POST', 'staff/invitations.json', { invitation: { email: 'gone@e2e.example', name: 'Gone Soon' } }, u.supervisor)).invitation;
    await must('POST', `staff/${inv.user_id}/offboard.json`, { offboarding: { reassign_to: u.agent.id } }, u.supervisor);
    const row = (await must('GET', `outbox/${inv.outbox_id}.json`, undefined, u.supervisor)).message;
    assert.equal(row.state, 'failed');
    assert.equal(row.last_error, 'the invitation was revoked');
    await sink.listen();
    // A later invitation still goes: the relay is back, and the revoked one stays unsent.
    await must('POST', 'staff/invitations.json', { invitation: { email: 'later@e2e.example', name: 'Later' } }, u.supervisor);
    await mailsTo('later@e2e.example');
    assert.equal(sink.messages().filter((m) => m.envelope.rcpt_tos.includes('gone@e2e.example')).length, 0);
    const refused = await desk.api('POST', `staff/invitations/${inv.token}/accept.json`, { body: { invitation: { password: 'Gone-Strong-Pass-42' } } });
    assert.equal(refused.status, 404, show(refused));
});

test('with --public-url the mailed link is on the public address', async () => {
    await desk.stop();
    await desk.start({ extraArgs: ['--smtp', sink.url, ...MAIL, '--public-url', 'https://desk.example.test/'] });
    const inv = (await must('POST', 'staff/invitations.json', { invitation: { email: 'olga@e2e.example', name: 'Olga' } }, u.supervisor)).invitation;
    assert.equal(inv.link, `https://desk.example.test/console/#/invitation/${inv.token}`);
    const [mail] = await mailsTo('olga@e2e.example');
    assert.ok(textPart(mail).includes(inv.link));
    // The token in the link is the one that works.
    const ok = await desk.api('POST', `staff/invitations/${inv.token}/accept.json`, { body: { invitation: { password: 'Olga-Strong-Pass-42' } } });
    assert.equal(ok.status, 200, show(ok));
});
