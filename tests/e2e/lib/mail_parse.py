#!/usr/bin/python3
"""Parses RFC 5322 messages for the end-to-end tests with Python's email
package and prints them as JSON: raw and decoded headers, and every leaf
part with its content type, charset, transfer encoding and decoded text.

    mail_parse.py FILE...   ->  [{"file", "raw_headers", "headers", "parts", ...}, ...]
"""
import email
import email.policy
import json
import sys


def leaf_parts(msg):
    out = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b''
        charset = part.get_content_charset()
        try:
            text = payload.decode(charset or 'us-ascii')
            decoded = True
        except (LookupError, UnicodeDecodeError):
            text = payload.decode('utf-8', 'replace')
            decoded = False
        out.append({
            'content_type': part.get_content_type(),
            'charset': charset,
            'transfer_encoding': part.get('Content-Transfer-Encoding'),
            'decoded_with_charset': decoded,
            'text': text,
        })
    return out


def parse(path):
    data = open(path, 'rb').read()
    raw = email.message_from_bytes(data, policy=email.policy.compat32)
    msg = email.message_from_bytes(data, policy=email.policy.default)
    headers = {}
    for k in set(k.lower() for k in msg.keys()):
        headers[k] = [str(v) for v in msg.get_all(k, [])]
    raw_headers = {}
    for k, v in raw.items():
        raw_headers.setdefault(k.lower(), []).append(str(v))
    return {
        'file': path,
        'bytes': len(data),
        'seven_bit': all(b < 128 for b in data),
        'crlf': b'\r\n' in data and b'\n' not in data.replace(b'\r\n', b''),
        'content_type': msg.get_content_type(),
        'raw_headers': raw_headers,
        'headers': headers,
        'parts': leaf_parts(msg),
        'defects': [type(d).__name__ for p in msg.walk() for d in p.defects],
    }


print(json.dumps([parse(p) for p in sys.argv[1:]]))
