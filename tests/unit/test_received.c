/*
 * test_received.c - the Received parser: a table of real Received field
 * bodies (most from the shared corpus, the rest in the documented layout
 * of MTAs the corpus lacks, with documentation addresses), each with every
 * field written out by hand from the header text; then the caps fed ten
 * times over, deep nesting and a 1 MB field in linear time, mutations of
 * every row under the sanitizers, and the share of the corpus's Received
 * fields that parse.
 *
 * Row columns: helo, rdns, ip, port, ident, by host, by ip, with, id, for,
 * envelope_from, tls, auth, timestamp (RFC 3339 UTC), utc_offset, parsed,
 * via, auth_user, and one anomaly that must be recorded.  N is absent
 * (JSON null); tls and auth are 'T', 'F' or '-' (null).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mt.h"
#include "t.h"

#define N NULL
#define FULL MT_PARSED_FULL
#define PART MT_PARSED_PARTIAL
#define COMM MT_PARSED_COMMENT
#define UNPA MT_PARSED_UNPARSED

struct row {
	const char	*name;
	const char	*in;
	const char	*helo, *rdns, *ip;
	long		 port;
	const char	*ident;
	const char	*by, *by_ip, *with, *id, *for_, *envfrom;
	char		 tls, auth;
	const char	*time, *off;
	enum mt_parsed	 parsed;
	const char	*via, *auth_user;
	const char	*anomaly;
};

static const struct row rows[] = {
	/* ---------------- Postfix ---------------- */
	{ "postfix relay",
	    "from vger.kernel.org (vger.kernel.org [209.132.180.67])\r\n"
	    "\tby mail.lfdr.de (Postfix) with ESMTP id 7C89813EF1\r\n"
	    "\tfor <lists+linux-man@lfdr.de>; Sun,  5 May 2019 12:53:33 +0200 "
	    "(CEST)",
	    "vger.kernel.org", "vger.kernel.org", "209.132.180.67", -1, N,
	    "mail.lfdr.de", N, "ESMTP", "7C89813EF1", "lists+linux-man@lfdr.de"
	    , N,
	    'F', 'F', "2019-05-05T10:53:33Z", "+0200", FULL, N, N, N },
	{ "postfix tls1.3 key-exchange",
	    "from lothlorien.eyrie.org (96-90-234-101-static.hfc.comcastbusine"
	    "ss.net "
	    "[96.90.234.101]) (using TLSv1.3 with cipher "
	    "TLS_AES_256_GCM_SHA384 "
	    "(256/256 bits) key-exchange X25519 server-signature RSA-PSS "
	    "(2048 bits) "
	    "server-digest SHA256) (No client certificate requested) by "
	    "haven.eyrie.org (Postfix) with ESMTPS id 77C2D1185B3; Mon, 5 Dec "
	    "2022 "
	    "09:48:41 -0800 (PST)",
	    "lothlorien.eyrie.org", "96-90-234-101-static.hfc.comcastbusiness."
	    "net",
	    "96.90.234.101", -1, N,
	    "haven.eyrie.org", N, "ESMTPS", "77C2D1185B3", N, N,
	    'T', 'F', "2022-12-05T17:48:41Z", "-0800", FULL, N, N, N },
	{ "postfix authenticated sender, no from",
	    "(Authenticated sender: schoen@loyalty.org) by mail.gandi.net "
	    "(Postfix) "
	    "with ESMTPSA id 216B3100003; Fri, 14 Apr 2023 18:46:01 +0000 "
	    "(UTC)",
	    N, N, N, -1, N,
	    "mail.gandi.net", N, "ESMTPSA", "216B3100003", N, N,
	    'T', 'T', "2023-04-14T18:46:01Z", "+0000", FULL, N,
	    "schoen@loyalty.org", N },
	{ "postfix unknown rdns",
	    "from relay2.suse.de (unknown [195.135.220.254]) by mx1.suse.de "
	    "(Postfix) with ESMTP id 5495EAD18; Mon, 5 Aug 2019 13:37:22 "
	    "+0000 (UTC)",
	    "relay2.suse.de", N, "195.135.220.254", -1, N,
	    "mx1.suse.de", N, "ESMTP", "5495EAD18", N, N,
	    'F', 'F', "2019-08-05T13:37:22Z", "+0000", FULL, N, N, N },
	{ "postfix IPv6 literal, unknown",
	    "from smtpout.efficios.com (unknown "
	    "[IPv6:2607:5300:203:b2ee::31e5]) by "
	    "lindbergh.monkeyblade.net (Postfix) with ESMTPS id 8C7B528228; "
	    "Mon, 27 "
	    "Feb 2023 11:56:01 -0800 (PST)",
	    "smtpout.efficios.com", N, "2607:5300:203:b2ee::31e5", -1, N,
	    "lindbergh.monkeyblade.net", N, "ESMTPS", "8C7B528228", N, N,
	    'T', 'F', "2023-02-27T19:56:01Z", "-0800", FULL, N, N, N },
	{ "postfix IPv6 literal, rdns",
	    "from mail-wr1-x443.google.com (mail-wr1-x443.google.com "
	    "[IPv6:2a00:1450:4864:20::443]) by lindbergh.monkeyblade.net "
	    "(Postfix) "
	    "with ESMTPS id 9E4BCC061A0C for <linux-man@vger.kernel.org>; "
	    "Fri, 17 Apr "
	    "2020 03:01:50 -0700 (PDT)",
	    "mail-wr1-x443.google.com", "mail-wr1-x443.google.com",
	    "2a00:1450:4864:20::443", -1, N,
	    "lindbergh.monkeyblade.net", N, "ESMTPS", "9E4BCC061A0C",
	    "linux-man@vger.kernel.org", N,
	    'T', 'F', "2020-04-17T10:01:50Z", "-0700", FULL, N, N, N },
	{ "postfix local pickup",
	    "by quad.stoffel.org (Postfix, from userid 1000) id 2733AA7E79; "
	    "Fri,  9 "
	    "Sep 2022 16:34:14 -0400 (EDT)",
	    N, N, N, -1, N,
	    "quad.stoffel.org", N, N, "2733AA7E79", N, N,
	    '-', '-', "2022-09-09T20:34:14Z", "-0400", FULL, N, N, N },
	{ "postfix local pickup without date",
	    "by Ubuntu-mcus-1vcpu-1gb-35gb-intel (Postfix, from userid 0)",
	    N, N, N, -1, N,
	    "ubuntu-mcus-1vcpu-1gb-35gb-intel", N, N, N, N, N,
	    '-', '-', N, N, PART, N, N, "RECEIVED_NO_DATE" },
	{ "postfix authenticated sender after tcp-info",
	    "from SBruno (unknown [IPv6:2001:690:2100:1c:1461:394e:ed06:a6e6]) "
	    "(Authenticated sender: ist14265) by mail1.tecnico.ulisboa.pt "
	    "(Postfix) "
	    "with ESMTPSA id 2380F360072; Tue, 29 Nov 2022 12:23:38 +0000 "
	    "(WET)",
	    "sbruno", N, "2001:690:2100:1c:1461:394e:ed06:a6e6", -1, N,
	    "mail1.tecnico.ulisboa.pt", N, "ESMTPSA", "2380F360072", N, N,
	    'T', 'T', "2022-11-29T12:23:38Z", "+0000", FULL, N, "ist14265", N },
	{ "postfix no by no date",
	    "from [127.0.0.1] (localhost [127.0.0.1]) (Authenticated sender: "
	    "krisman) with ESMTPSA id B10D61F46723",
	    "[127.0.0.1]", "localhost", "127.0.0.1", -1, N,
	    N, N, "ESMTPSA", "B10D61F46723", N, N,
	    'T', 'T', N, N, PART, N, "krisman", "RECEIVED_NO_DATE" },
	{ "zimbra local postfix",
	    "from localhost (localhost [127.0.0.1]) by "
	    "zimbra-dc.paul-scerri.ch "
	    "(Postfix) with ESMTP id 37B375A243C; Mon, 10 Apr 2023 22:28:09 "
	    "+0200 "
	    "(CEST)",
	    "localhost", "localhost", "127.0.0.1", -1, N,
	    "zimbra-dc.paul-scerri.ch", N, "ESMTP", "37B375A243C", N, N,
	    'F', 'F', "2023-04-10T20:28:09Z", "+0200", FULL, N, N, N },
	{ "amavis re-injection",
	    "from layka.disroot.org ([127.0.0.1]) by localhost (disroot.org "
	    "[127.0.0.1]) (amavisd-new, port 10024) with ESMTP id "
	    "BQrs9s-8GW6W; Sun, "
	    "17 Mar 2024 09:10:29 +0100 (CET)",
	    "layka.disroot.org", N, "127.0.0.1", -1, N,
	    "localhost", "127.0.0.1", "ESMTP", "BQrs9s-8GW6W", N, N,
	    'F', 'F', "2024-03-17T08:10:29Z", "+0100", FULL, N, N, N },
	{ "postfix invalid literal (documented layout)",
	    "from bad.example.com (bad.example.com [300.1.2.3]) by "
	    "mx.example.net "
	    "(Postfix) with ESMTP id 4B2C1; Mon, 1 Mar 2010 10:00:00 +0000",
	    "bad.example.com", "bad.example.com", N, -1, N,
	    "mx.example.net", N, "ESMTP", "4B2C1", N, N,
	    'F', 'F', "2010-03-01T10:00:00Z", "+0000", PART, N, N,
	    "INVALID_IP_LITERAL" },

	/* ---------------- Sendmail ---------------- */
	{ "sendmail may be forged",
	    "from cpu59.osdn.com (slashdot.org [64.28.67.73] (may be forged)) "
	    "by "
	    "dogma.slashnull.org (8.11.6/8.11.6) with ESMTP id g7U20KZ08932 "
	    "for "
	    "<zzzz-use-perl@spamassassin.taint.org>; Fri, 30 Aug 2002 "
	    "03:00:21 +0100",
	    "cpu59.osdn.com", "slashdot.org", "64.28.67.73", -1, N,
	    "dogma.slashnull.org", N, "ESMTP", "g7U20KZ08932",
	    "zzzz-use-perl@spamassassin.taint.org", N,
	    'F', 'F', "2002-08-30T02:00:21Z", "+0100", FULL, N, N, N },
	{ "sendmail IDENT:user@rdns",
	    "from drizzle.com (IDENT:harmony@localhost [127.0.0.1]) by "
	    "drizzle.com "
	    "(8.12.3/8.12.3) with ESMTP id g6D6kj5C001434 for "
	    "<filtered@llyra.com>; "
	    "Fri, 12 Jul 2002 23:46:45 -0700",
	    "drizzle.com", "localhost", "127.0.0.1", -1, "harmony",
	    "drizzle.com", N, "ESMTP", "g6D6kj5C001434", "filtered@llyra.com"
	    , N,
	    'F', 'F', "2002-07-13T06:46:45Z", "-0700", FULL, N, N, N },
	{ "sendmail user@rdns, no address",
	    "from localhost (eugen@localhost) by hydrogen.leitl.org "
	    "(8.11.6/8.11.6) "
	    "with ESMTP id g8H9IXY03200; Tue, 17 Sep 2002 11:18:33 +0200",
	    "localhost", "localhost", N, -1, "eugen",
	    "hydrogen.leitl.org", N, "ESMTP", "g8H9IXY03200", N, N,
	    'F', 'F', "2002-09-17T09:18:33Z", "+0200", FULL, N, N, N },
	{ "sendmail user@[ip], bare envelope-from after the date",
	    "from einstein.ssz.com (cpunks@[207.200.56.4]) by "
	    "locust.minder.net "
	    "(8.11.6/8.11.6) with ESMTP id g6MD6QJ34157 for "
	    "<cpunks@minder.net>; Mon, "
	    "22 Jul 2002 09:06:26 -0400 (EDT) (envelope-from "
	    "cpunks@einstein.ssz.com)",
	    "einstein.ssz.com", N, "207.200.56.4", -1, "cpunks",
	    "locust.minder.net", N, "ESMTP", "g6MD6QJ34157", "cpunks@minder.ne"
	    "t",
	    "cpunks@einstein.ssz.com",
	    'F', 'F', "2002-07-22T13:06:26Z", "-0400", FULL, N, N, N },
	{ "sendmail (authenticated)",
	    "from python (gw01.es3.egwn.net [212.9.66.13]) (authenticated) by "
	    "egwn.net "
	    "(8.11.6/8.11.6/EGWN) with ESMTP id g7TCOWJ11869 for "
	    "<rpm-list@freshrpms.net>; Thu, 29 Aug 2002 14:24:32 +0200",
	    "python", "gw01.es3.egwn.net", "212.9.66.13", -1, N,
	    "egwn.net", N, "ESMTP", "g7TCOWJ11869", "rpm-list@freshrpms.net", N,
	    'F', 'T', "2002-08-29T12:24:32Z", "+0200", FULL, N, N, N },
	{ "sendmail authenticated bits=0, version=TLSv1.3",
	    "from localhost (ip-109-42-176-176.web.vodafone.de "
	    "[109.42.176.176]) "
	    "(authenticated bits=0) by mx10.gouders.net (8.17.1.9/8.16.1) "
	    "with ESMTPSA "
	    "id 32PKbWre013470 (version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 "
	    "bits=256 verify=NO); Sat, 25 Mar 2023 21:37:33 +0100",
	    "localhost", "ip-109-42-176-176.web.vodafone.de", "109.42.176.176"
	    , -1, N,
	    "mx10.gouders.net", N, "ESMTPSA", "32PKbWre013470", N, N,
	    'T', 'T', "2023-03-25T20:37:33Z", "+0100", FULL, N, N, N },
	{ "sendmail submit (from user@localhost)",
	    "(from bjarniig@localhost)\n        by hekla.rhi.hi.is "
	    "(8.14.4/8.14.4/Submit) id 05KKhnoh000483;\n        Sat, 20 Jun "
	    "2020 "
	    "20:43:49 GMT",
	    N, N, N, -1, N,
	    "hekla.rhi.hi.is", N, N, "05KKhnoh000483", N, N,
	    '-', '-', "2020-06-20T20:43:49Z", "+0000", FULL, N, N, N },
	{ "sendmail helo ([ip]) only",
	    "from QRJATYDI ([200.47.195.200]) by gateway.lauraandjoel.com "
	    "(8.8.5/8.8.5) with SMTP id IAA03919; Tue, 24 Sep 2002 08:55:39 "
	    "-0700 "
	    "(PDT)",
	    "qrjatydi", N, "200.47.195.200", -1, N,
	    "gateway.lauraandjoel.com", N, "SMTP", "IAA03919", N, N,
	    'F', 'F', "2002-09-24T15:55:39Z", "-0700", FULL, N, N, N },
	{ "sendmail [UNIX: localhost]",
	    "from localhost (localhost [[UNIX: localhost]]) by pen.homeip.net "
	    "(8.11.6/8.11.6/SuSE Linux 0.5) id g6Q5jhG29143; Thu, 25 Jul 2002 "
	    "21:45:43 -0800",
	    "localhost", "localhost", N, -1, N,
	    "pen.homeip.net", N, N, "g6Q5jhG29143", N, N,
	    '-', '-', "2002-07-26T05:45:43Z", "-0800", FULL, N, N, N },
	{ "sendmail helo is an address",
	    "from 64.118.128.67 (dedport-128-67.idealapps.com [64.118.128.67] "
	    "(may be "
	    "forged)) by public.anshan.cngb.com (8.9.3/8.9.3) with SMTP id "
	    "GAA26181; "
	    "Sat, 20 Jul 2002 06:02:10 +0800 (CST)",
	    "64.118.128.67", "dedport-128-67.idealapps.com", "64.118.128.67"
	    , -1, N,
	    "public.anshan.cngb.com", N, "SMTP", "GAA26181", N, N,
	    'F', 'F', "2002-07-19T22:02:10Z", "+0800", FULL, N, N, N },
	{ "critical path authenticated as (documented layout)",
	    "from client.example.org (198.51.100.7) by mx.example.net "
	    "(7.0.030.2) "
	    "(authenticated as r.doe) id 414B418B002D65F1 for "
	    "list@example.com; Thu, "
	    "23 Sep 2004 18:42:17 +0000",
	    "client.example.org", N, "198.51.100.7", -1, N,
	    "mx.example.net", N, N, "414B418B002D65F1", "list@example.com", N,
	    '-', 'T', "2004-09-23T18:42:17Z", "+0000", FULL, N, "r.doe", N },

	/* ---------------- Exim ---------------- */
	{ "exim helo= and tls cipher comment",
	    "from ip68-227-160-95.om.om.cox.net ([68.227.160.95] "
	    "helo=x220.xmission.com)"
	    " by in01.mta.xmission.com with esmtpsa "
	    "(TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256) (Exim 4.87) "
	    "(envelope-from "
	    "<ebiederm@xmission.com>) id 1i9Z6H-00011n-Lw; Sun, 15 Sep 2019 "
	    "12:18:18 "
	    "-0600",
	    "x220.xmission.com", "ip68-227-160-95.om.om.cox.net", "68.227.160."
	    "95", -1,
	    N, "in01.mta.xmission.com", N, "esmtpsa", "1i9Z6H-00011n-Lw", N,
	    "ebiederm@xmission.com",
	    'T', 'T', "2019-09-15T18:18:18Z", "-0600", FULL, N, N, N },
	{ "exim 4.96 tls keyword, port=",
	    "from [178.162.212.214] (port=62876) by ns1.bandung.go.id with "
	    "esmtpsa "
	    "(TLS1.2) tls TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (Exim 4.96) "
	    "(envelope-from <admin@dpu.bandung.go.id>) id 1q8fjD-001aWO-0V for "
	    "phishing@pot; Mon, 12 Jun 2023 18:28:55 +0700",
	    "[178.162.212.214]", N, "178.162.212.214", 62876, N,
	    "ns1.bandung.go.id", N, "esmtpsa", "1q8fjD-001aWO-0V", "phishing@p"
	    "ot",
	    "admin@dpu.bandung.go.id",
	    'T', 'T', "2023-06-12T11:28:55Z", "+0700", FULL, N, N, N },
	{ "exim [ip]:port helo=",
	    "from 89-69-237-178.dynamic.chello.pl ([89.69.237.178]:33352 "
	    "helo=localhost)"
	    " by gator3278.hostgator.com with esmtpa (Exim 4.93) "
	    "(envelope-from "
	    "<arkadiusz@drabczyk.org>) id 1jlKPg-00438g-PI; Tue, 16 Jun 2020 "
	    "17:50:41 "
	    "-0500",
	    "localhost", "89-69-237-178.dynamic.chello.pl", "89.69.237.178"
	    , 33352, N,
	    "gator3278.hostgator.com", N, "esmtpa", "1jlKPg-00438g-PI", N,
	    "arkadiusz@drabczyk.org",
	    'F', 'T', "2020-06-16T22:50:41Z", "-0500", FULL, N, N, N },
	{ "exim helo= and ident=",
	    "from heraldgate2.oucs.ox.ac.uk ([163.1.2.50] "
	    "helo=frontend2.herald.ox.ac.uk ident=exim) by oxmail.ox.ac.uk "
	    "with esmtp "
	    "(Exim 3.34 #1) id 17c56A-0007M1-02 for exmh-users@redhat.com; "
	    "Tue, 06 Aug "
	    "2002 15:14:10 +0100",
	    "frontend2.herald.ox.ac.uk", "heraldgate2.oucs.ox.ac.uk", "163.1.2"
	    ".50", -1,
	    "exim", "oxmail.ox.ac.uk", N, "esmtp", "17c56A-0007M1-02",
	    "exmh-users@redhat.com", N,
	    'F', 'F', "2002-08-06T14:14:10Z", "+0100", FULL, N, N, N },
	{ "exim ident= only",
	    "from fepa.biop.ox.ac.uk ([163.1.16.72] ident=baaden) by "
	    "frontend2.herald.ox.ac.uk with esmtp (Exim 3.32 #1) id "
	    "17c569-0000Jv-00 "
	    "for exmh-users@redhat.com; Tue, 06 Aug 2002 15:14:09 +0100",
	    "fepa.biop.ox.ac.uk", "fepa.biop.ox.ac.uk", "163.1.16.72", -1, "ba"
	    "aden",
	    "frontend2.herald.ox.ac.uk", N, "esmtp", "17c569-0000Jv-00",
	    "exmh-users@redhat.com", N,
	    'F', 'F', "2002-08-06T14:14:09Z", "+0100", FULL, N, N, N },
	{ "exim literal first, helo=",
	    "from [5.158.153.53] (helo=tip-bot2.lab.linutronix.de) by "
	    "Galois.linutronix.de with esmtpsa "
	    "(TLS1.2:DHE_RSA_AES_256_CBC_SHA256:256) "
	    "(Exim 4.80) (envelope-from <tip-bot2@linutronix.de>) id "
	    "1jREJz-00080r-RQ; "
	    "Wed, 22 Apr 2020 14:17:44 +0200",
	    "tip-bot2.lab.linutronix.de", N, "5.158.153.53", -1, N,
	    "galois.linutronix.de", N, "esmtpsa", "1jREJz-00080r-RQ", N,
	    "tip-bot2@linutronix.de",
	    'T', 'T', "2020-04-22T12:17:44Z", "+0200", FULL, N, N, N },
	{ "exim port= helo= on ::1",
	    "from [::1] (port=42804 helo=patraoluis.com.br) by "
	    "iuri0126.hospedagemdesites.ws with esmtp (Exim 4.96.2) "
	    "(envelope-from "
	    "<nao-responder@bradescoprime.com.br>) id 1sxv7R-0006f2-0U for "
	    "RODRIGO-F-P@HOTMAIL.COM; Mon, 07 Oct 2024 18:18:17 -0300",
	    "patraoluis.com.br", N, "::1", 42804, N,
	    "iuri0126.hospedagemdesites.ws", N, "esmtp", "1sxv7R-0006f2-0U",
	    "RODRIGO-F-P@HOTMAIL.COM", "nao-responder@bradescoprime.com.br",
	    'F', 'F', "2024-10-07T21:18:17Z", "-0300", FULL, N, N, N },
	{ "exim local submission (login, not helo)",
	    "from schwarze by login-1.asta.kit.edu with local (Exim 4.92)\n\t"
	    "(envelope-from <schwarze@usta.de>)\n\tid 1oHP9h-0002Af-2V; Fri, "
	    "29 Jul "
	    "2022 14:31:49 +0200",
	    N, N, N, -1, "schwarze",
	    "login-1.asta.kit.edu", N, "local", "1oHP9h-0002Af-2V", N,
	    "schwarze@usta.de",
	    'F', 'F', "2022-07-29T12:31:49Z", "+0200", FULL, N, N, N },
	{ "exim local-esmtp with helo=",
	    "from jsm28 (helo=localhost) by digraph.polyomino.org.uk with "
	    "local-esmtp "
	    "(Exim 4.95) (envelope-from <josmyers@redhat.com>) id "
	    "1sXSOg-0016Th-Ka; "
	    "Fri, 26 Jul 2024 21:22:42 +0000",
	    "localhost", N, N, -1, "jsm28",
	    "digraph.polyomino.org.uk", N, "local-esmtp", "1sXSOg-0016Th-Ka", N,
	    "josmyers@redhat.com",
	    'F', 'F', "2024-07-26T21:22:42Z", "+0000", FULL, N, N, N },
	{ "exim helo literal beside the recorded address (documented layout)",
	    "from host.example.com ([198.51.100.1] helo=[203.0.113.2]) by "
	    "mx.example.net with esmtp (Exim 4.96) id 1pQxyz-0001ab-AB; Tue, "
	    "2 Mar "
	    "2010 11:00:00 +0100",
	    "[203.0.113.2]", "host.example.com", "198.51.100.1", -1, N,
	    "mx.example.net", N, "esmtp", "1pQxyz-0001ab-AB", N, N,
	    'F', 'F', "2010-03-02T10:00:00Z", "+0100", FULL, N, N, N },
	{ "exim 3 rdns (helo) [ip]",
	    "from www.emuse.ie (hassle.emuse.ie) [193.120.145.154] by "
	    "relay01.esat.net with esmtp id 17aYOZ-0004tY-00; Fri, 02 Aug 2002 "
	    "10:06:51 +0100",
	    "hassle.emuse.ie", "www.emuse.ie", "193.120.145.154", -1, N,
	    "relay01.esat.net", N, "esmtp", "17aYOZ-0004tY-00", N, N,
	    'F', 'F', "2002-08-02T09:06:51Z", "+0100", FULL, N, N, N },
	{ "exim 3 (helo) [ip], no rdns",
	    "from (schabmueller.de) [62.157.239.77] by post.wwl.de with smtp "
	    "(Exim 3.12 "
	    "#1) id 15F0HM-00019f-00 (Debian); Tue, 26 Jun 2001 23:21:48 +0200",
	    "schabmueller.de", N, "62.157.239.77", -1, N,
	    "post.wwl.de", N, "smtp", "15F0HM-00019f-00", N, N,
	    'F', 'F', "2001-06-26T21:21:48Z", "+0200", FULL, N, N, N },

	/* ---------------- ZMailer (vger) ---------------- */
	{ "zmailer EHLO differs",
	    "from mx2.suse.de ([195.135.220.15]:51352 \"EHLO mx1.suse.de\" "
	    "rhost-flags-OK-OK-OK-FAIL) by vger.kernel.org with ESMTP id "
	    "S1726834AbfHENhY (ORCPT <rfc822;linux-man@vger.kernel.org>); "
	    "Mon, 5 Aug "
	    "2019 09:37:24 -0400",
	    "mx1.suse.de", "mx2.suse.de", "195.135.220.15", 51352, N,
	    "vger.kernel.org", N, "ESMTP", "S1726834AbfHENhY", N, N,
	    'F', 'F', "2019-08-05T13:37:24Z", "-0400", FULL, N, N, N },
	{ "zmailer no rdns",
	    "from [87.117.202.65] ([87.117.202.65]:40576 \"EHLO "
	    "server2.yilmazservers.com\" rhost-flags-FAIL-FAIL-OK-FAIL) by "
	    "vger.kernel.org with ESMTP id S1726311AbgIYUWA (ORCPT "
	    "<rfc822;linux-man@vger.kernel.org>); Fri, 25 Sep 2020 16:22:00 "
	    "-0400",
	    "server2.yilmazservers.com", N, "87.117.202.65", 40576, N,
	    "vger.kernel.org", N, "ESMTP", "S1726311AbgIYUWA", N, N,
	    'F', 'F', "2020-09-25T20:22:00Z", "-0400", FULL, N, N, N },

	/* ---------------- qmail ---------------- */
	{ "qmail unknown (HELO x) (ip)",
	    "from unknown (HELO postbox.ee.ed.ac.uk) (129.215.80.253) by "
	    "mta3.grp.scd.yahoo.com with SMTP; 22 Aug 2002 14:01:22 -0000",
	    "postbox.ee.ed.ac.uk", N, "129.215.80.253", -1, N,
	    "mta3.grp.scd.yahoo.com", N, "SMTP", N, N, N,
	    'F', 'F', "2002-08-22T14:01:22Z", "+0000", FULL, N, N, N },
	{ "qmail rdns (HELO x) (ip)",
	    "from llamatron.la.asu.edu (HELO llamatron.rocinante.com) "
	    "(129.219.78.39) "
	    "by elmo.la.asu.edu with SMTP; 7 Oct 2002 22:31:26 -0000",
	    "llamatron.rocinante.com", "llamatron.la.asu.edu", "129.219.78.39"
	    , -1, N,
	    "elmo.la.asu.edu", N, "SMTP", N, N, N,
	    'F', 'F', "2002-10-07T22:31:26Z", "+0000", FULL, N, N, N },
	{ "qmail (ident@ip)",
	    "from localhost (sendmail-bs@127.0.0.1) by localhost with SMTP; 7 "
	    "Sep 2002 "
	    "18:11:42 -0000",
	    "localhost", "localhost", "127.0.0.1", -1, "sendmail-bs",
	    "localhost", N, "SMTP", N, N, N,
	    'F', 'F', "2002-09-07T18:11:42Z", "+0000", FULL, N, N, N },
	{ "qmail invoked by uid",
	    "(qmail 11455 invoked by uid 104); 24 Jul 2002 16:34:18 -0000",
	    N, N, N, -1, N, N, N, N, N, N, N,
	    '-', '-', "2002-07-24T16:34:18Z", "+0000", COMM, N, N, N },
	{ "qmail invoked from network",
	    "(qmail 1107 invoked from network); 27 Aug 2002 18:19:59 -0000",
	    N, N, N, -1, N, N, N, N, N, N, N,
	    '-', '-', "2002-08-27T18:19:59Z", "+0000", COMM, N, N, N },
	{ "qmail-ldap envelope-sender",
	    "from localhost (HELO deepeddy.vircio.com) ([127.0.0.1]) "
	    "(envelope-sender "
	    "<cwg-exmh@DeepEddy.Com>) by localhost (qmail-ldap-1.03) with "
	    "SMTP for "
	    "<exmh-workers@redhat.com>; 26 Aug 2002 14:27:58 -0000",
	    "deepeddy.vircio.com", "localhost", "127.0.0.1", -1, N,
	    "localhost", N, "SMTP", N, "exmh-workers@redhat.com",
	    "cwg-exmh@DeepEddy.Com",
	    'F', 'F', "2002-08-26T14:27:58Z", "+0000", FULL, N, N, N },
	{ "qmail QMQP, helo is the first token",
	    "from unknown (66.218.66.218) by m2.grp.scd.yahoo.com with QMQP; "
	    "22 Aug "
	    "2002 14:01:22 -0000",
	    "unknown", N, "66.218.66.218", -1, N,
	    "m2.grp.scd.yahoo.com", N, "QMQP", N, N, N,
	    'F', 'F', "2002-08-22T14:01:22Z", "+0000", FULL, N, N, N },
	{ "qmail ident with @, ESMTPA",
	    "from unknown (HELO 85.209.134.107) "
	    "(takao@akabou.ne.jp@85.209.134.107) by "
	    "210-235.dhs.next-web.ne.jp with ESMTPA; 25 Dec 2022 15:53:22 "
	    "+0900",
	    "85.209.134.107", N, "85.209.134.107", -1, "takao@akabou.ne.jp",
	    "210-235.dhs.next-web.ne.jp", N, "ESMTPA", N, N, N,
	    'F', 'T', "2022-12-25T06:53:22Z", "+0900", FULL, N, N, N },
	{ "yahoo qmail with login",
	    "from p237.as1.cra.dublin.eircom.net (HELO mfrenchw2k) "
	    "(mfrench42@159.134.176.237 with login) by "
	    "smtp.mail.vip.sc5.yahoo.com "
	    "with SMTP; 28 Jul 2002 18:33:18 -0000",
	    "mfrenchw2k", "p237.as1.cra.dublin.eircom.net", "159.134.176.237"
	    , -1,
	    "mfrench42", "smtp.mail.vip.sc5.yahoo.com", N, "SMTP", N, N, N,
	    'F', 'T', "2002-07-28T18:33:18Z", "+0000", FULL, N, "mfrench42"
	    , N },
	{ "ironport (HELO x) with ESMTP/TLS (documented layout)",
	    "from relay-7.example.org (HELO exchange.example.org) "
	    "([192.0.2.38]) by "
	    "gw.example.org with ESMTP/TLS/AES128-SHA; 14 Aug 2013 08:59:29 "
	    "-0400",
	    "exchange.example.org", "relay-7.example.org", "192.0.2.38", -1, N,
	    "gw.example.org", N, "ESMTP/TLS/AES128-SHA", N, N, N,
	    'T', 'F', "2013-08-14T12:59:29Z", "-0400", FULL, N, N, N },

	/* ---------------- Microsoft ---------------- */
	{ "exchange online frontend",
	    "from BL02EPF0002992B.namprd02.prod.outlook.com "
	    "(2603:10b6:208:23a:cafe::9)"
	    " by MN2PR03CA0022.outlook.office365.com (2603:10b6:208:23a::27) "
	    "with "
	    "Microsoft SMTP Server (version=TLS1_2, "
	    "cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7828.30 "
	    "via "
	    "Frontend Transport; Thu, 8 Aug 2024 12:04:33 +0000",
	    "bl02epf0002992b.namprd02.prod.outlook.com", N, "2603:10b6:208:23a"
	    ":cafe::9",
	    -1, N, "mn2pr03ca0022.outlook.office365.com", "2603:10b6:208:23a::"
	    "27",
	    "Microsoft SMTP Server", "15.20.7828.30", N, N,
	    'T', 'F', "2024-08-08T12:04:33Z", "+0000", FULL, "Frontend Transpo"
	    "rt", N,
	    N },
	{ "exchange online protection, no tls",
	    "from nahgtrlimenny.net (89.144.9.214) by "
	    "DB5EUR01FT054.mail.protection.outlook.com (10.152.5.133) with "
	    "Microsoft "
	    "SMTP Server id 15.20.7046.21 via Frontend Transport; Tue, 28 Nov "
	    "2023 "
	    "13:14:26 +0000",
	    "nahgtrlimenny.net", N, "89.144.9.214", -1, N,
	    "db5eur01ft054.mail.protection.outlook.com", "10.152.5.133",
	    "Microsoft SMTP Server", "15.20.7046.21", N, N,
	    'F', 'F', "2023-11-28T13:14:26Z", "+0000", FULL, "Frontend Transpo"
	    "rt", N,
	    N },
	{ "exchange on premises",
	    "from kraxon (10.147.9.171) by heisenberg.fokus.fraunhofer.de "
	    "(10.147.9.211) with Microsoft SMTP Server id 15.1.2044.4 via "
	    "Frontend "
	    "Transport; Mon, 10 Aug 2020 15:20:44 +0200",
	    "kraxon", N, "10.147.9.171", -1, N,
	    "heisenberg.fokus.fraunhofer.de", "10.147.9.211", "Microsoft SMTP "
	    "Server",
	    "15.1.2044.4", N, N,
	    'F', 'F', "2020-08-10T13:20:44Z", "+0200", FULL, "Frontend Transpo"
	    "rt", N,
	    N },
	{ "exchange mapi, zone on the by address",
	    "from AcuMS.Aculab.com ([fe80::43c:695e:880f:8750]) by "
	    "AcuMS.aculab.com "
	    "([fe80::43c:695e:880f:8750%12]) with mapi id 15.00.1347.000; "
	    "Mon, 28 Sep "
	    "2020 15:31:50 +0100",
	    "acums.aculab.com", N, "fe80::43c:695e:880f:8750", -1, N,
	    "acums.aculab.com", "fe80::43c:695e:880f:8750", "mapi", "15.00.134"
	    "7.000",
	    N, N,
	    'F', 'F', "2020-09-28T14:31:50Z", "+0100", FULL, N, N, N },
	{ "exchange HTTPS from ::1",
	    "from DM4PR19MB5929.namprd19.prod.outlook.com (::1) by "
	    "MN0PR19MB6312.namprd19.prod.outlook.com with HTTPS; Wed, 2 Aug "
	    "2023 "
	    "20:09:22 +0000",
	    "dm4pr19mb5929.namprd19.prod.outlook.com", N, "::1", -1, N,
	    "mn0pr19mb6312.namprd19.prod.outlook.com", N, "HTTPS", N, N, N,
	    'T', 'F', "2023-08-02T20:09:22Z", "+0000", FULL, N, N, N },
	{ "exchange %zone unbracketed",
	    "from LV3P223MB0968.NAMP223.PROD.OUTLOOK.COM "
	    "(fe80::7085:506c:1dc5:92b7%6) by LV3P223MB0968.NAMP223.PROD.OUTLO"
	    "OK.COM "
	    "with HTTPS; Wed, 1 Nov 2023 16:08:44 +0000",
	    "lv3p223mb0968.namp223.prod.outlook.com", N, "fe80::7085:506c:1dc5"
	    ":92b7",
	    -1, N, "lv3p223mb0968.namp223.prod.outlook.com", N, "HTTPS"
	    , N, N, N,
	    'T', 'F', "2023-11-01T16:08:44Z", "+0000", FULL, N, N, N },
	{ "iis smtpsvc",
	    "from RSHAVELL ([63.101.39.6]) by plato.einstein with Microsoft "
	    "SMTPSVC(5.0.2195.3779); Tue, 20 Aug 2002 23:36:30 -0700",
	    "rshavell", N, "63.101.39.6", -1, N,
	    "plato.einstein", N, "Microsoft SMTPSVC", N, N, N,
	    'F', 'F', "2002-08-21T06:36:30Z", "-0700", FULL, N, N, N },
	{ "iis smtpsvc RDNS failed",
	    "from endeavors.com ([66.161.8.83] RDNS failed) by "
	    "mail.endeavors.com with "
	    "Microsoft SMTPSVC(5.0.2195.5329); Fri, 4 Oct 2002 15:58:08 -0700",
	    "endeavors.com", N, "66.161.8.83", -1, N,
	    "mail.endeavors.com", N, "Microsoft SMTPSVC", N, N, N,
	    'F', 'F', "2002-10-04T22:58:08Z", "-0700", FULL, N, N, N },
	{ "iis mail pickup service",
	    "from mail pickup service by hotmail.com with Microsoft SMTPSVC; "
	    "Thu, 19 "
	    "Sep 2002 06:34:36 -0700",
	    N, N, N, -1, N,
	    "hotmail.com", N, "Microsoft SMTPSVC", N, N, N,
	    'F', 'F', "2002-09-19T13:34:36Z", "-0700", FULL, N, N, N },
	{ "iis doubled brackets (documented layout)",
	    "from mail.example.com ([[192.0.2.25]]) by "
	    "EXCH01.corp.example.com with "
	    "Microsoft SMTPSVC(6.0.3790.4675); Mon, 1 Mar 2010 10:00:00 +0100",
	    "mail.example.com", N, "192.0.2.25", -1, N,
	    "exch01.corp.example.com", N, "Microsoft SMTPSVC", N, N, N,
	    'F', 'F', "2010-03-01T09:00:00Z", "+0100", FULL, N, N, N },
	{ "exchange 5.5 internet mail service",
	    "by HASSLE with Internet Mail Service (5.5.2653.19) id "
	    "<DL00S7BS>; Fri, 2 "
	    "Aug 2002 10:07:22 +0100",
	    N, N, N, -1, N,
	    "hassle", N, "Internet Mail Service", "DL00S7BS", N, N,
	    'F', 'F', "2002-08-02T09:07:22Z", "+0100", FULL, N, N, N },
	{ "hotmail HTTP from a bare address",
	    "from 216.30.74.2 by lw15fd.law15.hotmail.msn.com with HTTP; Thu, "
	    "19 Sep "
	    "2002 13:34:36 GMT",
	    "216.30.74.2", N, "216.30.74.2", -1, N,
	    "lw15fd.law15.hotmail.msn.com", N, "HTTP", N, N, N,
	    'F', 'F', "2002-09-19T13:34:36Z", "+0000", FULL, N, N, N },
	{ "exchange authenticated (documented layout)",
	    "from CLIENT01 (192.0.2.50) by mail.example.com (192.0.2.10) with "
	    "Microsoft"
	    " SMTP Server (TLS) id 14.3.468.0 (Authenticated); Tue, 20 Aug "
	    "2019 "
	    "19:04:19 +0200",
	    "client01", N, "192.0.2.50", -1, N,
	    "mail.example.com", "192.0.2.10", "Microsoft SMTP Server", "14.3.4"
	    "68.0",
	    N, N,
	    'T', 'T', "2019-08-20T17:04:19Z", "+0200", FULL, N, N, N },

	/* ---------------- Gmail ---------------- */
	{ "gmail submission, literal helo",
	    "from [10.105.146.2] ([88.128.80.89]) by smtp.gmail.com with "
	    "ESMTPSA id "
	    "a5sm5400578wrt.10.2019.05.16.12.22.21 (version=TLS1_3 "
	    "cipher=AEAD-AES128-GCM-SHA256 bits=128/128); Thu, 16 May 2019 "
	    "12:22:22 "
	    "-0700 (PDT)",
	    "[10.105.146.2]", N, "88.128.80.89", -1, N,
	    "smtp.gmail.com", N, "ESMTPSA", "a5sm5400578wrt.10.2019.05.16.12.2"
	    "2.21",
	    N, N,
	    'T', 'T', "2019-05-16T19:22:22Z", "-0700", FULL, N, N, N },
	{ "gmail ?IPv6:...? helo",
	    "from ?IPv6:2001:a61:257e:2f01:31ee:f41e:c688:df4? "
	    "([2001:a61:257e:2f01:31ee:f41e:c688:df4]) by smtp.gmail.com with "
	    "ESMTPSA "
	    "id g26sm488439wmh.32.2019.08.26.14.05.22 (version=TLS1_3 "
	    "cipher=TLS_AES_128_GCM_SHA256 bits=128/128); Mon, 26 Aug 2019 "
	    "14:05:23 "
	    "-0700 (PDT)",
	    "[ipv6:2001:a61:257e:2f01:31ee:f41e:c688:df4]", N,
	    "2001:a61:257e:2f01:31ee:f41e:c688:df4", -1, N,
	    "smtp.gmail.com", N, "ESMTPSA", "g26sm488439wmh.32.2019.08.26.14.0"
	    "5.22",
	    N, N,
	    'T', 'T', "2019-08-26T21:05:23Z", "-0700", FULL, N, N, N },
	{ "gmail rdns with trailing dot",
	    "from digraph.polyomino.org.uk (digraph.polyomino.org.uk. "
	    "[2001:8b0:bf73:93f7::51bb:e332]) by smtp.gmail.com with ESMTPSA "
	    "id "
	    "ffacd0b85a97d-36b36861b1esm6031550f8f.92.2024.07.26.14.23.19 "
	    "(version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); "
	    "Fri, 26 Jul "
	    "2024 14:23:19 -0700 (PDT)",
	    "digraph.polyomino.org.uk", "digraph.polyomino.org.uk",
	    "2001:8b0:bf73:93f7::51bb:e332", -1, N,
	    "smtp.gmail.com", N, "ESMTPSA",
	    "ffacd0b85a97d-36b36861b1esm6031550f8f.92.2024.07.26.14.23.19"
	    , N, N,
	    'T', 'T', "2024-07-26T21:23:19Z", "-0700", FULL, N, N, N },
	{ "gmail mx with for before the tls comment",
	    "from NAM12-BN8-obe.outbound.protection.outlook.com "
	    "(mail-bn8nam12olkn20801.outbound.protection.outlook.com. "
	    "[2a01:111:f400:fe5b::801]) by mx.google.com with ESMTPS id "
	    "y5-20020a17090a154500b00263dcd605a9si7562258pja.25.2023.09.02.17."
	    "52.38 "
	    "for <Phish.me.again@gmail.com> (version=TLS1_2 "
	    "cipher=ECDHE-ECDSA-AES128-GCM-SHA256 bits=128/128); Sat, 02 Sep "
	    "2023 "
	    "17:52:38 -0700 (PDT)",
	    "nam12-bn8-obe.outbound.protection.outlook.com",
	    "mail-bn8nam12olkn20801.outbound.protection.outlook.com",
	    "2a01:111:f400:fe5b::801", -1, N,
	    "mx.google.com", N, "ESMTPS",
	    "y5-20020a17090a154500b00263dcd605a9si7562258pja.25.2023.09.02.17."
	    "52.38",
	    "Phish.me.again@gmail.com", N,
	    'T', 'F', "2023-09-03T00:52:38Z", "-0700", FULL, N, N, N },
	{ "gmail origin, by is an IPv6 address",
	    "by 2002:a05:6820:1ac1:b0:565:f8df:30d8 with SMTP id "
	    "bu1-20020a0568201ac100b00565f8df30d8ls6193oob.0.-pod-prod-00-us; "
	    "Fri, 07 "
	    "Jul 2023 02:15:34 -0700 (PDT)",
	    N, N, N, -1, N,
	    N, "2002:a05:6820:1ac1:b0:565:f8df:30d8", "SMTP",
	    "bu1-20020a0568201ac100b00565f8df30d8ls6193oob.0.-pod-prod-00-us"
	    , N, N,
	    'F', 'F', "2023-07-07T09:15:34Z", "-0700", FULL, N, N, N },
	{ "gmail outgoing sender hop",
	    "by mail-wm1-f50.google.com with SMTP id j187so7726676wma.1 for "
	    "<linux-man@vger.kernel.org>; Thu, 16 May 2019 12:22:23 -0700 "
	    "(PDT)",
	    N, N, N, -1, N,
	    "mail-wm1-f50.google.com", N, "SMTP", "j187so7726676wma.1",
	    "linux-man@vger.kernel.org", N,
	    'F', 'F', "2019-05-16T19:22:23Z", "-0700", FULL, N, N, N },

	/* ---------------- OpenSMTPD, Dovecot, Haraka, MDaemon, ... -------- */
	{ "opensmtpd <unknown> rdns, tls comment",
	    "from localhost (<unknown> [2a02:8071:7111:c540:1974:1e1c:d1b8:7af"
	    "5]) by "
	    "smtp1.bureaucracy.de (OpenSMTPD) with ESMTPSA id d500a7ea "
	    "(TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO); Sun, 6 Oct 2024 "
	    "01:17:50 +0000 "
	    "(UTC)",
	    "localhost", N, "2a02:8071:7111:c540:1974:1e1c:d1b8:7af5", -1, N,
	    "smtp1.bureaucracy.de", N, "ESMTPSA", "d500a7ea", N, N,
	    'T', 'T', "2024-10-06T01:17:50Z", "+0000", FULL, N, N, N },
	{ "opensmtpd local",
	    "from localhost (localhost [::1]) by vultr.guest (OpenSMTPD) with "
	    "ESMTP id "
	    "3d26a23c for <phishing@pot>; Sun, 19 Oct 2025 09:47:26 +0000 "
	    "(UTC)",
	    "localhost", "localhost", "::1", -1, N,
	    "vultr.guest", N, "ESMTP", "3d26a23c", "phishing@pot", N,
	    'F', 'F', "2025-10-19T09:47:26Z", "+0000", FULL, N, N, N },
	{ "dovecot lmtp",
	    "from mail.lfdr.de\tby lfdr with LMTP\tid mGndBw3EcGkNZwAAu9opvQ\t"
	    "(envelope-from "
	    "<linux-man+bounces-4880-lists+linux-man=lfdr.de@vger.kernel.org>)"
	    "\tfor "
	    "<lists+linux-man@lfdr.de>; Wed, 21 Jan 2026 13:18:21 +0100",
	    "mail.lfdr.de", N, N, -1, N,
	    "lfdr", N, "LMTP", "mGndBw3EcGkNZwAAu9opvQ", "lists+linux-man@lfdr"
	    ".de",
	    "linux-man+bounces-4880-lists+linux-man=lfdr.de@vger.kernel.org",
	    'F', 'F', "2026-01-21T12:18:21Z", "+0100", FULL, N, N, N },
	{ "dovecot submission",
	    "from dovecot-director2.suse.de ([192.168.254.65]) by "
	    "imap2.suse-dmz.suse.de with ESMTPSA id oE9qGi8rMmOyQwAAMHmgww "
	    "(envelope-from <neilb@suse.de>); Mon, 26 Sep 2022 22:43:59 +0000",
	    "dovecot-director2.suse.de", N, "192.168.254.65", -1, N,
	    "imap2.suse-dmz.suse.de", N, "ESMTPSA", "oE9qGi8rMmOyQwAAMHmgww", N,
	    "neilb@suse.de",
	    'T', 'T', "2022-09-26T22:43:59Z", "+0000", FULL, N, N, N },
	{ "haraka envelope-from extension clause (documented layout)",
	    "from worker-5b8d8c7878-529xw ([10.42.3.77]) by mail.example.com "
	    "(Haraka) "
	    "with ESMTP id DFCF7BEA-2F88-4D9B-A9BB-320EB10BDCE0.1 "
	    "envelope-from "
	    "<noreply@example.com>; Tue, 10 Feb 2026 13:29:01 +0000",
	    "worker-5b8d8c7878-529xw", N, "10.42.3.77", -1, N,
	    "mail.example.com", N, "ESMTP", "DFCF7BEA-2F88-4D9B-A9BB-320EB10BD"
	    "CE0.1",
	    N, "noreply@example.com",
	    'F', 'F', "2026-02-10T13:29:01Z", "+0000", FULL, N, N, N },
	{ "mdaemon literal only, ESMTPA (documented layout)",
	    "from [198.51.100.144] by mail.example.es (MDaemon PRO v16.5.2) "
	    "with ESMTPA"
	    " id md50000048285.msg for <list@example.org>; Mon, 03 Feb 2020 "
	    "15:59:04 "
	    "+0100",
	    "[198.51.100.144]", N, "198.51.100.144", -1, N,
	    "mail.example.es", N, "ESMTPA", "md50000048285.msg", "list@example"
	    ".org",
	    N,
	    'F', 'T', "2020-02-03T14:59:04Z", "+0100", FULL, N, N, N },
	{ "courier AUTH and id after the date (documented layout)",
	    "from client.example.net (client.example.net [192.0.2.10]) (AUTH: "
	    "LOGIN "
	    "alice@example.net, TLS: TLSv1/SSLv3,256bits,AES256-SHA) by "
	    "mail.example.com with ESMTPSA; Thu, 10 Nov 2005 08:24:21 -0600\n "
	    "id "
	    "000000DB.43735815.00001E11",
	    "client.example.net", "client.example.net", "192.0.2.10", -1, N,
	    "mail.example.com", N, "ESMTPSA", "000000DB.43735815.00001E11"
	    , N, N,
	    'T', 'T', "2005-11-10T14:24:21Z", "-0600", FULL, N, "alice@example"
	    ".net",
	    N },
	{ "lotus domino",
	    "from plain ([211.154.103.61]) by mail.ec960.com (Lotus Domino "
	    "Release "
	    "5.0.2b (Intl)) with SMTP id 2001080410571913:59502 ; Sat, 4 Aug "
	    "2001 "
	    "10:57:19 +0800",
	    "plain", N, "211.154.103.61", -1, N,
	    "mail.ec960.com", N, "SMTP", "2001080410571913:59502", N, N,
	    'F', 'F', "2001-08-04T02:57:19Z", "+0800", FULL, N, N, N },
	{ "communigate literal (HELO x)",
	    "from [66.191.173.111] (HELO user-bbxdmnnh9d) by "
	    "mx10.cluster1.charter.net (CommuniGate Pro SMTP 3.5.9) with "
	    "ESMTP id "
	    "42275994 for cypherpunks@einstein.ssz.com; Mon, 22 Jul 2002 "
	    "14:10:28 "
	    "-0400",
	    "user-bbxdmnnh9d", N, "66.191.173.111", -1, N,
	    "mx10.cluster1.charter.net", N, "ESMTP", "42275994",
	    "cypherpunks@einstein.ssz.com", N,
	    'F', 'F', "2002-07-22T18:10:28Z", "-0400", FULL, N, N, N },
	{ "t-online cipher before the protocol",
	    "from ROMENIA123-PC ([189.90.39.239]) by fwd80.t-online.de with "
	    "(TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384 encrypted) esmtp id "
	    "1r1vTl-1t1xWL0; "
	    "Sat, 11 Nov 2023 22:25:21 +0100",
	    "romenia123-pc", N, "189.90.39.239", -1, N,
	    "fwd80.t-online.de", N, "esmtp", "1r1vTl-1t1xWL0", N, N,
	    'T', 'F', "2023-11-11T21:25:21Z", "+0100", FULL, N, N, N },
	{ "mimecast with ESMTP with STARTTLS",
	    "from AcuMS.aculab.com (156.67.243.121 [156.67.243.121]) by "
	    "relay.mimecast.com with ESMTP with STARTTLS (version=TLSv1.2, "
	    "cipher=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384) id "
	    "uk-mta-6-CLGAEFtmMmq-sFQCCbZ85g-1; Thu, 25 Aug 2022 16:03:04 "
	    "+0100",
	    "acums.aculab.com", N, "156.67.243.121", -1, N,
	    "relay.mimecast.com", N, "ESMTP", "uk-mta-6-CLGAEFtmMmq-sFQCCbZ85g"
	    "-1", N,
	    N,
	    'T', 'F', "2022-08-25T15:03:04Z", "+0100", FULL, N, N,
	    "DUPLICATE_CLAUSE" },
	{ "mapped IPv4 beside its bare form",
	    "from forum (::ffff:71.19.148.142 [::ffff:71.19.148.142]) by "
	    "kingmailer.org with SMTP; Sun, 02 Nov 2025 05:36:30 -0300",
	    "forum", N, "71.19.148.142", -1, N,
	    "kingmailer.org", N, "SMTP", N, N, N,
	    'F', 'F', "2025-11-02T08:36:30Z", "-0300", FULL, N, N, N },
	{ "mapped IPv4 literal, IDENT comment after",
	    "from dhiggins ([::ffff:205.233.198.35]) (IDENT: xafurni) by "
	    "netc.net with "
	    "esmtp; Mon, 05 Aug 2002 09:49:57 -0400",
	    "dhiggins", N, "205.233.198.35", -1, "xafurni",
	    "netc.net", N, "esmtp", N, N, N,
	    'F', 'F', "2002-08-05T13:49:57Z", "-0400", FULL, N, N, N },
	{ "aol sender address, not a helo",
	    "from ThosStew@aol.com by imo-m10.mx.aol.com (mail_out_v34.10.) id "
	    "9.ac.2ce1f831 (30950); Fri, 6 Sep 2002 08:44:38 -0400 (EDT)",
	    N, N, N, -1, N,
	    "imo-m10.mx.aol.com", N, N, "9.ac.2ce1f831", N, N,
	    '-', '-', "2002-09-06T12:44:38Z", "-0400", FULL, N, N, N },
	{ "gmail api phrase",
	    "from 793673237808 named unknown by gmailapi.google.com with "
	    "HTTPREST; "
	    "Thu, 7 Dec 2023 12:50:52 -0500",
	    N, N, N, -1, N,
	    "gmailapi.google.com", N, "HTTPREST", N, N, N,
	    'F', 'F', "2023-12-07T17:50:52Z", "-0500", FULL, N, N, N },
	{ "powermta envelope-from after the date",
	    "by richard.330w.com (PowerMTA(TM) v1.5); Wed, 25 Sep 2002 "
	    "17:48:33 -0400 "
	    "(envelope-from <Alex-09242002-HTML@frugaljoe.330w.com>)",
	    N, N, N, -1, N,
	    "richard.330w.com", N, N, N, N, "Alex-09242002-HTML@frugaljoe.330w"
	    ".com",
	    '-', '-', "2002-09-25T21:48:33Z", "-0400", FULL, N, N, N },
	{ "mailenable, no first token",
	    "from (127.0.0.1 [127.0.0.1]) by MailEnable Inbound Mail Agent "
	    "with ESMTP; "
	    "Mon, 02 Sep 2002 01:10:39 -08:00",
	    N, N, "127.0.0.1", -1, N,
	    "mailenable", N, "ESMTP", N, N, N,
	    'F', 'F', "2002-09-02T09:10:39Z", "-0800", PART, N, N, N },
	{ "smtpd claiming to be, asctime date",
	    "from IP1.centra.worldwithoutwire.com(209.162.229.98), claiming "
	    "to be "
	    "\"exchangeserver1.int.centra-ind.com\"\n via SMTP by "
	    "mail.nonline.net, id "
	    "smtpdV82674; Sun Jul 29 11:34:20 2001",
	    "exchangeserver1.int.centra-ind.com", "ip1.centra.worldwithoutwire"
	    ".com",
	    "209.162.229.98", -1, N,
	    "mail.nonline.net", N, N, "smtpdV82674", N, N,
	    '-', '-', "2001-07-29T11:34:20Z", "+0000", FULL, "SMTP", N,
	    "DATE_NO_ZONE" },
	{ "smtpd32 host [ip], no with",
	    "from maya.dyndns.org [207.61.5.143] by mail.datastore.ca "
	    "(SMTPD32-7.00) "
	    "id A5AA6DD00CA; Wed, 04 Sep 2002 14:49:14 -0400",
	    "maya.dyndns.org", N, "207.61.5.143", -1, N,
	    "mail.datastore.ca", N, N, "A5AA6DD00CA", N, N,
	    '-', '-', "2002-09-04T18:49:14Z", "-0400", FULL, N, N, N },
	{ "date after \"at\", no ';'",
	    "from 192.192.192.248 [192.192.192.248] by vitblr.blr.vsnl.net.in "
	    "(1.61/SMTPD) at Tue, 31 Jul 01 23:02:18 PDT",
	    "192.192.192.248", N, "192.192.192.248", -1, N,
	    "vitblr.blr.vsnl.net.in", N, N, N, N, N,
	    '-', '-', "2001-08-01T06:02:18Z", "-0700", PART, N, N,
	    "DATE_OBSOLETE" },
	{ "interscan bare address, no with",
	    "from 15.145.8.186 by fowey.BR.ITC.HP.COM (InterScan E-Mail "
	    "VirusWall NT); "
	    "Mon, 02 Sep 2002 15:47:00 +0100",
	    "15.145.8.186", N, "15.145.8.186", -1, N,
	    "fowey.br.itc.hp.com", N, N, N, N, N,
	    '-', '-', "2002-09-02T14:47:00Z", "+0100", FULL, N, N, N },
	{ "invalid literal that is a date",
	    "from mail.gimmicc.net ([Tue, 15 Apr 2025 22:43:56 +1200]) by "
	    "asx121.turbo-inline.com with QMQP; Tue, 15 Apr 2025 22:43:56 "
	    "+1200",
	    "mail.gimmicc.net", N, N, -1, N,
	    "asx121.turbo-inline.com", N, "QMQP", N, N, N,
	    'F', 'F', "2025-04-15T10:43:56Z", "+1200", PART, N, N,
	    "INVALID_IP_LITERAL" },

	/* ---------------- fetchmail, lists, web ---------------- */
	{ "fetchmail",
	    "from jalapeno [127.0.0.1]\n\tby localhost with IMAP "
	    "(fetchmail-5.9.0)\n\t"
	    "for zzzz@localhost (single-drop); Mon, 07 Oct 2002 12:05:04 "
	    "+0100 (IST)",
	    "jalapeno", N, "127.0.0.1", -1, N,
	    "localhost", N, "IMAP", N, "zzzz@localhost", N,
	    'F', 'F', "2002-10-07T11:05:04Z", "+0100", FULL, N, N, N },
	{ "fetchmail pop3 (documented layout)",
	    "from pop.example.com [192.0.2.110] by localhost with POP3 "
	    "(fetchmail-6.2.5) for alice@localhost (single-drop); Sun, 22 Feb "
	    "2004 "
	    "20:46:25 -0600 (CST)",
	    "pop.example.com", N, "192.0.2.110", -1, N,
	    "localhost", N, "POP3", N, "alice@localhost", N,
	    'F', 'F', "2004-02-23T02:46:25Z", "-0600", FULL, N, N, N },
	{ "majordomo listexpand with convert extension",
	    "(majordomo@vger.kernel.org) by vger.kernel.org via listexpand\n  "
	    "      "
	    "id S1725985AbfIOSSW convert rfc822-to-8bit (ORCPT\n        "
	    "<rfc822;lists+linux-man@lfdr.de>); Sun, 15 Sep 2019 14:18:22 "
	    "-0400",
	    N, N, N, -1, N,
	    "vger.kernel.org", N, N, "S1725985AbfIOSSW", N, N,
	    '-', '-', "2019-09-15T18:18:22Z", "-0400", FULL, "listexpand"
	    , N, N },
	{ "yahoo web via HTTP",
	    "from [159.134.146.155] by web12102.mail.yahoo.com via HTTP; Fri, "
	    "06 Sep "
	    "2002 11:24:17 BST",
	    "[159.134.146.155]", N, "159.134.146.155", -1, N,
	    "web12102.mail.yahoo.com", N, N, N, N, N,
	    '-', '-', "2002-09-06T10:24:17Z", "+0100", FULL, "HTTP", N, N },

	/* ---------------- SendGrid / Go dates ---------------- */
	{ "sendgrid geopod, date without ';'",
	    "from MTQwNDMxMDk (unknown) by geopod-ismtpd-16 (SG) with HTTP id "
	    "VV04DMpGRPOoJ3UAgRlDaw Tue, 03 Oct 2023 23:47:28.650 +0000 (UTC)",
	    "mtqwndmxmdk", N, N, -1, N,
	    "geopod-ismtpd-16", N, "HTTP", "VV04DMpGRPOoJ3UAgRlDaw", N, N,
	    'F', 'F', "2023-10-03T23:47:28Z", "+0000", PART, N, N, N },
	{ "sendgrid Go time.String()",
	    "by filterdrecv-56867d48f6-6q7fq with SMTP id "
	    "filterdrecv-56867d48f6-6q7fq-1-651CA810-5E 2023-10-03 "
	    "23:47:29.023676208 +0000 UTC m=+5295985.815374256",
	    N, N, N, -1, N,
	    "filterdrecv-56867d48f6-6q7fq", N, "SMTP",
	    "filterdrecv-56867d48f6-6q7fq-1-651CA810-5E", N, N,
	    'F', 'F', "2023-10-03T23:47:29Z", "+0000", PART, N, N, N },

	/* ---------------- more layouts (documented layout) ---------------- */
	{ "ecelerity, no first token",
	    "from ([192.0.2.205:50387] helo=i6.example.com) by m12.example.net "
	    "(ecelerity 2.1.1.3 r(11743)) with ESMTP id 80/0A-02454-4DCB6054 "
	    "for "
	    "<user@example.org>; Tue, 12 Sep 2006 09:57:40 -0400",
	    "i6.example.com", N, "192.0.2.205", 50387, N,
	    "m12.example.net", N, "ESMTP", "80/0A-02454-4DCB6054",
	    "user@example.org", N,
	    'F', 'F', "2006-09-12T13:57:40Z", "-0400", FULL, N, N, N },
	{ "xmail ip:port, envelope sender as a second from",
	    "from list.example.com (192.0.2.86:23198) by mx1.example.net with "
	    "[XMail 1.20 ESMTP Server] id <S72E> for <jj@example.org> from "
	    "<bounce@list.example.com>; Sat, 18 Sep 2004 23:17:54 -0500",
	    "list.example.com", N, "192.0.2.86", 23198, N,
	    "mx1.example.net", N, "[XMail 1.20 ESMTP Server]", "S72E",
	    "jj@example.org", "bounce@list.example.com",
	    'F', 'F', "2004-09-19T04:17:54Z", "-0500", FULL, N, N, N },
	{ "communigate account and HELO literal",
	    "from [198.51.100.223] (account user@example.edu HELO "
	    "[10.10.10.10]) by silver.example.edu (CommuniGate Pro SMTP 4.3.7) "
	    "with ESMTPSA id "
	    "88402416 for user@example.edu; Mon, 04 Dec 2006 13:15:07 -0800",
	    "[10.10.10.10]", N, "198.51.100.223", -1, N,
	    "silver.example.edu", N, "ESMTPSA", "88402416", "user@example.edu",
	    N,
	    'T', 'T', "2006-12-04T21:15:07Z", "-0800", FULL, N,
	    "user@example.edu", N },
	{ "exim 3 [ip.port]",
	    "from helene8.example.net (helene.example.ms) [10.0.8.6.13219] "
	    "(mail) "
	    "by lisbeth.example.net with esmtp (Exim 3.35 #1 (Debian)) id "
	    "1CO5y7-0001vC-00; Sun, 31 Oct 2004 04:01:23 +0100",
	    "helene.example.ms", "helene8.example.net", "10.0.8.6", 13219, N,
	    "lisbeth.example.net", N, "esmtp", "1CO5y7-0001vC-00", N, N,
	    'F', 'F', "2004-10-31T03:01:23Z", "+0100", FULL, N, N, N },
	{ "smtpd rdns(ip) via SMTP",
	    "from mail.example.cn(192.0.2.54) via SMTP by st.example.at, id "
	    "smtpdEDUB8h; Sun Nov 13 14:50:12 2005",
	    "mail.example.cn", "mail.example.cn", "192.0.2.54", -1, N,
	    "st.example.at", N, N, "smtpdEDUB8h", N, N,
	    '-', '-', "2005-11-13T14:50:12Z", "+0000", FULL, "SMTP", N,
	    "DATE_NO_ZONE" },
	{ "qmail known by its date layout",
	    "from relay.example.de (192.0.2.69) by mi-1.example.de with SMTP; "
	    "26 "
	    "Jun 2002 23:46:51 -0000",
	    "relay.example.de", "relay.example.de", "192.0.2.69", -1, N,
	    "mi-1.example.de", N, "SMTP", N, N, N,
	    'F', 'F', "2002-06-26T23:46:51Z", "+0000", FULL, N, N, N },
	{ "quoted-pair parenthesis inside a comment",
	    "from a.example (b.example [192.0.2.6] \\) fake) by c.example "
	    "(Postfix) with ESMTP id Q1; Mon, 1 Mar 2010 10:00:00 +0000",
	    "a.example", "b.example", "192.0.2.6", -1, N,
	    "c.example", N, "ESMTP", "Q1", N, N,
	    'F', 'F', "2010-03-01T10:00:00Z", "+0000", FULL, N, N, N },
	{ "stray closing parenthesis",
	    "from a.example ([192.0.2.5]) by b.example with SMTP) ; Mon, 1 Mar "
	    "2010 10:00:00 +0000",
	    "a.example", N, "192.0.2.5", -1, N,
	    "b.example", N, "SMTP", N, N, N,
	    'F', 'F', "2010-03-01T10:00:00Z", "+0000", PART, N, N, N },

	/* ---------------- edges ---------------- */
	{ "comment only",
	    "(from cpunk@localhost)",
	    N, N, N, -1, N, N, N, N, N, N, N,
	    '-', '-', N, N, COMM, N, N, "RECEIVED_NO_DATE" },
	{ "date only",
	    "Mon, 1 Mar 2010 10:00:00 +0000",
	    N, N, N, -1, N, N, N, N, N, N, N,
	    '-', '-', "2010-03-01T10:00:00Z", "+0000", COMM, N, N, N },
	{ "nothing recognisable",
	    "No Information Here, Go Away",
	    N, N, N, -1, N, N, N, N, N, N, N,
	    '-', '-', N, N, UNPA, N, N, "RECEIVED_NO_DATE" },
	{ "from and by without date",
	    "from nowhere by fictitious-site (3/2)",
	    "nowhere", N, N, -1, N,
	    "fictitious-site", N, N, N, N, N,
	    '-', '-', N, N, PART, N, N, "RECEIVED_NO_DATE" },
	{ "invalid date",
	    "from a.example.net (a.example.net [192.0.2.3]) by b.example.net "
	    "(Postfix) with ESMTP id 1A2B; yesterday at noon",
	    "a.example.net", "a.example.net", "192.0.2.3", -1, N,
	    "b.example.net", N, "ESMTP", "1A2B", N, N,
	    'F', 'F', N, N, PART, N, N, "RECEIVED_DATE_INVALID" },
	{ "keywords inside names and comments do not split",
	    "from mail.from.example (by-pass.example.net [192.0.2.9]) by "
	    "by-pass.example.net (Postfix, from userid 1000) with ESMTP id "
	    "X1; Mon, 1 "
	    "Mar 2010 10:00:00 +0000",
	    "mail.from.example", "by-pass.example.net", "192.0.2.9", -1, N,
	    "by-pass.example.net", N, "ESMTP", "X1", N, N,
	    'F', 'F', "2010-03-01T10:00:00Z", "+0000", FULL, N, N, N },
	{ "unterminated comment swallows the date",
	    "from a.example (b.example [192.0.2.4] by c.example; Mon, 1 Mar "
	    "2010 "
	    "10:00:00 +0000",
	    "a.example", "b.example", "192.0.2.4", -1, N,
	    N, N, N, N, N, N,
	    '-', '-', N, N, PART, N, N, "COMMENT_UNTERMINATED" },
	{ "upper-case keywords",
	    "FROM hackers.example.edu (smtp.example.edu [192.0.2.81]) BY "
	    "madman.example.edu ID 434B508E.174A6.13932 ; 11 Oct 2005 "
	    "01:41:34 -0400",
	    "hackers.example.edu", "smtp.example.edu", "192.0.2.81", -1, N,
	    "madman.example.edu", N, N, "434B508E.174A6.13932", N, N,
	    '-', '-', "2005-10-11T05:41:34Z", "-0400", FULL, N, N, N },
	{ "stray text before the first clause",
	    "junk from a.example ([192.0.2.5]) by b.example with SMTP; Mon, 1 "
	    "Mar 2010"
	    " 10:00:00 +0000",
	    "a.example", N, "192.0.2.5", -1, N,
	    "b.example", N, "SMTP", N, N, N,
	    'F', 'F', "2010-03-01T10:00:00Z", "+0000", PART, N, N, N },
};

/* tri - 'T', 'F' or '-' of a tri-state. */
static char
tri(enum mt_tri t)
{
	return t == MT_TRUE ? 'T' : t == MT_FALSE ? 'F' : '-';
}

/* has_anomaly - was code recorded for m. */
static bool
has_anomaly(const struct mt_msg *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->anomalies.n; i++)
		if (strcmp(mt_anomaly_name(m->anomalies.v[i].code), name) == 0)
			return true;
	return false;
}

/* parse - run the parser on a value the way the header stage hands it
 * over: unfolded (CR LF removed), trimmed, NUL-terminated in the arena. */
static int
parse(struct mt_msg *m, const char *in, size_t len, struct mt_hop *hop)
{
	struct mt_field f;
	char *u;
	size_t i, n = 0;

	memset(&f, 0, sizeof(f));
	memset(hop, 0, sizeof(*hop));
	if ((u = mt_arena_alloc(&m->arena, len + 1)) == NULL)
		return -1;
	for (i = 0; i < len; i++)
		if (in[i] != '\r' && in[i] != '\n')
			u[n++] = in[i];
	f.value = mt_str_trim(mt_str(u, n));
	f.value_offset = 100;
	f.offset = 90;
	hop->raw = f.value;
	hop->offset = f.offset;
	return mt_rcv_parse(m, &f, hop);
}

/* check_row - one table row, every field. */
static void
check_row(const struct row *r)
{
	struct mt_msg *m = mt_msg_alloc(NULL, NULL);
	struct mt_hop hop;
	char t[40], o[16];
	const char *ts = NULL, *os = NULL;

	T_TRUE(r->name, "message", m != NULL);
	if (m == NULL)
		return;
	T_INT(r->name, "return", parse(m, r->in, strlen(r->in), &hop), 0);
	if (hop.has_time) {
		mt_date_format_utc(hop.time, t, sizeof(t));
		mt_date_format_offset(hop.utc_offset, o, sizeof(o));
		ts = t;
		os = o;
	}
	T_STR(r->name, "helo", hop.from.helo.p, r->helo);
	T_STR(r->name, "rdns", hop.from.rdns.p, r->rdns);
	T_STR(r->name, "ip", hop.from.ip.p, r->ip);
	T_INT(r->name, "port", hop.from.port, r->port);
	T_STR(r->name, "ident", hop.from.ident.p, r->ident);
	T_STR(r->name, "by.host", hop.by.host.p, r->by);
	T_STR(r->name, "by.ip", hop.by.ip.p, r->by_ip);
	T_STR(r->name, "with", hop.with.p, r->with);
	T_STR(r->name, "id", hop.id.p, r->id);
	T_STR(r->name, "for", hop.for_.p, r->for_);
	T_STR(r->name, "envelope_from", hop.envelope_from.p, r->envfrom);
	T_INT(r->name, "tls", tri(hop.tls), r->tls);
	T_INT(r->name, "auth", tri(hop.auth), r->auth);
	T_STR(r->name, "timestamp", ts, r->time);
	T_STR(r->name, "utc_offset", os, r->off);
	T_INT(r->name, "parsed", hop.parsed, r->parsed);
	T_STR(r->name, "via", hop.via.p, r->via);
	T_STR(r->name, "auth_user", hop.auth_user.p, r->auth_user);
	/* The class always follows the address. */
	T_INT(r->name, "ip_class", hop.ip_class,
	    mt_ip_classify(&hop.from.addr));
	T_TRUE(r->name, "ip and addr agree",
	    (hop.from.ip.p == NULL) == (hop.from.addr.family == 0));
	if (r->anomaly != NULL && !has_anomaly(m, r->anomaly))
		T_FAIL("%s: anomaly %s not recorded", r->name, r->anomaly);
	mt_msg_free(m);
}

/* ------------------------------------------------------------------ */
/* Caps, depth and time                                               */
/* ------------------------------------------------------------------ */

/* seconds - CPU time used so far. */
static double
seconds(void)
{
	return (double)clock() / CLOCKS_PER_SEC;
}

/* run_big - parse a generated value; returns the parse's result. */
static int
run_big(const char *what, const char *p, size_t len, struct mt_msg **mp,
    struct mt_hop *hop)
{
	struct mt_field f;
	double t0 = seconds();
	int rc;

	*mp = mt_msg_alloc(NULL, NULL);
	if (*mp == NULL)
		return -1;
	memset(&f, 0, sizeof(f));
	memset(hop, 0, sizeof(*hop));
	f.value = mt_str(p, len);
	rc = mt_rcv_parse(*mp, &f, hop);
	/* Linear work: a megabyte takes milliseconds; a quadratic walk
	 * would take hours.  Generous for sanitizer builds. */
	T_TRUE(what, "parsed in well under 5 s of CPU", seconds() - t0 < 5.0);
	return rc;
}

/* check_caps - ten times each cap, deep nesting, a 1 MB field. */
static void
check_caps(void)
{
	size_t n, i, k;
	char *p;
	struct mt_msg *m;
	struct mt_hop hop;

	/* MT_MAX_CLAUSES: 10x clauses, then a by clause and a date. */
	n = (size_t)MT_MAX_CLAUSES * 10 * 16 + 256;
	p = malloc(n);
	T_TRUE("clauses", "malloc", p != NULL);
	if (p == NULL)
		return;
	k = (size_t)snprintf(p, n, "from a.example ([192.0.2.1])");
	for (i = 0; i < (size_t)MT_MAX_CLAUSES * 10; i++)
		k += (size_t)snprintf(p + k, n - k, " with X%zu", i);
	k += (size_t)snprintf(p + k, n - k,
	    " by b.example; Mon, 1 Mar 2010 10:00:00 +0000");
	T_INT("clauses", "return", run_big("clauses", p, k, &m, &hop), 0);
	T_TRUE("clauses", "CLAUSES_TRUNCATED", has_anomaly(m, "CLAUSES_TRUNCAT"
	"ED"));
	T_INT("clauses", "parsed", hop.parsed, MT_PARSED_PARTIAL);
	T_STR("clauses", "ip", hop.from.ip.p, "192.0.2.1");
	T_STR("clauses", "with (the first)", hop.with.p, "X0");
	T_TRUE("clauses", "date still read", hop.has_time);
	mt_msg_free(m);

	/* 10x clauses made of comments. */
	k = (size_t)snprintf(p, n, "from a.example");
	for (i = 0; i < (size_t)MT_MAX_CLAUSES * 10; i++)
		k += (size_t)snprintf(p + k, n - k, " (c%zu)", i);
	T_INT("comments", "return", run_big("comments", p, k, &m, &hop), 0);
	T_TRUE("comments", "CLAUSES_TRUNCATED",
	    has_anomaly(m, "CLAUSES_TRUNCATED"));
	mt_msg_free(m);
	free(p);

	/* MT_MAX_COMMENT_DEPTH: 10x nesting, the address still read. */
	n = (size_t)MT_MAX_COMMENT_DEPTH * 10;
	p = malloc(2 * n + 256);
	T_TRUE("depth", "malloc", p != NULL);
	if (p == NULL)
		return;
	k = (size_t)snprintf(p, 2 * n + 256, "from a.example (b.example "
	    "[192.0.2.7] ");
	memset(p + k, '(', n);
	k += n;
	memset(p + k, ')', n);
	k += n;
	k += (size_t)snprintf(p + k, 2 * n + 256 - k,
	    ") by c.example with SMTP; Mon, 1 Mar 2010 10:00:00 +0000");
	T_INT("depth", "return", run_big("depth", p, k, &m, &hop), 0);
	T_TRUE("depth", "COMMENT_TOO_DEEP", has_anomaly(m, "COMMENT_TOO_DEEP"));
	T_STR("depth", "ip", hop.from.ip.p, "192.0.2.7");
	T_STR("depth", "by", hop.by.host.p, "c.example");
	T_INT("depth", "parsed", hop.parsed, MT_PARSED_FULL);
	mt_msg_free(m);
	free(p);

	/* 10,000 levels, unbalanced and balanced. */
	n = 10000;
	p = malloc(2 * n + 64);
	T_TRUE("nest", "malloc", p != NULL);
	if (p == NULL)
		return;
	k = (size_t)snprintf(p, 64, "from x ");
	memset(p + k, '(', n);
	k += n;
	T_INT("nest open", "return", run_big("nest open", p, k, &m, &hop), 0);
	T_TRUE("nest open", "COMMENT_UNTERMINATED",
	    has_anomaly(m, "COMMENT_UNTERMINATED"));
	mt_msg_free(m);
	memset(p + k, ')', n);
	k += n;
	T_INT("nest closed", "return", run_big("nest closed", p, k, &m, &hop),
	    0);
	T_TRUE("nest closed", "COMMENT_TOO_DEEP",
	    has_anomaly(m, "COMMENT_TOO_DEEP"));
	T_STR("nest closed", "helo", hop.from.helo.p, "x");
	mt_msg_free(m);
	free(p);

	/* A 1 MB field in a few shapes: words, ';', brackets, quotes,
	 * backslashes, parentheses. */
	{
		static const char *const fill[] = {
			"from a ", ";", "[", "\"", "(\\", "x ", "( ) ", "id ",
		};

		n = 1024 * 1024;
		p = malloc(n);
		T_TRUE("1 MB", "malloc", p != NULL);
		if (p == NULL)
			return;
		for (i = 0; i < sizeof(fill) / sizeof(fill[0]); i++) {
			size_t fl = strlen(fill[i]);

			for (k = 0; k + fl <= n; k += fl)
				memcpy(p + k, fill[i], fl);
			T_INT(fill[i], "return", run_big("1 MB"
			, p, k, &m, &hop),
			    0);
			mt_msg_free(m);
		}
		/* A TCP-info comment of 1 MB of bad literals. */
		k = (size_t)snprintf(p, n, "from a (");
		while (k + 64 < n) {
			memcpy(p + k, "[1.1.1.999] ", 12);
			k += 12;
		}
		k += (size_t)snprintf(p + k, n - k,
		    ") by b; Mon, 1 Mar 2010 10:00:00 +0000");
		T_INT("bad literals", "return",
		    run_big("bad literals", p, k, &m, &hop), 0);
		T_TRUE("bad literals", "INVALID_IP_LITERAL",
		    has_anomaly(m, "INVALID_IP_LITERAL"));
		T_INT("bad literals", "parsed", hop.parsed, MT_PARSED_PARTIAL);
		mt_msg_free(m);
		free(p);
	}
}

/* ------------------------------------------------------------------ */
/* Robustness: every prefix and byte mutation of every row            */
/* ------------------------------------------------------------------ */

/* check_robust - truncate and mutate each row in an exact-size buffer
 * (a read past the end trips the sanitizer); nothing may fail. */
static void
check_robust(void)
{
	static const char pool[] = "()[]<>\";:@=\\ \t.\0\xff-a1";
	size_t i, j, len, bad = 0;
	struct mt_hop hop;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *in = rows[i].in;

		len = strlen(in);
		for (j = 0; j <= len; j++) {
			struct mt_msg *m = mt_msg_alloc(NULL, NULL);
			char *b = malloc(len + 1);
			struct mt_field f;

			if (m == NULL || b == NULL) {
				free(b);
				mt_msg_free(m);
				continue;
			}
			/* prefix of j bytes */
			memcpy(b, in, j);
			memset(&f, 0, sizeof(f));
			memset(&hop, 0, sizeof(hop));
			f.value = mt_str(b, j);
			if (mt_rcv_parse(m, &f, &hop) != 0)
				bad++;
			/* one byte replaced */
			if (j < len) {
				memcpy(b, in, len);
				b[j] = pool[(i + j) % (sizeof(pool) - 1)];
				memset(&hop, 0, sizeof(hop));
				f.value = mt_str(b, len);
				if (mt_rcv_parse(m, &f, &hop) != 0)
					bad++;
			}
			free(b);
			mt_msg_free(m);
		}
	}
	T_INT("robust", "parses that failed", bad, 0);
}

/* ------------------------------------------------------------------ */
/* The corpus                                                         */
/* ------------------------------------------------------------------ */

struct tally {
	long	 n[4];		/* by enum mt_parsed */
};

/* lineend - offset just past the line starting at i. */
static size_t
lineend(const char *p, size_t len, size_t i)
{
	while (i < len && p[i] != '\n')
		i++;
	return i < len ? i + 1 : i;
}

/* scan_header - every Received field of one header. */
static void
scan_header(const char *p, size_t len, struct tally *t)
{
	size_t i = 0, e;

	while (i < len) {
		if (p[i] == '\n' || (p[i] == '\r' && i + 1 < len &&
		    p[i + 1] == '\n'))
			break;
		e = lineend(p, len, i);
		while (e < len && (p[e] == ' ' || p[e] == '\t'))
			e = lineend(p, len, e);
		if (e - i > 9 && strncasecmp(p + i, "Received:", 9) == 0) {
			struct mt_msg *m = mt_msg_alloc(NULL, NULL);
			struct mt_hop hop;

			if (m != NULL && parse(m, p + i + 9, e - i - 9,
			    &hop) == 0)
				t->n[hop.parsed]++;
			mt_msg_free(m);
		}
		i = e;
	}
}

/* check_corpus - the share of real Received fields that parse. */
static void
check_corpus(void)
{
	static const char *const files[] = {
		"phishing_pot.mbox", "spamassassin.mbox", "linux_man.mbox",
	};
	struct tally t;
	char path[4096];
	size_t i, len;
	long all, ok;
	int found = 0;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *p;
		size_t s, e;

		snprintf(path, sizeof(path), "%s/../shared/corpus/%s",
		    MT_SOURCE_DIR, files[i]);
		if ((p = t_slurp(path, &len)) == NULL)
			continue;
		found++;
		for (s = 0; s < len; s = e) {
			e = lineend(p, len, s);		/* the "From " line */
			s = e;
			while (e < len && !(len - e >= 5 &&
			    memcmp(p + e, "From ", 5) == 0))
				e = lineend(p, len, e);
			scan_header(p + s, e - s, &t);
		}
		free(p);
	}
	if (found == 0) {
		printf("corpus: skipped (no ../shared/corpus)\n");
		return;
	}
	all = t.n[0] + t.n[1] + t.n[2] + t.n[3];
	ok = all - t.n[MT_PARSED_UNPARSED];
	printf("corpus: %ld Received fields: full %ld, partial %ld, comment "
	"%ld, "
	    "unparsed %ld\n", all, t.n[MT_PARSED_FULL], t.n[MT_PARSED_PARTIAL],
	    t.n[MT_PARSED_COMMENT], t.n[MT_PARSED_UNPARSED]);
	T_TRUE("corpus", "Received fields seen", all > 0);
	T_TRUE("corpus", "at least 99% parse as full, partial or comment",
	    ok * 100 >= all * 99);
	T_TRUE("corpus", "at least 98% parse in full",
	    t.n[MT_PARSED_FULL] * 100 >= all * 98);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i]);
	check_caps();
	check_robust();
	check_corpus();
	printf("received: %zu table rows\n", sizeof(rows) / sizeof(rows[0]));
	return t_done("received");
}
