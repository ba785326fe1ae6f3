// Attachments through Zendesk's uploads (POST /uploads → token, then
// comment.uploads), stored in the same file store as mail attachments;
// who may download what; the size limit and its error; and the live
// stream's event for a deleted ticket.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;

before(async () => {
    desk = await Desk.create('console_uploads');
    u = await addStandardUsers(desk);
    await desk.start();
});

after(async () => {
    await desk?.stop();
});

async function upload(auth, name, bytes, token) {
    const q = `filename=${encodeURIComponent(name)}${token ? `&token=${token}` : ''}`;
    return desk.api('POST', `uploads.json?${q}`, { auth, body: bytes, headers: { 'Content-Type': 'application/binary' } });
}

async function download(auth, att) {
    const path = new URL(att.content_url).pathname.replace(/^\/api\/v2\//, '');
    const r = await fetch(desk.urlFor(path), { headers: { Authorization: `Basic ${Buffer.from(`${auth.email}/token:${auth.token}`).toString('base64')}` } });
    return { status: r.status, type: r.headers.get('content-type'), body: Buffer.from(await r.arrayBuffer()) };
}

test('agent reply and internal note carry uploaded files; the customer gets only the public ones', async () => {
    const tk = (await desk.api('POST', 'requests.json', { auth: u.customer, body: { request: { subject: 'Faktura', comment: { body: 'Dobrý den, posílám fakturu.' } } } })).json.request;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 7)]);
    const r1 = await upload(u.agent, 'návod k použití.pdf', pdf);
    assert.equal(r1.status, 201, show(r1));
    const up = r1.json.upload;
    assert.match(up.token, /^[A-Za-z0-9_-]{20,64}$/);
    assert.equal(up.attachment.file_name, 'návod k použití.pdf');
    assert.equal(up.attachment.content_type, 'application/pdf');
    assert.equal(up.attachment.size, pdf.length);
    // A second file joins the same token.
    const r2 = await upload(u.agent, 'log.txt', Buffer.from('line 1\nline 2\n'), up.token);
    assert.equal(r2.status, 201, show(r2));
    assert.equal(r2.json.upload.token, up.token);
    assert.equal(r2.json.upload.attachments.length, 2);

    let r = await desk.api('PUT', `tickets/${tk.id}.json`, { auth: u.agent, body: { ticket: { comment: { body: 'Posílám návod.', public: true, uploads: [up.token] } } } });
    assert.equal(r.status, 200, show(r));
    // The same token cannot be used twice.
    r = await desk.api('PUT', `tickets/${tk.id}.json`, { auth: u.agent, body: { ticket: { comment: { body: 'Znovu.', uploads: [up.token] } } } });
    assert.equal(r.status, 422, show(r));
    assert.equal(r.json.details['comment.uploads'][0].error, 'InvalidValue');

    const note = await upload(u.agent, 'internal.txt', Buffer.from('only for staff'));
    r = await desk.api('PUT', `tickets/${tk.id}.json`, { auth: u.agent, body: { ticket: { comment: { body: 'Interní poznámka.', public: false, uploads: [note.json.upload.token] } } } });
    assert.equal(r.status, 200, show(r));

    const comments = (await desk.api('GET', `tickets/${tk.id}/comments.json`, { auth: u.agent })).json.comments;
    const reply = comments.find((c) => c.body === 'Posílám návod.');
    const noteC = comments.find((c) => c.body === 'Interní poznámka.');
    assert.deepEqual(reply.attachments.map((a) => a.file_name), ['návod k použití.pdf', 'log.txt']);
    assert.deepEqual(noteC.attachments.map((a) => a.file_name), ['internal.txt']);
    assert.deepEqual(comments[0].attachments, []);

    // A small file is stored once by SHA-256 in the database, with its row, not as a file.
    const sha = createHash('sha256').update(pdf).digest('hex');
    assert.ok(!existsSync(join(`${desk.db}.files`, sha.slice(0, 2), sha)), 'no file for a small blob');
    const rows = execFileSync('sqlite3', ['-readonly', desk.db, `SELECT count(*), sum(length(data)) FROM blobs WHERE sha256 = '${sha}'`]).toString().trim();
    assert.equal(rows, `1|${pdf.length}`);

    // Downloads: the requester gets the public reply's files, not the note's; another customer nothing.
    const got = await download(u.customer, reply.attachments[0]);
    assert.equal(got.status, 200);
    assert.equal(got.type, 'application/pdf');
    assert.ok(got.body.equals(pdf));
    assert.equal((await download(u.customer, noteC.attachments[0])).status, 404);
    assert.equal((await download(u.customer2, reply.attachments[0])).status, 404);
    assert.equal((await download(u.agent, noteC.attachments[0])).status, 200);
    const portal = (await desk.api('GET', `requests/${tk.id}/comments.json`, { auth: u.customer })).json.comments;
    assert.ok(!JSON.stringify(portal).includes('internal.txt'));
    assert.ok(JSON.stringify(portal).includes('log.txt'));
});

test('a customer opens a request with a file; tokens are personal; limits and errors are clear', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const r1 = await upload(u.customer, 'screen.png', png);
    assert.equal(r1.status, 201, show(r1));
    // Someone else cannot use or extend the token.
    let r = await desk.api('POST', 'requests.json', { auth: u.customer2, body: { request: { subject: 'x', comment: { body: 'steal', uploads: [r1.json.upload.token] } } } });
    assert.equal(r.status, 422, show(r));
    r = await upload(u.customer2, 'more.txt', Buffer.from('x'), r1.json.upload.token);
    assert.equal(r.status, 404, show(r));
    r = await desk.api('POST', 'requests.json', { auth: u.customer, body: { request: { subject: 'Screenshot', comment: { body: 'See the screenshot.', uploads: [r1.json.upload.token] } } } });
    assert.equal(r.status, 201, show(r));
    const comments = (await desk.api('GET', `requests/${r.json.request.id}/comments.json`, { auth: u.customer })).json.comments;
    assert.equal(comments[0].attachments[0].file_name, 'screen.png');
    assert.equal(comments[0].attachments[0].content_type, 'image/png');

    // Errors name the field.
    r = await upload(u.customer, '', Buffer.from('x'));
    assert.equal(r.status, 422);
    assert.ok(r.json.details.filename, show(r));
    r = await upload(u.customer, '../etc/passwd', Buffer.from('x'));
    assert.equal(r.status, 422);
    assert.ok(r.json.details.filename, show(r));
    r = await upload(u.customer, 'empty.txt', Buffer.alloc(0));
    assert.equal(r.status, 422);
    assert.ok(r.json.details.file, show(r));
    r = await upload(u.customer, 'big.bin', Buffer.alloc(10 * 1024 * 1024 + 1));
    assert.equal(r.status, 400, show(r));
    assert.match(r.json.description || r.text, /file: larger than the limit of 10485760 bytes/);
    r = await desk.api('POST', 'requests.json', { auth: u.customer, body: { request: { subject: 'x', comment: { body: 'y', uploads: 'abc' } } } });
    assert.equal(r.status, 422);
    assert.ok(r.json.details['comment.uploads'], show(r));
    // Nothing half-written by the failed request.
    const mine = (await desk.api('GET', 'requests.json', { auth: u.customer })).json.requests;
    assert.ok(!mine.some((x) => x.subject === 'x'));

    // DELETE /uploads/{token}: only one's own.
    const r3 = await upload(u.customer, 'drop.txt', Buffer.from('drop'));
    assert.equal((await desk.api('DELETE', `uploads/${r3.json.upload.token}.json`, { auth: u.customer2 })).status, 404);
    assert.equal((await desk.api('DELETE', `uploads/${r3.json.upload.token}.json`, { auth: u.customer })).status, 204);
    r = await desk.api('POST', 'requests.json', { auth: u.customer, body: { request: { subject: 'z', comment: { body: 'z', uploads: [r3.json.upload.token] } } } });
    assert.equal(r.status, 422);
});

test('a deleted ticket reaches the live stream', async () => {
    const ctl = new AbortController();
    const res = await fetch(desk.urlFor('live'), { headers: { Authorization: `Basic ${Buffer.from(`${u.supervisor.email}/token:${u.supervisor.token}`).toString('base64')}` }, signal: ctl.signal });
    assert.equal(res.status, 200);
    const reader = res.body.getReader();
    let buf = '';
    const events = [];
    const pump = (async () => {
        const dec = new TextDecoder();
        for (;;) {
            const { value, done } = await reader.read().catch(() => ({ done: true }));
            if (done) {
                return;
            }
            buf += dec.decode(value);
            let i;
            while ((i = buf.indexOf('\n\n')) >= 0) {
                const block = buf.slice(0, i);
                buf = buf.slice(i + 2);
                const type = /^event: (.*)$/m.exec(block)?.[1];
                const data = /^data: (.*)$/m.exec(block)?.[1];
                if (type && data) {
                    events.push({ type, data: JSON.parse(data) });
                }
            }
        }
    })();
    const tk = (await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'to delete', comment: { body: 'x' } } } })).json.ticket;
    const t0 = Date.now();
    const r = await desk.api('DELETE', `tickets/${tk.id}.json`, { auth: u.supervisor });
    assert.equal(r.status, 204, show(r));
    while (Date.now() - t0 < 1000 && !events.some((e) => e.type === 'ticket' && e.data.id === tk.id && e.data.deleted)) {
        await new Promise((res2) => setTimeout(res2, 20));
    }
    const ev = events.find((e) => e.type === 'ticket' && e.data.id === tk.id && e.data.deleted);
    assert.ok(ev, `deletion event within a second: ${JSON.stringify(events.map((e) => e.data.id))}`);
    assert.equal(ev.data.actor_id, u.supervisor.id);
    // The queue it left is counted without it.
    const q = ev.data.queues.find((x) => x.dim === 'group' && x.key === String(tk.group_id ?? 0));
    assert.ok(q, JSON.stringify(ev.data.queues));
    const created = events.find((e) => e.type === 'ticket' && e.data.id === tk.id && e.data.created);
    const before = created.data.queues.find((x) => x.dim === 'group' && x.key === q.key);
    assert.equal(q.open, before.open - 1);
    ctl.abort();
    await pump;
});
