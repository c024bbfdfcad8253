#!/usr/bin/env python
"""Builder of the bundled newsloom demo corpus (the data files in ``src/newsloom/demo/``).

Everything here is invented and was written for newsloom (Apache-2.0). newsloom itself never imports this
script: ``newsloom demo`` and the tests read the data files it wrote. Edit the article sources here, then run
(from the repository root)::

    .venv/bin/python scripts/build_demo.py              # rewrite src/newsloom/demo/* and verify every offset
    .venv/bin/python scripts/build_demo.py --out DIR    # write the files to DIR instead (to compare)

Inline markup used in the article sources (stripped from the output):
  {{q|SPK|VERB|CHANNEL|text}}  direct quote (the words between the quote marks)
  {{r|SPK|VERB|CHANNEL|text}}  reported / attributed statement (content clause)
  [[c:key]]                    start of a claim sentence (claim-gold events only)
  [[/]]                        end of the last claim sentence (before a credit)
The builder writes articles.jsonl, gold.tsv, gold_quotes.jsonl and
gold_claims.json.
"""
from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent.parent / "src" / "newsloom" / "demo"

OUTLETS = {
    "T": ("Tagesblick", "tagesblick.example"),
    "N": ("Nordhafen Rundschau", "nordhafen-rundschau.example"),
    "R": ("Rheintal-Depesche", "rheintal-depesche.example"),
    "M": ("Mitteldeutscher Morgen", "mitteldeutscher-morgen.example"),
    "A": ("Alpenland Echo", "alpenland-echo.example"),
    "B": ("Berliner Abendlicht", "berliner-abendlicht.example"),
    "W": ("Wirtschaftsfenster", "wirtschaftsfenster.example"),
    "D": ("DNA – Deutsche Nachrichtenagentur", "dna-nachrichten.example"),
    "": ("", "dna-nachrichten.example"),  # agency feed copy, outlet left empty
}

SPEAKERS = {
    # tram strike (Brunnstadt)
    "VOG": "Katrin Vogel", "BRE": "Thomas Brenner", "HAM": "Ursula Hambrecht",
    "OB": "Markus Feldhaus", "GNS": "Gewerkschaft Nahverkehr und Schiene",
    "SBV": "Stadtwerke Brunnstadt Verkehr", "RAT": "Stadt Brunnstadt",
    "MAA": "Jürgen Maas", "JUE": "Ralf Jüttner", "KOH": "Stefan Kohlhaas",
    # vaccine / health
    "ALB": "Jonas Albrecht", "HAR": "Leonie Hartmann", "KRU": "Sabine Krüger",
    "HEL": "Heliovax", "BMG": "Bundesgesundheitsministerium",
    "AHD": "Arzneimittelherstellerverband Deutschland", "SCH": "Renate Schuster",
    "SOM": "Hildegard Sommer", "PET": "Klaus Petersen", "LIN": "Peter Lindner",
    "STK": "Ständige Impfkommission", "GBR": "Gisela Brandt", "WEN": "Dagmar Wendt",
    # Lorvanien / Seravien
    "MEL": "Darius Melnar", "VAR": "Elena Varga", "KES": "Bernd Kessler",
    "RID": "Tomas Ridl", "NAT": "NATO", "SER": "Regierung Seraviens",
    "LAM": "Außenministerium Lorvaniens", "LOR": "Regierung Lorvaniens",
    # Kalmbach
    "KAL": "Rüdiger Kalmbach", "KAF": "Kalmbach Antriebstechnik", "DEM": "Aylin Demir",
    "OST": "Frank Ostertag", "REI": "Claudia Reimers", "FAL": "Henrik Falk",
    "NOR": "Norvest Industrial Partners", "WMI": "Landeswirtschaftsministerium",
    # bridge
    "STA": "Oliver Stahl", "BER": "Nina Berger", "LBS": "Landesbetrieb Straßenbau",
    "VMI": "Landesverkehrsministerium", "LUT": "Petra Lutz", "GOE": "Matthias Görlitz",
    "APO": "Autobahnpolizei",
    # museum
    "AUE": "Friedrich Auerbach", "POL": "Polizei Halvern", "ORT": "Sven Ortmann",
    "LMH": "Landesmuseum Halvern", "HEI": "Georg Heinemann",
}

STORYLINE = {
    "tram-strike-announced": "brunnstadt-tram-dispute",
    "tram-talks-fail": "brunnstadt-tram-dispute",
    "tram-arbitration-deal": "brunnstadt-tram-dispute",
    "vaccine-trial-results": "heliovax-rsv-vaccine",
    "vaccine-approval": "heliovax-rsv-vaccine",
    "vaccine-first-shots": "heliovax-rsv-vaccine",
    "sela-video-call": "sela-dam-dispute",
    "sela-ambassador-recalled": "sela-dam-dispute",
    "sela-geneva-summit": "sela-dam-dispute",
    "kalmbach-closure-announced": "kalmbach-weilingen-plant",
    "kalmbach-plant-sold": "kalmbach-weilingen-plant",
    "drug-shortage-plan": "NONE",
    "bridge-closure-hohenfels": "NONE",
    "museum-gold-theft": "NONE",
}

ARTICLES: list[dict] = []


def art(event, outlet, date, title, src):
    ARTICLES.append({"event": event, "o": outlet, "date": date, "title": title, "src": src})


def drop_claim(src: str, key: str) -> str:
    """Remove the claim sentence [[c:key]]... from a wire source."""
    pat = re.compile(r"\s*\[\[c:" + re.escape(key) + r"\]\].*?(?=\s*\[\[c:|\[\[/\]\]|\n\n|$)", re.S)
    out, n = pat.subn("", src, count=1)
    assert n == 1, key
    return out


# ---------------------------------------------------------------------------
# Storyline 1: Brunnstadt tram dispute
# ---------------------------------------------------------------------------
E = "tram-strike-announced"
WIRE_TRAM = '''[[c:ann]]Brunnstadt (DNA) - Die Gewerkschaft Nahverkehr und Schiene (GNS) hat die Beschäftigten der Stadtwerke Brunnstadt Verkehr (SBV) für Donnerstag zu einem ganztägigen Warnstreik aufgerufen. [[c:lines]]{{r|GNS|teilte mit||Betroffen seien alle 14 Straßenbahnlinien sowie der städtische Busverkehr}}, teilte die Gewerkschaft am Dienstag mit. [[c:workers]]Rund 1200 Fahrerinnen und Fahrer sowie Beschäftigte der Werkstätten sind zum Ausstand aufgerufen.

[[c:demand]]Die GNS fordert acht Prozent mehr Lohn, mindestens aber 350 Euro im Monat. [[c:offer]]Die SBV hatten in der zweiten Verhandlungsrunde ein Plus von drei Prozent bei einer Laufzeit von 24 Monaten angeboten. [[c:vog-provocation]]„{{q|VOG|sagte||Dieses Angebot ist eine Provokation}}“, sagte GNS-Verhandlungsführerin Katrin Vogel. [[c:vog-living-wage]]„{{q|VOG|sagte||Wer jeden Tag die Stadt am Laufen hält, muss von seinem Lohn auch leben können.}}“

[[c:bren-disproportionate]]SBV-Chef Thomas Brenner nannte den Streik unverhältnismäßig. [[c:bren-fair-offer]]{{r|BRE|sagte||Man habe ein faires Angebot vorgelegt und sei zu weiteren Gesprächen bereit}}, sagte er. [[c:next-round]]Die nächste Verhandlungsrunde ist für den 8. Oktober angesetzt.[[/]]'''

art(E, "", "2025-09-16T10:42:00+02:00", "GNS ruft zu ganztägigem Warnstreik in Brunnstadt auf", WIRE_TRAM)
art(E, "T", "2025-09-16T11:05:00+02:00", "Warnstreik: Brunnstadt droht ein Tag ohne Bus und Bahn", WIRE_TRAM + " (DNA)")
art(E, "B", "2025-09-16", "Gewerkschaft ruft zu Warnstreik bei Brunnstädter Verkehrsbetrieben auf",
    drop_claim(WIRE_TRAM, "next-round") + " (DNA)")

art(E, "N", "2025-09-16T14:20:00+02:00", "Donnerstag fahren in Brunnstadt keine Straßenbahnen", '''
[[c:ann]]Wer am Donnerstag in Brunnstadt mit der Straßenbahn zur Arbeit fahren will, wird an den Haltestellen vergeblich warten. [[c:duration]]Die Gewerkschaft Nahverkehr und Schiene ruft die Belegschaft der städtischen Verkehrsbetriebe zu einem Warnstreik auf, der um 3 Uhr mit Betriebsbeginn startet und erst in der Nacht zum Freitag endet. [[c:workers]]Nach Angaben der Gewerkschaft {{r|GNS|nach Angaben||sind etwa 1500 Beschäftigte aufgerufen}}.

[[c:vog-negotiated-enough]]»{{q|VOG|sagte||Wir haben lange genug verhandelt, jetzt reden die Kolleginnen und Kollegen}}«, sagte Katrin Vogel, die Verhandlungsführerin der GNS. [[c:demand]]Vogels Gewerkschaft verlangt acht Prozent mehr Geld.

[[c:advice]]Die Stadt rät Pendlerinnen und Pendlern, auf das Fahrrad oder auf Carsharing auszuweichen. [[c:park-and-ride]]{{r|RAT|hieß es||Die Park-and-Ride-Plätze am Stadtrand dürften allerdings schnell belegt sein}}, hieß es aus dem Rathaus.

[[c:bren-disproportionate]]Die SBV halten den Ausstand für überzogen. [[c:bren-fair-offer]]{{r|BRE|so||Man habe ein faires Angebot vorgelegt}}, so Vorstandschef Thomas Brenner.
''')

art(E, "R", "2025-09-16T16:45:00+02:00", "Tarifstreit in Brunnstadt: Notdienst für Förderschulen", '''
[[c:ann]]Im Tarifkonflikt bei den Stadtwerken Brunnstadt Verkehr verschärft die Gewerkschaft Nahverkehr und Schiene den Ton: Für Donnerstag hat sie einen Warnstreik angekündigt. [[c:lines]]Straßenbahnen und Busse sollen den ganzen Tag in den Depots bleiben.

[[c:school-buses]]Wie die GNS mitteilte, {{r|GNS|wie mitteilte||werden acht Sonderbusse die Förderschulen der Stadt anfahren}}. [[c:school-drivers]]Die Fahrerinnen und Fahrer dieser Busse beteiligen sich freiwillig nicht am Streik.

[[c:demand]]Die Gewerkschaft fordert acht Prozent mehr Lohn. [[c:offer]]Das Unternehmen hat bislang drei Prozent geboten. [[c:vog-no-longer-wait]]Verhandlungsführerin Katrin Vogel sagte, {{r|VOG|sagte||die Beschäftigten seien nicht länger bereit, auf eine faire Bezahlung zu warten}}. [[c:next-round]]Am 8. Oktober wollen sich beide Seiten erneut treffen.
''')

art(E, "M", "2025-09", "Oberbürgermeister mahnt Tarifparteien", '''
[[c:ann]]Stillstand in Brunnstadt: Die Gewerkschaft Nahverkehr und Schiene hat für Donnerstag einen Warnstreik bei den städtischen Verkehrsbetrieben ausgerufen. [[c:workers]]Rund 1200 Beschäftigte sollen die Arbeit niederlegen.

[[c:mayor-appeal]]Oberbürgermeister Markus Feldhaus appellierte an beide Seiten, rasch an den Verhandlungstisch zurückzukehren. [[c:mayor-quote]]„{{q|OB|sagte||Ein Streik trifft vor allem die Menschen, die auf Bus und Bahn angewiesen sind}}“, sagte Feldhaus am Dienstag.

[[c:demand]]Die GNS fordert acht Prozent mehr Lohn, mindestens 350 Euro monatlich. [[c:offer]]Die Arbeitgeberseite bietet drei Prozent. [[c:cost]]SBV-Chef Thomas Brenner zufolge {{r|BRE|zufolge||würde die Forderung der Gewerkschaft das Unternehmen jährlich rund neun Millionen Euro kosten}}. [[c:no-money]]{{r|BRE|sagte||Das sei ohne Zuschüsse der Stadt nicht zu stemmen}}, sagte Brenner.
''')

E = "tram-talks-fail"
art(E, "T", "2025-10-08T22:10:00+02:00", "Tarifgespräche bei Brunnstädter Verkehrsbetrieben gescheitert", '''
Die dritte Verhandlungsrunde im Tarifstreit bei den Stadtwerken Brunnstadt Verkehr ist am Mittwochabend ohne Ergebnis zu Ende gegangen. Nach gut 14 Stunden erklärte die Gewerkschaft Nahverkehr und Schiene (GNS) die Gespräche für gescheitert.

„{{q|VOG|sagte||Wir sind bis an die Schmerzgrenze gegangen}}“, sagte GNS-Verhandlungsführerin Katrin Vogel. „{{q|VOG|sagte||Aber für ein Angebot, das unter der Inflation liegt, geben wir unsere Unterschrift nicht her.}}“ Die Gewerkschaft will nun ihre Mitglieder in einer Urabstimmung über unbefristete Streiks entscheiden lassen.

Die SBV hatten zuletzt 4,5 Prozent mehr Lohn in zwei Stufen angeboten. Vorstandschef Thomas Brenner schlug eine Schlichtung vor. {{r|BRE|sagte||Ein unbefristeter Streik würde der Stadt und den Fahrgästen enormen Schaden zufügen}}, sagte Brenner.
''')

art(E, "N", "2025-10-09T06:30:00+02:00", "Brunnstadt steuert auf unbefristeten Streik zu", '''
Im Nahverkehr von Brunnstadt drohen wochenlange Ausfälle. Die Tarifverhandlungen zwischen der Gewerkschaft GNS und den städtischen Verkehrsbetrieben sind gestern in der dritten Runde gescheitert. {{r|GNS|teilte mit||Die Urabstimmung über einen unbefristeten Streik solle bis Ende Oktober abgeschlossen sein}}, teilte die Gewerkschaft mit.

Katrin Vogel, Verhandlungsführerin der GNS, warf der Arbeitgeberseite vor, {{r|VOG|warf vor||sie habe sich keinen Millimeter bewegt}}. Das Angebot von 4,5 Prozent nannte Vogel angesichts gestiegener Mieten „{{q|VOG|nannte||einen schlechten Witz}}“.

Die SBV wiederum werben für eine Schlichtung. Nach Angaben des Unternehmens {{r|SBV|nach Angaben||kostet jeder Streiktag rund 400.000 Euro an entgangenen Fahrgeldeinnahmen}}.
''')

art(E, "M", "2025-10-08T23:40:00+02:00", "Keine Einigung im Tarifkonflikt – GNS plant Urabstimmung", '''
Nach 14 Stunden Verhandlungen ist im Tarifkonflikt bei den Stadtwerken Brunnstadt Verkehr keine Einigung in Sicht. Die Gewerkschaft Nahverkehr und Schiene erklärte die dritte Runde am späten Mittwochabend für gescheitert und kündigte eine Urabstimmung an.

Streitpunkt bleibt die Höhe der Lohnerhöhung: Die GNS fordert weiterhin acht Prozent, die SBV bieten 4,5 Prozent. SBV-Chef Thomas Brenner sagte, {{r|BRE|sagte||das Unternehmen habe sein Angebot bereits zweimal nachgebessert}}. Er rief die Gewerkschaft auf, einer Schlichtung zuzustimmen.

Die GNS lehnt das vorerst ab. „{{q|VOG|sagte||Eine Schlichtung ist kein Ersatz für ein vernünftiges Angebot}}“, sagte Katrin Vogel. Oberbürgermeister Markus Feldhaus kündigte an, {{r|OB|kündigte an||er werde beide Seiten in der kommenden Woche ins Rathaus einladen}}.
''')

art(E, "W", "2025-10-09", "Streikkasse und Stadtkasse: Was der Konflikt in Brunnstadt kostet", '''
Das Scheitern der Tarifgespräche bei den Stadtwerken Brunnstadt Verkehr am Mittwoch dürfte teuer werden – für beide Seiten. Die Gewerkschaft Nahverkehr und Schiene bereitet eine Urabstimmung über unbefristete Streiks vor, die Verkehrsbetriebe rechnen mit hohen Einnahmeausfällen.

Laut SBV-Finanzvorstand Jürgen Maas {{r|MAA|laut||fehlen dem Unternehmen an jedem Streiktag rund 450.000 Euro}}. Die Stadt als Eigentümerin müsste das Defizit am Ende ausgleichen. Die GNS wiederum zahlt ihren Mitgliedern Streikgeld.

Ökonomen halten einen Kompromiss zwischen fünf und sechs Prozent für wahrscheinlich. {{r|GNS|hieß es||Die Tür für Gespräche bleibe offen}}, hieß es am Donnerstag aus Gewerkschaftskreisen. Vogels Stellvertreter Ralf Jüttner sagte, {{r|JUE|sagte||man warte auf ein verbessertes Angebot}}.
''')

E = "tram-arbitration-deal"
art(E, "T", "2025-11-05T15:30:00+01:00", "Schlichtung beendet Tarifstreit bei Brunnstädter Verkehrsbetrieben", '''
[[c:deal]]Der wochenlange Tarifkonflikt bei den Stadtwerken Brunnstadt Verkehr (SBV) ist beigelegt. [[c:accepted-proposal]]Gewerkschaft und Unternehmen nahmen am Mittwoch den Vorschlag der Schlichterin Ursula Hambrecht an. [[c:raise]]Die rund 1300 Beschäftigten erhalten demnach 6,5 Prozent mehr Lohn in zwei Stufen. [[c:minimum]]Mindestens steigen die Gehälter um 250 Euro im Monat. [[c:term]]Der Vertrag läuft 24 Monate.

[[c:vog-not-all]]„{{q|VOG|sagte||Das ist nicht alles, was wir wollten}}“, sagte GNS-Verhandlungsführerin Katrin Vogel, „{{q|VOG|sagte||aber es ist ein Ergebnis, mit dem die Kolleginnen und Kollegen leben können.}}“ [[c:no-strike]]Die geplante Urabstimmung über unbefristete Streiks ist damit vom Tisch.

[[c:bren-compromise]]SBV-Chef Thomas Brenner sprach von einem „{{q|BRE|sprach von||tragfähigen Kompromiss}}“.
''')

art(E, "N", "2025-11-05T17:05:00+01:00", "Einigung im Nahverkehr: Straßenbahnen fahren weiter", '''
[[c:deal]]Aufatmen in Brunnstadt: Im Tarifstreit bei den städtischen Verkehrsbetrieben gibt es eine Einigung. [[c:no-strike]]Unbefristete Streiks sind damit abgewendet. [[c:raise]]Nach dem Schlichterspruch steigen die Löhne zum 1. Januar um 3,5 Prozent und ein Jahr später um weitere 3 Prozent. [[c:term]]Die Laufzeit beträgt zwei Jahre.

[[c:hamb-both-moved]]Schlichterin Ursula Hambrecht, frühere Präsidentin des Landesarbeitsgerichts, sagte, {{r|HAM|sagte||beide Seiten hätten sich am Ende aufeinander zubewegt}}. [[c:hamb-will]]»{{q|HAM|sagte||Ohne den Willen zur Einigung wäre das nicht gelungen}}«, sagte Hambrecht.

[[c:mayor-relieved]]Oberbürgermeister Markus Feldhaus zeigte sich erleichtert. [[c:cost]]Nach Angaben der Stadt {{r|RAT|nach Angaben||kostet der Abschluss rund elf Millionen Euro pro Jahr}}.
''')

art(E, "R", "2025-11-05", "Schlichterspruch angenommen – 6,5 Prozent mehr für Brunnstädter Fahrer", '''
[[c:deal]]Die Gewerkschaft Nahverkehr und Schiene und die Stadtwerke Brunnstadt Verkehr haben sich auf einen neuen Tarifvertrag geeinigt. [[c:raise]]Die Beschäftigten bekommen 6,5 Prozent mehr Geld, verteilt auf zwei Stufen. [[c:minimum]]Für untere Lohngruppen gilt ein Mindestbetrag von 250 Euro.

[[c:free-days]]Zusätzlich erhalten Fahrerinnen und Fahrer im Schichtdienst künftig zwei freie Tage mehr im Jahr. [[c:vog-relief-shift]]GNS-Verhandlungsführerin Katrin Vogel sagte, {{r|VOG|sagte||gerade die Entlastung im Schichtdienst sei für viele Mitglieder wichtiger gewesen als jeder Prozentpunkt}}.

[[c:member-vote]]Die Mitglieder der GNS sollen bis Ende November in einer Befragung über das Ergebnis abstimmen. [[c:vote-certain]]Eine Zustimmung gilt als sicher.
''')

art(E, "B", "2025-11-05T19:00:00+01:00", "Tarifeinigung in Brunnstadt: Was Fahrgäste jetzt wissen müssen", '''
[[c:deal]]Nach einem Warnstreik, gescheiterten Gesprächen und wochenlanger Schlichtung haben sich Gewerkschaft und Verkehrsbetriebe in Brunnstadt geeinigt. [[c:no-strike]]Für Fahrgäste heißt das: Weitere Streiks wird es vorerst nicht geben.

[[c:fares-open]]Ob die höheren Löhne zu teureren Tickets führen, ist offen. [[c:fares-bren]]SBV-Chef Thomas Brenner schloss eine Preiserhöhung im kommenden Jahr nicht aus. [[c:bren-numbers]]„{{q|BRE|sagte||Wir werden uns die Zahlen sehr genau ansehen müssen}}“, sagte Brenner. [[c:cost]]Laut Brenner {{r|BRE|laut||kostet der Abschluss die SBV rund zwölf Millionen Euro im Jahr}}.

[[c:raise]]Die Beschäftigten erhalten in zwei Schritten insgesamt 6,5 Prozent mehr Lohn. [[c:term]]Der Tarifvertrag gilt bis Ende 2027.
''')

art(E, "M", "2025-11-06T07:15:00+01:00", "Brunnstadt: Schlichterin Hambrecht bringt den Durchbruch", '''
[[c:deal]]Es war ein mühsamer Weg, doch diesmal hat es geklappt: Unter Leitung der früheren Arbeitsrichterin Ursula Hambrecht haben sich die Tarifparteien bei den Stadtwerken Brunnstadt Verkehr gestern geeinigt. [[c:raise]]Der Kompromiss sieht 6,5 Prozent mehr Lohn vor, mindestens aber 250 Euro. [[c:term]]Er gilt für 24 Monate.

[[c:hamb-doubts]]Hambrecht sagte, {{r|HAM|sagte||in den vergangenen vier Wochen habe es mehrere Momente gegeben, in denen sie nicht mehr an eine Lösung geglaubt habe}}. [[c:vog-not-all]]Auch Katrin Vogel von der Gewerkschaft Nahverkehr und Schiene räumte ein, {{r|VOG|räumte ein||das Ergebnis bleibe hinter der Forderung von acht Prozent zurück}}. [[c:bren-compromise]]SBV-Chef Thomas Brenner nannte den Abschluss „{{q|BRE|nannte||an der Grenze des Machbaren}}“.
''')

art(E, "W", "2025-11", "Tarifabschluss in Brunnstadt setzt Maßstab für Kommunen", '''
[[c:deal]]Der Tarifabschluss bei den Stadtwerken Brunnstadt Verkehr könnte Signalwirkung für andere kommunale Verkehrsbetriebe haben. [[c:raise]]Die Einigung sieht 6,5 Prozent mehr Lohn in zwei Stufen vor. [[c:term]]Die Laufzeit beträgt 24 Monate.

[[c:signal]]Branchenkenner erwarten, dass Gewerkschaften in anderen Städten ähnliche Forderungen stellen. [[c:signal-quote]]"{{q|KOH|sagte||Brunnstadt wird zur Blaupause}}", sagte der Arbeitsmarktforscher Stefan Kohlhaas vom Institut für Kommunalwirtschaft. [[c:cost]]Die SBV beziffern die Mehrkosten auf rund zwölf Millionen Euro jährlich. [[c:council]]Ob die Stadt einen Teil davon übernimmt, soll der Stadtrat Anfang Dezember entscheiden. [[c:other-cities]]In mehreren anderen Städten laufen derzeit ähnliche Tarifrunden im Nahverkehr.
''')

# ---------------------------------------------------------------------------
# Storyline 2: Heliovax RSV vaccine
# ---------------------------------------------------------------------------
E = "vaccine-trial-results"
art(E, "W", "2025-09-10T08:15:00+02:00", "Heliovax meldet Durchbruch bei RSV-Impfstoff", '''
Das Marburger Biotechunternehmen Heliovax hat positive Ergebnisse für seinen Impfstoff gegen das Respiratorische Synzytial-Virus (RSV) vorgelegt. {{r|HEL|wie mitteilte||In der entscheidenden Phase-III-Studie mit rund 28.000 Teilnehmern über 60 Jahren verhinderte der Kandidat HX-21 schwere Verläufe zu 84 Prozent}}, wie das Unternehmen am Mittwoch mitteilte.

"{{q|ALB|sagte||Das ist der wichtigste Tag in der Geschichte unseres Unternehmens}}", sagte Vorstandschef Jonas Albrecht. Heliovax will die Zulassung bei der Europäischen Arzneimittel-Agentur (EMA) in den kommenden Wochen beantragen.

An der Börse legte die Aktie zeitweise um 23 Prozent zu. Analysten trauen dem Impfstoff einen Jahresumsatz von mehr als einer Milliarde Euro zu.
''')

art(E, "T", "2025-09-10T12:40:00+02:00", "Neuer RSV-Impfstoff schützt Ältere in Studie gut", '''
Ein neuer Impfstoff des Marburger Herstellers Heliovax könnte ältere Menschen künftig besser vor dem RS-Virus schützen. Nach Angaben des Unternehmens {{r|HEL|nach Angaben||senkte das Präparat HX-21 das Risiko schwerer Erkrankungen in einer großen Studie um 84 Prozent}}.

RSV verursacht bei Säuglingen und älteren Menschen häufig schwere Atemwegsinfekte. Forschungschefin Leonie Hartmann sagte, {{r|HAR|sagte||die Nebenwirkungen seien überwiegend mild gewesen, etwa Schmerzen an der Einstichstelle und leichtes Fieber}}.

„{{q|HAR|sagte||Wir sehen einen Schutz, der über die gesamte Saison anhält}}“, sagte Hartmann. Die Daten sollen demnächst in einer Fachzeitschrift erscheinen. Unabhängige Fachleute mahnten, die vollständigen Ergebnisse abzuwarten.
''')

art(E, "A", "2025-09", "Impfstoff aus Marburg: Hoffnung für Ältere", '''
Für die Wintermonate gibt es Hoffnung auf einen zusätzlichen Schutz vor Atemwegsinfekten. Die Marburger Firma Heliovax hat Studiendaten zu ihrem RSV-Impfstoff HX-21 veröffentlicht. Laut Heliovax {{r|HEL|laut||nahmen knapp 30.000 Menschen in zwölf Ländern an der Untersuchung teil}}. Der Impfstoff schützte demnach zu 84 Prozent vor schweren Verläufen.

Heliovax-Chef Jonas Albrecht kündigte an, {{r|ALB|kündigte an||man wolle noch in diesem Jahr die ersten Dosen ausliefern}}. {{r|ALB|sagte||Das sei allerdings nur möglich, wenn die Behörden zügig entschieden}}, sagte Albrecht.

Albrechts Unternehmen beschäftigt rund 900 Menschen und baut derzeit eine zweite Produktionsanlage am Stadtrand.
''')

art(E, "N", "2025-09-10T18:00:00+02:00", "RSV-Impfstoff: Heliovax legt Studiendaten vor", '''
Der Impfstoffentwickler Heliovax hat am Mittwoch Ergebnisse einer großen Zulassungsstudie vorgelegt. Der RSV-Impfstoff HX-21 verhinderte bei Menschen ab 60 Jahren 84 Prozent der schweren Erkrankungen. Rund 28.000 Freiwillige hatten entweder den Impfstoff oder ein Placebo erhalten.

Bundesgesundheitsministerin Sabine Krüger begrüßte die Ergebnisse. »{{q|KRU|sagte||Jeder zusätzliche Impfstoff, der ältere Menschen schützt, entlastet auch unsere Kliniken im Winter}}«, sagte Krüger. Die Ministerin sagte, {{r|KRU|sagte||ihr Haus stehe bereit, eine schnelle Versorgung zu organisieren, sobald eine Zulassung vorliege}}.

Heliovax-Forschungschefin Leonie Hartmann betonte, {{r|HAR|betonte||die Wirkung sei in allen Altersgruppen über 60 ähnlich stark gewesen}}.
''')

E = "vaccine-approval"
WIRE_VAX = '''[[c:approve]]Brüssel/Marburg (DNA) - Die EU-Kommission hat den RSV-Impfstoff HX-21 des Marburger Herstellers Heliovax für Menschen ab 60 Jahren zugelassen. [[c:ema]]Die Entscheidung folgt einer Empfehlung der Europäischen Arzneimittel-Agentur EMA vom Anfang des Monats. [[c:available]]{{r|KRU|sagte||In Deutschland solle der Impfstoff ab Mitte November in Arztpraxen verfügbar sein}}, sagte Bundesgesundheitsministerin Sabine Krüger am Mittwoch in Berlin.

[[c:doses]]Nach Angaben von Heliovax {{r|HEL|nach Angaben||sollen in einem ersten Schritt zwei Millionen Dosen nach Deutschland geliefert werden}}. [[c:alb-production]]„{{q|ALB|sagte||Wir haben die Produktion bereits hochgefahren}}“, sagte Vorstandschef Jonas Albrecht. [[c:stiko]]Ob und für wen die Ständige Impfkommission (Stiko) eine Impfung empfiehlt, ist noch offen. [[c:insurance]]Erst mit einer Empfehlung übernehmen die Krankenkassen in der Regel die Kosten.[[/]]'''

art(E, "", "2025-10-22T13:12:00+02:00", "EU-Kommission lässt RSV-Impfstoff von Heliovax zu", WIRE_VAX)
art(E, "A", "2025-10-22T14:00:00+02:00", "Grünes Licht aus Brüssel für Heliovax-Impfstoff", WIRE_VAX + " (DNA)")
art(E, "M", "2025-10-22", "RSV-Impfung für Ältere ab November",
    WIRE_VAX.replace("[[/]]", " [[c:saxony]]In Sachsen sollen zunächst Pflegeheime beliefert werden.[[/]]") + " (DNA/mm)")

art(E, "T", "2025-10-22T16:25:00+02:00", "Zulassung für RSV-Impfstoff – Krüger verspricht schnelle Versorgung", '''
[[c:approve]]Ältere Menschen in Deutschland können sich bald mit einem neuen Impfstoff gegen das RS-Virus schützen lassen. [[c:approve]]Die Europäische Kommission erteilte am Mittwoch die Zulassung für HX-21 des Herstellers Heliovax. [[c:kru-good-news]]„{{q|KRU|sagte||Das ist eine gute Nachricht für alle, die im Winter besonders gefährdet sind}}“, sagte Gesundheitsministerin Sabine Krüger. [[c:available]]{{r|KRU|sagte||Bereits Mitte November würden die ersten Dosen ausgeliefert}}, sagte Krüger.

[[c:doses]]Insgesamt sollen in der ersten Phase 2,5 Millionen Dosen bereitstehen. [[c:stiko]]Nach Angaben des Ministeriums {{r|BMG|nach Angaben||will die Ständige Impfkommission ihre Empfehlung bis Anfang November vorlegen}}.

[[c:same-day-plan]]Krüger stellte am selben Tag auch ihren Aktionsplan gegen Lieferengpässe bei Medikamenten vor.
''')

art(E, "W", "2025-10-22T17:50:00+02:00", "Heliovax-Aktie steigt nach EU-Zulassung", '''
[[c:approve]]Mit der Zulassung seines RSV-Impfstoffs durch die EU-Kommission hat das Marburger Unternehmen Heliovax sein erstes Produkt auf den Markt gebracht. [[c:share-price]]Die Aktie stieg am Mittwoch um neun Prozent.

[[c:capacity]]Vorstandschef Jonas Albrecht sagte im Gespräch mit dem Wirtschaftsfenster, {{r|ALB|sagte|Wirtschaftsfenster|das Werk in Marburg könne bis zu 20 Millionen Dosen im Jahr herstellen}}. [[c:export]]{{r|ALB|sagte||Neben Europa verhandle man bereits mit Kanada und Japan}}, sagte Albrecht.

[[c:price]]Zum Preis pro Dose machte das Unternehmen keine Angaben. [[c:price-estimate]]Analysten rechnen mit etwa 180 Euro. [[c:second-line]]Eine zweite Produktionslinie in Marburg soll im kommenden Jahr in Betrieb gehen.
''')

E = "drug-shortage-plan"
art(E, "T", "2025-10-22T10:05:00+02:00", "Krüger will Arzneimittel-Engpässe mit Pflichtvorräten bekämpfen", '''
Bundesgesundheitsministerin Sabine Krüger will Lieferengpässe bei wichtigen Medikamenten mit neuen Vorratspflichten verhindern. Hersteller und Großhändler sollen künftig für rund 200 unverzichtbare Wirkstoffe Vorräte für sechs Monate anlegen. Das sieht ein Aktionsplan vor, den Krüger am Mittwoch in Berlin vorstellte.

„{{q|KRU|sagte||Es darf nicht wieder passieren, dass Eltern im Winter von Apotheke zu Apotheke laufen, um einen Fiebersaft zu finden}}“, sagte Krüger. Zudem soll ein Frühwarnsystem Engpässe melden, bevor sie in den Apotheken ankommen.

Die Pharmaindustrie reagierte zurückhaltend. Ein Sprecher des Arzneimittelherstellerverbands Deutschland sagte, {{r|AHD|sagte||die Lagerkosten müssten sich in den Preisen widerspiegeln}}.
''')

art(E, "B", "2025-10-22T13:30:00+02:00", "Fiebersaft-Krise soll sich nicht wiederholen", '''
Nach den Engpässen bei Kinderarzneien in den vergangenen Wintern legt die Bundesregierung einen Plan vor. Gesundheitsministerin Sabine Krüger stellte am Mittwoch ein Paket vor, das unter anderem eine sechsmonatige Vorratspflicht für besonders wichtige Medikamente vorsieht. Außerdem will der Bund die Produktion von Antibiotika in Europa mit 500 Millionen Euro fördern.

»{{q|KRU|sagte||Wir haben uns zu lange darauf verlassen, dass alles aus Asien kommt}}«, sagte Krüger. Krügers Plan soll noch vor Weihnachten im Kabinett beschlossen werden.

Die Apothekerinnen und Apotheker begrüßten das Vorhaben. Renate Schuster, Präsidentin des Apothekerbundes, sagte, {{r|SCH|sagte||die Vorräte kämen spät, aber nicht zu spät}}.
''')

art(E, "N", "2025-10-22", "Vorratspflicht und Frühwarnsystem: Der Plan gegen leere Regale", '''
Die Bundesregierung will Apotheken besser gegen Lieferengpässe wappnen. Gesundheitsministerin Sabine Krüger präsentierte dazu am Mittwoch einen Aktionsplan. Kern ist eine Pflicht zur Lagerhaltung: Für etwa 200 Wirkstoffe, darunter Antibiotika und Fiebersäfte, sollen Vorräte für ein halbes Jahr angelegt werden.

„{{q|KRU|sagte||Versorgungssicherheit hat ihren Preis, und den sind wir bereit zu zahlen}}“, sagte Krüger. Wie das Ministerium mitteilte, {{r|BMG|wie mitteilte||sollen Hersteller, die in Europa produzieren, bei Rabattverträgen bevorzugt werden}}.

Der Arzneimittelherstellerverband Deutschland kritisierte die Pläne. {{r|AHD|heißt es||Die Vorratspflicht verursache Kosten von mehreren hundert Millionen Euro}}, heißt es in einer Erklärung des Verbandes.
''')

art(E, "W", "2025-10-23T07:00:00+02:00", "Engpass-Plan: Wer die Rechnung zahlt", '''
Der Aktionsplan gegen Arzneimittel-Engpässe, den Gesundheitsministerin Sabine Krüger gestern vorgestellt hat, dürfte vor allem die Generikahersteller treffen. Sie sollen für rund 200 Wirkstoffe Vorräte für sechs Monate aufbauen.

Nach Berechnungen des Arzneimittelherstellerverbands Deutschland {{r|AHD|nach Berechnungen||kostet das die Branche rund 400 Millionen Euro im Jahr}}. Krüger kündigte an, {{r|KRU|kündigte an||die Festbeträge für betroffene Medikamente würden im Gegenzug angehoben}}.

Bemerkenswert: Am selben Tag, an dem Krüger den Plan präsentierte, ließ die EU-Kommission den RSV-Impfstoff des Marburger Herstellers Heliovax zu. Krüger hatte beide Themen in einer Pressekonferenz behandelt.
''')

E = "vaccine-first-shots"
art(E, "T", "2025-11-18T12:00:00+01:00", "Erste RSV-Impfungen in Pflegeheimen", '''
In Deutschland haben die ersten Impfungen mit dem neuen RSV-Impfstoff HX-21 begonnen. Im Seniorenzentrum „Am Lindenhof“ in Kassel erhielt am Dienstag die 91-jährige Hildegard Sommer die erste Dosis – im Beisein von Gesundheitsministerin Sabine Krüger.

„{{q|SOM|sagte||Ich habe schon so viele Winter mit Husten verbracht, da wollte ich nicht warten}}“, sagte Sommer. Krüger sagte, {{r|KRU|sagte||bis Ende der Woche würden rund 400.000 Dosen an Praxen und Heime ausgeliefert}}.

Die Ständige Impfkommission hatte Anfang November empfohlen, alle Menschen ab 75 Jahren sowie Ältere mit Vorerkrankungen zu impfen. Der Hersteller Heliovax aus Marburg hatte die Zulassung im Oktober erhalten.
''')

art(E, "N", "2025-11-18T15:45:00+01:00", "RSV-Impfstart: Ansturm bleibt zunächst aus", '''
Mit dem Start der Impfungen gegen das RS-Virus bei Älteren beginnt in Deutschland eine neue Impfkampagne. Hausärzte berichten allerdings von verhaltener Nachfrage. {{r|PET|sagte||Viele Patientinnen und Patienten wüssten noch gar nicht, dass es den Impfstoff gibt}}, sagte der Vorsitzende des Hausärzteverbandes Nord, Klaus Petersen.

Die Ständige Impfkommission empfiehlt die Impfung für alle ab 75 Jahren und für Risikopatienten ab 60. Stiko-Chef Peter Lindner sagte, {{r|LIN|sagte||eine einzige Dosis schütze nach bisherigen Daten mindestens zwei Winter lang}}.

Heliovax-Chef Jonas Albrecht versprach, {{r|ALB|versprach||es werde keine Lieferengpässe geben}}. »{{q|ALB|sagte||Wir liefern schneller, als verimpft werden kann}}«, sagte Albrecht.
''')

art(E, "A", "2025-11-18", "Ministerin Krüger besucht Impfstart in Kassel", '''
Bundesgesundheitsministerin Sabine Krüger hat am Dienstag den Start der RSV-Impfungen in einem Kasseler Pflegeheim begleitet. Die ersten Bewohnerinnen und Bewohner erhielten dort den Impfstoff HX-21 der Firma Heliovax.

»{{q|KRU|sagte||Heute beginnt ein besserer Schutz für die Menschen, die im Winter am meisten gefährdet sind}}«, sagte die Ministerin. Nach Angaben des Bundesgesundheitsministeriums {{r|BMG|nach Angaben||sind bislang 1,2 Millionen Dosen in Deutschland eingetroffen}}.

Heimleiterin Gisela Brandt sagte, {{r|GBR|sagte||fast alle Bewohner hätten sich für die Impfung angemeldet}}. {{r|GBR|sagte||In den vergangenen Jahren habe RSV in ihrem Haus mehrfach zu Krankenhauseinweisungen geführt}}.
''')

art(E, "R", "2025-11-19T08:00:00+01:00", "Impfung gegen RSV: Was Ältere wissen sollten", '''
Seit gestern wird in Deutschland gegen das Respiratorische Synzytial-Virus geimpft. Der Impfstoff HX-21 des Marburger Herstellers Heliovax ist für Menschen ab 60 zugelassen; die Ständige Impfkommission empfiehlt ihn vor allem für über 75-Jährige. Die Kosten übernehmen die Krankenkassen.

Die Nebenwirkungen sind meist harmlos: Schmerzen an der Einstichstelle, Müdigkeit, selten Fieber. Stiko-Vorsitzender Peter Lindner sagte, {{r|LIN|sagte||wer zur Risikogruppe gehöre, solle sich möglichst vor Weihnachten impfen lassen}}. „{{q|LIN|so||Der Höhepunkt der RSV-Saison liegt meist im Januar}}“, so Lindner.

{{r|STK|heißt es||Die Impfung kann zeitgleich mit der Grippeimpfung erfolgen}}, heißt es in der Empfehlung der Kommission.
''')

art(E, "B", "2025-11-18T18:30:00+01:00", "Berliner Praxen starten mit RSV-Impfung", '''
Auch in Berlin haben am Dienstag die ersten Hausarztpraxen mit der Impfung gegen das RS-Virus begonnen. Die Praxen hatten den Impfstoff HX-21 des Herstellers Heliovax in den vergangenen Tagen erhalten.

Die Berliner Gesundheitssenatorin Dagmar Wendt rief ältere Menschen auf, das Angebot zu nutzen. „{{q|WEN|sagte||Wer über 75 ist, sollte nicht lange überlegen}}“, sagte Wendt. Nach ihren Angaben {{r|WEN|nach Angaben||hat Berlin in einer ersten Lieferung 60.000 Dosen erhalten}}.

Bundesweit begann die Kampagne mit einem Termin von Gesundheitsministerin Sabine Krüger in einem Pflegeheim in Kassel. Krüger hatte angekündigt, {{r|KRU|hatte angekündigt||bis Jahresende sollten alle Heimbewohner ein Impfangebot erhalten}}.
''')

# ---------------------------------------------------------------------------
# Storyline 3: Sela dam dispute (Lorvanien / Seravien, invented countries)
# ---------------------------------------------------------------------------
E = "sela-video-call"
WIRE_SELA = '''Varnik/Belgor (DNA) - Im Streit um einen Staudamm am Grenzfluss Sela haben die Regierungschefs Lorvaniens und Seraviens erstmals seit Monaten direkt miteinander gesprochen. Lorvaniens Präsident Darius Melnar und Seraviens Ministerpräsidentin Elena Varga vereinbarten bei einer Videoschaltung am Mittwoch, eine gemeinsame Expertenkommission einzusetzen.

{{r|MEL|berichtete|LNA|Melnar habe zugesichert, die Befüllung des neuen Stausees bis zum Frühjahr auszusetzen}}, berichtete die staatliche Nachrichtenagentur LNA. Seravien fürchtet, dass der Damm die Wasserversorgung im Süden des Landes gefährdet. „{{q|VAR|sagte||Wasser ist für uns keine Verhandlungsmasse, sondern eine Frage des Überlebens}}“, sagte Varga nach dem Gespräch in Belgor.

Ein persönliches Treffen der beiden soll noch vor Jahresende stattfinden. Die Bundesregierung begrüßte das Gespräch. Bundesaußenminister Bernd Kessler sprach von einem „{{q|KES|sprach von||ersten Schritt in die richtige Richtung}}“.'''

art(E, "D", "2025-09-24T17:20:00+02:00", "Lorvanien und Seravien vereinbaren Expertenkommission zum Sela-Damm", WIRE_SELA)
art(E, "N", "2025-09-24T18:05:00+02:00", "Staudamm-Streit: Melnar und Varga sprechen per Video", WIRE_SELA + " (DNA)")
art(E, "R", "2025-09-24T19:10:00+02:00", "Erstes Gespräch seit Monaten im Streit um Sela-Staudamm",
    WIRE_SELA.replace(" Bundesaußenminister Bernd Kessler sprach von einem „{{q|KES|sprach von||ersten Schritt in die richtige Richtung}}“.", "") + " (DNA/afp)")

art(E, "B", "2025-09-25", "Tauwetter an der Sela? Was hinter dem Staudamm-Streit steckt", '''
Seit Monaten streiten Lorvanien und Seravien über die neue Talsperre bei Ostrova. Am Mittwoch sprachen die Regierungschefs beider Länder erstmals per Video miteinander. Präsident Darius Melnar und Ministerpräsidentin Elena Varga einigten sich auf eine gemeinsame Kommission aus Wasserexperten.

Nach Angaben der Regierung in Belgor {{r|SER|nach Angaben||bezieht Seravien rund 40 Prozent seines Trinkwassers aus der Sela}}. Lorvanien dagegen braucht den Strom aus dem neuen Wasserkraftwerk. Melnars Sprecher Tomas Ridl schrieb auf der Plattform X, {{r|RID|schrieb|X|Lorvanien habe nie die Absicht gehabt, seinen Nachbarn zu schaden}}.

Auch die Nato beobachtet den Konflikt aufmerksam, weil Seravien Mitglied des Bündnisses ist. Eine Nato-Sprecherin sagte, {{r|NAT|sagte||man begrüße jeden Dialog}}.
''')

art(E, "A", "2025-09-24T20:30:00+02:00", "Videogipfel im Wasserstreit", '''
Lorvaniens Präsident Darius Melnar und Seraviens Regierungschefin Elena Varga haben am Mittwoch per Videoschaltung über den umstrittenen Staudamm an der Sela beraten. Beide Seiten bezeichneten das Gespräch anschließend als konstruktiv.

Laut der seravischen Regierung {{r|SER|laut||dauerte das Gespräch knapp zwei Stunden}}. Varga sagte, {{r|VAR|sagte||sie erwarte nun Taten statt Worte}}. Melnar wiederum erklärte, {{r|MEL|erklärte||sein Land sei zu Zugeständnissen bereit, wenn Seravien die Blockade der gemeinsamen Eisenbahnlinie aufhebe}}.

Die NATO, der Seravien seit 2004 angehört, hatte beide Länder zuvor zur Mäßigung aufgerufen. Ein Treffen der beiden Regierungschefs ist für den Spätherbst geplant.
''')

E = "sela-ambassador-recalled"
art(E, "T", "2025-10-14T11:20:00+02:00", "Seravien ruft Botschafter aus Lorvanien zurück", '''
Im Streit um den Sela-Staudamm hat Seravien seinen Botschafter aus Lorvanien zurückgerufen. Nach Angaben der Regierung in Belgor {{r|SER|nach Angaben||hat Lorvanien trotz gegenteiliger Zusagen mit der Probebefüllung des Stausees begonnen}}.

„{{q|VAR|sagte||Wer sein Wort nach drei Wochen bricht, kann kein Vertrauen erwarten}}“, sagte Ministerpräsidentin Elena Varga am Dienstag. {{r|VAR|fügte hinzu||Der Pegel der Sela sei im Grenzgebiet binnen 48 Stunden um fast einen Meter gefallen}}, fügte sie hinzu.

Lorvanien wies die Vorwürfe zurück. {{r|LAM|teilte mit||Es handle sich um einen technischen Test, der nur wenige Tage dauere}}, teilte das Außenministerium in Varnik mit.
''')

art(E, "B", "2025-10-14T16:00:00+02:00", "Sela-Streit eskaliert: Kessler ruft zur Mäßigung auf", '''
Nach dem Rückruf des seravischen Botschafters aus Varnik hat Bundesaußenminister Bernd Kessler beide Seiten zur Zurückhaltung aufgerufen. „{{q|KES|sagte||Die Vereinbarung vom September darf nicht nach wenigen Wochen Makulatur sein}}“, sagte Kessler am Rande eines Treffens in Luxemburg.

Seravien wirft Lorvanien vor, mit der Befüllung des Sela-Stausees begonnen zu haben, obwohl Präsident Darius Melnar im September einen Aufschub bis zum Frühjahr zugesagt hatte. Melnars Sprecher Tomas Ridl sagte, {{r|RID|sagte||es gehe lediglich um eine Prüfung der Schleusen}}.

Die gemeinsame Expertenkommission sollte eigentlich am 20. Oktober erstmals tagen. Ob es dabei bleibt, ist offen.
''')

art(E, "A", "2025-10-14", "Diplomatische Krise zwischen Lorvanien und Seravien", '''
Die Beziehungen zwischen Lorvanien und Seravien haben einen neuen Tiefpunkt erreicht. Am 14. Oktober rief Seravien seinen Botschafter Milan Koric aus der lorvanischen Hauptstadt Varnik zurück.

Auslöser ist der Wasserstand der Sela. Seravische Behörden meldeten, {{r|SER|meldeten||an der Messstation Dolna sei der Pegel auf den niedrigsten Stand seit 30 Jahren gefallen}}. Ministerpräsidentin Elena Varga schrieb auf der Plattform X: »{{q|VAR|schrieb|X|Unsere Geduld ist nicht grenzenlos.}}«

Lorvaniens Präsident Darius Melnar ließ über die Nachrichtenagentur LNA verbreiten, {{r|MEL|ließ verbreiten|LNA|sein Land halte sich an alle Absprachen}}. Zugleich kündigte Melnar an, {{r|MEL|kündigte an||er wolle am geplanten Gipfeltreffen festhalten}}.
''')

art(E, "M", "2025-10", "Streit um den Sela-Damm: Botschafter abgezogen", '''
Der Konflikt um den Staudamm an der Sela hat sich verschärft. Seravien hat seinen Botschafter aus Lorvanien abgezogen, nachdem das Nachbarland mit der Befüllung des neuen Stausees begonnen hatte. Ministerpräsidentin Elena Varga sprach von einem "{{q|VAR|sprach von||klaren Wortbruch}}".

Im September hatten Varga und Lorvaniens Präsident Darius Melnar in einer Videoschaltung noch Entspannung signalisiert. Lorvaniens Regierung erklärte nun, {{r|LOR|erklärte||die Probebefüllung sei mit der Expertenkommission abgestimmt gewesen}}. Seravien bestreitet das.

Beobachter fürchten Folgen für die Landwirtschaft im Süden Seraviens, wo die Maisernte in diesem Jahr ohnehin schwach ausfällt.
''')

E = "sela-geneva-summit"
art(E, "T", "2025-11-20T17:40:00+01:00", "Gipfel in Genf: Lorvanien und Seravien legen Wasserstreit bei", '''
[[c:agreement]]Nach monatelangem Streit haben Lorvanien und Seravien ein Abkommen über die Nutzung des Grenzflusses Sela unterzeichnet. [[c:signed-geneva]]Präsident Darius Melnar und Ministerpräsidentin Elena Varga setzten am Donnerstag in Genf ihre Unterschriften unter den Vertrag. [[c:min-flow]]Lorvanien verpflichtet sich darin, am Sela-Staudamm stets mindestens 40 Kubikmeter Wasser pro Sekunde abzulassen.

[[c:varga-trust]]„{{q|VAR|sagte||Heute haben wir Wasser in Vertrauen verwandelt}}“, sagte Varga. [[c:melnar-neighbours]]Melnar sagte, {{r|MEL|sagte||beide Länder hätten bewiesen, dass Nachbarn ihre Probleme selbst lösen könnten}}.

[[c:commission]]Eine gemeinsame Kommission soll die Einhaltung überwachen. [[c:ambassador]]Seravien will seinen im Oktober abgezogenen Botschafter zurück nach Varnik schicken.
''')

art(E, "N", "2025-11-20T19:25:00+01:00", "Sela-Abkommen: Mindestabfluss und gemeinsame Kontrolle", '''
[[c:agreement]]Lorvanien und Seravien haben ihren Streit um den Staudamm an der Sela beigelegt. [[c:min-flow]]Das in Genf unterzeichnete Abkommen garantiert Seravien einen Mindestabfluss von 45 Kubikmetern pro Sekunde. [[c:duration]]Es gilt für 25 Jahre.

[[c:rail]]{{r|VAR|wie mitteilte||Im Gegenzug hebt Seravien die Blockade der gemeinsamen Eisenbahnlinie auf}}, wie Ministerpräsidentin Elena Varga mitteilte. [[c:germany-mediated]]Vermittelt hatte unter anderem Deutschland. [[c:kessler-model]]Bundesaußenminister Bernd Kessler, der in Genf anwesend war, sagte, {{r|KES|sagte||das Abkommen könne ein Vorbild für andere Wasserkonflikte in Europa sein}}.

[[c:melnar-neighbours]]»{{q|MEL|sagte||Wir haben gestritten wie Nachbarn, und wir haben uns geeinigt wie Nachbarn}}«, sagte Lorvaniens Präsident Darius Melnar.
''')

art(E, "B", "2025-11-20", "Genfer Gipfel: Handschlag an der Sela", '''
[[c:signed-geneva]]Mit einem Handschlag vor dem Genfer Palais des Nations haben Lorvaniens Präsident Darius Melnar und Seraviens Ministerpräsidentin Elena Varga am Donnerstag den Streit um die Sela beendet. [[c:agreement]]Die beiden unterzeichneten ein Wasserabkommen. [[c:min-flow]]Es schreibt einen Mindestabfluss von 40 Kubikmetern pro Sekunde fest.

[[c:ambassador]]Nach Angaben aus Belgor {{r|SER|nach Angaben||kehrt der im Oktober abgezogene seravische Botschafter noch in diesem Jahr nach Varnik zurück}}. [[c:nato-welcome]]Die Nato begrüßte die Einigung. [[c:nato-quote]]„{{q|NAT|sagte||Stabilität in der Region liegt im Interesse aller Verbündeten}}“, sagte eine Sprecherin des Bündnisses in Brüssel.

[[c:varga-trust]]Varga sagte, {{r|VAR|sagte||das Vertrauen zwischen beiden Ländern sei zurückgekehrt}}.
''')

art(E, "R", "2025-11-21T07:30:00+01:00", "Lorvanien und Seravien: Einigung nach Krisenmonaten", '''
[[c:agreement]]Nach dem Streit um den Staudamm an der Sela haben sich Lorvanien und Seravien gestern in Genf auf ein Abkommen verständigt. [[c:min-flow]]Lorvanien sichert darin einen Mindestabfluss von 40 Kubikmetern Wasser pro Sekunde zu. [[c:commission]]Eine Kommission mit je vier Fachleuten aus beiden Ländern soll die Pegel überwachen.

[[c:history-october]]Der Konflikt hatte sich im Oktober zugespitzt, als Seravien seinen Botschafter zurückrief. [[c:history-september]]Ende September hatten Präsident Darius Melnar und Ministerpräsidentin Elena Varga bei einer Videoschaltung erste Schritte vereinbart.

[[c:melnar-comply]]Melnar sagte nach der Unterzeichnung, {{r|MEL|sagte||sein Land werde jeden Buchstaben des Abkommens einhalten}}. [[c:farmers]]Seravische Bauernverbände reagierten erleichtert.
''')

art(E, "W", "2025-11-20T20:00:00+01:00", "Sela-Abkommen öffnet Weg für Bahnverkehr", '''
[[c:agreement]]Das Wasserabkommen zwischen Lorvanien und Seravien hat auch wirtschaftliche Folgen. [[c:rail]]Seravien hebt die seit Juni bestehende Blockade der Güterstrecke zwischen Varnik und Belgor auf. [[c:rail-wagons]]Nach Angaben der lorvanischen Regierung {{r|LOR|nach Angaben||stauen sich an der Grenze derzeit rund 3000 Güterwaggons}}.

[[c:power-plant]]Lorvanien kann zudem das Wasserkraftwerk am Sela-Damm in Betrieb nehmen. [[c:power-share]]Es soll rund ein Fünftel des Strombedarfs des Landes decken. [[c:min-flow]]Einzige Auflage ist der vereinbarte Mindestabfluss von 40 Kubikmetern pro Sekunde.

[[c:german-firms]]Für deutsche Firmen, die am Bau des Kraftwerks beteiligt sind, ist das eine gute Nachricht.
''')

# ---------------------------------------------------------------------------
# Storyline 4: Kalmbach plant in Weilingen
# ---------------------------------------------------------------------------
E = "kalmbach-closure-announced"
art(E, "W", "2025-09-03T09:10:00+02:00", "Zulieferer Kalmbach schließt Werk in Weilingen", '''
Der Autozulieferer Kalmbach Antriebstechnik will sein Stammwerk in Weilingen bis Ende 2026 schließen. {{r|KAF|wie mitteilte||Betroffen sind 640 Beschäftigte}}, wie das Familienunternehmen am Mittwoch mitteilte. Die Produktion von Getriebeteilen für Verbrennungsmotoren soll nach Ungarn verlagert werden.

Geschäftsführer Rüdiger Kalmbach begründete den Schritt mit dem Einbruch der Nachfrage. "{{q|KAL|sagte||Mein Großvater hat dieses Werk gegründet, diese Entscheidung ist mir nicht leichtgefallen}}", sagte Kalmbach. {{r|KAL|sagte||Der Umsatz sei im ersten Halbjahr um 22 Prozent gesunken}}.

Der Betriebsrat kündigte Widerstand an und verlangte Einsicht in die Geschäftszahlen.
''')

art(E, "M", "2025-09-03T14:00:00+02:00", "Schock in Weilingen: 640 Jobs fallen weg", '''
Für Weilingen ist es die schlimmste Nachricht seit Jahrzehnten: Kalmbach Antriebstechnik, größter Arbeitgeber der Stadt, macht sein Werk dicht. Bis Ende 2026 sollen alle 640 Arbeitsplätze wegfallen.

Betriebsratschefin Aylin Demir sagte, {{r|DEM|sagte||die Belegschaft sei am Morgen völlig überrascht worden}}. „{{q|DEM|sagte||Wir werden}}“, sagte Demir, „{{q|DEM|sagte||um jeden einzelnen Arbeitsplatz kämpfen.}}“ Für Freitag ruft der Betriebsrat zu einer Kundgebung vor dem Werkstor auf.

Weilingens Bürgermeister Frank Ostertag sprach von einem „{{q|OST|sprach von||schwarzen Tag für die ganze Region}}“. Die Stadt verliert mit dem Werk auch ihren größten Gewerbesteuerzahler.
''')

art(E, "T", "2025-09-03T17:30:00+02:00", "Autozulieferer Kalmbach verlagert Produktion nach Ungarn", '''
Der Strukturwandel in der Autoindustrie trifft einen weiteren Mittelständler. Die Kalmbach Antriebstechnik GmbH schließt ihr Werk im württembergischen Weilingen und verlagert die Fertigung nach Ungarn. 640 Menschen verlieren ihre Arbeit.

Landeswirtschaftsministerin Claudia Reimers kündigte an, {{r|REI|kündigte an||sie werde sich mit der Unternehmensführung und dem Betriebsrat zusammensetzen}}. Reimers sagte, {{r|REI|sagte||das Land sei bereit, bei der Suche nach einem Investor zu helfen}}.

Nach Angaben von Geschäftsführer Rüdiger Kalmbach {{r|KAL|nach Angaben||liegen die Lohnkosten in Ungarn bei etwa einem Drittel des deutschen Niveaus}}. Die Belegschaft will am Freitag protestieren.
''')

art(E, "A", "2025-09", "Kalmbach-Aus: 700 Stellen in Gefahr", '''
Die angekündigte Schließung des Kalmbach-Werks in Weilingen könnte mehr Menschen treffen als zunächst bekannt. {{r|DEM|wie sagte||Neben den 640 Festangestellten arbeiten dort rund 60 Leiharbeiter}}, wie Betriebsratsvorsitzende Aylin Demir sagte. Insgesamt stehen damit rund 700 Stellen auf dem Spiel.

Für Freitag rufen Demir und ihre Kollegen zu einer Kundgebung auf; erwartet werden mehr als 2000 Menschen. »{{q|DEM|sagte||Kalmbach gehört nach Weilingen}}«, sagte Demir.

Geschäftsführer Rüdiger Kalmbach hatte die Schließung am Mittwoch mit sinkenden Aufträgen begründet. Landeswirtschaftsministerin Claudia Reimers kündigte Gespräche über einen möglichen Verkauf des Werks an.
''')

E = "kalmbach-plant-sold"
art(E, "W", "2025-11-12T10:30:00+01:00", "Finanzinvestor übernimmt Kalmbach-Werk", '''
Das von der Schließung bedrohte Werk des Autozulieferers Kalmbach Antriebstechnik in Weilingen hat einen Käufer gefunden. {{r|NOR|wie mitteilten||Die Beteiligungsgesellschaft Norvest Industrial Partners übernimmt den Standort zum 1. Februar}}, wie beide Unternehmen am Mittwoch mitteilten.

Norvest will dort künftig Bauteile für Wärmepumpen fertigen. 480 der 640 Arbeitsplätze sollen erhalten bleiben. Über den Kaufpreis vereinbarten die Parteien Stillschweigen.

"{{q|FAL|sagte||Weilingen hat genau die Fachkräfte, die wir brauchen}}", sagte Norvest-Partner Henrik Falk. Die Umstellung der Fertigungslinien soll im Frühjahr beginnen. Kalmbach hatte die Schließung Anfang September mit dem Einbruch der Nachfrage nach Getriebeteilen begründet.
''')

art(E, "M", "2025-11-12T16:20:00+01:00", "Weilingen atmet auf", '''
Zehn Wochen nach der Ankündigung der Werksschließung gibt es für die Beschäftigten von Kalmbach in Weilingen eine gute Nachricht: Ein Investor übernimmt das Werk, die meisten Stellen bleiben erhalten. Betriebsratschefin Aylin Demir sprach von einem „{{q|DEM|sprach von||Etappensieg}}“. Sie sagte, {{r|DEM|sagte||für die 160 Kolleginnen und Kollegen, die gehen müssten, brauche es einen guten Sozialplan}}.

Neuer Eigentümer wird Norvest Industrial Partners. Laut Norvest {{r|NOR|laut||sollen in Weilingen ab dem Sommer Verdichter und Ventile für Wärmepumpen vom Band laufen}}.

Landeswirtschaftsministerin Claudia Reimers, die den Verkauf mit eingefädelt hatte, sagte: „{{q|REI|sagte||Das zeigt, dass Industrie in unserem Land eine Zukunft hat.}}“
''')

art(E, "R", "2025-11-12", "Wärmepumpen statt Getriebe: Neustart für Kalmbach-Werk", '''
Im Werk von Kalmbach Antriebstechnik in Weilingen sollen künftig Teile für Wärmepumpen statt für Verbrennungsmotoren gefertigt werden. Der Finanzinvestor Norvest Industrial Partners kauft den Standort; rund 480 Beschäftigte werden übernommen.

{{r|WMI|teilte mit||Das Land unterstützt die Umstellung mit einer Bürgschaft über 25 Millionen Euro}}, teilte das Wirtschaftsministerium mit.

Der bisherige Geschäftsführer Rüdiger Kalmbach sagte, {{r|KAL|sagte||er sei froh, dass das Werk seines Großvaters weiterlebe}}. Kalmbachs Familie bleibt mit einer Minderheitsbeteiligung von zehn Prozent an Bord. Die Produktion von Getriebeteilen läuft bis zur Übergabe weiter.
''')

art(E, "N", "2025-11", "Investor rettet Großteil der Jobs bei Kalmbach", '''
Gute Nachrichten aus Weilingen: Für das Werk des Autozulieferers Kalmbach Antriebstechnik, dessen Schließung im September angekündigt worden war, ist ein Käufer gefunden. Der Investor Norvest Industrial Partners übernimmt rund 500 der zuletzt 640 Beschäftigten.

Norvest-Partner Henrik Falk sagte, {{r|FAL|sagte||man wolle in den kommenden drei Jahren rund 60 Millionen Euro in den Standort investieren}}. Die Produktion von Wärmepumpenteilen soll im kommenden Jahr anlaufen.

Betriebsrätin Aylin Demir blieb vorsichtig. „{{q|DEM|sagte||Wir glauben es erst, wenn die ersten Maschinen laufen}}“, sagte sie. Für die übrigen Beschäftigten verhandelt der Betriebsrat über Abfindungen und eine Transfergesellschaft.
''')

# ---------------------------------------------------------------------------
# Standalone: bridge closure
# ---------------------------------------------------------------------------
E = "bridge-closure-hohenfels"
art(E, "T", "2025-09-30T09:45:00+02:00", "Risse im Stahl: Talbrücke Hohenfels sofort gesperrt", '''
[[c:closed]]Die Talbrücke Hohenfels auf der Autobahn 76 ist seit Dienstagmorgen in beiden Richtungen gesperrt. [[c:cracks]]Bei einer Routineprüfung hatten Ingenieure Risse in den stählernen Trägern der Brücke entdeckt. [[c:unavoidable]]{{r|BER|sagte||Eine sofortige Sperrung sei unumgänglich gewesen}}, sagte Nina Berger, Sprecherin des Landesbetriebs Straßenbau.

[[c:traffic]]Über die Brücke fahren täglich rund 40.000 Fahrzeuge. [[c:detour]]Der Verkehr wird über die Bundesstraße 12 umgeleitet, Autofahrer müssen mit erheblichen Verzögerungen rechnen. [[c:train-advice]]{{r|LBS|riet||Pendler sollten nach Möglichkeit auf die Regionalbahn umsteigen}}, riet der Landesbetrieb. [[c:duration-unclear]]Wie lange die Sperrung dauert, ist unklar.

[[c:built-1968]]Die Brücke wurde 1968 gebaut.
''')

art(E, "N", "2025-09-30T13:10:00+02:00", "Brückensperrung: Stahl rechnet mit monatelangem Stau", '''
[[c:duration]]Autofahrer in der Region müssen sich auf eine monatelange Sperrung der Talbrücke Hohenfels einstellen. [[c:duration]]Landesverkehrsminister Oliver Stahl sagte am Dienstag, {{r|STA|sagte||vor dem Frühjahr sei eine Freigabe ausgeschlossen}}. [[c:replacement]]»{{q|STA|sagte||Wir müssen auch damit rechnen, dass die Brücke nicht mehr zu retten ist}}«, sagte Stahl.

[[c:cracks]]Prüfer hatten bei einer turnusmäßigen Kontrolle Risse an mehreren Trägern festgestellt. [[c:traffic]]Nach Angaben des Ministeriums {{r|VMI|nach Angaben||nutzen täglich bis zu 45.000 Fahrzeuge die Brücke, darunter rund 8000 Lastwagen}}.

[[c:truck-ban]]Für Lastwagen über 7,5 Tonnen ist die Durchfahrt durch die Ortsmitte von Hohenfels verboten. [[c:other-bridges]]Stahl kündigte an, {{r|STA|kündigte an||alle 30 Brücken desselben Bautyps im Land würden bis Jahresende überprüft}}.
''')

art(E, "M", "2025-09-30", "A 76 gesperrt: Umleitung durch Hohenfels", '''
[[c:closed]]Seit Dienstag geht auf der Autobahn 76 bei Hohenfels nichts mehr. [[c:cracks]]Wegen Rissen in der Talbrücke hat der Landesbetrieb Straßenbau das Bauwerk komplett gesperrt. [[c:detour]]Nach Schätzung des Landesbetriebs {{r|LBS|nach Schätzung||kostet die Umleitung über die B 12 bis zu 25 Minuten}}.

[[c:town-anger]]In Hohenfels selbst wächst der Ärger. [[c:mayor-main-street]]„{{q|LUT|sagte||Unsere Hauptstraße ist nicht für Tausende Autos am Tag gebaut}}“, sagte Bürgermeisterin Petra Lutz. [[c:mayor-demands]]Lutz sagte, {{r|LUT|sagte||die Stadt brauche sofort Ampeln und Tempo 30 vor den Schulen}}.

[[c:traffic]]Die Brücke wird täglich von etwa 40.000 Fahrzeugen befahren.
''')

art(E, "A", "2025-09-30T18:00:00+02:00", "Marode Brücken: Hohenfels ist kein Einzelfall", '''
[[c:closed]]Die Vollsperrung der Talbrücke Hohenfels an der A 76 lenkt den Blick auf den Zustand vieler Autobahnbrücken. [[c:built-1968]]Das 1968 errichtete Bauwerk gehört zu einer Generation von Brücken, die für deutlich weniger Schwerverkehr ausgelegt wurden. [[c:cracks]]Bei einer Prüfung waren Risse an tragenden Teilen entdeckt worden.

[[c:expert-lifetime]]Der Bauingenieur Matthias Görlitz von der Technischen Hochschule Lemgau sagte, {{r|GOE|sagte||viele Brücken dieses Alters hätten ihre Lebensdauer erreicht}}. [[c:expert-investment]]„{{q|GOE|so||Wir bezahlen jetzt für Jahrzehnte, in denen zu wenig investiert wurde}}“, so Görlitz.

[[c:replacement]]Laut Landesbetrieb Straßenbau {{r|LBS|laut||ist ein Ersatzneubau wahrscheinlich}}. [[c:new-build-cost]]Ein solcher Neubau würde nach ersten Schätzungen rund 120 Millionen Euro kosten und mehrere Jahre dauern.
''')

art(E, "R", "2025-10-01T07:00:00+02:00", "Talbrücke Hohenfels: Chaos auf der Umleitung", '''
[[c:detour-jam]]Am ersten Tag nach der Sperrung der Talbrücke Hohenfels hat sich der Verkehr auf der Umleitungsstrecke kilometerlang gestaut. [[c:closed]]Der Landesbetrieb Straßenbau hatte die Brücke an der Autobahn 76 gestern früh gesperrt, nachdem Risse entdeckt worden waren.

[[c:jam-length]]Nach Angaben der Autobahnpolizei {{r|APO|nach Angaben||stauten sich die Fahrzeuge am Abend auf bis zu zwölf Kilometern}}. [[c:accidents]]Es kam zu drei leichten Auffahrunfällen.

[[c:berger-avoid]]„{{q|BER|sagte||Wir bitten alle, die können, den Bereich weiträumig zu umfahren}}“, sagte Nina Berger vom Landesbetrieb. [[c:duration]]{{r|BER|sagte||Die Sperrung werde mindestens bis März dauern}}, sagte Berger. [[c:traffic]]Normalerweise überqueren 45.000 Fahrzeuge täglich das Tal.
''')

# ---------------------------------------------------------------------------
# Standalone: museum gold theft
# ---------------------------------------------------------------------------
E = "museum-gold-theft"
WIRE_MUSEUM = '''[[c:theft]]Halvern (DNA) - Unbekannte haben in der Nacht zum Dienstag zwölf keltische Goldmünzen aus dem Landesmuseum Halvern gestohlen. [[c:break-in]]{{r|POL|teilte mit||Zwei maskierte Täter seien gegen 3.40 Uhr durch ein Fenster im Erdgeschoss eingestiegen und hätten eine Vitrine mit einer Axt zertrümmert}}, teilte die Polizei mit. [[c:escape]]Als Wachleute eintrafen, waren die Täter bereits verschwunden.

[[c:value]]Den Wert der Münzen beziffert das Museum auf rund zwei Millionen Euro. [[c:auerbach-loss]]„{{q|AUE|sagte||Der materielle Wert ist das eine, der wissenschaftliche Verlust ist unermesslich}}“, sagte Museumsdirektor Friedrich Auerbach. [[c:museum-closed]]Das Museum bleibt bis auf Weiteres geschlossen.

[[c:witnesses]]Die Polizei sucht Zeugen, die in der Nacht ein dunkles Auto in der Nähe des Museums gesehen haben.[[/]]'''

art(E, "", "2025-11-04T11:30:00+01:00", "Goldmünzen aus Landesmuseum Halvern gestohlen", WIRE_MUSEUM)
art(E, "T", "2025-11-04T12:15:00+01:00", "Einbruch im Museum: Keltengold aus Halvern gestohlen", WIRE_MUSEUM + " (DNA)")
art(E, "B", "2025-11-04T14:40:00+01:00", "Museumscoup in Halvern: Täter erbeuten Goldmünzen",
    drop_claim(WIRE_MUSEUM, "witnesses").replace(
        "[[/]]", " [[c:lka]]Das Landeskriminalamt hat die Ermittlungen übernommen.[[/]]") + " (DNA)")

art(E, "N", "2025-11-04T17:00:00+01:00", "Keltenschatz von Halvern: Spur führt zu dunklem Kombi", '''
[[c:theft]]Nach dem Diebstahl von zwölf Goldmünzen aus dem Landesmuseum Halvern fahndet die Polizei nach zwei Männern. [[c:witnesses]]{{r|ORT|sagte||Ein Zeuge will gegen 3.45 Uhr einen dunklen Kombi mit hoher Geschwindigkeit vom Museumsplatz wegfahren gesehen haben}}, sagte Kriminalhauptkommissar Sven Ortmann.

[[c:value]]Der Versicherungswert der Münzen liegt nach Informationen der Nordhafen Rundschau bei 2,5 Millionen Euro. [[c:hoard-origin]]Die Stücke stammen aus dem sogenannten Schatz von Ebersheim, den ein Landwirt 1911 beim Pflügen gefunden hatte.

[[c:ortmann-knew]]„{{q|ORT|sagte||Die Täter wussten genau, was sie wollten}}“, sagte Ortmann. [[c:parallels]]{{r|ORT|sagte||Man prüfe Verbindungen zu ähnlichen Einbrüchen in anderen Museen}}, sagte der Ermittler.
''')

art(E, "A", "2025-11-04", "Sicherheitstechnik im Landesmuseum erst 2024 erneuert", '''
[[c:security-questions]]Der Einbruch in das Landesmuseum Halvern am 04.11.2025 wirft Fragen nach der Sicherheit auf. [[c:theft]]Die Täter hatten in der Nacht zum Dienstag zwölf Goldmünzen aus keltischer Zeit erbeutet. [[c:alarm-investment]]Erst im vergangenen Jahr hatte das Land rund 800.000 Euro in eine neue Alarmanlage investiert.

[[c:alarm-worked]]Nach Angaben des Museums {{r|LMH|nach Angaben||löste der Alarm ordnungsgemäß aus}}. [[c:guards-delay]]Bis die Wachleute vor Ort waren, vergingen allerdings rund sieben Minuten. [[c:auerbach-review]]Direktor Friedrich Auerbach sagte, {{r|AUE|sagte||man werde das Sicherheitskonzept gemeinsam mit der Polizei überprüfen}}.

[[c:minister-review]]Landeskulturminister Georg Heinemann kündigte an, {{r|HEI|kündigte an||alle Landesmuseen würden in den kommenden Wochen überprüft}}.
''')

art(E, "M", "2025-11-05T08:00:00+01:00", "Goldraub in Halvern: Ermittler prüfen Parallelen", '''
[[c:theft]]Nach dem Einbruch in das Landesmuseum Halvern, bei dem in der Nacht zum Dienstag zwölf keltische Goldmünzen gestohlen wurden, prüfen die Ermittler Verbindungen zu früheren Taten. [[c:lka]]Das Landeskriminalamt hat eine Sonderkommission mit 20 Beamten gebildet.

[[c:value]]Die Münzen haben einen Wert von etwa zwei Millionen Euro. [[c:melt-fear]]Experten befürchten, dass die Täter das Gold einschmelzen könnten. [[c:auerbach-lost-forever]]»{{q|AUE|sagte||Dann wären sie für immer verloren}}«, sagte Museumsdirektor Friedrich Auerbach.

[[c:reward]]Die Staatsanwaltschaft hat eine Belohnung von 50.000 Euro für Hinweise ausgesetzt, die zur Ergreifung der Täter führen.
''')

# ---------------------------------------------------------------------------
# Claim descriptions (claim-gold events)
# ---------------------------------------------------------------------------
CLAIMS = {
    "tram-strike-announced": {
        "ann": "GNS calls an all-day warning strike at the Brunnstadt transport company for Thursday",
        "duration": "strike runs from start of service (3 a.m.) until the night to Friday",
        "lines": "all tram lines and buses affected / stay in depots",
        "workers": "number of workers called out (1200 vs. 1500)",
        "demand": "union demands 8 percent more pay (at least 350 euros)",
        "offer": "SBV offered 3 percent (24 months)",
        "vog-provocation": "Vogel: offer is a provocation",
        "vog-living-wage": "Vogel: those who keep the city running must be able to live on their pay",
        "vog-negotiated-enough": "Vogel: negotiated long enough, now the workers speak",
        "vog-no-longer-wait": "Vogel: workers no longer willing to wait for fair pay",
        "bren-disproportionate": "Brenner/SBV call the strike disproportionate",
        "bren-fair-offer": "Brenner: SBV made a fair offer",
        "next-round": "next negotiation round on 8 October",
        "advice": "city advises commuters to use bikes or car sharing",
        "park-and-ride": "city hall: park-and-ride lots likely to fill quickly",
        "school-buses": "eight special buses serve special-needs schools",
        "school-drivers": "drivers of those buses voluntarily don't strike",
        "mayor-appeal": "Mayor Feldhaus appeals to both sides to return to talks",
        "mayor-quote": "Feldhaus: strike hits people who depend on buses and trams",
        "cost": "Brenner: union demand would cost ~9 million euros a year",
        "no-money": "Brenner: not affordable without city subsidies",
    },
    "tram-arbitration-deal": {
        "deal": "tariff dispute settled / agreement reached",
        "accepted-proposal": "both sides accepted arbitrator Hambrecht's proposal on Wednesday",
        "raise": "6.5 percent more pay in two steps (3.5 % in January, 3 % a year later)",
        "minimum": "minimum increase of 250 euros a month",
        "term": "contract runs 24 months (until end of 2027)",
        "no-strike": "no (unlimited) strikes anymore; strike ballot off the table",
        "vog-not-all": "Vogel: result is less than demanded but acceptable",
        "vog-relief-shift": "Vogel: relief for shift workers mattered more than percentage points",
        "bren-compromise": "Brenner: viable compromise / at the limit of what is possible",
        "bren-numbers": "Brenner: will have to look closely at the numbers",
        "hamb-both-moved": "Hambrecht: both sides moved towards each other",
        "hamb-will": "Hambrecht: would not have worked without will to agree",
        "hamb-doubts": "Hambrecht: several moments she no longer believed in a solution",
        "mayor-relieved": "Mayor Feldhaus relieved",
        "cost": "deal costs 11-12 million euros a year",
        "free-days": "shift workers get two extra days off per year",
        "member-vote": "GNS members vote on result by end of November",
        "vote-certain": "approval considered certain",
        "fares-open": "open whether higher wages lead to higher fares",
        "fares-bren": "Brenner doesn't rule out fare increase next year",
        "signal": "experts expect similar demands in other cities",
        "signal-quote": "Kohlhaas: Brunnstadt becomes a blueprint",
        "council": "city council decides in early December on sharing costs",
        "other-cities": "similar tariff rounds under way in other cities",
    },
    "vaccine-approval": {
        "approve": "EU Commission approves Heliovax RSV vaccine HX-21 (for people 60+)",
        "ema": "decision follows EMA recommendation from early in the month",
        "available": "vaccine available in Germany / first doses delivered from mid-November (Krüger)",
        "doses": "first tranche for Germany (2 million vs. 2.5 million doses)",
        "alb-production": "Albrecht: production already ramped up",
        "stiko": "Stiko recommendation still pending (expected early November)",
        "insurance": "health insurers pay only after a recommendation",
        "saxony": "in Saxony nursing homes supplied first",
        "kru-good-news": "Krüger: good news for those at risk in winter",
        "same-day-plan": "Krüger presented drug-shortage action plan the same day",
        "share-price": "Heliovax share rose nine percent",
        "capacity": "Albrecht: Marburg plant can make up to 20 million doses a year",
        "export": "Albrecht: negotiating with Canada and Japan",
        "price": "no information on price per dose",
        "price-estimate": "analysts expect about 180 euros per dose",
        "second-line": "second production line in Marburg to start next year",
    },
    "sela-geneva-summit": {
        "agreement": "Lorvanien and Seravien sign/agree a water agreement ending the Sela dispute",
        "signed-geneva": "Melnar and Varga signed in Geneva on Thursday",
        "min-flow": "minimum outflow at the dam (40 vs. 45 cubic metres per second)",
        "varga-trust": "Varga: trust restored",
        "melnar-neighbours": "Melnar: neighbours solved their problems themselves",
        "melnar-comply": "Melnar: will honour every letter of the agreement",
        "commission": "joint commission monitors compliance / water levels",
        "ambassador": "Seravien sends its ambassador back to Varnik",
        "duration": "agreement valid for 25 years",
        "rail": "Seravien lifts the rail blockade",
        "rail-wagons": "about 3000 freight wagons stuck at the border",
        "germany-mediated": "Germany helped mediate",
        "kessler-model": "Kessler: agreement could be a model for other water conflicts",
        "nato-welcome": "NATO welcomed the agreement",
        "nato-quote": "NATO spokeswoman: regional stability in interest of all allies",
        "history-october": "conflict escalated in October with ambassador recall",
        "history-september": "first steps agreed in a video call in late September",
        "farmers": "Seravian farmers' associations relieved",
        "power-plant": "Lorvanien can start the hydro power plant",
        "power-share": "plant to cover about a fifth of the country's power demand",
        "german-firms": "good news for German firms involved in building the plant",
    },
    "bridge-closure-hohenfels": {
        "closed": "Talbrücke Hohenfels on the A 76 fully closed since Tuesday (morning)",
        "cracks": "cracks in (steel) girders found during routine inspection",
        "unavoidable": "Berger: immediate closure was unavoidable",
        "traffic": "daily traffic over the bridge (40,000 vs. 45,000 vehicles)",
        "detour": "detour via B 12; considerable delays (up to 25 minutes)",
        "train-advice": "commuters advised to switch to regional trains",
        "duration-unclear": "unclear how long the closure lasts",
        "duration": "closure lasts months / at least until spring or March",
        "built-1968": "bridge built in 1968",
        "replacement": "bridge may not be salvageable; replacement likely",
        "truck-ban": "trucks over 7.5 t banned from Hohenfels town centre",
        "other-bridges": "Stahl: all 30 bridges of the same type to be checked by year end",
        "town-anger": "anger growing in Hohenfels",
        "mayor-main-street": "Mayor Lutz: main street not built for thousands of cars",
        "mayor-demands": "Lutz demands traffic lights and 30 km/h near schools",
        "expert-lifetime": "Görlitz: many bridges of this age at end of life",
        "expert-investment": "Görlitz: paying now for decades of under-investment",
        "new-build-cost": "new bridge would cost about 120 million euros and take years",
        "detour-jam": "kilometre-long jams on the detour on the first day",
        "jam-length": "police: jams up to twelve kilometres in the evening",
        "accidents": "three minor rear-end collisions",
        "berger-avoid": "Berger: please avoid the area widely",
    },
    "museum-gold-theft": {
        "theft": "twelve Celtic gold coins stolen from Landesmuseum Halvern in the night to Tuesday",
        "break-in": "two masked men entered via ground-floor window at 3:40 and smashed a display case with an axe",
        "escape": "thieves gone when guards arrived",
        "value": "value of the coins (2 million vs. 2.5 million euros)",
        "auerbach-loss": "Auerbach: scientific loss immeasurable",
        "auerbach-lost-forever": "Auerbach: if melted they would be lost forever",
        "auerbach-review": "Auerbach: security concept will be reviewed with police",
        "museum-closed": "museum closed until further notice",
        "witnesses": "police seek witnesses; dark car seen near the museum",
        "lka": "State criminal police (LKA) took over / formed special commission",
        "hoard-origin": "coins come from the Ebersheim hoard found in 1911",
        "ortmann-knew": "Ortmann: thieves knew exactly what they wanted",
        "parallels": "investigators check links to similar museum break-ins",
        "security-questions": "break-in raises questions about security",
        "alarm-investment": "state invested 800,000 euros in new alarm system last year",
        "alarm-worked": "museum: alarm went off properly",
        "guards-delay": "guards needed about seven minutes to arrive",
        "minister-review": "culture minister Heinemann: all state museums to be checked",
        "melt-fear": "experts fear gold could be melted down",
        "reward": "prosecutors offer 50,000 euros reward",
    },
}

# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------
TOKEN = re.compile(r"\{\{([qr])\|([^|{}]*)\|([^|{}]*)\|([^|{}]*)\|([^{}]*)\}\}|\[\[c:([^\]]+)\]\]|\[\[/\]\]")


def normalise_src(src: str) -> str:
    paras = [" ".join(line.strip() for line in p.strip().splitlines()) for p in re.split(r"\n\s*\n", src.strip())]
    return "\n\n".join(p for p in paras if p)


def render(src: str):
    src = normalise_src(src)
    out, quotes, markers, ends = [], [], [], []
    pos = 0
    last = 0
    for m in TOKEN.finditer(src):
        out.append(src[last:m.start()])
        pos += m.start() - last
        last = m.end()
        if m.group(1):
            kind, spk, verb, chan, text = m.group(1, 2, 3, 4, 5)
            quotes.append({"start": pos, "end": pos + len(text), "text": text,
                           "kind": "direct" if kind == "q" else "reported",
                           "speaker": SPEAKERS[spk], "channel": chan or None, "verb": verb})
            out.append(text)
            pos += len(text)
        elif m.group(6):
            markers.append((pos, m.group(6)))
        else:
            ends.append(pos)
    out.append(src[last:])
    text = "".join(out)
    assert "{{" not in text and "[[" not in text and "}}" not in text, text
    claims = []
    stops = sorted([p for p, _ in markers] + ends + [i for i in range(len(text)) if text.startswith("\n\n", i)] + [len(text)])
    for p, key in markers:
        end = min(s for s in stops if s > p)
        while text[end - 1].isspace():
            end -= 1
        claims.append({"key": key, "start": p, "end": end})
    return text, quotes, claims


def slugify(s: str) -> str:
    s = s.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:70].rstrip("-")


def build():
    rows = []
    for a in ARTICLES:
        text, quotes, claims = render(a["src"])
        rows.append({**a, "text": text, "quotes": quotes, "claims": claims})
    # ids in chronological order (stable within a day)
    rows.sort(key=lambda r: (r["date"][:10], r["date"]))
    for i, r in enumerate(rows, 1):
        r["id"] = f"demo-{i:03d}"
        name, domain = OUTLETS[r["o"]]
        d = r["date"][:10].split("-")
        path = "/".join(d)
        r["outlet"] = name
        r["url"] = f"https://{domain}/{path}/{slugify(r['title'])}"
    return rows


def write(out: Path):
    rows = build()
    with open(out / "articles.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            rec = {"id": r["id"], "title": r["title"], "text": r["text"], "date": r["date"],
                   "outlet": r["outlet"], "url": r["url"], "lang": "de"}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(out / "gold.tsv", "w", encoding="utf-8") as fh:
        fh.write("id\tevent_key\tstoryline_key\n")
        for r in rows:
            fh.write(f"{r['id']}\t{r['event']}\t{STORYLINE[r['event']]}\n")
    with open(out / "gold_quotes.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            for q in sorted(r["quotes"], key=lambda q: q["start"]):
                fh.write(json.dumps({"article_id": r["id"], **q}, ensure_ascii=False) + "\n")
    gold_claims = {}
    for ev, desc in CLAIMS.items():
        groups = defaultdict(list)
        for r in rows:
            if r["event"] != ev:
                continue
            assert r["claims"], (r["id"], ev)
            for c in r["claims"]:
                assert c["key"] in desc, (ev, c["key"])
                groups[c["key"]].append({"article_id": r["id"], "start": c["start"], "end": c["end"],
                                         "text": r["text"][c["start"]:c["end"]]})
        unused = set(desc) - set(groups)
        assert not unused, (ev, unused)
        gold_claims[ev] = {"groups": [{"claim": desc[k], "key": k, "members": groups[k]} for k in desc]}
    for r in rows:
        if r["event"] not in CLAIMS:
            assert not r["claims"], r["id"]
    with open(out / "gold_claims.json", "w", encoding="utf-8") as fh:
        json.dump(gold_claims, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return rows


def verify(out: Path):
    """Re-read the written files and check ids, gold coverage and every offset."""
    arts = {}
    for line in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        assert rec["id"] not in arts
        arts[rec["id"]] = rec
    gold = (out / "gold.tsv").read_text(encoding="utf-8").splitlines()
    assert gold[0] == "id\tevent_key\tstoryline_key"
    assert {row.split("\t")[0] for row in gold[1:]} == set(arts)
    n_q = 0
    for line in (out / "gold_quotes.jsonl").read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        assert arts[q["article_id"]]["text"][q["start"]:q["end"]] == q["text"], q
        n_q += 1
    claims = json.loads((out / "gold_claims.json").read_text(encoding="utf-8"))
    for ev, g in claims.items():
        for grp in g["groups"]:
            for m in grp["members"]:
                assert arts[m["article_id"]]["text"][m["start"]:m["end"]] == m["text"], m
    events = Counter(row.split("\t")[1] for row in gold[1:])
    print(f"{len(arts)} articles, {len(events)} events, {n_q} gold quotes, {len(claims)} claim-gold events: OK")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Write and verify the newsloom demo corpus files.")
    parser.add_argument("--out", type=Path, default=DEMO_DIR, help=f"folder to write to (default {DEMO_DIR})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out)
    verify(args.out)


if __name__ == "__main__":
    main()
