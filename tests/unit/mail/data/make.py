#!/usr/bin/env python3
# Writes the test messages in this folder (CRLF line ends, as MTAs deliver them):
# each in the legacy charset or broken shape real mail clients send. Run from here.
import base64, quopri

def w(name, b):
    open(name, 'wb').write(b.replace(b'\n', b'\r\n'))

cz = "Příliš žluťoučký kůň úpěl ďábelské ódy. Prosím o vrácení peněz za objednávku, zboží přišlo poškozené."
w('cs-windows-1250.eml', ("From: =?windows-1250?q?Ji=F8=ED_Nov=E1k?= <jiri@example.cz>\nTo: support@desk.test\nSubject: =?windows-1250?q?Reklamace_zbo=9e=ED?=\nMessage-ID: <cs1250@example.cz>\nDate: Tue, 4 Jun 2024 10:00:00 +0200\nMIME-Version: 1.0\nContent-Type: text/plain; charset=windows-1250\nContent-Transfer-Encoding: 8bit\n\n").encode() + cz.encode('cp1250') + b"\n")
w('cs-iso-8859-2.eml', ("From: =?iso-8859-2?q?Ji=F8=ED_Nov=E1k?= <jiri@example.cz>\nTo: support@desk.test\nSubject: =?iso-8859-2?q?Reklamace_zbo=BE=ED?=\nMessage-ID: <cs88592@example.cz>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-2\nContent-Transfer-Encoding: quoted-printable\n\n").encode() + quopri.encodestring(cz.encode('iso-8859-2')) + b"\n")
w('cs-mislabelled.eml', ("From: Jiri Novak <jiri.lie@example.cz>\nTo: support@desk.test\nSubject: Reklamace\nMessage-ID: <cslie@example.cz>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n").encode() + cz.encode('cp1250') + b"\n")
pl = "Zażółć gęślą jaźń. Dzień dobry, zamówienie nie dotarło do dzisiaj, proszę o sprawdzenie przesyłki."
w('pl-iso-8859-2.eml', ("From: =?iso-8859-2?q?Pawe=B3_Kowalski?= <pawel@example.pl>\nTo: support@desk.test\nSubject: =?ISO-8859-2?B?" + base64.b64encode("Zamówienie nie dotarło".encode('iso-8859-2')).decode() + "?=\nMessage-ID: <pl88592@example.pl>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=\"ISO-8859-2\"\nContent-Transfer-Encoding: quoted-printable\n\n").encode() + quopri.encodestring(pl.encode('iso-8859-2')) + b"\n")
w('pl-windows-1250.eml', ("From: =?windows-1250?q?Pawe=B3_Kowalski?= <pawel@example.pl>\nTo: support@desk.test\nSubject: =?windows-1250?q?Zam=F3wienie_nie_dotar=B3o?=\nMessage-ID: <pl1250@example.pl>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=windows-1250\nContent-Transfer-Encoding: 8bit\n\n").encode() + pl.encode('cp1250') + b"\n")
es = "Buenos días, no puedo acceder a mi cuenta desde ayer. ¿Podrían ayudarme, por favor? Muchas gracias, José Muñoz."
w('es-iso-8859-1.eml', b"From: " + "José Muñoz".encode('latin1') + b" <jose@example.es>\nTo: support@desk.test\nSubject: " + "Contraseña olvidada".encode('latin1') + b"\nMessage-ID: <es88591@example.es>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\n" + es.encode('latin1') + b"\n")
ja = "お世話になっております。注文した商品がまだ届いていません。確認していただけますか。"
w('ja-iso-2022-jp.eml', ("From: =?ISO-2022-JP?B?" + base64.b64encode("山田太郎".encode('iso2022_jp')).decode() + "?= <taro@example.jp>\nTo: support@desk.test\nSubject: =?ISO-2022-JP?B?" + base64.b64encode("注文について".encode('iso2022_jp')).decode() + "?=\nMessage-ID: <ja2022@example.jp>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n").encode() + ja.encode('iso2022_jp') + b"\n")
ru = "Здравствуйте, я не могу войти в свой аккаунт уже второй день. Помогите, пожалуйста, восстановить доступ."
w('ru-koi8-unlabelled.eml', b"From: ivan@example.ru\nTo: support@desk.test\nSubject: help\nMessage-ID: <rukoi8@example.ru>\nMIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n" + ru.encode('koi8_r') + b"\n")
zh = "您好，我上周订购的商品至今还没有收到，请帮我查询一下物流信息，谢谢。"
w('zh-gb18030-unlabelled.eml', b"From: li@example.cn\nTo: support@desk.test\nSubject: order\nMessage-ID: <zhgb@example.cn>\nMIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n" + zh.encode('gb18030') + b"\n")
# Broken encoded words: a UTF-8 character split across two words, a word glued to text.
w('broken-rfc2047.eml', b"From: =?utf-8?q?Jan_Nov=C3?= =?utf-8?q?=A1k?= <jan@example.cz>\nTo: support@desk.test\nSubject: =?utf-8?q?P=C5=99=C3=ADli=C5=A1?=text =?UTF-8?B?xb5sdcWlb3XEjWs=?=\nMessage-ID: <broken2047@example.cz>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + "Dobrý den, posílám dotaz k objednávce.\n".encode())
# RFC 2231: a continued, percent-encoded UTF-8 file name; an HTML alternative with a script.
w('rfc2231-attachment.eml', b"""From: Anna <anna@example.de>
To: support@desk.test
Cc: Bea <bea@example.de>, chef@example.de
Subject: Rechnung
Message-ID: <rfc2231@example.de>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Guten Tag, anbei die Rechnung. Bitte pr=C3=BCfen Sie den Betrag.
--alt
Content-Type: text/html; charset=utf-8

<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p onclick="x()">Guten Tag, anbei die <b>Rechnung</b>.</p><img src="https://tracker.example/p.gif"><a href="javascript:alert(1)">klick</a></body></html>
--alt--
--outer
Content-Type: application/pdf
Content-Disposition: attachment;
 filename*0*=UTF-8''%C5%BElu%C5%A5ou%C4%8Dk%C3%BD%20;
 filename*1*=k%C5%AF%C5%88.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==
--outer--
""")
w('html-only-reply.eml', b"""From: Carlos <carlos@example.es>
To: support@desk.test
Subject: Re: [#12] Pedido
Message-ID: <htmlonly@example.es>
In-Reply-To: <desk-12-1@desk.test>
References: <desk-12-0@desk.test> <desk-12-1@desk.test>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

""" + """<div dir="ltr">Hola, ya lo he recibido, <i>gracias</i>.<br>Saludos</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">El lun, 3 jun 2024 a las 10:00, Soporte (&lt;support@desk.test&gt;) escribió:<br></div><blockquote class="gmail_quote">Su pedido ha sido enviado.</blockquote></div>
""".encode())
w('reply-quoted.eml', b"""From: Jan Novak <jan@example.cz>
To: support@desk.test
Subject: Re: Objednavka
Message-ID: <replyq@example.cz>
In-Reply-To: <abc@desk.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8; format=flowed

""" + """Děkuji, funguje to. Jen ještě jedna otázka: kdy dorazí 
faktura?

-- 
Jan Novák
+420 123 456 789

Dne 3. 6. 2024 v 10:00 Podpora <support@desk.test> napsal(a):
> Dobrý den,
> váš požadavek jsme vyřešili.
""".encode())
w('auto-reply.eml', b"""From: Out of office <boss@example.com>
To: support@desk.test
Subject: Automatic reply: Your request
Message-ID: <ooo@example.com>
Auto-Submitted: auto-replied
X-Autoreply: yes
In-Reply-To: <desk-5-2@desk.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

I am out of the office until Monday.
""")
w('bulk-list.eml', b"""From: News <news@example.com>
To: support@desk.test
Subject: Our newsletter
Message-ID: <news1@example.com>
Precedence: bulk
List-Id: <news.example.com>
X-Loop: support@desk.test
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Read all about it.
""")
w('dsn.eml', b"""From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: support@desk.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn1@mx.example.com>
Return-Path: <>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.
--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; Gone.User@example.org
Original-Recipient: rfc822;gone.user@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <gone.user@example.org>: Recipient address rejected: User unknown

--b1
Content-Type: text/rfc822-headers

From: support@desk.test
To: gone.user@example.org
Subject: [#7] Your request
Message-ID: <desk-7-3@desk.test>
--b1--
""")
# Broken ones: truncated in the middle of a base64 attachment, binary garbage, no header.
w('truncated.eml', b"""From: Trunc <trunc@example.com>
To: support@desk.test
Subject: cut off
Message-ID: <trunc@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="zz"

--zz
Content-Type: text/plain; charset=utf-8

The attachment follows.
--zz
Content-Type: image/png; name="shot.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk
""")
open('binary-garbage.eml', 'wb').write(bytes((i * 131 + 7) % 256 for i in range(4096)))
w('no-header.eml', b"""just some text
without any header at all
""")
nested = b"From: Deep <deep@example.com>\nTo: support@desk.test\nSubject: deep\nMessage-ID: <deep@example.com>\nMIME-Version: 1.0\n"
for i in range(60):
    nested += b"Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n" % (i, i)
nested += b"Content-Type: text/plain\n\nbottom\n"
for i in reversed(range(60)):
    nested += b"--b%d--\n" % i
w('nested-deep.eml', nested)
# Outlook (Microsoft 365) as a Czech customer sends it: Windows-1250, quoted-printable,
# multipart/alternative with Word's HTML, RFC 2047 words in From and Subject, Exchange headers.
cz_text = ("Dobrý den,\n\nvčera mi přišla zásilka k objednávce č. 4711, ale tiskárna je poškozená: "
           "prasklý kryt a nefunkční podavač papíru. Prosím o výměnu nebo vrácení peněz.\n\n"
           "Děkuji a přeji hezký den,\nJiří Dvořák\n")
cz_html = ('<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">'
           '<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1250">'
           '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">'
           '<style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;} --></style>'
           '</head><body lang="CS" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">'
           '<div class="WordSection1"><p class="MsoNormal">Dobrý den,<o:p></o:p></p>'
           '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
           '<p class="MsoNormal">včera mi přišla zásilka k objednávce č. <b>4711</b>, ale tiskárna je poškozená: '
           'prasklý kryt a nefunkční podavač papíru. Prosím o výměnu nebo vrácení peněz.<o:p></o:p></p>'
           '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
           '<p class="MsoNormal">Děkuji a přeji hezký den,<o:p></o:p></p>'
           '<p class="MsoNormal">Jiří Dvořák<o:p></o:p></p></div></body></html>\n')
w('cs-outlook-1250.eml', ("""Received: from AM0PR02MB5412.eurprd02.prod.outlook.com ([fe80::1]) by
 AM0PR02MB5412.eurprd02.prod.outlook.com ([fe80::1%5]) with mapi id 15.20.7633.021;
 Tue, 4 Jun 2024 08:00:00 +0000
From: =?windows-1250?Q?Ji=F8=ED_Dvo=F8=E1k?= <jiri.dvorak@example.cz>
To: Podpora <support@desk.test>
Subject: =?windows-1250?Q?Reklamace_objedn=E1vky_=E8._4711_=96_po=9Akozen=E1_tisk?=
 =?windows-1250?Q?=E1rna?=
Thread-Topic: =?windows-1250?Q?Reklamace_objedn=E1vky_=E8._4711?=
Thread-Index: AdnBq1J2xXkqN8yTRk2c6tB0F3VnLQ==
Date: Tue, 4 Jun 2024 08:00:00 +0000
Message-ID: <AM0PR02MB5412D3F1A2B4C6E8F0A1B2C3D4E5@AM0PR02MB5412.eurprd02.prod.outlook.com>
Accept-Language: cs-CZ, en-US
Content-Language: cs-CZ
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
x-ms-publictraffictype: Email
x-originating-ip: [192.0.2.10]
Content-Type: multipart/alternative;
	boundary="_000_AM0PR02MB5412D3F1A2B4C6E8F0A1B2C3D4E5AM0PR02MB5412eurp_"
MIME-Version: 1.0

--_000_AM0PR02MB5412D3F1A2B4C6E8F0A1B2C3D4E5AM0PR02MB5412eurp_
Content-Type: text/plain; charset="windows-1250"
Content-Transfer-Encoding: quoted-printable

""").encode() + quopri.encodestring(cz_text.encode('cp1250')) + b"""
--_000_AM0PR02MB5412D3F1A2B4C6E8F0A1B2C3D4E5AM0PR02MB5412eurp_
Content-Type: text/html; charset="windows-1250"
Content-Transfer-Encoding: quoted-printable

""" + quopri.encodestring(cz_html.encode('cp1250')) + b"""
--_000_AM0PR02MB5412D3F1A2B4C6E8F0A1B2C3D4E5AM0PR02MB5412eurp_--
""")
