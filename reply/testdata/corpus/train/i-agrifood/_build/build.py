#!/usr/bin/env python3
"""Serialize hand-written messages (src/*.txt) into raw .eml files + labels.jsonl, and check them.

The text of every message is written by hand in src/. This script only:
  - inserts the business's own reminder text where a client quotes it ({{R key ...}}),
  - adds the transport headers (Return-Path, Received, Delivered-To) from the Date: header,
  - MIME-encodes (quoted-printable, base64, multipart/alternative, attachments, charsets, RFC 2047),
  - checks dates, weekdays, time zones, promised dates and parseability.
"""
import base64, datetime as dt, email, email.utils, glob, hashlib, html, json, os, quopri, re, shlex, sys
from email import policy
from email.header import Header
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from reminders import R, BOT

ROME = ZoneInfo("Europe/Rome")
PT = ZoneInfo("America/Los_Angeles")
UTC = dt.timezone.utc

def h(fn, salt, n=None):
    d = hashlib.sha256((fn + salt).encode()).hexdigest()
    return d if n is None else int(d[:8], 16) % n

# ------------------------------------------------------------------ reminder quote macro
def render_quote(spec):
    toks = shlex.split(spec)
    assert toks[0] == "R", spec
    key = toks[1]
    prefix = "> "
    kv = {}
    for t in toks[2:]:
        k, v = t.split("=", 1)
        if k == "p":
            prefix = v
        else:
            kv[k] = v
    text = R[key].format(**kv)
    out = []
    for line in text.split("\n"):
        out.append((prefix + line) if line else prefix.rstrip())
    return "\n".join(out)

def expand(body):
    return re.sub(r"\{\{(R [^}]*)\}\}", lambda m: render_quote(m.group(1)), body)

# ------------------------------------------------------------------ time helpers
def fmt_local(t, zone, paren=False):
    lt = t.astimezone(zone)
    s = email.utils.format_datetime(lt)
    if paren:
        s += " (%s)" % lt.tzname()
    return s

# ------------------------------------------------------------------ sender side profiles
def sender(profile, fn, t, frm_addr):
    """returns (egress_host, egress_ip, [header lines placed below the inbound hop])"""
    r = lambda salt, n: h(fn, salt, n)
    hx = lambda salt, n: h(fn, salt)[:n]
    t1 = t + dt.timedelta(seconds=1 + r("s1", 3))
    if profile == "gmail":
        kind = ["wr1-f", "ej1-f", "pl1-f", "qt1-f", "wm1-f", "lf1-f", "yb1-f"][r("gk", 7)]
        n = 41 + r("gn", 150)
        host = "mail-%s%d.google.com" % (kind, n)
        ip = "209.85.%d.%d" % (128 + r("ip1", 100), n)
        lines = [
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\n        d=%s; s=%s; t=%d; x=%d; darn=%s;\n        h=to:subject:message-id:date:from:in-reply-to:references:mime-version\n         :from:to:cc:subject:date:message-id:reply-to;\n        bh=%s=;\n        b=%s\n         %s==" % (
                frm_addr.split("@")[1], "20230601" if frm_addr.endswith("@gmail.com") else "google", int(t.timestamp()), int(t.timestamp()) + 604800, "@@RCPTDOM@@",
                base64.b64encode(bytes.fromhex(hx("bh", 62))).decode()[:43],
                base64.b64encode(bytes.fromhex(h(fn, "b1") + h(fn, "b2"))).decode()[:70],
                base64.b64encode(bytes.fromhex(h(fn, "b3") + h(fn, "b4"))).decode()[:70]),
            "X-Google-Smtp-Source: AGHT+I%s" % base64.b64encode(bytes.fromhex(h(fn, "gs") + h(fn, "gs2"))).decode()[:80],
            "X-Received: by 2002:a05:%s:%s:b0:%s:%s with SMTP id %s-%s.%d.%d;\n        %s" % (
                hx("x1", 4), hx("x2", 3), hx("x3", 3), hx("x4", 4), hx("x5", 12), hx("x6", 14), 5 + r("x7", 30), r("x8", 9) + 1,
                fmt_local(t1, PT, True)),
        ]
        return host, ip, lines
    if profile in ("libero", "virgilio"):
        n = 10 + r("ln", 40)
        host = "smtp-out%d.%s.it" % (n, profile)
        ip = "213.209.10.%d" % (20 + r("li", 200))
        lines = ["Received: from %s.it ([10.101.%d.%d])\n\tby smtp-%d.iol.local with ESMTPA\n\tid %s; %s" % (
            profile, r("a", 250), r("b", 250), r("c", 40), base64.b64encode(bytes.fromhex(hx("id", 12))).decode(), fmt_local(t1, ROME))]
        return host, ip, lines
    if profile == "alice":
        host = "mx-out%02d.tim.it" % (1 + r("an", 20))
        ip = "213.230.130.%d" % (2 + r("ai", 200))
        lines = ["Received: from webmail.alice.it (10.101.%d.%d) by mr-%02d.tim.it (8.6.102)\n        id %s for %s; %s" % (
            r("a", 250), r("b", 250), 1 + r("c", 30), hx("id", 16).upper(), "<recipient>", fmt_local(t1, ROME))]
        return host, ip, lines
    if profile == "tiscali":
        host = "smtp-out%02d.tiscali.it" % (1 + r("tn", 30))
        ip = "213.205.33.%d" % (10 + r("ti", 200))
        lines = ["Received: from webmail.tiscali.it ([10.39.%d.%d])\n\tby cmgw-%d.mail.tiscali.it with\n\tid %s; %s" % (
            r("a", 250), r("b", 250), 1 + r("c", 4), base64.b64encode(bytes.fromhex(hx("id", 12))).decode(), fmt_local(t1, ROME)),
            "X-Originating-IP: 93.%d.%d.%d" % (32 + r("o1", 60), r("o2", 250), r("o3", 250))]
        return host, ip, lines
    if profile in ("outlook_com", "m365"):
        reg = ["EUR05", "EUR03", "EUR01", "EUR02", "EUR04"][r("reg", 5)]
        host = "%s-%s-obe.outbound.protection.outlook.com" % (reg, ["DB8", "AM6", "VI1", "HE1", "AM0"][r("h2", 5)])
        ip = "40.107.%d.%d" % (r("i1", 250), r("i2", 250))
        box = "%s%dPR%02dMB%d.eurprd%02d.prod.outlook.com" % (["AM", "DB", "PA", "VI", "DU"][r("b1", 5)], 4 + r("b2", 6), r("b3", 10), 1000 + r("b4", 8999), r("b5", 8) + 1)
        lines = ["Received: from %s\n ([fe80::%s:%s:%s:%s]) by %s\n ([fe80::%s:%s:%s:%s%%7]) with mapi id 15.20.%d.%03d; %s" % (
            box, hx("f1", 4), hx("f2", 4), hx("f3", 4), hx("f4", 4), box, hx("f1", 4), hx("f2", 4), hx("f3", 4), hx("f4", 4),
            8000 + r("v", 999), r("v2", 99), fmt_local(t1, UTC))]
        return host, ip, lines
    if profile == "aruba":
        host = "smtpcmd%02d.ad.aruba.it" % (1 + r("an", 15))
        ip = "62.149.158.%d" % (10 + r("ai", 200))
        lines = ["Received: from [192.168.1.%d] ([79.%d.%d.%d])\n\tby Aruba Outgoing Smtp  with ESMTPSA\n\tid %s; %s" % (
            2 + r("l", 200), r("a", 250), r("b", 250), r("c", 250), base64.b64encode(bytes.fromhex(hx("id", 12))).decode(), fmt_local(t1, ROME))]
        return host, ip, lines
    if profile == "icloud":
        host = "st43p00im-ztdg%08d.me.com" % (10000000 + r("in", 9000000))
        ip = "17.58.63.%d" % (10 + r("ii", 200))
        return host, ip, []
    if profile in ("gmx", "webde"):
        host = "mout.gmx.net" if profile == "gmx" else "mout.web.de"
        ip = ("212.227.15.%d" if profile == "gmx" else "217.72.192.%d") % (15 + r("gi", 60))
        lines = ["Received: from [192.168.178.%d] ([91.%d.%d.%d]) by mail.%s (mrgmx%03d)\n with ESMTPSA (Nemesis) id 1M%s-1%s; %s" % (
            20 + r("l", 60), r("a", 250), r("b", 250), r("c", 250), "gmx.net" if profile == "gmx" else "web.de", r("m", 120),
            hx("n1", 8), hx("n2", 10), fmt_local(t1, ZoneInfo("Europe/Berlin")))]
        return host, ip, lines
    if profile == "tonline":
        host = "mailout%02d.t-online.de" % (1 + r("tn", 12))
        ip = "194.25.134.%d" % (10 + r("ti", 100))
        lines = ["Received: from fwd%02d.aul.t-online.de (fwd%02d.aul.t-online.de [10.223.144.%d])\n\tby mailout%02d.t-online.de (Postfix) with SMTP id %s; %s" % (
            70 + r("f", 20), 70 + r("f", 20), r("x", 250), 1 + r("tn", 12), hx("id", 10).upper(), fmt_local(t1, ZoneInfo("Europe/Berlin")))]
        return host, ip, lines
    if profile == "bluewin":
        host = "mail-out%d.swisscom.com" % (1 + r("bn", 9))
        ip = "195.186.227.%d" % (10 + r("bi", 200))
        return host, ip, []
    if profile == "orange":
        host = "smtp-%d.smtpout.orange.fr" % (10 + r("on", 80))
        ip = "80.12.242.%d" % (10 + r("oi", 200))
        lines = ["Received: from [192.168.1.%d] ([90.%d.%d.%d])\n\tby smtp.orange.fr with ESMTPA\n\tid %s; %s" % (
            10 + r("l", 200), r("a", 250), r("b", 250), r("c", 250), hx("id", 14), fmt_local(t1, ZoneInfo("Europe/Paris")))]
        return host, ip, lines
    if profile == "free":
        host = "smtp%d-g21.free.fr" % (1 + r("fn", 9))
        ip = "212.27.42.%d" % (1 + r("fi", 10))
        return host, ip, []
    if profile == "sapo":
        host = "smtp%d.sapo.pt" % (1 + r("sn", 4))
        ip = "213.13.146.%d" % (10 + r("si", 200))
        lines = ["Received: from [192.168.1.%d] (a%d-%d-%d.cpe.netcabo.pt [%d.%d.%d.%d])\n\t(Authenticated sender: %s)\n\tby smtp.sapo.pt (Postfix) with ESMTPSA id %s; %s" % (
            60 + r("l", 100), 89, 180 + r("a", 40), r("b", 250), 89, 180 + r("a", 40), r("b", 250), r("c", 250), frm_addr,
            hx("id", 10).upper(), fmt_local(t1, ZoneInfo("Europe/Lisbon")))]
        return host, ip, lines
    if profile == "uol":
        host = "smtp%02d.uol.com.br" % (1 + r("un", 20))
        ip = "200.147.36.%d" % (10 + r("ui", 200))
        lines = ["Received: from [192.168.0.%d] (unknown [177.%d.%d.%d])\n\t(Authenticated sender: %s)\n\tby %s (Postfix) with ESMTPSA id %s; %s" % (
            2 + r("l", 200), r("a", 250), r("b", 250), r("c", 250), frm_addr, host, hx("id", 10).upper(),
            fmt_local(t1, ZoneInfo("America/Sao_Paulo")))]
        return host, ip, lines
    if profile.startswith("generic:") or profile.startswith("exchange:"):
        parts = profile.split(":")
        host = parts[1]
        zone = ZoneInfo(parts[2]) if len(parts) > 2 else ROME
        ip = "%d.%d.%d.%d" % (79 + r("g0", 100), r("g1", 250), r("g2", 250), 2 + r("g3", 250))
        if profile.startswith("generic:"):
            lines = ["Received: from [192.168.%d.%d] (unknown [%d.%d.%d.%d])\n\tby %s (Postfix) with ESMTPSA id %s\n\tfor <@@TO@@>; %s" % (
                r("l1", 5), 2 + r("l2", 200), 5 + r("u0", 180), r("u1", 250), r("u2", 250), r("u3", 250), host, hx("pid", 11).upper(), fmt_local(t1, zone))]
        else:
            lines = ["Received: from %s (10.0.%d.%d) by %s\n (10.0.%d.%d) with Microsoft SMTP Server (version=TLS1_2,\n cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.1.2507.%d; %s" % (
                host.replace("mail.", "srv-exch01."), r("e1", 10), r("e2", 250), host.replace("mail.", "srv-exch02."), r("e1", 10), r("e3", 250), 30 + r("e4", 20), fmt_local(t1, zone))]
        return host, ip, lines
    if profile == "none":
        return None, None, []
    raise ValueError(profile)

# ------------------------------------------------------------------ inbound (business side)
def inbound(prof, fn, t, ehost, eip, env_from, rcpt):
    r = lambda salt, n: h(fn, salt, n)
    hx = lambda salt, n: h(fn, salt)[:n]
    t2 = t + dt.timedelta(seconds=4 + r("s2", 70))
    if prof == "b1":  # Aruba hosting
        return [
            "Return-Path: <%s>" % env_from,
            "Delivered-To: %s" % rcpt,
            "Received: from %s ([%s])\n\tby mxdhin%02d.ad.aruba.it with bizsmtp\n\tid %s; %s" % (
                ehost, eip, 1 + r("m", 9), base64.b64encode(bytes.fromhex(hx("aid", 12))).decode(), fmt_local(t2, ROME)),
            "X-Sender-IP: %s" % eip,
        ]
    if prof == "b2":  # Google Workspace
        t3 = t2 + dt.timedelta(seconds=1)
        return [
            "Delivered-To: %s" % rcpt,
            "Received: by 2002:a05:7010:%s:b0:%s:%s:%s with SMTP id %s;\n        %s" % (
                hx("a", 4), hx("b", 3), hx("c", 3), hx("d", 4), hx("e", 8), fmt_local(t3, PT, True)),
            "X-Received: by 2002:a17:907:%s:b0:%s:%s:%s with SMTP id %s-%s.%d.%d;\n        %s" % (
                hx("f", 4), hx("g", 3), hx("i", 3), hx("j", 4), hx("k", 12), hx("l", 14), 10 + r("m", 20), 1 + r("n", 9), fmt_local(t3, PT, True)),
            "Return-Path: <%s>" % env_from,
            "Received: from %s (%s. [%s])\n        by mx.google.com with ESMTPS id %s-%s.%d.%d.%s\n        for <%s>\n        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n        %s" % (
                ehost, ehost, eip, hx("o", 12), hx("p", 14), 100 + r("q", 400), 2026, datetime_tag(t2), rcpt, fmt_local(t2, PT, True)),
            "Received-SPF: pass (google.com: domain of %s designates %s as permitted sender) client-ip=%s;" % (env_from or "postmaster@" + (ehost or ""), eip, eip),
            "Authentication-Results: mx.google.com;\n       spf=pass (google.com: domain of %s designates %s as permitted sender) smtp.mailfrom=%s" % (
                env_from or "postmaster@" + (ehost or ""), eip, (env_from or "x@" + (ehost or "")).split("@")[1]),
        ]
    if prof == "b3":  # Microsoft 365
        fe = "DB1PEPF000%05d" % (10000 + r("fe", 80000))
        mb = "AS8PR%02dMB%04d" % (r("mb1", 9), 1000 + r("mb2", 8999))
        ca = "DU2PR04CA%04d" % r("ca", 9999)
        dom = env_from.split("@")[1] if env_from and "@" in env_from else (ehost or "")
        return [
            "Received: from %s.eurprd03.prod.outlook.com (2603:10a6:20b:%s::%s)\n by PAWPR03MB%04d.eurprd03.prod.outlook.com with HTTPS; %s" % (
                mb, hx("h1", 3), hx("h2", 2), 1000 + r("pw", 8999), fmt_local(t2 + dt.timedelta(seconds=1), UTC)),
            "Received: from %s.eurprd04.prod.outlook.com (2603:10a6:10:231::%s)\n by %s.eurprd03.prod.outlook.com (2603:10a6:20b:%s::%s) with\n Microsoft SMTP Server (version=TLS1_2,\n cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.%d.%d; %s" % (
                ca, hx("h3", 2), mb, hx("h1", 3), hx("h2", 2), 8600 + r("v", 99), 10 + r("v2", 20), fmt_local(t2, UTC)),
            "Received: from %s.eurprd03.prod.outlook.com\n (2603:10a6:10:231:cafe::%s) by %s.outlook.office365.com\n (2603:10a6:10:231::%s) with Microsoft SMTP Server (version=TLS1_3,\n cipher=TLS_AES_256_GCM_SHA384) id 15.20.%d.%d via Frontend Transport; %s" % (
                fe, hx("h4", 2), ca, hx("h3", 2), 8600 + r("v", 99), 10 + r("v2", 20), fmt_local(t2, UTC)),
            "Authentication-Results: spf=pass (sender IP is %s)\n smtp.mailfrom=%s; dkim=pass (signature was verified)\n header.d=%s;dmarc=pass action=none header.from=%s;" % (eip, dom, dom, dom),
            "Received-SPF: Pass (protection.outlook.com: domain of %s designates\n %s as permitted sender) receiver=protection.outlook.com;\n client-ip=%s; helo=%s; pr=C" % (dom, eip, eip, ehost),
            "Received: from %s (%s) by\n %s.mail.protection.outlook.com (10.167.242.%d) with Microsoft SMTP\n Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.%d.%d\n via Frontend Transport; %s" % (
                ehost, eip, fe, r("lip", 250), 8600 + r("v", 99), 10 + r("v2", 20), fmt_local(t2, UTC)),
            "Return-Path: <%s>" % env_from,
        ]
    if prof == "b4":  # cPanel / Exim
        return [
            "Return-path: <%s>" % env_from,
            "Envelope-to: %s" % rcpt,
            "Delivery-date: %s" % fmt_local(t2, ROME),
            "Received: from %s ([%s]:%d)\n\tby vps-cr12.hosting-lombardo.it with esmtps  (TLS1.3) tls TLS_AES_256_GCM_SHA384\n\t(Exim 4.97.1)\n\t(envelope-from <%s>)\n\tid 1%s-000%s-%s\n\tfor %s; %s" % (
                ehost, eip, 30000 + r("port", 35000), env_from, hx("e1", 5).upper(), hx("e2", 3).upper(), hx("e3", 2), rcpt, fmt_local(t2, ROME)),
        ]
    if prof == "none":
        return []
    raise ValueError(prof)

def datetime_tag(t):
    return "%d" % (t.timetuple().tm_yday)

# ------------------------------------------------------------------ header encoding
ADDR_HDRS = {"from", "to", "cc", "reply-to", "sender"}

def encode_header(name, value, cs, enc):
    if all(ord(c) < 128 for c in value):
        return "%s: %s" % (name, value)
    lname = name.lower()
    if lname in ADDR_HDRS:
        out = []
        for disp, addr in email.utils.getaddresses([value]):
            if disp and any(ord(c) > 127 for c in disp):
                eh = Header(disp, cs, header_name=name)
                if enc == "b":
                    w = "=?%s?B?%s?=" % (cs, base64.b64encode(disp.encode(cs)).decode())
                else:
                    w = eh.encode()
                out.append("%s <%s>" % (w, addr))
            elif disp:
                out.append(email.utils.formataddr((disp, addr)))
            else:
                out.append(addr)
        return "%s: %s" % (name, ", ".join(out))
    if lname in ("subject", "thread-topic", "content-description"):
        if enc == "b":
            raw = value.encode(cs)
            # split into chunks that keep multibyte chars whole
            words, cur = [], ""
            for ch in value:
                if len(base64.b64encode((cur + ch).encode(cs))) > 44:
                    words.append(cur); cur = ch
                else:
                    cur += ch
            words.append(cur)
            enc_words = ["=?%s?B?%s?=" % (cs, base64.b64encode(w.encode(cs)).decode()) for w in words]
            return "%s: %s" % (name, "\n ".join(enc_words))
        return "%s: %s" % (name, Header(value, cs, header_name=name, maxlinelen=76).encode())
    raise ValueError("non-ascii in header %s" % name)

# ------------------------------------------------------------------ body encoding
def enc_body(text, cs, cte):
    b = text.encode(cs)
    if cte == "auto":
        cte = "7bit" if all(x < 128 for x in b) else "quoted-printable"
    if cte in ("7bit", "8bit"):
        return cte, text
    if cte in ("qp", "quoted-printable"):
        q = quopri.encodestring(b, quotetabs=False).decode("ascii")
        return "quoted-printable", q
    if cte == "base64":
        return "base64", base64.encodebytes(b).decode("ascii")
    raise ValueError(cte)

def text_to_html(text, style, cs):
    lines = text.split("\n")
    def render(ls):
        out, i = [], 0
        while i < len(ls):
            if ls[i].startswith(">"):
                j = i
                inner = []
                while j < len(ls) and ls[j].startswith(">"):
                    l = ls[j][1:]
                    if l.startswith(" "):
                        l = l[1:]
                    inner.append(l)
                    j += 1
                if style == "gmail":
                    out.append('<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">' + render(inner) + "</blockquote>")
                elif style == "apple":
                    out.append('<blockquote type="cite"><div dir="ltr">' + render(inner) + "</div></blockquote>")
                else:
                    out.append('<blockquote style="border-left:2px solid #1010ff;margin-left:5px;padding-left:5px">' + render(inner) + "</blockquote>")
                i = j
            else:
                l = ls[i]
                if style == "outlook":
                    out.append('<p class="MsoNormal">%s<o:p></o:p></p>' % (html.escape(l) if l else "&nbsp;"))
                elif style in ("gmail", "apple"):
                    out.append("<div>%s</div>" % (html.escape(l) if l else "<br>"))
                else:
                    out.append((html.escape(l) if l else "") + "<br>")
                i += 1
        return "\n".join(out)
    inner = render(lines)
    if style == "gmail":
        return '<div dir="ltr">\n%s\n</div>\n' % inner
    if style == "apple":
        return '<html><head><meta http-equiv="content-type" content="text/html; charset=%s"></head><body dir="auto">\n%s\n</body></html>\n' % (cs, inner)
    if style == "outlook":
        return ('<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
                'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">\n'
                '<head>\n<meta http-equiv="Content-Type" content="text/html; charset=%s">\n'
                '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n'
                '<style><!--\np.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n\tfont-size:11.0pt;\n\tfont-family:"Calibri",sans-serif;}\n--></style>\n'
                '</head>\n<body lang="IT" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">\n<div class="WordSection1">\n%s\n</div>\n</body>\n</html>\n') % (cs, inner)
    return '<html><head><meta http-equiv="Content-Type" content="text/html; charset=%s"></head><body style="font-family: Verdana, Arial; font-size: 10pt">\n%s\n</body></html>\n' % (cs, inner)

def make_pdf(lines):
    objs = []
    content = "BT /F1 10 Tf 50 790 Td 13 TL\n" + "".join("(%s) Tj T*\n" % l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for l in lines) + "ET\n"
    cb = content.encode("latin-1")
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
    objs.append(b"<< /Length %d >>\nstream\n" % len(cb) + cb + b"endstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    return out

def boundary_for(fn, style, n=0):
    d = h(fn, "bd%d" % n)
    if style == "gmail":
        return "000000000000" + d[:16]
    if style == "outlook":
        return "_%03d_%s%s_" % (n, d[:20].upper(), "EURP193")
    if style == "apple":
        return "Apple-Mail-%s-%s-%s-%s-%s" % (d[:8].upper(), d[8:12].upper(), d[12:16].upper(), d[16:20].upper(), d[20:32].upper())
    return "----=_Part_%d_%d.%d" % (h(fn, "p1%d" % n, 900000), h(fn, "p2%d" % n, 999999999), 1790000000000 + h(fn, "p3", 99999999))

# ------------------------------------------------------------------ source parsing
def parse_src(path):
    txt = open(path, encoding="utf-8").read()
    blocks = re.split(r"^%%%% (\S+)\n", txt, flags=re.M)
    res = []
    for i in range(1, len(blocks), 2):
        name, blk = blocks[i], blocks[i + 1]
        meta, label, note, pdf = {}, {}, "", []
        lines = blk.split("\n")
        k = 0
        while k < len(lines) and lines[k].startswith("#"):
            l = lines[k]
            if l.startswith("#label "):
                for t in shlex.split(l[7:]):
                    a, b = t.split("=", 1); label[a] = b
            elif l.startswith("#note "):
                note = l[6:].strip()
            elif l.startswith("#opts "):
                for t in shlex.split(l[6:]):
                    a, b = t.split("=", 1); meta[a] = b
            elif l.startswith("#pdf "):
                pdf.append(l[5:])
            k += 1
        rest = "\n".join(lines[k:])
        hdr, _, body = rest.partition("\n\n")
        body = body.rstrip("\n") + "\n"
        headers = []
        for hl in hdr.split("\n"):
            if hl.startswith((" ", "\t")):
                headers[-1] = headers[-1] + "\n" + hl
            elif hl.strip():
                n, _, v = hl.partition(":")
                headers.append(n + ":" + v)
        res.append(dict(name=name, meta=meta, label=label, note=note, pdf=pdf, headers=headers, body=body))
    return res

def hget(headers, name):
    for hl in headers:
        n, _, v = hl.partition(":")
        if n.lower() == name.lower():
            return v.strip()
    return None

# ------------------------------------------------------------------ build one
def build(m):
    fn = m["name"]
    o = m["meta"]
    cs = o.get("cs", "utf-8")
    hcs = o.get("hcs", cs if cs.lower() not in ("us-ascii",) else "utf-8")
    henc = o.get("henc", "q")
    mode = o.get("mode", "plain")
    eol = o.get("eol")
    body = expand(m["body"])
    if o.get("empty") == "1":
        body = ""
    date = email.utils.parsedate_to_datetime(hget(m["headers"], "Date"))
    frm = hget(m["headers"], "From")
    frm_addr = email.utils.parseaddr(frm)[1]
    to_addr = email.utils.parseaddr(hget(m["headers"], "To") or "")[1]
    env_from = o.get("envfrom", frm_addr)
    if env_from == "<>":
        env_from = ""
    rcpt = o.get("rcpt", to_addr)
    # transport headers
    ehost, eip, slines = sender(o.get("client", "none"), fn, date, env_from)
    slines = [s.replace("<recipient>", "<" + rcpt + ">").replace("@@TO@@", rcpt).replace("@@RCPTDOM@@", rcpt.split("@")[1]) for s in slines]
    if o.get("ehost"):
        ehost = o["ehost"]; eip = o.get("eip", eip)
    inprof = o.get("in")
    if inprof is None:
        for b, a in BOT.items():
            if rcpt == a:
                inprof = b
        inprof = inprof or "none"
    ilines = inbound(inprof, fn, date, ehost, eip, env_from, rcpt) if inprof != "none" else []
    if eol is None:
        eol = "crlf" if inprof == "b3" else "lf"
    # split: gmail DKIM/X-Google lines go after inbound received in real messages; keep order inbound, sender
    out_headers = ilines + slines
    body_headers = []
    ct_pos = None
    for hl in m["headers"]:
        n, _, v = hl.partition(":")
        v = v.strip()
        if n == "Content-Type" and v == "@":
            ct_pos = len(body_headers)
            continue
        if "\n" in hl:
            body_headers.append(hl)
        else:
            body_headers.append(encode_header(n, v, hcs, henc))
    # body
    style = o.get("html", "generic")
    cte = o.get("cte", "auto")
    mime_lines = []
    if mode == "raw":
        def enc_block(mm):
            kind, charset, content = mm.group(1), mm.group(2), mm.group(3)
            return enc_body(content, charset, "qp" if kind == "QP" else "base64")[1].rstrip("\n")
        payload = re.sub(r"^#<(QP|B64) ([^>]+)>\n(.*?)\n#</\1>$", enc_block, body, flags=re.M | re.S)
        def rand_block(mm):
            n = int(mm.group(1)); seed = fn + mm.group(1); buf = b""
            while len(buf) < n:
                seed = hashlib.sha256(seed.encode()).hexdigest(); buf += bytes.fromhex(seed)
            return base64.encodebytes(buf[:n]).decode().rstrip("\n")
        payload = re.sub(r"^#<RAND (\d+)>$", rand_block, payload, flags=re.M)
    elif mode == "plain":
        c, p = enc_body(body, cs, cte)
        ctv = 'text/plain; charset="%s"' % cs if o.get("q", "1") == "1" else "text/plain; charset=%s" % cs
        if o.get("flowed") == "1":
            ctv += "; format=flowed"
        mime_lines = ["Content-Type: " + ctv, "Content-Transfer-Encoding: " + c]
        payload = p
    elif mode in ("alt", "mixed"):
        parts = []
        c, p = enc_body(body, cs, cte)
        tp = 'Content-Type: text/plain; charset="%s"\nContent-Transfer-Encoding: %s\n\n%s' % (cs, c, p)
        if o.get("html", "none") != "none" or mode == "alt":
            hb = text_to_html(body, style, cs)
            c2, p2 = enc_body(hb, cs, o.get("hcte", cte if cte != "auto" else "qp"))
            hp = 'Content-Type: text/html; charset="%s"\nContent-Transfer-Encoding: %s\n\n%s' % (cs, c2, p2)
            b1 = boundary_for(fn, style, 1)
            alt = 'Content-Type: multipart/alternative;\n\tboundary="%s"\n\n--%s\n%s\n--%s\n%s\n--%s--\n' % (b1, b1, tp.rstrip("\n") + "\n", b1, hp.rstrip("\n") + "\n", b1)
            first = alt
        else:
            first = tp
        if mode == "alt":
            hdr, _, rest = first.partition("\n\n")
            mime_lines = [hdr]
            payload = rest
        else:
            b0 = boundary_for(fn, style, 0)
            segs = [first.rstrip("\n") + "\n"]
            for att in o.get("attach", "").split(","):
                if not att:
                    continue
                data = make_pdf(m["pdf"] or ["Documento"])
                segs.append('Content-Type: application/pdf; name="%s"\nContent-Disposition: attachment; filename="%s"\nContent-Transfer-Encoding: base64\n\n%s' % (
                    att, att, base64.encodebytes(data).decode()))
            payload = "".join("--%s\n%s\n" % (b0, s.rstrip("\n")) for s in segs) + "--%s--\n" % b0
            mime_lines = ['Content-Type: multipart/mixed;\n\tboundary="%s"' % b0]
    else:
        raise ValueError(mode)
    if ct_pos is None:
        ct_pos = len(body_headers)
    body_headers[ct_pos:ct_pos] = mime_lines
    raw = "\n".join(out_headers + body_headers) + "\n\n" + payload
    if not raw.endswith("\n"):
        raw += "\n"
    if eol == "crlf":
        raw = raw.replace("\r\n", "\n").replace("\n", "\r\n")
    data = raw.encode("ascii") if mode != "raw" or o.get("bin") != "1" else raw.encode("utf-8")
    return data

# ------------------------------------------------------------------ checks
WD = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WDN = {w.lower(): i for i, w in enumerate(WD)}
KINDS = {"payment_proof", "promise", "dispute", "not_received", "installment", "redirect", "autoreply", "bounce", "other"}

def last_dom(y, mth):
    n = dt.date(y + (mth == 12), mth % 12 + 1, 1)
    return n - dt.timedelta(days=1)

def add_month(d, k=1):
    y, mth = d.year + (d.month - 1 + k) // 12, (d.month - 1 + k) % 12 + 1
    return y, mth

def compute(rule, d):
    kind, _, arg = rule.partition(":")
    if kind == "abs":
        return dt.date.fromisoformat(arg)
    if kind == "md":
        mm, dd = map(int, arg.split("-"))
        c = dt.date(d.year, mm, dd)
        return c if c >= d else dt.date(d.year + 1, mm, dd)
    if kind == "dom":
        n = int(arg)
        y, mth = d.year, d.month
        while True:
            try:
                c = dt.date(y, mth, n)
                if c >= d:
                    return c
            except ValueError:
                pass
            y, mth = add_month(dt.date(y, mth, 1))
    if kind == "plus":
        return d + dt.timedelta(days=int(arg))
    if kind == "wd":
        w = WDN[arg]
        k = (w - d.weekday()) % 7 or 7
        return d + dt.timedelta(days=k)
    if kind == "eow":
        if d.weekday() >= 5:
            return d + dt.timedelta(days=(4 - d.weekday()) % 7)
        return d + dt.timedelta(days=4 - d.weekday())
    if kind == "nextweek":
        return d - dt.timedelta(days=d.weekday()) + dt.timedelta(days=11)
    if kind == "eom":
        return last_dom(d.year, d.month)
    if kind == "nextmonth":
        y, mth = add_month(d)
        return last_dom(y, mth)
    if kind == "nmdom":
        y, mth = add_month(d)
        return dt.date(y, mth, int(arg))
    raise ValueError(rule)

def check(m, data):
    errs = []
    fn = m["name"]
    msg = email.message_from_bytes(data, policy=policy.default)
    for part in msg.walk():
        if part.defects:
            errs.append("defects %s" % part.defects)
        if not part.is_multipart():
            try:
                part.get_content()
            except Exception as e:
                if part.get_content_maintype() not in ("application", "image", "message"):
                    errs.append("content %r" % e)
    dh = msg["Date"]
    d = email.utils.parsedate_to_datetime(str(dh))
    wd = str(dh).strip()[:3]
    if wd != WD[d.weekday()]:
        errs.append("weekday %s != %s" % (wd, WD[d.weekday()]))
    if not (dt.date(2026, 9, 1) <= d.date() <= dt.date(2027, 6, 30)):
        errs.append("date out of range")
    tz = m["meta"].get("tz", "Europe/Rome")
    if tz != "skip":
        exp = d.astimezone(ZoneInfo(tz) if tz != "UTC" else UTC).utcoffset()
        if exp != d.utcoffset():
            errs.append("tz offset %s expected %s" % (d.utcoffset(), exp))
    lab = m["label"]
    if lab.get("kind") not in KINDS:
        errs.append("kind")
    if lab.get("lang") not in ("it", "en", "es", "fr", "de", "pt"):
        errs.append("lang")
    pd = lab.get("date", "")
    if pd and lab["kind"] != "promise":
        errs.append("date on non-promise")
    rule = lab.get("rule", "")
    if rule:
        c = compute(rule, d.date()).isoformat()
        if c != pd:
            errs.append("promised %s computed %s" % (pd, c))
    elif pd:
        errs.append("date without rule")
    rd = lab.get("redirect", "")
    if lab.get("kind") == "redirect":
        if not rd or rd != rd.lower():
            errs.append("redirect_to missing/case")
        txt = ""
        for part in msg.walk():
            if part.get_content_type() == "text/plain":
                txt += part.get_content().lower()
        if rd not in txt and rd not in str(msg["Subject"]).lower():
            errs.append("redirect addr not in text")
    elif rd:
        errs.append("redirect on non-redirect")
    for rcv in msg.get_all("Received") or []:
        ts = str(rcv).rsplit(";", 1)[-1].strip()
        try:
            rt = email.utils.parsedate_to_datetime(ts)
        except Exception:
            errs.append("bad received date %r" % ts); continue
        if rt < d - dt.timedelta(minutes=10) or rt > d + dt.timedelta(days=3):
            errs.append("received time %s vs date %s" % (rt, d))
    return errs

def main():
    allm = []
    for p in sorted(glob.glob(os.path.join(HERE, "src", "*.txt"))):
        allm.extend(parse_src(p))
    names = [m["name"] for m in allm]
    assert len(names) == len(set(names)), "dup names"
    labels = []
    bad = 0
    for m in sorted(allm, key=lambda x: x["name"]):
        try:
            data = build(m)
        except Exception as e:
            print(m["name"], "BUILD ERROR", repr(e)); bad += 1; continue
        with open(os.path.join(OUT, m["name"] + ".eml"), "wb") as f:
            f.write(data)
        errs = check(m, data)
        if errs:
            bad += 1
            print(m["name"], errs)
        lab = m["label"]
        labels.append({"file": m["name"] + ".eml", "kind": lab["kind"], "promised_date": lab.get("date", ""),
                       "redirect_to": lab.get("redirect", ""), "lang": lab["lang"], "note": m["note"]})
    with open(os.path.join(OUT, "labels.jsonl"), "w", encoding="utf-8") as f:
        for l in labels:
            f.write(json.dumps(l, ensure_ascii=False) + "\n")
    print("built %d, problems %d" % (len(labels), bad))
    from collections import Counter
    print(Counter(l["kind"] for l in labels))
    print(Counter(l["lang"] for l in labels))

if __name__ == "__main__":
    main()
