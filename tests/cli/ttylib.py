"""Helpers for the command-line tests that need a terminal: run mailtrace
with standard output and/or standard error on a pseudo-terminal, measure
the columns a line takes, find bytes a terminal would act on."""
import fcntl
import os
import pty
import struct
import subprocess
import termios
import threading
import unicodedata


def run_tty(exe, args, stdout_tty=True, stderr_tty=False, env=None,
            stdin=subprocess.DEVNULL, cols=100, rows=50, timeout=600):
    """Run exe with the chosen streams on one pseudo-terminal of cols x
    rows; returns (status, tty bytes, stdout bytes if piped, stderr bytes
    if piped).  The terminal's output is returned with CRLF made LF."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ,
                struct.pack("HHHH", rows, cols, 0, 0))
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    e["LC_ALL"] = "C.UTF-8"
    if env:
        e.update(env)
    p = subprocess.Popen([exe, *args], stdin=stdin,
                         stdout=slave if stdout_tty else subprocess.PIPE,
                         stderr=slave if stderr_tty else subprocess.PIPE,
                         env=e)
    os.close(slave)
    piped = {}

    def drain(name, f):
        piped[name] = f.read()

    threads = []
    for name, f in (("out", p.stdout), ("err", p.stderr)):
        if f is not None:
            th = threading.Thread(target=drain, args=(name, f))
            th.start()
            threads.append(th)
    data = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    os.close(master)
    for th in threads:
        th.join(timeout)
    status = p.wait(timeout)
    return (status, data.replace(b"\r\n", b"\n"), piped.get("out", b""),
            piped.get("err", b""))


def messages_in(paths):
    """How many messages the files hold: an mbox counts its "From "
    separator lines, any other file is one message."""
    n = 0
    for p in paths:
        with open(p, "rb") as f:
            data = f.read()
        if data.startswith(b"From "):
            n += data.count(b"\nFrom ") + 1
        else:
            n += 1
    return n


def width(line):
    """Columns a terminal gives a line of text (wide and fullwidth
    characters two, combining marks none)."""
    w = 0
    for ch in line:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


SGR = b"\x1b["


def acting_bytes(data, allow_sgr):
    """Offsets of bytes a terminal would act on: C0 controls other than
    LF, DEL, C1 controls, bidi and invisible format characters; SGR colour
    sequences (ESC [ digits ; ... m) are allowed when allow_sgr."""
    bad = []
    i = 0
    text = data.decode("utf-8", "surrogateescape")
    while i < len(text):
        c = text[i]
        o = ord(c)
        if c == "\x1b" and allow_sgr and text[i + 1:i + 2] == "[":
            j = i + 2
            while j < len(text) and (text[j].isdigit() or text[j] == ";"):
                j += 1
            if j < len(text) and text[j] == "m":
                i = j + 1
                continue
        if (o < 0x20 and c != "\n") or o == 0x7f or 0x80 <= o <= 0x9f or \
                0xdc80 <= o <= 0xdcff or \
                o in (0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0xfeff) or \
                0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069 or \
                0x200b <= o <= 0x200d:
            bad.append(i)
        i += 1
    return bad


def b64word(text):
    """An RFC 2047 encoded word of text (UTF-8, B encoding)."""
    import base64
    return b"=?UTF-8?B?" + base64.b64encode(text.encode()) + b"?="


# A PTR answer whose name moves the cursor, clears the screen, returns the
# carriage, reverses the text, rings the bell and sets the window title.
HOSTILE_PTR = "evil%1B[2J%1B[H%0Dx%E2%80%AEname.example\tok%1B]0;title%07%08.example"


def hostile(directory):
    """Write hostile.eml (escape sequences, CR, LF, bidi and invisible
    characters in the Subject, From, HELO and by host; a 3,000-byte HELO;
    wide characters) and hostile.dnscache (a replayable DNS cache whose PTR
    name for the boundary client carries the same); returns their paths."""
    eml = os.path.join(directory, "hostile.eml")
    cache = os.path.join(directory, "hostile.dnscache")
    long_helo = b"start" + b"x" * 3000 + b".end.example"
    msg = (b"Received: from evil\x1b[2J\x1b[Hhost.example (ptr.example "
           b"[192.0.2.9])\r\n\tby mx.recipient.test with ESMTPS id 1 for "
           b"<bob@recipient.test>; Tue, 18 Mar 2003 14:20:24 -0800\r\n"
           b"Received: from " + long_helo + b" ([192.0.2.10]) by "
           b"relay\xe2\x80\xaeexe.example\x1b[1A with SMTP id 2; "
           b"Tue, 18 Mar 2003 14:20:20 -0800\r\n"
           b"Received: from pc ([10.0.0.1]) by " + b"y" * 200 +
           b".example with ESMTP; Tue, 18 Mar 2003 14:20:10 -0800\r\n"
           b"From: " + b64word("Bank \u202egnp.exe\x1b[31m\u200d") +
           b" <a@b.example>\r\n"
           b"To: bob@recipient.test\r\n"
           b"Subject: hi\x1b]0;pwned\x07 there\x08\x7f " +
           b64word("\u202e\u2066evil\u2069\r\nFake: line\u009b31m\r"
                   "\u660e\u5929\U0001F600 " + "z" * 150) + b"\r\n"
           b"Message-ID: <x\x1b[5m@b.example>\r\n"
           b"Date: Tue, 18 Mar 2003 14:20:00 -0800\r\n\r\nbody\r\n")
    with open(eml, "wb") as f:
        f.write(msg)
    with open(cache, "w") as f:
        f.write("mailtrace-dns-cache 1\n"
                "# TYPE QNAME STATUS TTL MS N ANSWER...\n"
                "PTR\t9.2.0.192.in-addr.arpa\tok\t3600\t0\t2\t" +
                HOSTILE_PTR + "\n")
    return eml, cache
