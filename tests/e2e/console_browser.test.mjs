// The console and portal in a real browser (Debian's chromium driven by
// playwright-core): a customer opens a request in the portal; an agent sees
// it, applies a Czech macro, fixes a misspelling the spell-checker found and
// sends the reply, and adds an internal note; the supervisor's live wall
// shows the queue change without a reload; the customer sees the reply but
// not the note; the interface switches to Polish; hostile subjects, names
// and bodies stay inert text. Screenshots go to tests/e2e/artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Desk, ARTIFACTS, show } from './lib/desk.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const CHROMIUM = process.env.DESK_CHROMIUM || '/usr/bin/chromium';

let desk;
let browser;
let shots;
const u = {};
const NOTE = 'Interní: zákazník už volal dvakrát, sleva max 10 %';
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">Eve';
const HOSTILE_SUBJECT = '<script>window.__pwned=1</script>Hello';
const HOSTILE_BODY = '<a href="javascript:window.__pwned=1">click me</a> javascript:window.__pwned=1 <svg onload="window.__pwned=1">';

before(async () => {
    assert.ok(existsSync(CHROMIUM), `chromium not found at ${CHROMIUM} (scripts/deps.d/console.list installs it)`);
    desk = await Desk.create('console_browser');
    u.admin = await desk.addUser('admin', { role: 'admin', name: 'Ada Admin', password: 'Pw-admin-browser-1' });
    u.sup = await desk.addUser('sup', { role: 'supervisor', name: 'Sam Supervisor', password: 'Pw-sup-browser-1' });
    u.agent = await desk.addUser('agent', { role: 'agent', name: 'Petr Novák', password: 'Pw-agent-browser-1' });
    u.jana = await desk.addUser('jana', { role: 'end-user', name: 'Jana Dvořáková', password: 'Pw-jana-browser-1' });
    u.eve = await desk.addUser('eve', { role: 'end-user', name: HOSTILE_NAME, password: 'Pw-eve-browser-1' });
    await desk.start();
    const put = (path, body) => desk.api('PUT', path, { auth: u.admin, body });
    await put(`users/${u.jana.id}.json`, { user: { locale: 'cs-CZ', time_zone: 'Europe/Prague' } });
    await put(`users/${u.agent.id}.json`, { user: { locale: 'en-US' } });
    const macro = await desk.api('POST', 'macros.json', {
        auth: u.sup,
        body: {
            macro: {
                title: 'Omluva za zpoždění',
                actions: [
                    { field: 'comment_value', value: 'Hello {{ticket.requester.name}}, sorry for the delay.' },
                    { field: 'status', value: 'pending' },
                ],
                variants: [{ language: 'cs', comment: 'Dobrý den, paní {{ticket.requester.first_name}}, omlouváme se za zpoždění. {{current_user.name}}' }],
            },
        },
    });
    assert.equal(macro.status, 201, show(macro));
    shots = join(ARTIFACTS, 'screenshots');
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
});

after(async () => {
    await browser?.close();
    await desk?.stop();
});

/** A fresh browser profile signed in as user at path ('/console/' or '/portal/'). */
async function signIn(user, path, { width = 1280, locale = 'en-US', prepare } = {}) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale, timezoneId: 'Europe/Prague' });
    const page = await context.newPage();
    await prepare?.(page);
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e.message));
    page.on('dialog', (d) => {
        page.errors.push(`dialog: ${d.message()}`);
        d.dismiss();
    });
    await page.goto(desk.url + path);
    await page.fill('input[type=email]', user.email);
    await page.fill('input[type=password]', user.password);
    await page.click('button[type=submit]');
    return page;
}

async function shot(page, name) {
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

test('portal, console, macro, spelling, live wall, privacy and Polish, end to end', async () => {
    // The supervisor watches the wall before anything happens.
    const wall = await signIn(u.sup, '/console/');
    await wall.getByTestId('me').waitFor();
    await wall.goto(`${desk.url}/console/#/wall`);
    await wall.getByTestId('wall').waitFor();
    await wall.evaluate(() => {
        window.__noReload = true;
    });
    const webWaiting = () => wall.locator('[data-queue="channel:1"] [data-testid="waiting"]');
    await shot(wall, '01-wall-before');

    // A Czech customer opens a request in the portal, in Czech, on a phone-width screen.
    const portal = await signIn(u.jana, '/portal/', { width: 390, locale: 'cs-CZ' });
    await portal.getByTestId('new-request').waitFor();
    assert.equal(await portal.getByTestId('new-request').textContent(), 'Nový požadavek');
    await portal.held;
    await portal.getByTestId('new-request').click();
    await portal.getByTestId('subject').fill('Reklamace: příliš malé boty');
    await portal.getByTestId('description').fill('Dobrý den, objednala jsem boty velikosti 39, ale jsou příliš malé. Můžete je vyměnit?');
    await portal.click('button[type=submit]');
    await portal.getByTestId('request-subject').waitFor();
    const requestId = Number(/#\/request\/(\d+)/.exec(portal.url())[1]);
    assert.ok(requestId > 0);
    await shot(portal, '02-portal-new-request');

    // The wall shows the new waiting web request without a reload.
    await webWaiting().waitFor({ timeout: 10000 });
    await assertText(webWaiting(), '1');
    assert.equal(await wall.evaluate(() => window.__noReload), true, 'the wall was not reloaded');

    // The agent sees it in the unassigned view and opens it.
    const agent = await signIn(u.agent, '/console/');
    await agent.getByTestId('me').waitFor();
    await agent.goto(`${desk.url}/console/#/views/unassigned`);
    const row = agent.locator(`table[data-testid="ticket-list"] tr[data-id="${requestId}"]`);
    await row.waitFor();
    await row.locator('a.subject').click();
    await agent.getByTestId('ticket-subject').waitFor();
    assert.equal(await agent.getByTestId('ticket-subject').textContent(), 'Reklamace: příliš malé boty');
    assert.equal(await agent.getByTestId('requester-name').textContent(), 'Jana Dvořáková');

    // Apply the Czech macro: the Czech variant, with placeholders filled.
    const macroId = await agent.getByTestId('macro').locator('option', { hasText: 'Omluva za zpoždění' }).getAttribute('value');
    await agent.getByTestId('macro').selectOption(macroId);
    await agent.waitForFunction(() => document.querySelector('[data-testid="reply"]').value.includes('omlouváme'));
    const applied = await agent.getByTestId('reply').inputValue();
    assert.equal(applied, 'Dobrý den, paní Jana, omlouváme se za zpoždění. Petr Novák');
    assert.equal(await agent.getByTestId('status').inputValue(), 'pending', 'the macro set the status');

    // A misspelling: the check underlines it and a suggestion fixes it.
    await agent.getByTestId('reply').fill(`${applied}\nVýměnu vám rádi zařídímé.`);
    await agent.getByTestId('spellcheck').click();
    const miss = agent.getByTestId('misspelling');
    await miss.first().waitFor();
    assert.equal(await miss.count(), 1, await agent.getByTestId('spell').textContent());
    assert.equal(await miss.first().textContent(), 'zařídímé');
    await shot(agent, '03-agent-spellcheck');
    await miss.first().click();
    await agent.getByTestId('suggestion').filter({ hasText: /^zařídíme$/ }).click();
    await agent.waitForFunction(() => document.querySelector('[data-testid="reply"]').value.includes('zařídíme.'));
    await agent.getByText('Žádné pravopisné chyby.').or(agent.getByText('No spelling mistakes found.')).waitFor();
    await agent.getByTestId('assignee').selectOption(String(u.agent.id));
    await agent.getByTestId('send').click();
    await agent.locator('[data-testid="public-comment"]', { hasText: 'zařídíme' }).waitFor();

    // An internal note, set apart from replies.
    await agent.getByTestId('mode-note').click();
    await agent.getByTestId('reply').fill(NOTE);
    await agent.getByTestId('send').click();
    const note = agent.locator('[data-testid="internal-note"]', { hasText: 'sleva max' });
    await note.waitFor();
    const noteBg = await note.evaluate((el) => getComputedStyle(el).backgroundColor);
    const replyBg = await agent.locator('[data-testid="public-comment"]').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(noteBg, replyBg, 'notes look different from public replies');
    await shot(agent, '04-agent-ticket');

    // Assigned: the wall's web queue has nobody waiting any more, still without a reload.
    await wall.waitForFunction(() => document.querySelector('[data-queue="channel:1"] [data-testid="waiting"]')?.textContent === '0', null, { timeout: 10000 });
    assert.equal(await wall.evaluate(() => window.__noReload), true);
    assert.equal(await wall.getByTestId('last-event').getAttribute('data-ticket'), String(requestId));
    await shot(wall, '05-wall-after');

    // The customer sees the reply, never the note.
    await portal.reload();
    await portal.locator('[data-testid="public-comment"]', { hasText: 'zařídíme' }).waitFor();
    const seen = await portal.getByTestId('conversation').textContent();
    assert.ok(!seen.includes('sleva'), 'the internal note is not shown to the customer');
    assert.ok(!(await portal.content()).includes('sleva max'), 'nor anywhere in the page');
    assert.equal(await portal.getByTestId('request-status').textContent(), 'Čeká na vaši odpověď');
    await shot(portal, '06-portal-reply');

    // The agent switches the interface to Polish.
    await agent.goto(`${desk.url}/console/#/views/mine`);
    await agent.getByTestId('view-count').waitFor();
    await agent.getByTestId('language').selectOption('pl');
    await agent.getByText('Wyloguj się').waitFor();
    await agent.getByTestId('view-count').waitFor();
    assert.equal(await agent.getByTestId('view-count').textContent(), '1 zgłoszenie');
    assert.equal(await agent.evaluate(() => document.documentElement.lang), 'pl');
    await shot(agent, '07-agent-polish');
    const me = await desk.api('GET', 'users/me.json', { auth: u.agent });
    assert.equal(me.json.user.locale, 'pl', 'the choice is kept in the profile');

    for (const p of [wall, portal, agent]) {
        assert.deepEqual(p.errors, [], 'no page errors');
    }
    await Promise.all([wall.context().close(), portal.context().close(), agent.context().close()]);
});

/**
 * Holds the first request to API paths matching re for ms before letting it
 * through; page.held resolves once that request was made.
 */
async function holdFirst(page, re, ms) {
    let seen;
    page.held = new Promise((r) => (seen = r));
    await page.route(re, async (route) => {
        if (seen) {
            const done = seen;
            seen = null;
            done();
            await new Promise((r) => setTimeout(r, ms));
        }
        await route.continue();
    });
}

test('an answer that comes after the user moved on does not draw over the newer page', async () => {
    // The portal: the list is still loading when the customer opens the new-request form.
    const portal = await signIn(u.jana, '/portal/', { width: 390, locale: 'cs-CZ', prepare: (p) => holdFirst(p, /\/api\/v2\/requests\.json/, 1500) });
    await portal.held;
    await portal.getByTestId('new-request').click();
    await portal.getByTestId('subject').fill('Rozepsaný požadavek');
    await portal.waitForTimeout(2000); // the held list answers meanwhile
    assert.equal(await portal.getByTestId('subject').inputValue(), 'Rozepsaný požadavek', 'the form is still there');
    assert.equal(await portal.getByTestId('request-list').count(), 0, 'the late list was not drawn');

    // The console: the first view is still loading when the agent opens another one.
    await desk.api('PUT', `users/${u.agent.id}.json`, { auth: u.admin, body: { user: { locale: 'en-US' } } });
    const agent = await signIn(u.agent, '/console/', { prepare: (p) => holdFirst(p, /\/api\/v2\/views\/active\.json/, 1500) });
    await agent.held;
    await agent.goto(`${desk.url}/console/#/views/sla`);
    await agent.getByTestId('view-count').waitFor();
    await agent.waitForTimeout(2000);
    assert.equal(await agent.locator('main h1').first().textContent(), 'SLA at risk', 'the late first view was not drawn over it');
    assert.ok(await agent.locator('aside.side a.active[href="#/views/sla"]').count(), 'the side bar marks the view shown');
    for (const p of [portal, agent]) {
        assert.deepEqual(p.errors, []);
    }
    await Promise.all([portal.context().close(), agent.context().close()]);
});

async function assertText(locator, want) {
    const end = Date.now() + 5000;
    let got;
    while (Date.now() < end) {
        got = await locator.textContent();
        if (got === want) {
            return;
        }
        await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(got, want);
}

test('hostile subjects, names and bodies render as inert text', async () => {
    const r = await desk.api('POST', 'requests.json', { auth: u.eve, body: { request: { subject: HOSTILE_SUBJECT, comment: { body: HOSTILE_BODY } } } });
    assert.equal(r.status, 201, show(r));
    const id = r.json.request.id;
    await desk.api('PUT', `tickets/${id}.json`, { auth: u.agent, body: { ticket: { tags: ['x'], comment: { body: `Reply with ${HOSTILE_BODY}`, public: true } } } });

    const agent = await signIn(u.agent, '/console/');
    await agent.getByTestId('me').waitFor();
    await agent.goto(`${desk.url}/console/#/views/unassigned`);
    await agent.locator(`tr[data-id="${id}"]`).waitFor();
    assert.equal(await agent.locator(`tr[data-id="${id}"] a.subject`).textContent(), HOSTILE_SUBJECT);
    await agent.goto(`${desk.url}/console/#/ticket/${id}`);
    await agent.getByTestId('ticket-subject').waitFor();
    assert.equal(await agent.getByTestId('ticket-subject').textContent(), HOSTILE_SUBJECT);
    assert.equal(await agent.getByTestId('requester-name').textContent(), HOSTILE_NAME);
    const body = agent.locator('[data-testid="public-comment"] .body').first();
    assert.equal(await body.textContent(), HOSTILE_BODY);
    await body.click();
    await agent.getByText('click me').first().click().catch(() => {});
    await shot(agent, '08-hostile-console');
    const portal = await signIn(u.eve, `/portal/#/request/${id}`, { width: 390 });
    await portal.getByTestId('request-subject').waitFor();
    assert.equal(await portal.getByTestId('request-subject').textContent(), HOSTILE_SUBJECT);
    await shot(portal, '09-hostile-portal');
    for (const p of [agent, portal]) {
        assert.equal(await p.evaluate(() => window.__pwned), undefined, 'no injected script ran');
        assert.equal(await p.locator('main img, main svg, main script').count(), 0, 'no injected elements');
        assert.equal(await p.locator('a[href^="javascript:"]').count(), 0, 'no javascript: links');
        assert.deepEqual(p.errors, []);
    }
    await Promise.all([agent.context().close(), portal.context().close()]);
});

test('two people on one ticket see each other, and who is typing', async () => {
    const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'Shared look', comment: { body: 'hello' }, requester_id: u.jana.id } } });
    assert.equal(r.status, 201, show(r));
    const id = r.json.ticket.id;
    await desk.api('PUT', `users/${u.agent.id}.json`, { auth: u.admin, body: { user: { locale: 'en-US' } } });
    const a = await signIn(u.agent, '/console/');
    await a.getByTestId('me').waitFor();
    await a.goto(`${desk.url}/console/#/ticket/${id}`);
    await a.getByTestId('ticket-subject').waitFor();
    const b = await signIn(u.sup, '/console/');
    await b.getByTestId('me').waitFor();
    await b.goto(`${desk.url}/console/#/ticket/${id}`);
    await b.getByTestId('ticket-subject').waitFor();
    await a.getByTestId('presence').getByText('Sam Supervisor').waitFor({ timeout: 10000 });
    await b.getByTestId('presence').getByText('Petr Novák').waitFor({ timeout: 10000 });
    await b.getByTestId('reply').fill('Taking this one');
    await a.getByTestId('presence').getByText('Sam Supervisor is writing a reply.').waitFor({ timeout: 20000 });
    await shot(a, '10-collision');
    for (const p of [a, b]) {
        assert.deepEqual(p.errors, []);
    }
    await Promise.all([a.context().close(), b.context().close()]);
});
