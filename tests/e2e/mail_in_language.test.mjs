// The language hook through the API: a new ticket gets the language of its first
// comment unless the caller gave one; a customer's later message clearly in another
// language changes it; staff replies and short messages do not; a requester whose
// locale nobody chose gets the detected language as locale.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;

before(async () => {
    desk = await Desk.create('mail_in_language');
    u = await addStandardUsers(desk);
    await desk.start();
});

after(async () => {
    await desk?.stop();
});

async function ticket(id) {
    const r = await desk.api('GET', `tickets/${id}.json`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    return r.json.ticket;
}

async function user(id) {
    const r = await desk.api('GET', `users/${id}.json`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    return r.json.user;
}

test('a new ticket takes the language of its first comment, and a new requester its locale', async () => {
    const r = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: {
            ticket: {
                subject: 'Reklamace',
                comment: { body: 'Dobrý den, objednávka dorazila poškozená a chtěl bych ji vrátit. Můžete mi prosím poslat štítek na vrácení zboží?' },
                requester: { email: 'jan.novak@e2e.example', name: 'Jan Novák' },
            },
        },
    });
    assert.equal(r.status, 201, show(r));
    assert.equal(r.json.ticket.language, 'cs');
    const audit = r.json.audit.events.find((e) => e.field_name === 'language');
    assert.equal(audit?.value, 'cs', 'the language is audited like any field');
    assert.equal((await user(r.json.ticket.requester_id)).locale, 'cs');
});

test('a language the caller gives is kept', async () => {
    const r = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: { ticket: { subject: 'x', language: 'de', comment: { body: 'Buenos días, no puedo iniciar sesión en mi cuenta desde ayer por la tarde.' } } },
    });
    assert.equal(r.status, 201, show(r));
    assert.equal(r.json.ticket.language, 'de');
});

test('a customer writing again in another language changes it; staff and short notes do not', async () => {
    const r = await desk.api('POST', 'requests.json', {
        auth: u.customer,
        body: { request: { subject: 'Factura', comment: { body: 'Hola, necesito una copia de la factura de mi último pedido, no la encuentro en mi correo.' } } },
    });
    assert.equal(r.status, 201, show(r));
    const id = r.json.request.id;
    assert.equal((await ticket(id)).language, 'es');
    assert.equal((await user(u.customer.id)).locale, 'es', 'a locale nobody chose follows the customer');

    const reply = await desk.api('PUT', `tickets/${id}.json`, {
        auth: u.agent,
        body: { ticket: { comment: { body: 'Hello, I have attached the invoice you asked for. Kind regards, Alice' } } },
    });
    assert.equal(reply.status, 200, show(reply));
    assert.equal((await ticket(id)).language, 'es', 'a staff reply is not the customer\'s language');

    const short = await desk.api('PUT', `requests/${id}.json`, { auth: u.customer, body: { request: { comment: { body: 'ok thanks' } } } });
    assert.equal(short.status, 200, show(short));
    assert.equal((await ticket(id)).language, 'es');

    const pl = await desk.api('PUT', `requests/${id}.json`, {
        auth: u.customer,
        body: { request: { comment: { body: 'Dzień dobry, przepraszam, wolałbym pisać po polsku. Czy mogą Państwo wysłać fakturę jeszcze raz?' } } },
    });
    assert.equal(pl.status, 200, show(pl));
    assert.equal((await ticket(id)).language, 'pl');
    assert.equal((await user(u.customer.id)).locale, 'es', 'a locale once set by desk is no longer unknown');
});

test('a locale the user chose is never overwritten', async () => {
    const set = await desk.api('PUT', `users/${u.customer2.id}.json`, { auth: u.agent, body: { user: { locale: 'en-US' } } });
    assert.equal(set.status, 200, show(set));
    const r = await desk.api('POST', 'requests.json', {
        auth: u.customer2,
        body: { request: { subject: 'Rechnung', comment: { body: 'Guten Tag, ich habe meine Rechnung noch nicht erhalten. Können Sie sie mir bitte noch einmal schicken?' } } },
    });
    assert.equal(r.status, 201, show(r));
    assert.equal((await ticket(r.json.request.id)).language, 'de');
    assert.equal((await user(u.customer2.id)).locale, 'en-US');
});
