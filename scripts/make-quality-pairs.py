#!/usr/bin/env python3
"""Writes quality/pairs.csv: labeled account pairs (same / different) from real-world
naming patterns across countries and scripts, each with its category and why it is hard.
Deterministic. Run from the repository root: python3 scripts/make-quality-pairs.py
"""
import csv
import random
from pathlib import Path

rng = random.Random(500)
OUT = Path(__file__).resolve().parent.parent / "quality" / "pairs.csv"
rows = []


def add(category, label, why, a, b):
    """a and b: dicts with name and optional domain, email, country, city, postal."""
    rows.append({"category": category, "label": label, "why": why,
                 **{f"a_{k}": a.get(k, "") for k in ("name", "domain", "email", "country", "city", "postal")},
                 **{f"b_{k}": b.get(k, "") for k in ("name", "domain", "email", "country", "city", "postal")}})


# Base names by country with the legal-form spellings used there.
BASES = {
    "US": (["Fourth Coffee", "Blue Yonder Airlines", "Litware", "Proseware", "Northwind Traders", "Coho Vineyard",
            "Tailspin Toys", "Wingtip Toys", "Adventure Works", "Trey Research", "Lamna Healthcare", "Relecloud"],
           [("Inc.", "Incorporated"), ("Corp.", "Corporation"), ("LLC", "L.L.C."), ("Co.", "Company"), ("Inc", "")]),
    "GB": (["Harbour Analytics", "Thames Valley Foods", "Pennine Engineering", "Lakeland Outdoor", "Cotswold Brewing"],
           [("Ltd", "Limited"), ("PLC", "Public Limited Company"), ("Ltd.", "")]),
    "DE": (["Müller Maschinenbau", "Schäfer Logistik", "Grünwald Bau", "Böhm Elektrotechnik", "Weißbach Druck",
            "Krüger Anlagenbau"],
           [("GmbH", "Gesellschaft mit beschränkter Haftung"), ("AG", "Aktiengesellschaft"), ("GmbH & Co. KG", "GmbH & Co KG"),
            ("GmbH", "")]),
    "FR": (["Société Générale d'Équipement", "Lumière Intégration", "Boulangerie Dupré", "Électricité Côtière"],
           [("S.A.", "SA"), ("SAS", "S.A.S."), ("SARL", "S.à r.l."), ("SA", "")]),
    "ES": (["Construcciones Peña", "Frutas Ibéricas", "Aceites del Sur"], [("S.L.", "SL"), ("S.A.", "Sociedad Anónima")]),
    "IT": (["Ferramenta Bianchi", "Pasticceria Rossi", "Officine Meccaniche Lombarde"], [("S.p.A.", "SpA"), ("S.r.l.", "Srl")]),
    "NL": (["Van der Berg Transport", "Hollandse Bloemen"], [("B.V.", "BV"), ("N.V.", "NV")]),
    "SE": (["Åkerlund Bygg", "Nordström Verktyg"], [("AB", "Aktiebolag"), ("AB", "")]),
    "DK": (["Ørsted Energi", "Kjøbenhavns Kaffe"], [("A/S", "AS"), ("ApS", "")]),
    "NO": (["Fjordkraft Service"], [("AS", "A/S")]),
    "FI": (["Kone Hissit", "Pohjolan Voima"], [("Oy", "Osakeyhtiö"), ("Oyj", "")]),
    "PL": (["Łódź Tekstylia", "Gdańskie Stocznie"], [("Sp. z o.o.", "Sp. z o. o."), ("S.A.", "SA")]),
    "TR": (["İş Yazılım", "Doğan Gıda"], [("A.Ş.", "AS"), ("Ltd. Şti.", "")]),
    "JP": (["Sakura Foods", "Fuji Precision"], [("K.K.", "Kabushiki Kaisha"), ("Co., Ltd.", "Co. Ltd")]),
    "AU": (["Kangaroo Freight", "Coral Coast Tours"], [("Pty Ltd", "Pty. Ltd."), ("Pty Ltd", "Proprietary Limited")]),
    "IN": (["Sundaram Textiles", "Ganga Motors"], [("Pvt Ltd", "Private Limited"), ("Ltd", "Limited")]),
    "BR": (["Café do Vale", "Construtora Paulista"], [("Ltda.", "Ltda"), ("S.A.", "SA")]),
    "MX": (["Grupo Industrial Azteca", "Cementos del Norte"], [("S.A. de C.V.", "SA de CV")]),
    "CH": (["Zürcher Präzision", "Berner Uhren"], [("AG", "SA"), ("GmbH", "Sàrl")]),
}

def domain_for(name, country):
    tld = {"US": "com", "GB": "co.uk", "DE": "de", "FR": "fr", "ES": "es", "IT": "it", "NL": "nl", "SE": "se", "DK": "dk",
           "NO": "no", "FI": "fi", "PL": "pl", "TR": "com.tr", "JP": "co.jp", "AU": "com.au", "IN": "in", "BR": "com.br",
           "MX": "com.mx", "CH": "ch"}.get(country, "com")
    slug = "".join(c for c in name.lower() if c.isascii() and c.isalnum())[:20] or "x"
    return f"{slug}.{tld}"

# 1. Legal-form variants (same)
for country, (names, forms) in BASES.items():
    for name in names:
        for left, right in forms:
            a = f"{name} {left}".strip()
            b = f"{name} {right}".strip()
            add("legal_form", "same", f"{country} legal form written two ways", {"name": a, "country": country},
                {"name": b, "country": country})

# 2. Case, punctuation, spacing, articles, word order (same)
for name, other in [("Coca-Cola", "Coca Cola"), ("A.B.C. Engineering", "ABC Engineering"), ("A B C Engineering", "ABC Engineering"),
                    ("The Fourth Coffee Company", "Fourth Coffee Co"), ("Procter & Gamble", "Procter and Gamble"),
                    ("AT&T", "AT and T"), ("O'Reilly Media", "OReilly Media"), ("Wal-Mart Stores", "Walmart Stores"),
                    ("JOHNSON MATTHEY PLC", "Johnson Matthey plc"), ("bluebird logistics", "BlueBird Logistics"),
                    ("Harbour Analytics, Ltd.", "HARBOUR ANALYTICS LTD"), ("Smith & Nephew", "Smith and Nephew"),
                    ("H&M Hennes & Mauritz", "H and M Hennes and Mauritz"), ("Marks & Spencer", "Marks and Spencer"),
                    ("Ernst & Young", "Ernst and Young"), ("Baker-Hughes", "Baker Hughes"), ("Hewlett-Packard", "Hewlett Packard"),
                    ("Rolls-Royce", "Rolls Royce"), ("Mercedes-Benz", "Mercedes Benz"), ("Black & Decker", "Black and Decker"),
                    ("Carolina University, North", "North Carolina University"), ("Le Petit Café", "Petit Café"),
                    ("The Limited", "Limited"), ("3M Company", "3M Co"), ("L'Oréal", "LOreal"), ("E.ON", "EON"),
                    ("Müller-Thurgau Weine", "Müller Thurgau Weine"), ("SAP", "S.A.P."), ("Tata Consultancy Services", "TATA CONSULTANCY SERVICES")]:
    add("punctuation_case_order", "same", "case, punctuation, spacing, article or word order", {"name": name}, {"name": other})

# 3. Diacritics and German spelling (same)
for a, b, country in [("Müller GmbH", "Mueller GmbH", "DE"), ("Müller GmbH", "Muller GmbH", "DE"), ("Straße Bau AG", "Strasse Bau AG", "DE"),
                      ("Böhm Elektrotechnik", "Boehm Elektrotechnik", "DE"), ("Krüger Anlagenbau", "Krueger Anlagenbau", "DE"),
                      ("Société Générale", "Societe Generale", "FR"), ("Électricité Côtière", "Electricite Cotiere", "FR"),
                      ("Ørsted A/S", "Orsted AS", "DK"), ("Åkerlund Bygg AB", "Akerlund Bygg AB", "SE"),
                      ("Łódź Tekstylia", "Lodz Tekstylia", "PL"), ("Gdańskie Stocznie", "Gdanskie Stocznie", "PL"),
                      ("İş Bankası", "Is Bankasi", "TR"), ("Doğan Gıda", "Dogan Gida", "TR"), ("Nestlé", "Nestle", "CH"),
                      ("Peña Construcciones", "Pena Construcciones", "ES"), ("Café do Vale", "Cafe do Vale", "BR"),
                      ("Škoda Auto", "Skoda Auto", "CZ"), ("Þór Fiskvinnsla", "Thor Fiskvinnsla", "IS"),
                      ("Đông Á Bank", "Dong A Bank", "VN"), ("Citroën", "Citroen", "FR"), ("Zürcher Präzision", "Zurcher Prazision", "CH"),
                      ("Kjøbenhavns Kaffe", "Kjobenhavns Kaffe", "DK"), ("Grünwald Bau", "Gruenwald Bau", "DE"),
                      ("Weißbach Druck", "Weissbach Druck", "DE"), ("Săpunul Românesc", "Sapunul Romanesc", "RO")]:
    add("diacritics", "same", "accents, umlauts as ae/oe/ue, ß/ss, special letters", {"name": a, "country": country},
        {"name": b, "country": country})

# 4. Transliteration and native scripts (same)
for a, b, country in [("ООО «Газпром нефть»", "Gazprom Neft LLC", "RU"), ("ПАО Сбербанк", "Sberbank PJSC", "RU"),
                      ("Приватбанк", "PrivatBank", "UA"), ("ООО «Северсталь Сервис»", "Severstal Servis OOO", "RU"),
                      ("АО «Уралтрансмаш»", "Uraltransmash JSC", "RU"), ("Аэрофлот", "Aeroflot", "RU"),
                      ("Роснефть", "Rosneft", "RU"), ("Лукойл", "Lukoil", "RU"), ("Магнит", "Magnit", "RU"),
                      ("Яндекс", "Yandex", "RU"), ("Касперский", "Kaspersky", "RU"), ("ТОВ «Київстар»", "Kyivstar", "UA"),
                      ("Нова Пошта", "Nova Poshta", "UA"), ("Ελληνικά Πετρέλαια Α.Ε.", "Ellinika Petrelaia AE", "GR"),
                      ("Κωτσόβολος", "Kotsovolos", "GR"), ("Μυτιληναίος", "Mytilineos", "GR"),
                      ("ソニー株式会社", "Sony Corporation", "JP"), ("ＫＤＤＩ株式会社", "KDDI Corporation", "JP"),
                      ("トヨタ自動車株式会社", "Toyota Motor Corporation", "JP"), ("株式会社日立製作所", "Hitachi, Ltd.", "JP"),
                      ("阿里巴巴集团控股有限公司", "Alibaba Group Holding Limited", "CN"), ("腾讯控股有限公司", "Tencent Holdings Ltd", "CN"),
                      ("联想集团", "Lenovo Group", "CN"), ("삼성전자 주식회사", "Samsung Electronics Co., Ltd.", "KR"),
                      ("(주)카카오", "Kakao Corp.", "KR"), ("บริษัท ปตท. จำกัด (มหาชน)", "PTT Public Company Limited", "TH"),
                      ("Бургер Кинг", "Burger King", "RU"), ("Интерсервис", "Interservis", "RU"), ("Техносила", "Tekhnosila", "RU"),
                      ("Мегафон", "Megafon", "RU")]:
    add("transliteration", "same", "native script vs Latin spelling (ICU cannot reach every English name)",
        {"name": a, "country": country}, {"name": b, "country": country})

# 5. Native-script variants of one name (same)
for a, b in [("㈱ソニー", "ソニー株式会社"), ("（株）ソニー", "ソニー株式会社"), ("株式会社さくら食品", "さくら食品株式会社"),
             ("ＫＤＤＩ株式会社", "KDDI株式会社"), ("有限会社山田商店", "山田商店"), ("阿里巴巴集团控股有限公司", "阿里巴巴集团控股"),
             ("華為技術有限公司", "華為技術"), ("台積電股份有限公司", "台積電"), ("삼성전자 주식회사", "삼성전자(주)"),
             ("ООО «Ромашка»", "Ромашка ООО"), ("АО Уралтрансмаш", "Уралтрансмаш"), ("ソニーグループ株式会社", "ソニーグループ")]:
    add("native_script", "same", "native legal form before, after or absent; full-width letters", {"name": a}, {"name": b})

# 6. Look-alike letters (same)
for a, b in [("Сisco Systems", "Cisco Systems"), ("раураl", "PayPal"), ("Аpple", "Apple"), ("Micrоsoft", "Microsoft"),
             ("ЅΙΕΜΕΝЅ", "SIEMENS"), ("Ѕamsung", "Samsung"), ("Νestlé", "Nestlé"), ("Соса-Cola", "Coca-Cola"),
             ("Amazоn", "Amazon"), ("Ρhilips", "Philips"), ("Fourth Cоffee", "Fourth Coffee"), ("Cоntoso", "Contoso"),
             ("Fabrikаm", "Fabrikam"), ("Тailspin Toys", "Tailspin Toys")]:
    add("confusables", "same", "Cyrillic or Greek look-alike letters in a Latin name", {"name": a}, {"name": b})

# 7. Typos (same): one edit in names of six letters or more
words = ["Fabrikam", "Contoso", "Northwind", "Litware", "Proseware", "Relecloud", "Woodgrove", "Humongous", "Wingtip",
         "Tailspin", "Coho Winery", "Lucerne Publishing", "Margies Travel", "Southridge Video", "Alpine Ski House",
         "Graphic Design Institute", "Consolidated Messenger", "Wide World Importers", "Fourth Coffee", "Trey Research",
         "Lamna Healthcare", "Blue Yonder", "City Power", "Adatum", "Bellows College", "Munson Pickles"]
def typo(text):
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    i = rng.choice(letters[1:-1])
    kind = rng.choice(["drop", "double", "swap", "replace"])
    if kind == "drop":
        return text[:i] + text[i + 1:]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    if kind == "swap" and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + rng.choice("aeiourst") + text[i + 1:]
for word in words:
    for _ in range(2):
        add("typo", "same", "one keying error", {"name": typo(word)}, {"name": word})

# 8. Same website, different name forms (same)
for a, b, domain in [("IBM", "International Business Machines Corporation", "ibm.example"),
                     ("HP Inc", "Hewlett Packard", "hp.example"), ("GE", "General Electric Company", "ge.example"),
                     ("P&G", "Procter & Gamble", "pg.example"), ("VW", "Volkswagen AG", "volkswagen.example"),
                     ("BASF", "Badische Anilin- und Soda-Fabrik", "basf.example"), ("トヨタ自動車", "Toyota Motor Corporation", "toyota-global.example"),
                     ("株式会社日立製作所", "Hitachi Ltd", "hitachi.example"), ("腾讯", "Tencent", "tencent.example"),
                     ("삼성전자", "Samsung Electronics", "samsung.example"), ("Fourth Coffee Roasters", "Fourth Coffee", "fourthcoffee.com"),
                     ("Contoso Pharmaceuticals", "Contoso Ltd", "contoso.com"), ("Tata Motors Limited", "Tata Motors", "tatamotors.example")]:
    add("same_domain", "same", "brand or abbreviation vs legal name; the website decides",
        {"name": a, "domain": f"https://www.{domain}/"}, {"name": b, "domain": domain})
for a, b, email, domain in [("Acme Tools", "ACME Tools Ltd", "j.doe@sales.acme-tools.co.uk", "acme-tools.co.uk"),
                            ("Bücher Haus", "Buecher Haus GmbH", "anna@bücher-haus.de", "xn--bcher-haus-xhb.de"),
                            ("Nordic Edge", "Nordic Edge AB", "info@nordicedge.se", "www.nordicedge.se")]:
    add("same_domain", "same", "contact email domain equals the website", {"name": a, "email": email}, {"name": b, "domain": domain})

# 9. Abbreviated generic words (same)
for a, b in [("Contoso International", "Contoso Intl"), ("Fabrikam Manufacturing", "Fabrikam Mfg"),
             ("Litware Technologies", "Litware Tech"), ("Northwind Services", "Northwind Svcs"),
             ("Proseware Corporation", "Proseware Corp"), ("Woodgrove Brothers", "Woodgrove Bros"),
             ("Trey Research Associates", "Trey Research Assoc"), ("Coho Holdings", "Coho Hldgs")]:
    add("abbreviation", "same", "generic word abbreviated", {"name": a}, {"name": b})

# Hard negatives -------------------------------------------------------------------------------------------
for a, b in [("Deutsche Bank AG", "Deutsche Bahn AG"), ("Deutsche Post", "Deutsche Telekom"), ("Siemens Energy AG", "Siemens Healthineers AG"),
             ("Toyota Motor", "Toyota Industries"), ("Samsung Electronics", "Samsung Heavy Industries"),
             ("Mitsubishi Motors", "Mitsubishi Electric"), ("Tata Steel", "Tata Motors"), ("Hyundai Motor", "Hyundai Steel"),
             ("American Airlines", "American Express"), ("General Motors", "General Mills"), ("General Electric", "General Dynamics"),
             ("Johnson & Johnson", "Johnson Controls International plc"), ("Bank of America", "Bank of China"),
             ("Royal Bank of Canada", "Royal Bank of Scotland"), ("China Mobile", "China Unicom"),
             ("LG Electronics", "LG Chem"), ("SK Hynix", "SK Telecom"), ("Honda Motor", "Honda Trading"),
             ("Nippon Steel", "Nippon Paint"), ("Sumitomo Chemical", "Sumitomo Electric"), ("Fiat Chrysler", "Fiat Industrial"),
             ("Ford Motor Company", "Ford Foundation"), ("Shell Oil", "Shell Energy"), ("BP Chemicals", "BP Shipping"),
             ("Roche Diagnostics", "Roche Pharma"), ("Bosch Rexroth", "Bosch Siemens Hausgeräte"),
             ("Allianz Global Investors", "Allianz Partners"), ("Fourth Coffee", "Fourth Street Bakery"),
             ("Contoso Pharmaceuticals", "Contoso Logistics"), ("Northwind Traders", "Northwind Health"),
             ("Blue Yonder Airlines", "Blue Yonder Software"), ("Alpine Ski House", "Alpine Systemhaus"),
             ("Coho Winery", "Coho Vineyard Supplies"), ("Grupo Bimbo", "Grupo Modelo"), ("Banco Santander", "Banco Sabadell"),
             ("Crédit Agricole", "Crédit Mutuel"), ("Société Générale", "Société Nationale des Chemins de fer"),
             ("ПАО Сбербанк", "ПАО Газпром"), ("ソニー株式会社", "ソフトバンク株式会社"), ("阿里巴巴集团", "百度集团")]:
    add("siblings", "different", "share a distinctive word, differ in the rest", {"name": a}, {"name": b})

for a, b in [("Bank of the West", "Bank of the East"), ("Global Solutions Inc", "Global Solutions Group"),
             ("International Trading Co", "International Trading Group"), ("First National Bank", "National First Bank of Ohio"),
             ("United Services", "United Systems"), ("Pacific Holdings", "Pacific Ventures"), ("North Star Logistics", "South Star Logistics"),
             ("New World Foods", "Old World Foods"), ("City Finance", "City Insurance"), ("Euro Capital Partners", "Asia Capital Partners"),
             ("Digital Media Group", "Digital Data Group"), ("General Services Corp", "General Supplies Corp"),
             ("The Bank", "The Group"), ("Energy Solutions", "Health Solutions"), ("Tech Holdings", "Tech Ventures")]:
    add("generic_words", "different", "only generic words in common", {"name": a}, {"name": b})

for a, b in [("Deutsche Bank", "Deutsche Bahn"), ("Bolt Logistics", "Colt Logistics"), ("Nova Pharma", "Nava Pharma"),
             ("Acme Robotics", "Acne Robotics"), ("Vega Systems", "Vela Systems"), ("Ikon Media", "Icon Media"),
             ("Lumen Labs", "Lumin Labs"), ("Sigma Foods", "Sigmo Foods"), ("Apex Steel", "Apax Steel"),
             ("Orion Health", "Orlon Health"), ("Kappa Data", "Kapa Data"), ("Zeta Motors", "Zeto Motors")]:
    add("one_letter", "different", "different companies whose distinctive word differs by one letter", {"name": a}, {"name": b})

cities = [("Seattle", "98101", "US"), ("München", "80331", "DE"), ("Paris", "75001", "FR"), ("London", "EC1A 1BB", "GB"),
          ("東京都", "100-0005", "JP")]
pairs_location = [("Contoso", "Fabrikam"), ("Litware", "Proseware"), ("Northwind", "Southridge"), ("Woodgrove", "Humongous"),
                  ("Alpine", "Coho"), ("Tailspin", "Wingtip"), ("Relecloud", "Lamna"), ("Trey", "Adatum")]
for (a, b), (city, postal, country) in zip(pairs_location + pairs_location, cities * 4):
    add("same_location", "different", "different companies at one city and postcode",
        {"name": f"{a} Consulting", "city": city, "postal": postal, "country": country},
        {"name": f"{b} Consulting", "city": city, "postal": postal, "country": country})
for a, b in pairs_location:
    add("free_mail", "different", "different companies whose contacts use gmail.com or outlook.com",
        {"name": f"{a} Plumbing", "email": f"{a.lower()}.jobs@gmail.com"}, {"name": f"{b} Heating", "email": f"{b.lower()}@gmail.com"})
    add("free_mail", "different", "different companies whose contacts use gmail.com or outlook.com",
        {"name": f"{a} Dental", "email": f"office.{a.lower()}@outlook.com"}, {"name": f"{b} Dental", "email": f"{b.lower()}@outlook.com"})
for a, b in [("acme.myshopify.com", "other.myshopify.com"), ("bakery.wixsite.com", "florist.wixsite.com"),
             ("shop1.blogspot.com", "shop2.blogspot.com")]:
    add("hosting_platform", "different", "shops on one hosting platform (public-suffix private section)",
        {"name": a.split(".")[0].title() + " Store", "domain": a}, {"name": b.split(".")[0].title() + " Store", "domain": b})

# Same name in conflicting countries: unrelated companies until a person checks
for name in ["Müller GmbH", "Schmidt Bau GmbH", "Dupont SARL", "Rossi S.r.l.", "Smith & Sons Ltd", "Garcia S.L.", "Sato Shoji K.K.",
             "Nordic Supply AB", "Atlas Logistics", "Phoenix Consulting", "Summit Dental", "Premier Foods"]:
    c1, c2 = rng.sample(["DE", "AT", "CH", "FR", "BE", "IT", "ES", "GB", "US", "CA", "JP", "SE", "AU"], 2)
    add("country_conflict", "different", "same name, different countries: separate businesses", {"name": name, "country": c1},
        {"name": name, "country": c2})

# Subsidiaries and longer names: different legal entities
for a, b in [("Société Générale", "Société Générale Securities Japan Limited"), ("Siemens", "Siemens Financial Services"),
             ("Toyota", "Toyota Tsusho"), ("Contoso", "Contoso Pharmaceuticals Research Institute"),
             ("Fabrikam", "Fabrikam Residences Property Management"), ("Allianz", "Allianz Global Corporate & Specialty"),
             ("Deloitte", "Deloitte Consulting Middle East"), ("Samsung", "Samsung Biologics")]:
    add("subsidiary", "different", "a distinct subsidiary with its own words", {"name": a}, {"name": b})

# Distinct companies that share a country and a legal form: the everyday negative
flat = [(name, country, forms[0][0]) for country, (names, forms) in BASES.items() for name in names]
for _ in range(40):
    (a, country, form), (b, _, _) = rng.sample(flat, 2)
    if a == b:
        continue
    add("distinct_same_form", "different", "unrelated companies with the same legal form", {"name": f"{a} {form}"},
        {"name": f"{b} {form}"})
for a, b in [("ООО «Ромашка»", "ООО «Василёк»"), ("株式会社さくら食品", "株式会社ふじ精密"), ("삼성전자", "현대자동차"),
             ("华为技术有限公司", "中兴通讯股份有限公司"), ("Ελληνικά Πετρέλαια", "Ελληνικά Ταχυδρομεία"), ("Аэрофлот", "Ростелеком"),
             ("ソニー株式会社", "ソニー生命保険株式会社"), ("Газпром нефть", "Газпром трансгаз")]:
    add("native_script_different", "different", "different companies written in the same non-Latin script", {"name": a},
        {"name": b})

OUT.parent.mkdir(exist_ok=True)
with OUT.open("w", encoding="utf-8", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
print(f"{len(rows)} pairs -> {OUT}")
