// A private Dovecot IMAP server for the end-to-end tests (Debian's
// dovecot-imapd): its own configuration under a mktemp -d directory,
// listening on 127.0.0.1 on a free port, passwd-file users, maildirs in
// the same directory. Messages are delivered with doveadm (as an MTA's
// delivery agent would, so they arrive unseen) and flags are read back
// with curl's IMAP client.

import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './desk.mjs';

/** A free TCP port on 127.0.0.1 (bound and released). */
export function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

function idOf(kind, name) {
    return Number(execFileSync('id', [kind, name]).toString().trim());
}

export class Dovecot {
    /** Start a private instance; users is {name: password}. */
    static async start({ users = { desk: 'secret' }, tls } = {}) {
        const d = new Dovecot();
        await d.init(users, tls);
        return d;
    }

    async init(users, tls) {
        this.dir = mkdtempSync(join(tmpdir(), 'desk-dovecot-'));
        this.port = await freePort();
        this.users = users;
        const root = process.getuid() === 0;
        // As root, Dovecot's own unprivileged users run the login processes and own the mail.
        const loginUser = root ? 'dovenull' : execFileSync('id', ['-un']).toString().trim();
        const internalUser = root ? 'dovecot' : loginUser;
        this.mailUid = root ? idOf('-u', 'dovecot') : process.getuid();
        this.mailGid = root ? idOf('-g', 'dovecot') : process.getgid();
        for (const sub of ['run', 'state', 'mail', 'home']) {
            mkdirSync(join(this.dir, sub));
        }
        chmodSync(this.dir, 0o755);
        if (root) {
            chownSync(join(this.dir, 'mail'), this.mailUid, this.mailGid);
            chownSync(join(this.dir, 'home'), this.mailUid, this.mailGid);
        }
        writeFileSync(
            join(this.dir, 'passwd'),
            Object.entries(users)
                .map(([u, p]) => `${u}:{PLAIN}${p}:${this.mailUid}:${this.mailGid}::${join(this.dir, 'home')}::\n`)
                .join(''),
        );
        const sslLines = tls
            ? [`ssl = yes`, `ssl_cert = <${tls.cert}`, `ssl_key = <${tls.key}`]
            : ['ssl = no'];
        this.conf = join(this.dir, 'dovecot.conf');
        writeFileSync(
            this.conf,
            [
                `base_dir = ${join(this.dir, 'run')}`,
                `state_dir = ${join(this.dir, 'state')}`,
                `log_path = ${join(this.dir, 'dovecot.log')}`,
                `instance_name = desk-test-${this.port}`,
                'listen = 127.0.0.1',
                'protocols = imap',
                ...sslLines,
                'disable_plaintext_auth = no',
                // No penalty for failed logins: one test's wrong password must not slow the others.
                'auth_failure_delay = 0',
                'login_trusted_networks = 127.0.0.0/8',
                'auth_mechanisms = plain login',
                `default_login_user = ${loginUser}`,
                `default_internal_user = ${internalUser}`,
                'first_valid_uid = 1',
                'first_valid_gid = 1',
                `mail_location = maildir:${join(this.dir, 'mail')}/%u`,
                'passdb {',
                '  driver = passwd-file',
                `  args = scheme=PLAIN username_format=%u ${join(this.dir, 'passwd')}`,
                '}',
                'userdb {',
                '  driver = passwd-file',
                `  args = username_format=%u ${join(this.dir, 'passwd')}`,
                '}',
                'service imap-login {',
                '  chroot =',
                '  inet_listener imap {',
                '    address = 127.0.0.1',
                `    port = ${this.port}`,
                '  }',
                '  inet_listener imaps {',
                '    port = 0',
                '  }',
                '}',
                'service anvil {',
                '  chroot =',
                '}',
                '',
            ].join('\n'),
        );
        this.proc = spawn('dovecot', ['-F', '-c', this.conf], { stdio: ['ignore', 'pipe', 'pipe'] });
        this.exited = new Promise((r) => this.proc.on('exit', r));
        let err = '';
        this.proc.stderr.on('data', (d) => {
            err += d.toString();
        });
        // Ready when the port accepts and greets.
        const end = Date.now() + 10_000;
        for (;;) {
            if (await this.greets()) {
                return;
            }
            if (Date.now() > end) {
                throw new Error(`dovecot did not start: ${err}\n${this.log()}`);
            }
            await sleep(50);
        }
    }

    greets() {
        return new Promise((resolve) => {
            const s = net.connect({ host: '127.0.0.1', port: this.port });
            s.setTimeout(1000, () => {
                s.destroy();
                resolve(false);
            });
            s.on('data', (d) => {
                s.destroy();
                resolve(d.toString().startsWith('* OK'));
            });
            s.on('error', () => resolve(false));
        });
    }

    log() {
        const p = join(this.dir, 'dovecot.log');
        return existsSync(p) ? readFileSync(p, 'utf8') : '';
    }

    /** Deliver raw message bytes into USER's FOLDER, unseen (doveadm save, as an LDA would). */
    deliver(user, raw, folder = 'INBOX') {
        const args = ['-c', this.conf, 'save', '-u', user];
        if (folder !== 'INBOX') {
            args.push('-m', folder);
        }
        execFileSync('doveadm', args, { input: raw });
    }

    /** Create FOLDER for USER. */
    createFolder(user, folder) {
        execFileSync('doveadm', ['-c', this.conf, 'mailbox', 'create', '-u', user, folder]);
    }

    /** {uid: [flags]} of USER's FOLDER, read over IMAP with curl. */
    flags(user, folder = 'INBOX') {
        const out = execFileSync('curl', ['-s', '--max-time', '10', '-u', `${user}:${this.users[user]}`,
            `imap://127.0.0.1:${this.port}/${encodeURIComponent(folder)}`, '--request', 'UID FETCH 1:* (FLAGS)']).toString();
        const res = {};
        for (const m of out.matchAll(/UID (\d+) FLAGS \(([^)]*)\)/g)) {
            res[m[1]] = m[2].split(' ').filter(Boolean);
        }
        return res;
    }

    async stop() {
        if (this.proc && this.proc.exitCode === null) {
            this.proc.kill('SIGTERM');
            await this.exited;
        }
        this.proc = null;
    }

    async destroy() {
        await this.stop();
        rmSync(this.dir, { recursive: true, force: true });
    }
}
