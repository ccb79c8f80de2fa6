#!/usr/bin/env python3
"""Writes the sample world in samples/: a CRM snapshot, a partner list and five
partner uploads saved the way real tools save them. Deterministic (fixed seed):
rerunning produces identical files. Run from the repository root:

    python3 scripts/make-samples.py
"""
import csv
import io
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "samples"
rng = random.Random(20261123)

PARTNERS = [
    # id, name, tier, territories, email, max_active, language (BCP 47; empty: English)
    ("P-NORTHWIND", "Northwind Field Services", "gold", "US;CA", "deals@northwind-fs.example", "40", ""),
    ("P-ALPINE", "Alpine Systemhaus GmbH", "silver", "DE;AT;CH", "vertrieb@alpine-systemhaus.example", "25", ""),
    ("P-SAKURA", "Sakura Systems K.K.", "gold", "JP;KR;CN;TW", "partner@sakura-systems.example", "", ""),
    ("P-FIELDFORCE", "FieldForce Installations Ltd", "bronze", "GB;IE", "ops@fieldforce.example", "10", ""),
    ("P-LUMIERE", "Lumière Intégration SAS", "silver", "FR;BE;LU", "contact@lumiere-integration.example", "", ""),
    ("P-IBERIA", "Iberia Soluciones S.L.", "silver", "ES;PT", "", "15", "es"),
    ("P-NORDIC", "Nordic Edge AB", "silver", "SE;NO;DK;FI", "deals@nordicedge.example", "", ""),
    ("P-VOLGA", "Volga Tech LLC", "bronze", "RU;KZ", "sales@volgatech.example", "", ""),
    ("P-PACIFIC", "Pacific Rim Partners Pty Ltd", "gold", "AU;NZ;SG", "registrations@pacificrim.example", "", ""),
    ("P-COASTAL", "Coastal Networks Inc.", "bronze", "US-CA;US-OR;US-WA", "team@coastalnet.example", "10", ""),
]

# name, domain, country, city, postal_code
ACCOUNTS = [
    ("Fourth Coffee Inc.", "fourthcoffee.com", "US", "Seattle", "98101"),
    ("Contoso Ltd", "contoso.com", "US", "Redmond", "98052"),
    ("Fabrikam, Inc.", "fabrikam.com", "US", "Portland", "97201"),
    ("Tailspin Toys", "tailspintoys.com", "US", "Austin", "73301"),
    ("Wingtip Toys", "wingtiptoys.com", "US", "Denver", "80202"),
    ("Litware, Inc.", "litwareinc.com", "US", "Boston", "02108"),
    ("Adventure Works Cycles", "adventure-works.com", "US", "Bothell", "98011"),
    ("Alpine Ski House", "alpineskihouse.com", "CA", "Whistler", "V0N 1B4"),
    ("Blue Yonder Airlines", "blueyonderairlines.com", "US", "Chicago", "60601"),
    ("City Power & Light", "cpandl.com", "US", "Phoenix", "85001"),
    ("Coho Winery", "cohowinery.com", "US", "Napa", "94558"),
    ("Humongous Insurance", "humongousinsurance.com", "US", "Hartford", "06103"),
    ("Lucerne Publishing", "lucernepublishing.com", "US", "New York", "10001"),
    ("Margie's Travel", "margiestravel.com", "US", "Miami", "33101"),
    ("Proseware, Inc.", "proseware.com", "US", "San Jose", "95113"),
    ("Southridge Video", "southridgevideo.com", "US", "Los Angeles", "90001"),
    ("Trey Research", "treyresearch.net", "US", "Raleigh", "27601"),
    ("Wide World Importers", "wideworldimporters.com", "US", "Houston", "77001"),
    ("Woodgrove Bank", "woodgrovebank.com", "US", "Charlotte", "28202"),
    ("Relecloud", "relecloud.com", "US", "San Francisco", "94105"),
    ("Müller Maschinenbau GmbH", "mueller-maschinenbau.de", "DE", "München", "80331"),
    ("Bäckerei Schäfer KG", "baeckerei-schaefer.de", "DE", "Köln", "50667"),
    ("Grünwald Logistik AG", "gruenwald-logistik.de", "DE", "Hamburg", "20095"),
    ("Österreichische Holzwerke GmbH", "holzwerke.at", "AT", "Wien", "1010"),
    ("Zürcher Präzision AG", "zuercher-praezision.ch", "CH", "Zürich", "8001"),
    ("Société Générale d'Équipement SA", "sge-equipement.fr", "FR", "Lyon", "69001"),
    ("Café Crème SARL", "cafe-creme.fr", "FR", "Paris", "75001"),
    ("Boulangerie Dupont", "boulangerie-dupont.fr", "FR", "Lille", "59000"),
    ("Construcciones Peña S.A.", "construccionespena.es", "ES", "Madrid", "28001"),
    ("Vinhos do Porto Lda", "vinhosdoporto.pt", "PT", "Porto", "4000-001"),
    ("Ørsted Energi A/S", "orsted-energi.dk", "DK", "København", "1050"),
    ("Åkerlund Bygg AB", "akerlundbygg.se", "SE", "Göteborg", "41101"),
    ("Łódź Tekstylia Sp. z o.o.", "lodz-tekstylia.pl", "PL", "Łódź", "90-001"),
    ("ООО «Северсталь Сервис»", "severstal-service.ru", "RU", "Москва", "101000"),
    ("ПАО Уралтрансмаш", "uraltransmash.ru", "RU", "Екатеринбург", "620000"),
    ("ソニー株式会社", "sony-example.jp", "JP", "東京都", "108-0075"),
    ("株式会社さくら食品", "sakura-foods.jp", "JP", "大阪市", "530-0001"),
    ("阿里云科技有限公司", "aliyun-example.cn", "CN", "杭州", "310000"),
    ("삼성전자 주식회사", "samsung-example.kr", "KR", "수원시", "16677"),
    ("Ελληνικά Πετρέλαια Α.Ε.", "hellenic-petroleum-example.gr", "GR", "Αθήνα", "10431"),
    ("Bücher Haus GmbH", "bücher-haus.de", "DE", "Berlin", "10115"),
    ("İş Yazılım A.Ş.", "is-yazilim.com.tr", "TR", "İstanbul", "34000"),
    ("Kangaroo Freight Pty Ltd", "kangaroofreight.com.au", "AU", "Sydney", "2000"),
    ("Harbour Analytics Ltd", "harbouranalytics.co.uk", "GB", "London", "EC1A 1BB"),
    ("Dublin Data Services Limited", "dublindata.ie", "IE", "Dublin", "D02 X285"),
]

ADJECTIVES = ["Northern", "Summit", "Blue", "Silver", "Green", "Red Rock", "Golden", "Pioneer", "Atlas", "Beacon",
              "Cascade", "Evergreen", "Harbor", "Ironwood", "Keystone", "Lakeside", "Meridian", "Oakridge", "Pinnacle",
              "Redwood", "Sterling", "Trident", "Vanguard", "Willow", "Zenith", "Granite", "Horizon", "Prairie"]
NOUNS = ["Dental", "Logistics", "Foods", "Health", "Manufacturing", "Analytics", "Builders", "Energy", "Retail",
         "Pharma", "Media", "Robotics", "Textiles", "Plastics", "Farms", "Motors", "Capital", "Hospitality"]
FORMS = {"US": ["Inc.", "LLC", "Corp.", "Co."], "GB": ["Ltd", "Limited", "PLC"], "DE": ["GmbH", "AG", "GmbH & Co. KG"],
         "FR": ["SAS", "SARL", "S.A."], "ES": ["S.L.", "S.A."], "SE": ["AB"], "AU": ["Pty Ltd"], "CA": ["Inc.", "Ltd."],
         "NL": ["B.V.", "N.V."], "IT": ["S.p.A.", "S.r.l."]}
CITIES = {"US": ["Seattle", "Dallas", "Atlanta", "Columbus"], "GB": ["Leeds", "Bristol"], "DE": ["Stuttgart", "Dresden"],
          "FR": ["Nantes", "Toulouse"], "ES": ["Valencia", "Sevilla"], "SE": ["Uppsala"], "AU": ["Perth"],
          "CA": ["Toronto", "Calgary"], "NL": ["Utrecht"], "IT": ["Milano", "Torino"]}


def slug(name):
    return "".join(c for c in name.lower() if c.isalnum())


def generated_accounts(count):
    seen, out = set(), []
    while len(out) < count:
        country = rng.choice(list(FORMS))
        base = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
        if base in seen:
            continue
        seen.add(base)
        name = f"{base} {rng.choice(FORMS[country])}"
        tld = {"US": "com", "GB": "co.uk", "DE": "de", "FR": "fr", "ES": "es", "SE": "se", "AU": "com.au",
               "CA": "ca", "NL": "nl", "IT": "it"}[country]
        out.append((name, f"{slug(base)}.{tld}", country, rng.choice(CITIES[country]), str(rng.randint(10000, 99999))))
    return out


def write_csv(path, header, rows, encoding="utf-8", delimiter=",", newline="\r\n", bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)


def main():
    OUT.mkdir(exist_ok=True)
    write_csv(OUT / "partners.csv", ["partner_id", "name", "tier", "territories", "email", "max_active", "language"], PARTNERS)

    # --- Snapshot: curated accounts first, then generated ones -------------------------------
    deals = []
    partner_ids = [p[0] for p in PARTNERS]

    def deal(name, domain, country, city, postal, owner_type, owner, status, created, expires, value, activity="",
             address="", phone=""):
        deal_id = f"D-{10001 + len(deals)}"
        deals.append([deal_id, name, owner_type, status, domain, city, country, postal, owner, created, expires, value,
                      activity, address, phone])
        return deal_id

    # Scenarios the uploads refer to (named so tests can assert them).
    deal("Fourth Coffee Inc.", "fourthcoffee.com", "US", "Seattle", "98101", "partner", "P-COASTAL", "registered",
         "2026-10-01", "2026-12-30", "48000")                                   # blocks others
    deal("Contoso Ltd", "contoso.com", "US", "Redmond", "98052", "direct", "rep-jlee", "open",
         "2026-09-15", "", "250000", "2026-11-10")                              # recently active direct deal blocks
    deal("Litware, Inc.", "litwareinc.com", "US", "Boston", "02108", "partner", "P-NORTHWIND", "registered",
         "2026-06-01", "2026-09-01", "30000")                                   # expired registration: free
    deal("Coho Winery", "cohowinery.com", "US", "Napa", "94558", "partner", "P-NORTHWIND", "lost",
         "2026-01-10", "", "12000")                                             # lost: free
    deal("Woodgrove Bank", "woodgrovebank.com", "US", "Charlotte", "28202", "direct", "rep-akim", "won",
         "2025-11-01", "", "900000")                                            # existing customer
    deal("Müller Maschinenbau GmbH", "mueller-maschinenbau.de", "DE", "München", "80331", "partner", "P-ALPINE",
         "registered", "2026-10-20", "2027-01-18", "75000")                     # Alpine already holds it
    deal("ООО «Северсталь Сервис»", "severstal-service.ru", "RU", "Москва", "101000", "partner", "P-VOLGA",
         "registered", "2026-11-01", "2027-01-30", "64000")
    deal("ソニー株式会社", "sony-example.jp", "JP", "東京都", "108-0075", "direct", "rep-tanaka", "open",
         "2026-08-01", "", "500000", "2026-11-01")
    deal("Café Crème SARL", "cafe-creme.fr", "FR", "Paris", "75001", "partner", "P-LUMIERE", "expired",
         "2026-01-05", "2026-04-05", "9000")
    deal("Grünwald Logistik AG", "gruenwald-logistik.de", "AT", "Wien", "1010", "partner", "P-ALPINE", "open",
         "2026-10-02", "2027-01-01", "41000")                                  # same name, other country
    statuses = ["open", "open", "registered", "registered", "won", "lost", "expired"]
    for account in generated_accounts(290):
        name, domain, country, city, postal = account
        status = rng.choice(statuses)
        owner_type = "direct" if rng.random() < 0.25 else "partner"
        owner = f"rep-{rng.randint(100, 999)}" if owner_type == "direct" else rng.choice(partner_ids)
        created = f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"
        expires = ""
        if status in ("registered", "expired") or (status == "open" and owner_type == "partner"):
            month = rng.randint(1, 12)
            expires = f"{2026 if status == 'expired' or month > 6 else 2027}-{month:02d}-{rng.randint(1, 28):02d}"
        domain_cell = domain if rng.random() < 0.8 else ""
        deal(name, domain_cell, country, city, postal, owner_type, owner, status, created, expires,
             str(rng.randint(5, 400) * 1000))
    # Hard negatives for the uploads' look-alike names (appended so earlier deal IDs stay put).
    deal("Siemens Energy AG", "siemens-energy.example", "DE", "München", "81739", "partner", "P-NORDIC", "open",
         "2026-09-01", "2027-02-01", "150000")
    deal("Deutsche Bank AG", "db.example", "DE", "Frankfurt am Main", "60262", "direct", "rep-weber", "open",
         "2026-07-01", "", "800000", "2026-11-15")
    deal("American Airlines Inc", "aa.example", "US", "Fort Worth", "76155", "partner", "P-COASTAL", "registered",
         "2026-10-15", "2027-01-31", "95000")
    deal("Toyota Motor Corporation", "toyota-global.example", "JP", "豊田市", "471-8571", "direct", "rep-sato", "open",
         "2026-05-01", "", "1200000", "2026-11-18")
    deal("Graphic Design Institute", "graphicdesigninstitute.com", "US", "Boston", "02110", "direct", "rep-jlee", "open",
         "2026-03-01", "", "45000", "2026-04-02")                              # direct deal idle for months: free
    deal("Bluewater Pool Service", "bluewaterpools.example", "US", "San Francisco", "94109", "partner", "P-NORDIC",
         "registered", "2026-10-20", "2027-01-18", "18000", address="1200 North Point St",
         phone="+1 415 555 0140")                                               # one site of a chain (match.sites)
    write_csv(OUT / "snapshot.csv",
              ["deal_id", "account_name", "owner_type", "status", "account_domain", "city", "country", "postal_code",
               "owner_id", "created_on", "expires_on", "deal_value", "last_activity_on", "address", "phone"], deals)
    generated = deals[10:]

    # --- Upload 1: Northwind, Excel "CSV UTF-8" (BOM, CRLF) -------------------------------------
    header = ["Partner ID", "Company Name", "Website", "Amount", "Expected Close Date", "Contact Name",
              "Contact Email", "City", "State", "Country", "Partner Reference", "Notes"]
    free_generated = next(d for d in generated if d[3] == "lost" and d[4] and d[6] in ("US", "CA"))
    blocking_generated = next(d for d in generated if d[3] == "open" and d[4] and d[2] == "partner" and d[6] in ("US", "CA")
                              and d[8] != "P-NORTHWIND" and (not d[10] or d[10] >= "2026-11-23"))
    rows = [
        ["P-NORTHWIND", "Tailspin Toys", "https://www.tailspintoys.com/contact", "$45,000.00", "2027-02-15",
         "Dana Ruiz", "dana.ruiz@tailspintoys.com", "Austin", "TX", "US", "NW-2201", "New data center build"],
        ["P-NORTHWIND", "FOURTH COFFEE INC", "fourthcoffee.com", "18,500", "2027-01-31", "Ari Cohen",
         "ari@fourthcoffee.com", "Seattle", "WA", "US", "NW-2202", "Already registered by another partner"],
        ["P-NORTHWIND", "Contoso Ltd.", "www.contoso.com", "120000", "2027-03-31", "Mei Chen",
         "mei.chen@contoso.com", "Redmond", "WA", "USA", "NW-2203", "Direct sales is on it"],
        ["P-NORTHWIND", "Litware Inc", "litwareinc.com", "22000", "2027-01-15", "Sam Patel", "sam@litwareinc.com",
         "Boston", "MA", "United States", "NW-2204", "Old registration expired in September"],
        ["P-NORTHWIND", "Coho Winery", "COHOWINERY.COM", "9,750.50", "2027-02-28", "Lee Park", "lee@cohowinery.com",
         "Napa", "CA", "US", "NW-2205", "Lost deal earlier this year"],
        ["P-NORTHWIND", "Alpine Ski House", "alpineskihouse.com", "31000", "03/04/2027", "Kim Olsen",
         "kim@alpineskihouse.com", "Whistler", "BC", "Canada", "NW-2206", "Date read as March 4 (policy MDY)"],
        ["P-NORTHWIND", free_generated[1], free_generated[4], "15000", "2027-04-30", "Jo Adams",
         f"jo@{free_generated[4]}", free_generated[5], "", free_generated[6], "NW-2207", "Previous deal was lost"],
        ["P-NORTHWIND", blocking_generated[1], "", "27000", "2027-05-31", "Max Byrne", "", blocking_generated[5], "",
         blocking_generated[6], "NW-2208", "Held by another partner"],
        ["P-NORTHWIND", "Blue Yonder Airlines", "blueyonderairlines.com", "88000", "2027-03-15", "Riley Quinn",
         "riley@blueyonderairlines.com", "Chicago", "IL", "US", "NW-2209", ""],
        ["P-NORTHWIND", "Wide World Importers", "http://wideworldimporters.com/about-us", "54000", "2027-02-01",
         "Noor Haddad", "noor@wideworldimporters.com", "Houston", "TX", "US", "NW-2210", ""],
        ["P-NORTHWIND", "Fourth Cofee Co.", "", "14000", "2027-02-20", "Pat Lee", "", "Seattle", "WA", "US", "NW-2211",
         "Typo of a registered account: goes to review"],
        ["P-NORTHWIND", "American Express Company", "americanexpress.example", "66000", "2027-03-10", "Alex Kim",
         "alex@americanexpress.example", "New York", "NY", "US", "NW-2212", "Not American Airlines"],
        ["P-NORTHWIND", "Woodgrove Bank", "woodgrovebank.com", "70000", "2027-04-15", "Jamie Fox",
         "jamie@woodgrovebank.com", "Charlotte", "NC", "US", "NW-2213", "Already a customer"],
        ["P-NORTHWIND", "\u0421ontoso Limited", "", "35000", "2027-03-20", "Chris Ray", "", "Redmond", "WA", "US",
         "NW-2214", "Cyrillic look-alike C"],
        ["P-NORTHWIND", "Graphic Design Institute", "graphicdesigninstitute.com", "28000", "2027-04-30", "Lee Wong",
         "lee@graphicdesigninstitute.com", "Boston", "MA", "US", "NW-2215", "Direct deal idle since April"],
    ]
    write_csv(OUT / "northwind-2026-11-20.csv", header, rows, bom=True)

    # --- Upload 2: Alpine, European Excel (Windows-1252, semicolons, German headers) ------------
    header = ["Partner", "Firma", "Website", "Betrag", "Expected Close Date", "Ansprechpartner", "E-Mail", "Ort",
              "PLZ", "Land", "Notizen"]
    rows = [
        ["P-ALPINE", "Müller Maschinenbau GmbH", "www.mueller-maschinenbau.de", "75.000,00 €", "31.03.2027",
         "Jürgen Weiß", "j.weiss@mueller-maschinenbau.de", "München", "80331", "Deutschland", "Haben wir schon"],
        ["P-ALPINE", "Bäckerei Schäfer KG", "baeckerei-schaefer.de", "12.500,00 €", "15.02.2027", "Anna Schäfer",
         "anna@baeckerei-schaefer.de", "Köln", "50667", "Deutschland", "Neukunde"],
        ["P-ALPINE", "Österreichische Holzwerke GmbH", "holzwerke.at", "8.900 €", "28.02.2027", "Franz Huber",
         "f.huber@holzwerke.at", "Wien", "1010", "Österreich", ""],
        ["P-ALPINE", "Zürcher Präzision AG", "zuercher-praezision.ch", "CHF 46'000", "30.04.2027", "Urs Meier",
         "urs.meier@zuercher-praezision.ch", "Zürich", "8001", "Schweiz", "Preis in CHF"],
        ["P-ALPINE", "Grünwald Logistik AG", "", "19.000,00 €", "01.03.2027", "Eva Braun", "", "Hamburg", "20095",
         "DE", "Gleichnamige Firma in Wien?"],
        ["P-ALPINE", "Café Crème SARL", "cafe-creme.fr", "6.400,00 €", "31.01.2027", "Luc Martin",
         "luc@cafe-creme.fr", "Paris", "75001", "Frankreich", "Alte Registrierung abgelaufen"],
        ["P-ALPINE", "MUELLER MASCHINENBAU GMBH", "", "80.000,00 €", "30.04.2027", "Jürgen Weiß", "", "München",
         "80331", "DE", "Ohne Umlaut geschrieben"],
        ["P-ALPINE", "Deutsche Bahn AG", "deutschebahn.example", "60.000,00 €", "30.06.2027", "Petra Koch",
         "p.koch@deutschebahn.example", "Berlin", "10115", "DE", "Nicht die Deutsche Bank"],
        ["P-ALPINE", "Siemens Healthineers AG", "siemens-healthineers.example", "90.000,00 €", "31.05.2027",
         "Max Vogel", "max.vogel@siemens-healthineers.example", "Erlangen", "91052", "DE", "Nicht Siemens Energy"],
    ]
    write_csv(OUT / "alpine-2026-11-21.csv", header, rows, encoding="cp1252", delimiter=";")

    # --- Upload 3: Sakura, UTF-8 without BOM, LF, non-Latin names, submitted_at -----------------
    header = ["partner_id", "account_name", "account_domain", "deal_value", "currency", "expected_close_date",
              "contact_name", "contact_email", "city", "country", "submitted_at", "region"]
    rows = [
        ["P-SAKURA", "株式会社さくら食品", "sakura-foods.jp", "¥4,800,000", "JPY", "2027-03-31", "佐藤 花子",
         "hanako.sato@sakura-foods.jp", "大阪市", "日本", "2026-11-21T09:15:00+09:00"],
        ["P-SAKURA", "ソニー株式会社", "sony-example.jp", "¥60,000,000", "JPY", "2027-06-30", "鈴木 一郎",
         "ichiro@sony-example.jp", "東京都", "JP", "2026-11-21T09:20:00+09:00"],
        ["P-SAKURA", "阿里云科技有限公司", "aliyun-example.cn", "350000", "CNY", "2027-04-30", "王伟",
         "wang.wei@aliyun-example.cn", "杭州", "中国", "2026-11-21T10:00:00+09:00"],
        ["P-SAKURA", "삼성전자 주식회사", "https://samsung-example.kr/", "80000", "USD", "2027-05-31", "김민준",
         "minjun@samsung-example.kr", "수원시", "대한민국", "2026-11-21T10:30:00+09:00"],
        ["P-COASTAL", "Tailspin Toys", "tailspintoys.com", "52000", "USD", "2027-02-28", "Aiko Mori",
         "aiko@coastalnet.example", "San Diego", "US", "2026-11-19T08:00:00Z"],
        ["P-COASTAL", "Margie's Travel", "margiestravel.com", "18000", "USD", "2027-03-31", "Rosa Diaz",
         "rosa@margiestravel.com", "San Jose", "US", "2026-11-19T09:00:00Z"],
        ["P-VOLGA", "ООО «Северсталь Сервис»", "severstal-service.ru", "3 500 000 ₽", "RUB", "2027-03-15",
         "Иван Петров", "i.petrov@severstal-service.ru", "Москва", "Россия", "2026-11-21T12:00:00+03:00"],
        ["P-VOLGA", "ПАО Уралтрансмаш", "uraltransmash.ru", "2 100 000 ₽", "RUB", "2027-04-01", "Ольга Смирнова",
         "o.smirnova@uraltransmash.ru", "Екатеринбург", "Россия", "2026-11-21T12:05:00+03:00"],
        ["P-LUMIERE", "Ελληνικά Πετρέλαια Α.Ε.", "hellenic-petroleum-example.gr", "85000", "EUR", "2027-06-15",
         "Νίκος Παπαδόπουλος", "nikos@hellenic-petroleum-example.gr", "Αθήνα", "Ελλάδα", "2026-11-21T13:00:00+02:00"],
        ["P-SAKURA", "トヨタ自動車株式会社", "https://www.toyota-global.example/jp/", "9000000", "JPY", "2027-09-30",
         "田中 太郎", "", "豊田市", "JP",
         "2026-11-21T14:00:00+09:00"],
        ["P-SAKURA", "Toyota Industries Corporation", "toyota-industries.example", "12000000", "JPY", "2027-08-31",
         "山本 健", "ken@toyota-industries.example", "刈谷市", "JP", "2026-11-21T14:05:00+09:00"],
        ["P-NORDIC", "Severstal Servis OOO", "", "2500000", "RUB", "2027-05-15", "Olga Berg",
         "olga.severstal@gmail.com", "Moscow", "RU", "2026-11-21T15:00:00+03:00"],
    ]
    rows = [row + (["CA"] if row[0] == "P-COASTAL" else [""]) for row in rows]
    write_csv(OUT / "sakura-2026-11-21.csv", header, rows, newline="\n")

    # --- Upload 4: FieldForce, hand-edited and broken ---------------------------------------------
    lines = [
        "partner_id,account_name,account_domain,deal_value,expected_close_date,contact_email,country,Territory Manager",
        "P-FIELDFORCE,Harbour Analytics Ltd,harbouranalytics.co.uk,\"£14,200\",2027-01-20,ops@harbouranalytics.co.uk,GB,Jane Doe",
        "P-FIELDFORCE,Dublin Data Services Limited,dublindata.ie,twelve thousand,2027-02-10,info@dublindata.ie,IE,Jane Doe",
        "P-FIELDFORCE,,kangaroofreight.com.au,23000,2027-03-01,,AU,Jane Doe",
        "P-FIELDFORCE,Trey Research,treyresearch.net,16000,2025-12-31,contact@treyresearch.net,US,Jane Doe",
        "P-FIELDFORCE,Relecloud,relecloud.com,21000,13/31/2027,hello@relecloud,US,Jane Doe",
        "P-UNKNOWN,Proseware Inc,proseware.com,30000,2027-04-15,sales@proseware.com,US,Jane Doe",
        "P-FIELDFORCE,Southridge Video,southridgevideo.com,11000,2027-02-14,team@southridgevideo.com,Atlantis,Jane Doe",
        "P-FIELDFORCE,Lucerne Publishing,lucernepublishing.com,9000,2027-02-20,books@lucernepublishing.com,US,Jane Doe,extra,values",
        "P-FIELDFORCE,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",evil.example,5000,2027-02-20,x@evil.example,GB,Jane Doe",
        "",
        "P-FIELDFORCE,\"Margie's Travel, 17000,2027-03-05,trips@margiestravel.com,US,Jane Doe",
        "P-FIELDFORCE,Humongous Insurance,humongousinsurance.com,\"€ 40.000,00\",05.03.2027,risk@humongousinsurance.com,GB,Jane Doe",
        "P-FIELDFORCE,Humongous Insurance Co.,HumongousInsurance.com,41000,2027-03-06,,GB,John Roe",
        "P-FIELDFORCE,Harbour Bakery Ltd,,8000,2027-02-28,harbourbakery@gmail.com,GB,Jane Doe",
        "P-FIELDFORCE,Galway Bikes Ltd,,7000,2027-02-28,galwaybikes@gmail.com,IE,Jane Doe",
        "P-FIELDFORCE,Kilkenny Crafts,,3000,2027-02-28,,IE,Jane Doe",
        ",,,,,,,",
    ]
    (OUT / "fieldforce-2026-11-22.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))

    # --- Upload 5: Northwind's field team, three sites of one pool-service chain ---------------
    # match.sites: separate — the registered San Francisco site is a duplicate; Oakland and
    # Sausalito are sites of their own, approved with the registered one as related_record.
    header = ["Partner ID", "Partner Reference", "Company Name", "Street Address", "City", "State", "Postal Code",
              "Country", "Phone", "Website", "Amount", "Expected Close Date", "Contact Email", "Notes"]
    rows = [
        ["P-NORTHWIND", "CN-301", "Bluewater Pool Service", "455 Embarcadero West", "Oakland", "CA", "94607", "US",
         "(510) 555-0199", "bluewaterpools.example", "$18,000", "2027-03-01", "oakland@bluewaterpools.example",
         "Their Oakland yard: a site of its own"],
        ["P-NORTHWIND", "CN-302", "Bluewater Pool Service", "1200 North Point Street, Suite 4", "San Francisco", "CA",
         "94109", "US", "+1 415 555 0140", "bluewaterpools.example", "$22,000", "2027-03-01",
         "sf@bluewaterpools.example", "Head office"],
        ["P-NORTHWIND", "CN-303", "Bluewater Pool Service", "88 Bridgeway", "Sausalito", "CA", "94965", "US",
         "(415) 555-0177", "bluewaterpools.example", "$7,500", "2027-03-15", "sausalito@bluewaterpools.example",
         "Third site"],
    ]
    write_csv(OUT / "northwind-sites-2026-11-22.csv", header, rows, newline="\n")


def policy_files():
    (OUT / "policy.yaml").write_text("""\
# Sample rules of engagement; every key is documented in POLICY.md.
currency: USD
date_order: MDY
validity_days: 90
extension_days: 30
max_extensions: 2
reminder_days: 14
max_active_per_partner: 25
direct_reserved:
  min_deal_value: 100000
  accounts_file: direct_accounts.csv
blocked_accounts_file: blocked.csv
existing_customers: review
direct_activity_days: 90
territory: enforce
require_consent: false
auto_approve:
  default: 70
  gold: 60
  bronze: 75
shadow_mode: false
match: { duplicate_score: 90, review_score: 70, sites: separate }
exchange_rates: { EUR: 1.08, GBP: 1.27, CHF: 1.13, JPY: 0.0067, CNY: 0.14, RUB: 0.011, CAD: 0.73 }
""", encoding="utf-8")
    write_csv(OUT / "direct_accounts.csv", ["account_name", "account_domain", "country", "note"],
              [["Blue Yonder Airlines", "blueyonderairlines.com", "US", "Strategic account, direct only"]])
    write_csv(OUT / "blocked.csv", ["account_name", "account_domain", "country", "note"],
              [["Wide World Importers", "wideworldimporters.com", "US", "Sanctions screening hit 2026-10"]])


if __name__ == "__main__":
    main()
    policy_files()
