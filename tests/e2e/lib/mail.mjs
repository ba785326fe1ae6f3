// Mail helpers for the end-to-end tests: a private SMTP sink (aiosmtpd from
// Debian, lib/smtp_sink.py) on 127.0.0.1 that stores what it receives, and
// a parser for the stored messages (Python's email package, lib/mail_parse.py).

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './desk.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const PYTHON = '/usr/bin/python3'; // Debian's, where python3-aiosmtpd lives

/** An SMTP sink: `await SmtpSink.start()`, `messages()`, `waitFor(n)`, `stop()`. */
export class SmtpSink {
    constructor(dir) {
        this.dir = dir;
        this.proc = null;
        this.port = null;
        this.log = '';
    }

    /** Start on a free port (or `port`, to come back on the same one); extra args go to smtp_sink.py. */
    static async start({ port = 0, args = [], dir } = {}) {
        const sink = new SmtpSink(dir || mkdtempSync(join(tmpdir(), 'desk-smtp-')));
        await sink.listen(port, args);
        return sink;
    }

    async listen(port = this.port || 0, args = this.args || []) {
        this.args = args;
        const proc = spawn(PYTHON, [join(here, 'smtp_sink.py'), this.dir, '--port', String(port), ...args], {
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        this.proc = proc;
        this.exited = new Promise((r) => proc.on('exit', r));
        proc.stderr.on('data', (d) => {
            this.log += d.toString();
        });
        this.port = await new Promise((resolve, reject) => {
            let out = '';
            const timer = setTimeout(() => reject(new Error(`smtp sink did not start: ${this.log}`)), 10_000);
            proc.stdout.on('data', (d) => {
                out += d.toString();
                const m = out.match(/PORT (\d+)/);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            proc.on('exit', (code) => {
                clearTimeout(timer);
                reject(new Error(`smtp sink exited (${code}): ${this.log}`));
            });
        });
        this.url = `smtp://127.0.0.1:${this.port}`;
        return this.port;
    }

    /** Stop listening (messages stay in dir). */
    async stop() {
        if (this.proc) {
            this.proc.kill('SIGTERM');
            await this.exited;
            this.proc = null;
        }
    }

    /** Stop and remove the directory. */
    async destroy() {
        await this.stop();
        rmSync(this.dir, { recursive: true, force: true });
    }

    /** The .eml files received so far, in order. */
    files() {
        return readdirSync(this.dir).filter((f) => f.endsWith('.eml')).sort().map((f) => join(this.dir, f));
    }

    /** Every message received so far, parsed (once each), with its envelope. */
    messages() {
        this.parsed ??= new Map();
        const files = this.files();
        const fresh = files.filter((f) => !this.parsed.has(f));
        if (fresh.length) {
            for (const m of parseMail(fresh)) {
                m.envelope = JSON.parse(readFileSync(m.file.replace(/\.eml$/, '.json'), 'utf8'));
                this.parsed.set(m.file, m);
            }
        }
        return files.map((f) => this.parsed.get(f));
    }

    /** Wait until at least n messages arrived (or throw after timeoutMs); resolves the parsed messages. */
    async waitFor(n, timeoutMs = 10_000) {
        const end = Date.now() + timeoutMs;
        while (Date.now() < end) {
            if (this.files().length >= n) {
                return this.messages();
            }
            await sleep(50);
        }
        throw new Error(`expected ${n} messages in the sink, got ${this.files().length}`);
    }
}

/** Parse .eml files with Python's email package. */
export function parseMail(files) {
    const out = execFileSync(PYTHON, [join(here, 'mail_parse.py'), ...files], { maxBuffer: 64 << 20 });
    return JSON.parse(out.toString('utf8'));
}

/** The first value of header NAME (decoded), or undefined. */
export function header(msg, name) {
    return msg.headers[name.toLowerCase()]?.[0];
}

/** The first raw value of header NAME, or undefined. */
export function rawHeader(msg, name) {
    return msg.raw_headers[name.toLowerCase()]?.[0];
}

