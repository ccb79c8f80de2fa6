#!/usr/bin/env python3
"""Build quality/eval/ieee-dev/: a labeled development set in dealreg's file contract (the same as
../shared/eval/hwvendors-dev and quality/eval/restaurants-dev) from the IEEE registration-authority
listings shipped by Debian's `ieee-data` package: company registry names with postal addresses and
countries.

    apt-get install -y ieee-data        # 20220827.1; files under /usr/share/ieee-data/
    python3 scripts/build-eval-ieee.py [--src /usr/share/ieee-data] [--out quality/eval/ieee-dev]

Needs numpy and scipy (only for the character 3-gram TF-IDF cosine that proposes candidate pairs).

Sources (the structured .txt listings; the .csv ones hold the same data with the address lines run
together): oui.txt (MA-L) -> snapshot.csv; mam.txt (MA-M), oui36.txt (MA-S), iab.txt (IAB) ->
uploads/p-na1.csv, p-na2.csv, p-na3.csv (one partner per registry). Names, street lines, cities,
postal codes and countries are copied as the registry writes them; only the deal bookkeeping (ids,
owners, values, dates, products) is synthetic, drawn from fixed seeds, so the output is
byte-identical on every run.

Labels (README.md has the full rule and the counts):
- An "organisation cluster" is every registry record with the same country and the same name once
  folded to ASCII, lowercased, stripped of punctuation and of legal-form words (LEGAL below):
  "Cisco Systems, Inc" / "CISCO SYSTEMS INC." in US are one cluster; so are records of one named
  company at different addresses in its country (a move, another site).
- Candidate pairs between clusters come from four generous methods: equal normalised name (any
  country), token overlap on distinctive words, character 3-gram TF-IDF cosine >= 0.5, the same
  street line in the same country.
- Rules, by shape of pair (not by a score): different countries -> different legal entities
  ("Foo Inc." US / "Foo GmbH" DE), except the same name with the same or no legal form in two
  countries, which is ambiguous; same country, no shared or near-spelled distinctive word, no
  shared street and not a name of common words contained in the other -> different; every other
  same-country pair was read by hand: HAND_DECISIONS lists each one with its label and reason.
- A cluster whose records sit in different cities under different legal forms was read too
  (INTRA_DECISIONS): one organisation, or left out.
- Upload clusters in an ambiguous pair with anything present in the set are left out.
- `--review-list FILE` writes the pairs and clusters that still lack a decision (after a change to
  the rules or samples) and stops; a normal run stops with an error if any is missing.
"""
import argparse
import collections
import csv
import hashlib
import os
import random
import re
import unicodedata
from datetime import date, timedelta

import numpy as np
import scipy.sparse as sp

SEED = 20261123
SNAPSHOT_SIZE = 14000        # MA-L organisation clusters sampled into the snapshot
REVIEWED_UPLOAD_CLUSTERS = 500   # upload clusters whose borderline pairs were read by hand
REVIEW_SEED = 7
TARGET_ROWS = 5000           # upload rows in total
MAX_ROWS_PER_CLUSTER = 3     # registrations of one organisation kept in the uploads
SNAPSHOT_COLS = ["deal_id", "account_name", "account_domain", "address", "city", "postal_code",
                 "country", "phone", "owner_type", "owner_id", "status", "created_on", "expires_on",
                 "deal_value", "last_activity_on"]
UPLOAD_COLS = ["partner_id", "partner_reference", "account_name", "account_domain", "contact_name",
               "contact_email", "address", "city", "postal_code", "country", "phone", "deal_value",
               "currency", "expected_close_date", "product"]
TRUTH_COLS = ["upload_file", "row_number", "expected_match", "expected_decision", "expected_reason",
              "kind", "entity", "noise"]
PRODUCTS = ["Core Platform", "Support Plus", "Edge Gateway", "Cloud Backup", "Analytics Add-on"]
UPLOADERS = {"MA-M": "P-NA1", "MA-S": "P-NA2", "IAB": "P-NA3"}
INCUMBENTS = ["P-INC1", "P-INC2", "P-INC3"]
FILES = [("mam.txt", "MA-M"), ("oui36.txt", "MA-S"), ("iab.txt", "IAB")]
# Country codes no longer in ISO 3166-1: the two "YU" records have Belgrade, Serbia addresses.
COUNTRY_FIX = {"YU": "RS"}

# Legal-form words, once dotted or spaced single letters are joined ("s.p.a." -> spa, "d.o.o." ->
# doo, "R. L. Drake" -> rl drake) and "&" between single letters too ("D&T" -> dt), so that no
# single letter is ever dropped ("A&T" and "D&T", "Square D Company" and "Square Inc." stay apart).
LEGAL = set("""inc incorporated corp corporation co company ltd limited llc gmbh mbh ag sa sas sarl srl
spa bv nv ab as oy oyj kg plc pty pvt private kk kabushiki kaisha kabushikigaisha lp llp sl slu sro
doo zao ooo oao jsc pjsc bhd sdn pte ltda eirl kft zrt ug ek gbr ohg se aps asa bvba sprl vof
cie lda gk yk sti ptd ptv jv""".split())
# Legal forms spelled as several words, removed as a whole first.
LEGAL_SEQ = [r"spol s ro", r"sp z oo", r"s de rl de cv", r"s de rl", r"sa de cv", r"san ve tic", r"san tic", r"gmbh and co"]

# Words too common in this registry to tell two organisations apart, besides any word used by more
# than DF_MAX distinct names.
GENERIC = set("""technology technologies tech electronics electronic electric systems system
networks network communication communications co and the of international industrial industry
industries group holdings""".split())
DF_MAX = 40

# ---------------------------------------------------------------------------------------------
# Hand decisions. Every same-country candidate pair with a shared or near-spelled distinctive word
# or a shared street line, between a reviewed upload cluster and a snapshot deal or another
# reviewed upload cluster, was read (name and address on both sides). Each line:
#   upload-side name | other-side name | country | label | reason
# label: same / different / ambiguous. Reasons:
#   same: variant      spelling, spacing, typo, abbreviation, added city or group prefix
#         brand        a brand or short name and its company at the same address
#         legal-entity the same named legal entity with a unit qualifier, at another address
#   different: name    different distinctive names that merely look alike
#              group   separately named companies of one group or sharing a word
#              address different organisations sharing a street line
#   ambiguous: unit    a division/branch/group name against its company: cannot tell
#              acronym a short acronym against a longer name at another address: cannot tell
#              rename  an acquisition or rename: cannot tell
# Names are matched to clusters through the cluster key (country + normalised name), so any
# registry spelling of the cluster selects it.
HAND_DECISIONS = """
AVPro Global Holdings LLC | AVPro Global Hldgs | US | same | variant
CableLabs | CABLE TELEVISION LABORATORIES, INC. | US | same | brand
Eaton Corp. Electrical Group Data Center Solutions - Pulizzi | Eaton Corporation | US | same | legal-entity
ELREHA GmbH | Adler ELREHA GmbH | DE | same | variant
LGE | LG Electronics | KR | same | brand
Magneti Marelli S.p.A. Electronics | Magneti Marelli S.p.A. Powertrain | IT | same | legal-entity
NDC Infrared Engineering, Inc. | NDC Infared Engineering | US | same | variant
SamabaNova Systems | SambaNova Systems, Inc. | US | same | variant
Shanghai SIMCOM Ltd. | SIM Technology Group Shanghai Simcom Ltd., | CN | same | variant
SHENZHEN ACTION TECHNOLOGIES CO., LTD. | Action Technology (SZ) Co., Ltd | CN | same | variant
Stanley Security | Stanley Security Solutions | US | same | brand
Summit Developmen | SUMMIT DEVELOPMENT, spol.s r.o. | CZ | same | variant
XEROX CORPORATION | XEROX CORP UNIV GRANT PROGRAM | US | same | legal-entity
YINUO-LINK LIMITED | YINUOLINK CO.,LTD | CN | same | variant
Amobile Intelligent Corp. | Hong Kong AMobile Intelligent Corp. Limited Taiwan Branch | TW | ambiguous | unit
ATI | ATI Industrial Automation | US | ambiguous | short
Dantherm | Dantherm Power | DK | ambiguous | unit
ELKRON | Urmet SpA | IT | ambiguous | unit
FIT | Niigata Develoment Center,  F.I.T. Co., Ltd. | JP | ambiguous | short
Genesis inc | Genesis I&C | KR | ambiguous | short
Hatteland Display AS | Hatteland Computer AS | NO | ambiguous | rename
ITC | ITC Systems | US | ambiguous | short
K Technology Corporation | SOLECTRON JAPAN NAKANIIDA | JP | ambiguous | rename
Litton Guidance & Control Systems | LITTON SYSTEMS, INC. | US | ambiguous | unit
Moog Crossbow | Crossbow Technology, Inc | US | ambiguous | rename
Ormazabal Protection&Automation | Ormazabal | ES | ambiguous | unit
Phase One A/S | PHASE ONE DENMARK A/S | DK | ambiguous | unit
Philips Personal Health Solutions | Philips | NL | ambiguous | unit
Sensoro Co., Ltd. | Beijing Sensoro Technology Co.,Ltd. | CN | ambiguous | unit
Shanghai Shenou Communication Equipment Co., Ltd. | Shenou Communication Equipment Co.,Ltd | CN | ambiguous | unit
SHENZHEN KTC TECHNOLOGY GROUP | SHENZHEN KTC TECHNOLOGY CO.,LTD | CN | ambiguous | unit
Team Enginers | TEAM ENGINEERS ADVANCE TECHNOLOGIES INDIA PVT LTD | IN | ambiguous | short
Thoratec / ITC | ITC | US | ambiguous | short
Ultra Electronics Sonar System Division | Ultra Electronics Electrics | GB | ambiguous | unit
Xitron | XITRON TECHNOLOGIES, INC. | US | ambiguous | short
ABB AB PGHV | ABB Robotics | SE | different | group
ABC Electric Co. | ABC(XiSheng) Electronics Co.,Ltd | CN | different | group
AC Power Distribution / ACT Entmt. | Power Distribution, Inc. | US | different | group
Access Device Integrated Communications Corp. | Mobile Device, Inc. | TW | different | group
Access IS | IT-IS International | GB | different | group
Ace Axis Limited | Axis Electronics | GB | different | group
Adescom Inc. | ARESCOM | US | different | name
AEG Identifikationssysteme GmbH | AEG Power Solutions | DE | different | group
Aesir Copenhagen | Nokia Corporation | FI | different | address
AFORE Solutions Inc. | ORCATECH INC. | CA | different | address
AIMTRON CORPORATION | KIMTRON CORPORATION | US | different | name
Alazar Technologies Inc. | Galazar Networks | CA | different | name
Alcon Technologies | Alcon Laboratories, Inc. | US | different | group
Amazon Technologies Inc. | Amazon.com, LLC | US | different | group
Analytical Spectral Devices, Inc. | Spectral Instruments, Inc. | US | different | group
Antai technology Co.,Ltd | Antailiye Technology Co.,Ltd | CN | different | name
Applied Satellite Engineering | Global Satellite Engineering | US | different | group
Applied Satellite Engineering | Iridium Satellite LLC | US | different | group
ApSecure Technologies (Canada), Inc. | Allied Vision Technologies Canada Inc | CA | different | group
Arecont Vision | ViaLogy | US | different | address
Argosy Labs Inc. | Argosy Technologies, Ltd. | US | different | group
ARKRAY, Inc. Kyoto Laboratory | LABORATORY EQUIPMENT CORP. | JP | different | group
ART Antriebs- und Regeltechnik GmbH | Lufft Mess- und Regeltechnik GmbH | DE | different | group
ASSYSTEM France | ASTON France | FR | different | group
Athena Semiconductor | Athena Wireless Communications Inc | US | different | group
Austco Marketing & Service (USA) ltd. | INTEGRATED MARKETING CO | US | different | group
AVTECH Software, Inc. | Avtec, Inc. | US | different | name
Ayre Acoustics, Inc. | Digital Acoustics, LLC | US | different | group
B METERS S.R.L. | MeteRSit S.R.L. | IT | different | name
BaSyTec GmbH | PARSYTEC GMBH | DE | different | name
Beat Sensing co. , ltd. | Beat System Service Co,. Ltd. | JP | different | group
Becker Electronics GmbH | Harman/Becker Automotive Systems GmbH | DE | different | group
Beckmann+Egle GmbH | Beckmann GmbH | DE | different | group
Beijing Chunhong Technology Co., Ltd. | Beijing Chushang Science and Technology Co.,Ltd | CN | different | name
Beijing Dragon Resources Limited. | China Dragon Technology Limited | CN | different | group
Beijing Dragon Resources Limited. | POWER DRAGON DEVELOPMENT LIMITED | CN | different | group
Beijing Jishi Huitong Technology Co., Ltd. | Jiangsu Huitong Group Co.,Ltd. | CN | different | group
Beijing Lanke Science and Technology Co.,LTd. | Beijing Lanbo Technology Co., Ltd. | CN | different | name
Beijing YangLian Networks Technology co., LTD | fenglian Technology Co.,Ltd. | CN | different | name
Bio-logic Systems Corp | Bio-Rad Laboratories, Inc. | US | different | group
Biwave Technologies, Inc. | AIRWAVE TECHNOLOGIES INC. | TW | different | name
BlueCats US, LLC | U.S. Robotics Corporation | US | different | group
BlueSword Intelligent Technology Co., Ltd. | Intelligent Technology Inc. | CN | different | name
BONENG TRANSMISSION(SUZHOU)CO.,LTD | Guangzhou Skytone Transmission Technology Com. Ltd. | CN | different | group
Booz Allen Hamilton | HAMILTON HALLMARK | US | different | group
Booz Allen Hamilton | Hamilton Systems | US | different | group
Byte Lab Grupa d.o.o. | Tri plus grupa d.o.o. | HR | different | group
C2 Microsystems, Inc. | C2 Development, Inc. | US | different | group
Case Information & Communications | CAST Information Co., Ltd | KR | different | name
Celite Systems, Inc. | Alereon, Inc. | US | different | address
Central Railway Manufacturing | CENTRAL DATA CORPORATION | US | different | group
Changsha Tai Hui Network Technology Co.,Ltd | Henan Chengshi NetWork Technology Co.，Ltd | CN | different | name
Changshu Ruite Electric Co.,Ltd. | Techman Electronics (Changshu) Co., Ltd. | CN | different | group
Changzhou WEBO Weighing Device & System CO.,LTD | China Mobile Group Device Co.,Ltd. | CN | different | group
Changzhou WEBO Weighing Device & System CO.,LTD | Shenzhen Smart Device Technology Co., LTD. | CN | different | group
Channelot Ltd. | AXERRA Networks Ltd | IL | different | address
Chase Manhattan Bank | Bank of America | US | different | group
Chase Manhattan Bank | Fanhattan LLC | US | different | name
China Electronics Corporation Greatwall Shengfeifan information system Co.,ltd. Hu'nan computer R.&D. Center | Hunan Greatwall Computer System Co., Ltd. | CN | different | group
China Huaxin Post and Telecom Technologies Co., Ltd. | China Post Communications Equipment Co., Ltd. | CN | different | group
Chongqing IQIYI Intelligence Technology Co., Ltd. | Beijing IQIYI Science & Technology Co., Ltd. | CN | different | group
Christ Electronic System GmbH | Martin Christ GmbH | DE | different | group
Chunghwa System Integration Co., Ltd. | Chunghwa Telecom Co., Ltd. | TW | different | group
Cinet Inc | Cinetal | US | different | name
Cinet Inc | INET,INC. | US | different | name
Cinetix Srl | MICROTEL INNOVATION S.R.L. | IT | different | address
Cirrus Systems, Inc. | Cirrus Logic | US | different | group
Cirrus Systems, Inc. | Xirrus Inc. | US | different | name
Clearwater Networks | Clear Edge Networks | US | different | name
Clearwater Networks | SCM MICROSYSTEMS, INC. | US | different | address
Cognex Corporation | CODEX CORPORATION | US | different | name
Comm-ence, Inc. | ADVANCED COMPUTER COMM. | US | different | group
Compal Electronics INC. | Compal Broadband Networks, Inc. | TW | different | group
Compumedics Germany GmbH | Elysia Germany GmbH | DE | different | group
Coptonix GmbH | Optonic GmbH | DE | different | name
Corporate Systems Engineering | CORPORATE NETWORK SYSTEMS,INC. | US | different | group
Corporate Systems Engineering | DAINIPPON SCREEN CORPORATE | US | different | group
Cosine Systems, Inc. | COSINE COMMUNICATIONS | US | different | group
CosmoData Informatica Ltda. | SWEDA INFORMATICA LTDA | BR | different | group
COSMOS web Co., Ltd. | COSMO CO., LTD | JP | different | name
COSMOS web Co., Ltd. | New Cosmos Electric Co., Ltd. | JP | different | group
Critical Link LLC | Critical IO, LLC | US | different | group
CURRENT WAYS, INC. | Current Energy | US | different | group
CYG CONTRON CO.LTD | CYG SUNRI CO.,LTD. | CN | different | group
Daeyoung inc. | DAEYOUNG INFORMATION SYSTEM CO., LTD | KR | different | group
daishin | TAISHIN CO., LTD. | JP | different | name
DaLian Cheering Tech Co.,Ltd | Cheering Connection Co. Ltd. | CN | different | group
Dalian Eastern Display Co., Ltd. | Eastern Communications Company Limited | CN | different | group
Dalian Eastern Display Co., Ltd. | Shenzhen Eastern Digital Tech Ltd. | CN | different | group
Dana | DANA COMPUTER INC. | US | different | group
Data Strategy Limited | STRATEGY & TECHNOLOGY, LIMITED | GB | different | group
Deep Sentinel | Sentinel Wireless Inc. | US | different | group
DefPower Ltd | Life Racing Ltd | GB | different | address
DELTA TAU DATA SYSTEMS, INC. | DELTA COMPUTER SYSTEMS, INC. | US | different | group
DELTA TAU DATA SYSTEMS, INC. | Delta Information Systems, Inc. | US | different | group
DetNet South Africa PTY (LTD) | Blick South Africa (Pty) Ltd | ZA | different | group
DigiMagus Technology (Shenzhen) Co., Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Digital Audio SA | Abilis Systems SARL | CH | different | address
Digital communications Technologies | DIGITAL COMMUNICATIONS | US | different | name
Digital Multimedia Technologies Spa | Syes srl | IT | different | address
Digital Recorders | L-3 Communications, Aviation Recorders | US | different | group
digitech GmbH &amp; Co. KG | Alfred Kaercher GmbH &amp; Co KG | DE | different | group
digitech GmbH &amp; Co. KG | Impex-Sat GmbH&amp;Co KG | DE | different | group
dinosys | TENOSYS, INC. | KR | different | name
DongGuan Ramaxel Memory Technology | Ramaxel Technology (Shenzhen) limited company | CN | different | group
dongsheng | KangSheng LTD. | TW | different | name
dresden-elektronik | SysMik GmbH Dresden | DE | different | group
Dynetics, Inc. | NetICs, Inc. | US | different | name
Echo Ridge, LLC | Echo Digital Audio Corporation | US | different | group
Echola Systems | Echolab LLC | US | different | name
ecom instruments GmbH | DATUS GMBH | DE | different | address
Ecutel Systems, Inc. | XIRCOM | US | different | address
EDC Electronic Design Chemnitz GmbH | GEMAC Chemnitz GmbH | DE | different | group
EL.C.A. soc. coop. | Soc. Coop. Bilanciai | IT | different | group
EM Clarity Pty Ltd | EM Solutions | AU | different | group
EM-Tech | eM Technics Co., Ltd. | KR | different | group
Engage Technologies | ENGAGE COMMUNICATION, INC. | US | different | group
Engage Technologies | ENGAGE NETWORKS, INC. | US | different | group
Enovative Networks, Inc. | Knovative, Inc. | US | different | name
EPM Tecnologia e Equipamentos | µTech Tecnologia LTDA | BR | different | group
ePower Network Solution Co., Ltd. | Integrated System Solution Corp. | TW | different | group
Ewig Industries Macao Commercial Offshore Ltd | A-Max Technology Macao Commercial Offshore Company Limited | CN | different | group
Excel Medical Electronics LLC | EXCEL, INC. | US | different | group
Excelitas | EXCEL, INC. | US | different | name
Federal Electronics | Federal APD | US | different | group
Fertron Controle e Automacao Industrial Ltda. | DLG Automação Industrial Ltda | BR | different | group
Filo SRL | Stilo srl | IT | different | name
Flirtey Inc | FLIR Systems Inc | US | different | name
Frontier Electronic Systems Corp. | FRONTIER TECHNOLOGIES CORP. | US | different | group
Fujian Quanzhou Dong Ang Electronics Co., Ltd. | Fujian Shenzhou Electronic Co.,Ltd | CN | different | group
Fulian Precision Electronics(Tianjin) Co., Ltd | Jiangsu fulian  Communication Technology Co., Ltd. | CN | different | group
Fuzhou Jinshi Technology Co.,Ltd. | Chengdu jinshi communication Co., LTD | CN | different | group
G4S Monitoring Technologies Ltd | Monitoring Technologies Limited | GB | different | group
GainStrong Industry Co.,Ltd | Shenzhen GainStrong Technology Co., Ltd. | CN | different | group
GeneSys Elektronik GmbH | IMLOGIX, DIVISION OF GENESYS | US | different | group
Genius Pros | GUANGDONG GENIUS TECHNOLOGY CO., LTD. | CN | different | group
George Wilson Industries Ltd | George Robotics Limited | GB | different | group
GERSYS GmbH | ORSYS GmbH | DE | different | name
GIORDANO CONTROLS SPA | ING. GIORDANO ELETTRONICA | IT | different | group
Global Satellite Engineering | Iridium Satellite LLC | US | different | group
Gluon Solutions Inc. | Gluon Networks | US | different | group
Gogo BA | BA Systems Inc | US | different | group
Golana Technology (Shenzhen) Co., Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Golden Grid Systems | Grid Net, Inc. | US | different | group
Graco Inc. | Taco Inc | US | different | name
Grandway Technology (Shenzhen) Limited | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Great Lite International | GREAT COMPUTER CORPORATION | TW | different | group
Great Lite International | Preceno Technology Pte.Ltd. | TW | different | address
Grundig | GSS Grundig SAT-Systems GmbH | DE | different | group
Guangdong Creator&Flyaudio Electronic Technology Co.,LTD | Flyaudio corporation (China) | CN | different | group
Guangdong Creator&Flyaudio Electronic Technology Co.,LTD | GuangZhou CREATOR Technology Co.,Ltd.(CHINA) | CN | different | group
Guangdong Jinpeng Technology Co. LTD | Guangzhou Jinpeng Group Co.,Ltd. | CN | different | group
GUANGDONG REAL-DESIGN INTELLIGENT TECHNOLOGY CO.,LTD | Intelligent Technology Inc. | CN | different | name
Guangzhou Aoshi Internet Information & Technology Co.,Ltd. | Guangzhou Aoshi Electronic Co.,Ltd | CN | different | group
guangzhou huiqun intelligent technology co. LTD | Intelligent Technology Inc. | CN | different | name
Guangzhou Lian-med Technology Co.,Ltd. | Guangzhi Wulian Technology(Guangzhou) Co., Ltd | CN | different | name
Hangzhou Xiaowen Intelligent Technology Co., Ltd. | Intelligent Technology Inc. | CN | different | name
Hannstar Display Corp | WINSTAR Display CO.,Ltd | TW | different | group
HANWANG TECHNOLOGY CO.,LTD | Hanlong Technology Co.,LTD | CN | different | name
HD Vision Systems GmbH | Pfeiffer Vacuum GmbH | DE | different | address
Hekatron Vertriebs GmbH | MSC Vertriebs GmbH | DE | different | group
HI-TECH SYSTEM Co. Ltd. | COMPUTER HI-TECH INC. | JP | different | group
HI-TECH SYSTEM Co. Ltd. | HI-P Tech Corporation | JP | different | group
HIROIA Communications Pte. Ltd. Taiwan Branch | Asotel Communication Limited Taiwan Branch | TW | different | group
HONG JIANG ELECTRONICS CO., LTD. | CHYNG HONG ELECTRONIC CO., LTD. | TW | different | group
Hubei Baobao Intelligent Technology Co.,LTD | Intelligent Technology Inc. | CN | different | name
Hunan Oushi Electronic Technology Co.,Ltd | Hunan HKT Electronic Technology Co., Ltd | CN | different | group
Hunan Yaguan Communication Technology Co.,Ltd | Hangzhou Yaguan Technology Co. LTD | CN | different | group
hyBee Inc. | HYBE Co.,LTD | KR | different | name
HYOSUNG Heavy Industries Corporation | SAMSUNG HEAVY INDUSTRIES CO., LTD. | KR | different | group
HYUNSUNG CONVERGENCE | Nvergence, Inc. | KR | different | name
i-View Communication Inc. | GLOBAL VIEW CO., LTD. | TW | different | group
ID Tech Japan Co.,Ltd. | K-ubique ID Corp. | JP | different | group
IDA | AGRANAT SYSTEMS | US | different | address
IES Elektronikentwicklung | IES GmbH & Co. KG | DE | different | group
ILSAN ELECTRONICS | KISAN ELECTRONICS CO | KR | different | name
iNET Systems Inc. | INET,INC. | US | different | group
Infinition Inc. | Infiniti Electro-Optics | CA | different | name
Inforce Computing Inc. | Force, Inc. | US | different | name
Inforce Computing Inc. | Infrant Technologies, Inc. | US | different | address
inotech GmbH | LinTech GmbH | DE | different | name
InSeat Solutions, LLC | Intent Solutions Inc | US | different | name
Insignal Co., Ltd. | Signal Technology, Inc. | KR | different | name
Inspur Group Co., Ltd. | Inspur Electronic Information Industry Co.,Ltd. | CN | different | group
Inspur Group Co., Ltd. | Inspur Software Group Ltd. | CN | different | group
Integrated Silicon Solution (Taiwan), Inc. | Integrated System Solution Corp. | TW | different | group
Integrated Silicon Solution (Taiwan), Inc. | SILICON INTEGRATED SYS. CORP. | TW | different | group
Intelligent Surveillance Corp | Surveillance Pro Corporation | US | different | group
IntelliVision Technologies, Corp | Intellivision Holdings, LLC | US | different | group
Interisa Electronica, S.A. | BEN-RI ELECTRONICA S.A. | ES | different | group
International Roll-Call Corporation | Roll Systems Inc. | US | different | group
Ion Sense Inc. | Sense Labs, Inc. | US | different | group
IoT Routers Limited | IoT Tech Limited | GB | different | group
IPTC Tech. Comm. AB | ADVANCED COMPUTER COMM. | US | different | group
IRS Systementwicklung GmbH | Tonfunk Systementwicklung und Service GmbH | DE | different | group
iSolution Technologies Co.,Ltd. | VSOLUTION TELECOMMUNICATION TECHNOLOGY CO.,LTD. | CN | different | name
IVOR Intelligent Electrical Appliance Co., Ltd | SHANGHAI FLYCO ELECTRICAL APPLIANCE CO.,LTD | CN | different | group
Jade Bird Fire Co., Ltd. | Beida Jade Bird Huaguang Technology Co.,Ltd | CN | different | group
JDM Mobile Internet Solution(Shanghai) Co., Ltd. | Guangzhou V-SOLUTION Electronic Technology Co., Ltd. | CN | different | group
Jiangsu byzoro intelligent technology Co.,Ltd | Byzoro Networks Ltd. | CN | different | group
Jiangsu byzoro intelligent technology Co.,Ltd | Intelligent Technology Inc. | CN | different | name
Jiangsu Jinheng  Information Technology Co.,Ltd. | Jiangsu Qinheng Co., Ltd. | CN | different | name
Jinan Huake Electrical Device Co., Ltd. | China Mobile Group Device Co.,Ltd. | CN | different | group
Jinan Huake Electrical Device Co., Ltd. | Shenzhen Smart Device Technology Co., LTD. | CN | different | group
Jinjin Technology (Shenzhen) Co., Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Kaga Electronics Co., Ltd. | KAGA FEI Co., Ltd. | JP | different | group
Kaga Electronics Co., Ltd. | KOGA ELECTRONICS CO. | JP | different | name
Kinetic Technologies | Color Kinetics | US | different | name
King-On Technology Ltd. | ON SOFTWARE INTERNATIONAL LIMITED | TW | different | group
KLS Netherlands B.V. | COMECER Netherlands | NL | different | group
KNOWHOW INFOCOM INC. | Korea Infocom Co.,Ltd. | KR | different | group
Koncar Electrical Engineering Institute | Koncar Electronics and Informatics | HR | different | group
Koncar Electrical Engineering Institute | Xylon | HR | different | address
KOYO ELECTRIC | TOYO ELECTRIC Corporation | JP | different | name
Kumera Drives Oy | ABB Oy Drives | FI | different | group
Kyung In Electronics | B-KYUNG SYSTEM Co.,Ltd. | KR | different | group
Kyung In Electronics | kyung il | KR | different | group
Lachmann & Rink GmbH | Bachmann Technology GmbH & Co. KG | DE | different | name
Laonz Co.,Ltd | LAON TECHNOLOGY CO., LTD. | KR | different | name
Lars Morich Kommunikationstechnik GmbH | NovaTec Kommunikationstechnik GmbH | DE | different | group
Laser Imagineering Vertriebs GmbH | MSC Vertriebs GmbH | DE | different | group
Lattice Semiconductor Corp. (LPA) | VMX INC. | US | different | address
Lemei Intelligent IOT (Shenzhen) Co., Ltd | Beijing H-IoT Technology Co., Ltd. | CN | different | group
LEROY AUTOMATION | Leroy Somer | FR | different | group
Lewis Controls Inc. | GIDDINGS & LEWIS | US | different | group
Liberty AV Solutions | LIBERTY ELECTRONICS | US | different | group
Limited Liability Company M.S.Korp | Limited Liability Company | RU | different | group
Limited Liability Company M.S.Korp | Standartoptic, Limited Liability Company | RU | different | group
LINGDONG TECHNOLOGY (BEIJING) CO. LTD | Beijing Jingdong Century Trading Co., LTD. | CN | different | name
Link Communications, Inc | Logical Link Communications | US | different | name
Linux Automation GmbH | SUSE Linux GmbH | DE | different | group
LLC EMS-Expert | Security Expert Ltd. | RU | different | group
LongSung Technology (Shanghai) Co.,Ltd. | Shanghai Longjing Technology Co. | CN | different | name
Luma Corporation | Luma Home | US | different | group
Lumentis AB | Transmode Systems AB | SE | different | address
LYT inc. | ABK North America, LLC | US | different | address
M.A.C. Solutions (UK) Ltd | t-mac Technologies Ltd | GB | different | group
Magenta Labs, Inc. | Magenta Research Ltd. | US | different | group
MAMMOTHTEK CLOUD(DONG GUAN)TECHNOLOGY CO., LTD | BEIJING CO-CLOUD TECHNOLOGY LTD. | CN | different | group
MAMMOTHTEK CLOUD(DONG GUAN)TECHNOLOGY CO., LTD | Cloud Vision Networks Technology Co.,Ltd. | CN | different | group
Marine Communications Limited | J & S Marine Ltd. | GB | different | group
Martec S.p.A. | AMTEC spa | IT | different | name
Matrix Audio Designs | WIRELESS MATRIX CORP. | CA | different | group
MAVILI ELEKTRONIK TIC. VE SAN. A.S. | ESUS ELEKTRONIK SAN. VE DIS. TIC. LTD. STI. | TR | different | group
MAX Smart Home, LLC | D-MAX Technology Co.,Ltd | US | different | group
MAX Smart Home, LLC | Vivint Smart Home | US | different | group
Medicomp, Inc | METACOMP, INC. | US | different | name
Mencom Corporation | EMCOM CORPORATION | US | different | name
Merlin Security Inc. | Merlin Systems, Inc. | US | different | group
Merten GmbH&CoKG | Ines Test and Measurement GmbH & CoKG | DE | different | group
Mesh Motion Inc | Motion Control Engineering, Inc | US | different | group
Mesh Motion Inc | Motion Control Systems, Inc. | US | different | group
Metra Electronics | MESA ELECTRONICS | US | different | name
Mitsubishi Electric Micro-Computer Application Software Co.,Ltd. | Mitsubishi Electric Corporation | JP | different | group
MITSUBISHI ELECTRIC SYSTEM & SERVICE CO.,LTD. | MITSUBISHI WIRELESS COMMUNICATIONS. INC. | US | different | group
Moog Rekofa  GmbH | Moog GmbH | DE | different | group
Moya Commumication Technology (Shenzhen) Co.,Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
MP-SENSOR GmbH | Heimann Sensor GmbH | DE | different | group
Mueller-Elektronik GmbH & Co. KG | GEMUE Gebr. Mueller Apparatebau | DE | different | group
Musashi Engineering Co., LTD. | Musashi Seimitsu Industry Co.,Ltd | JP | different | group
NANJING PUTIAN TELECOMMUNICATIONS TECHNOLOGY CO.,LTD. | Nanjing Postel Telecommunications Co., Ltd. | CN | different | group
NANJING PUTIAN TELECOMMUNICATIONS TECHNOLOGY CO.,LTD. | VSOLUTION TELECOMMUNICATION TECHNOLOGY CO.,LTD. | CN | different | name
Nanjing Wanlida Technology Co., Ltd. | Wanlida Group Co., LTD | CN | different | group
NAONWORKS Co., Ltd | DCONWORKS  Co., Ltd | KR | different | name
NDC Infrared Engineering, Inc. | NDC Technologies | US | different | group
Network Harbor, Inc. | Arbor Networks Inc | US | different | name
Nihon Kessho Koogaku Co., Ltd. | Nihon Computer Co., Ltd. | JP | different | group
NIHON MEGA LOGIC CO.,LTD. | Nihon Computer Co., Ltd. | JP | different | group
NIHON MEGA LOGIC CO.,LTD. | NIHON MECHATRONICS CO.,LTD. | JP | different | group
Nikon Systems Inc. | NIKON CORPORATION | JP | different | group
Nitto Seiko | Apollo Seiko Ltd. | JP | different | group
Nordic Automation Systems AS | Nordic Semiconductor ASA | NO | different | group
NuRi&G Engineering co,.Ltd. | NURI Telecom Co., Ltd. | KR | different | group
OBO Pro.2 Inc. | PRO-VISION, Inc. | US | different | group
OBO Pro.2 Inc. | Radicom Research, Inc. | US | different | address
OCEANIX INC. | DIGITAL OCEAN | US | different | name
OCEANIX INC. | Ocean Optics, Inc. | US | different | name
OKI DENKI BOHSAI CO.,LTD. | Oki Electric Industry Co., Ltd. | JP | different | group
Oki Seatec Co., Ltd. | Oki Electric Industry Co., Ltd. | JP | different | group
Omnica Corporation | OMNIA COMMUNICATIONS, INC. | US | different | name
OMNISENSING PHOTONICS LLC | Network Photonics, Inc. | US | different | group
OMNISENSING PHOTONICS LLC | PHOTONICS CORPORATION | US | different | group
Onix Electronic Systems Inc | SONIC SYSTEMS, INC. | US | different | name
Open Date Equipment Limited | Open Systems International | US | different | group
Orbital Systems, Ltd. | Orbital Sciences Corp.; Launch Systems Group | US | different | group
Paragon Robotics LLC | Paragon Networks International | US | different | group
Parkalot Denmark ApS | MIPS DENMARK | DK | different | group
Philips Personal Health Solutions | Philips Lighting BV | NL | different | group
Phyton, Inc. Microsystems and Development Tools | NETWORK TOOLS, INC. | US | different | group
Piller engineering Ltd. | Piller Group GmbH | DE | different | group
PLANET INNOVATION (PI) | Embedded Planet | US | different | group
PLANET INNOVATION (PI) | Planet Networks | US | different | group
Plexus | Nexus Technologies | US | different | name
PLUTO Solution co.,ltd. | Nsolution Co., Ltd. | KR | different | name
PLUTO Solution co.,ltd. | STL Solution Co.,Ltd. | KR | different | group
Power Electronics Espana, S.L. | Eclipse (HQ Espana) S.L. | ES | different | group
Practical Software Studio LLC | Studio Technologies, Inc | US | different | group
Presentation Switchers, Inc. | INFORMATION PRESENTATION TECH. | US | different | group
Prosys | PROSYST | FR | different | name
Protech Optronics Co. Ltd. | PROTECH SYSTEMS CO., LTD. | TW | different | group
Protek Electronics Group Co.,LTD | Postek Electronics Co., Ltd. | CN | different | name
Protronic GmbH | Votronic GmbH | DE | different | name
QQ Navigation AB | Qwerty Elektronik AB | SE | different | address
Quantronix, Inc. | Lantronix | US | different | name
R2Sonic, LLC | Vindicator Technologies | US | different | address
Red Sensors Limited | Red Embedded Design Limited | GB | different | group
Red Sensors Limited | Red-M Products Limited | GB | different | group
Redvision CCTV | Wireless CCTV Ltd | GB | different | group
Richter | Arnold&Richter Cine Technik GmbH & Co. Betriebs KG | DE | different | group
Rigel Engineering | Tidel Engineering LP | US | different | name
Rishaad Brown | Brown Innovations, Inc | US | different | group
Rodgers Instruments US LLC | U.S. Robotics Corporation | US | different | group
Rosco, Inc | Rosco Entertainment Technology, Inc. | US | different | group
Rose Technologies | ROSE ELECTRONICS | US | different | group
RPA Electronic Solutions, Inc. | RPA Reserch Co., Ltd. | US | different | group
RTC Manufacturing Inc. | RTC Industries, Inc. | US | different | group
Rx Monitoring Services | Digital Monitoring Products, Inc. | US | different | group
S.I.C.E.S. srl | Sicert S.r.L. | IT | different | name
S.I.C.E.S. srl | Sicon srl | IT | different | name
SA Instrumentation Limited | Omitec Instrumentation Ltd. | GB | different | group
SA Instrumentation Limited | Switchgear and Instrumentation Ltd | GB | different | group
Saab AB | ESAB AB | SE | different | name
Saab AB | MACAB AB | SE | different | name
Saline Lectronics, Inc. | Lectrosonics, Inc. | US | different | name
Salland Electronics Holding BV | Lucas Holding bv | NL | different | group
Santa Barbara Imaging Systems | Santa Barbara Infrared, Inc. | US | different | group
SCALA Digital Technology(Ningbo) CO, LTD | Ningbo Sanhe Digital Co.,Ltd | CN | different | group
Sea Shell Corporation | AXELL Corporation | JP | different | name
Security&Best | BEST TECHNOLOGY CO., LTD. | KR | different | group
serva transport systems GmbH | Thales Transportation Systems GmbH | DE | different | name
Shandong free optical technology co., ltd. | Shandong Intelligent Optical Communication Development Co., Ltd. | CN | different | group
Shanghai Doit IOT Technology Co.,Ltd. | Beijing H-IoT Technology Co., Ltd. | CN | different | group
Shanghai East China Computer Co., Ltd | Guangdong East Power Co., | CN | different | group
Shanghai Huahong Integrated Circuit Co.,Ltd | Dongguan HuaHong Electronics Co.,Ltd | CN | different | group
Shanghai Huahong Integrated Circuit Co.,Ltd | JABIL CIRCUIT (SHANGHAI) LTD. | CN | different | group
Shanghai SIMCOM Ltd. | SIMCom Wireless Solutions Co.,Ltd. | CN | different | group
Shanghai Think-Force Electronic Technology Co. Ltd | FORICS Electronic Technology Co., Ltd. | CN | different | name
shanghai trend intelligent systems CO.,LTD | Mega-Trend Electronics CO., LTD. | CN | different | group
Shanghai Visteon Automotive Electronics System CO. Ltd. | YanFeng Visteon(ChongQing) Automotive Electronic Co.,Ltd | CN | different | group
Shenyang Internet Technology Inc | Internet Energy Systems, Inc. | US | different | group
SHENZHEN ACTION TECHNOLOGIES CO., LTD. | ShenZhen ACTO Digital Video Technology Co.,Ltd. | CN | different | name
Shenzhen ALFEYE Technology CO.,Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
SHENZHEN ATX TECHNOLOGY CO.,LTD | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen AZW Technology Co., Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
ShenZhen Beide Technology Co.,LTD | Beijing Wide Technology Co.,Ltd | CN | different | name
ShenZhen Beide Technology Co.,LTD | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Bestway Technology Co., Ltd | Nanjing Bestway Automation System Co., Ltd | CN | different | group
Shenzhen Bestway Technology Co., Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Chenzhuo Technology Co., Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
shenzhen cnsun | shenzhen lensun Communication Technology LTD | CN | different | name
Shenzhen Cogitation Technology Co.,Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
SHENZHEN CSE TECHNOLOGY CO., LTD | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Dangs Science & Technology CO.,LTD | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Decnta Technology Co.,LTD. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
SHENZHEN DIGISSIN TECHNOLOGY | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Dinstech Technology Co.,Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen DOOGEE Hengtong Technology CO.,LTD | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Double Better Technology Co., Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Dptek Technology Co., Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Dptek Technology Co., Ltd. | UTEK TECHNOLOGY (SHENZHEN) CO.,LTD | CN | different | name
Shenzhen Elebao Technology Co., Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen ELI Technology co.,ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
SHENZHEN ELSKY TECHNOLOGY CO., LTD | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
SHENZHEN ELSKY TECHNOLOGY CO., LTD | SHENZHEN WISKY TECHNOLOGY CO.,LTD | CN | different | name
Shenzhen Eternal Idea Tech Co.,Ltd | Power Idea Technology Limited | CN | different | group
Shenzhen Excera Technology Co.,Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen EZpro Sound & Light Technology Co., Ltd. | Innovation Sound Technology Co., LTD. | CN | different | group
Shenzhen Gigalight Technology Co., Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Grandsun Electronic Co.,Ltd. | Grand Electronic Co., Ltd | CN | different | name
Shenzhen haichangxing Technology Co., Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Hanshine Technology Co.Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen HDCVT Technology | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
SHENZHEN HONOR ELECTRONIC CO.,LTD | Honor Device Co., Ltd. | CN | different | group
Shenzhen Huabai Intelligent Technology Co., Ltd. | Intelligent Technology Inc. | CN | different | name
Shenzhen Huabai Intelligent Technology Co., Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Hubsan Technology Co.，LTD. | ShenZhen Hugsun Technology Co.,Ltd. | CN | different | name
Shenzhen Hubsan Technology Co.，LTD. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
ShenZhen Hugsun Technology Co.,Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
SHENZHEN HUINENGYUAN Technology Co., Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Incar Technology Co., Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen JieXingTong Technology Co.,LTD | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen JoiningFree Technology Co.,Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Jooan Technology  Co., Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Jooan Technology  Co., Ltd | Woan Technology (Shenzhen) Co., Ltd. | CN | different | name
Shenzhen Lencotion Technology Co.,Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen MADIGI Electronic Technology Co., Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Mining Technology Co.,Ltd. | MING HONG TECHNOLOGY (SHEN ZHEN) LIMITED | CN | different | name
Shenzhen Mining Technology Co.,Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Modern Cowboy Technology Co.,Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen MoreSense Technology Co., Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
ShenZhen Mornsun Smartlinker Limited Co., LTD | Shenzhen All-Smartlink Technology Co.,Ltd. | CN | different | name
Shenzhen Neostra Technology Co.Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
shenzhen newbridge communication equipment CO.,LTD | Newbridge Technologies Int. Ltd. | CN | different | group
Shenzhen Nokelock Technology Co, Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
ShenZhen Panrich Technology Limited | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
SHENZHEN PINSIDA TECHNOLOGY CO.,LTD. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Qiutian Technology Co.,Ltd | Shenzhen Baitong Putian Technology Co.,Ltd. | CN | different | name
Shenzhen Qiutian Technology Co.,Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen ROLSTONE Technology Co., Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Rongan Networks Technology Co.,Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Samchung Video Technology Co., Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
SHENZHEN TECHNOLOGY CO LTD | SHENZHEN KTC TECHNOLOGY GROUP | CN | different | name
Shenzhen TOPWAY Technology Co.,LTD | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Uyesee Technology Co.,Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen V-Streaming Technology Co., Ltd. | Shenzhen Streaming Video Technology Company Limited | CN | different | group
Shenzhen V-Streaming Technology Co., Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Viewsmart Technology Co.,Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Virtual Clusters Information Technology Co.,Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Wesion Technology Co., Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Wesion Technology Co., Ltd | Shenzhen Wision Technology Holding Limited | CN | different | name
SHENZHEN Xin JiuNing Electronics Co Ltd | SHENZHEN XIN FEI JIA ELECTRONIC CO. LTD. | CN | different | group
Shenzhen Xinfa Electronic Co.,ltd | SHENZHEN TIAN XING CHUANG ZHAN ELECTRONIC CO.,LTD | CN | different | name
Shenzhen Xrinda Technology Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
SHENZHEN YIWANJIA INFORMATION TECHNOLOGY CO.,LTD | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen Yunlianxin Technology Co., Ltd. | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Shenzhen zhong ju  Fiber optical Co.Ltd | Shenzhen Sy-Fiber Optical Communication Technology.Co.,Ltd | CN | different | group
shenzhen zonglian network technology limited | SHENZHEN FENGLIAN TECHNOLOGY CO., LTD. | CN | different | name
ShenZhenShi EVADA technology Co.,Ltd | Shenzhenshi chuangzhicheng Technology Co.,Ltd | CN | different | group
ShenZhenShi EVADA technology Co.,Ltd | Shenzhenshi Xinzhongxin Technology Co.Ltd | CN | different | group
Shenzhenshi kechuangzhixian technology Co.LTD | Shenzhenshi chuangzhicheng Technology Co.,Ltd | CN | different | group
Shinko Technos co.,ltd. | SHINKO ELECTRIC CO., LTD. | JP | different | group
Shinko Technos co.,ltd. | SHINKO ELECTRIC INDUSTRIES CO. | JP | different | group
Sichuan Nebula Networks Co.,LTD. | Beijing Nebula Link Technology Co., Ltd | CN | different | group
Silverback Systems | Silver Peak Systems, Inc. | US | different | name
Simple Network Magic Corporation | Simple Devices, Inc. | US | different | group
Simple Network Magic Corporation | SIMPLE TECHNOLOGY | US | different | group
SM DSP CO.,LTD. | Sm electronic co. | KR | different | group
SM DSP CO.,LTD. | SM Information & Communication | KR | different | group
Sm electronic co. | SM Information & Communication | KR | different | group
Smart Code(shenzhen)Technology Co.,Ltd | SHENZHEN TECHNOLOGY CO LTD | CN | different | name
Smiths US Innovation LLC | Smiths Medical | US | different | group
Smiths US Innovation LLC | U.S. Robotics Corporation | US | different | group
snap40 Ltd | ZONAL RETAIL DATA SYSTEMS | GB | different | address
Software Motor Corp | Ford Motor Company | US | different | group
Software Motor Corp | Harley-Davidson Motor Company | US | different | group
Somfy | Somfy-Protect By Myfox SAS | FR | different | group
Sonora Network Solutions | Rhino Mobility LLC | US | different | address
SOUNDKING ELECTRONICS&SOUND CO., LTD. | Innovation Sound Technology Co., LTD. | CN | different | group
Southwest Research Institute | Southwest Microwave, Inc | US | different | group
SP Controls, Inc | Night Owl SP | US | different | group
Sparton Electronics | PATTON ELECTRONICS CO. | US | different | name
SR RESEARCH LTD | SR TELECOM INC. | CA | different | group
ST Access Control System Corp. | ST&T Instrument Corp. | TW | different | group
Stahl GmbH | R. STAHL HMI Systems GmbH | DE | different | group
Stahl GmbH | R. STAHL Schaltgeräte GmbH | DE | different | group
Standartoptic, Limited Liability Company | Limited Liability Company | RU | different | group
Stanley Security Solutions | Morgan Stanley | US | different | group
Stanley Security | Morgan Stanley | US | different | group
Stored Energy Systems | Energy, Inc. | US | different | name
StreetFire Sound Labs, LLC | Sound Devices, LLC | US | different | group
SubPac | Essential Products, Inc. | US | different | address
Suntech Engineering | Suntech International Ltd. | KR | different | group
Swisscom Broadcast Ltd | Advanced Digital Broadcast SA | CH | different | group
Swisscom Broadcast Ltd | Swisscom Energy Solutions AG | CH | different | group
Swistec GmbH | SysTec GmbH | DE | different | name
System LSI CO.Ltd. | L.S.I. Japan Co., Ltd. | JP | different | group
Tanaka Electric Industry Co., Ltd. | S-Takaya Electronics Industry Co.,Ltd. | JP | different | name
Tantronic AG | Teltronic AG | CH | different | name
Techno Sobi Co. Ltd. | Techno Design Co., Ltd. | JP | different | group
Telonic Berkeley Inc | BERKELEY NETWORKS | US | different | group
Telonic Berkeley Inc | Berkeley Process Control | US | different | group
Thales Belgium | PSS Belgium N.V. | BE | different | group
Thermo Process Instruments, LP | PROCESS CONTROL CORP. | US | different | group
Thermo Process Instruments, LP | Thermo Fisher Scientific | US | different | group
Thomas & Betts | A. S. Thomas, Inc. | US | different | group
TI2000 TECNOLOGIA INFORMATICA 2000 | Datatech Sistemas Digitales Avanzados SL | ES | different | address
TianJin JointOptic Technology Co., LTD. | Tianjin Techua Technology Co., Ltd. | CN | different | group
Time Domain | Time America, Inc. | US | different | group
Tokyo Communication Equipment MFG Co.,ltd. | TOKYO ELECTRIC CO.,LTD | JP | different | group
Tokyo Weld Co.,Ltd. | TOKYO ELECTRIC CO.,LTD | JP | different | group
Toray　Medical　Co.,Ltd | Toray Engineering D Solutions Co., Ltd. | JP | different | group
Traffic and Parking Control Co, Inc. | Global Traffic Technologies, LLC | US | different | group
traffic network solutions s.l | LACROIX TRAFFIC S.A.U | ES | different | group
Transcend Building Automation control network corporation | Transcend Information | TW | different | group
TRIAX-HIRSCHMANN Multi-Media GmbH | Hirschmann Automation | DE | different | group
Troll Systems Corporation | Roll Systems Inc. | US | different | name
Tsinghua Tongfang Co., LTD | Shenzhen  Tongfang Multimedia  Technology Co.,Ltd. | CN | different | group
Tsinghua Tongfang Co., LTD | Tongfang Computer Co.,Ltd. | CN | different | group
Twinwin Technplogy Co.,Ltd. | TwinHan Technology Co.,Ltd | TW | different | name
Ultimate Software | ULTIMATE TECHNOLOGY CORP. | US | different | group
UNIONDIGITAL.,CO.LTD | UNION co., ltd. | KR | different | name
University of York | York Instruments Ltd | GB | different | group
Valley Tecnologia | µTech Tecnologia LTDA | BR | different | group
Verex Technology | Lorex Technology Inc. | CA | different | name
Verifiber LLC | Verifi, LLC | US | different | name
Virtual Control Systems Ltd | VIRTUAL ACCESS, LTD. | GB | different | group
Vista Research, Inc. | Vista Imaging, Inc. | US | different | group
Vitrea Smart Home Technologies | Vsecure 2000 LTD. | IL | different | address
Wanco Inc | LANCO, INC. | US | different | name
Waversa Systems | ASA SYSTEMS | KR | different | name
WAVES SYSTEM | WaveStorm | FR | different | name
WAYCOM Technology Co.,Ltd | SANYCOM Technology Co.,Ltd | CN | different | name
Weltronics Corp. | Teltronics, Inc. | US | different | name
Western Reserve Controls, Inc. | WESTERN DIGITAL CORPORATION | US | different | group
Widmer Time Recorder Co., Inc. | Time America, Inc. | US | different | group
Winner Technology Co, Ltd. | Winnertec System Co., Ltd. | KR | different | name
Wonders Technology Co., Ltd. | WonderSound Technology Co., Ltd | CN | different | name
Wuhan Glory Road Intelligent Technology Co., Ltd. | Intelligent Technology Inc. | CN | different | name
Wuhan Maiwe communication Co.,Ltd | Wuhan Telecommunication Devices Co.,Ltd | CN | different | group
Wuhan Tianyu Information Industry Co., Ltd. | Beijing Tianyu Communication Equipment Co., Ltd | CN | different | group
Wurm GmbH & Co. KG Elektronische Systeme | Teratronik elektronische systeme gmbh | DE | different | group
WUUK LABS CORP. | Armatura LLC | US | different | address
WxBR Sistemas de Telecomunicacoes Ltda | Trópico Sistemas e Telecomunicações da Amazônia LTDA. | BR | different | group
Xi'an Hua Fan Technology Co.,Ltd. | Xi'an Link-Science Technology Co.,Ltd | CN | different | group
XIAMEN VORLINK IOT TECHNOLOGY CO.,LTD. | Beijing H-IoT Technology Co., Ltd. | CN | different | group
XIAMEN VORLINK IOT TECHNOLOGY CO.,LTD. | Xiamen Cheerzing IOT Technology Co.,Ltd. | CN | different | group
Xiaoniu network technology (Shanghai) Co., Ltd. | Shanghai Xiaoyi Technology Co., Ltd. | CN | different | name
Xylon | Koncar Electronics and Informatics | HR | different | address
Y-cam Solutions Ltd | Mini-Cam Limited | GB | different | group
Youtransactor | GMX SAS | FR | different | address
YUAN High-Tech Development Co., Ltd. | High Tech Computer Corp | TW | different | group
YUKO ELECTRIC CO.,LTD | Shuko Electronics Co.,Ltd | JP | different | name
zhejiang Anhong technology co.,ltd | Zhejiang KaNong Network Technology Co.,Ltd. | CN | different | name
Zhejiang Send Intelligent Technology,Ltd | Intelligent Technology Inc. | CN | different | name
ZHENG DIAN ELECTRONICS LIMITED | Electronics Company Limited | CN | different | name
Zhuhai Anjubao Electronics Technology Co., Ltd. | Zhuhai Dingzhi Electronic Technology Co., Ltd | CN | different | group
Zynex Monitoring Solutions | Digital Monitoring Products, Inc. | US | different | group
"""

# Clusters whose records the cluster rule joins although they sit in different cities under
# different legal forms (or one without): each was read. Each line: a name of the cluster | country |
# keep (one organisation: a move, a second site, a change of legal form) / leave-out (cannot tell, or
# two organisations sharing a name; the cluster is left out of the uploads) | reason.
INTRA_DECISIONS = """
Asiga Pty Ltd | AU | keep | move
CONTINENT Co. Ltd | RU | keep | move
Docobo Limited | GB | keep | move
Embedded Systems Design, Inc. | US | leave-out | namesake
Ernitec | DK | keep | move
Exelis | US | keep | move
Far South Networks | ZA | keep | move
Fibrain | PL | keep | move
Globalcom Engineering SPA | IT | keep | move
HaiVision Systems Incorporated | CA | keep | move
Hubbell Power Systems | US | keep | move
IBM Corp | US | keep | move
InAccess Networks SA | GR | keep | move
Inovonics | US | leave-out | namesake
Kyoritsu Electric Co., Ltd. | JP | leave-out | namesake
Mettler Toledo | US | keep | move
Mueller-Elektronik GmbH & Co. KG | DE | leave-out | namesake
Musashi Engineering Co., LTD. | JP | leave-out | namesake
Nordson Corporation | US | keep | move
NT MicroSystems, Inc. | JP | keep | move
OpVista, Inc. | US | keep | move
Oso Technologies | US | keep | move
Pietro Fiorentini | IT | keep | move
POSTEC DATA SYSTEMS | NZ | keep | move
R L Drake | US | leave-out | rename
SELEX Communications Limited | GB | keep | move
Signature Control Systems, LLC. | US | leave-out | namesake
SP Controls, Inc | US | keep | move
Stanley Security Solutions | US | keep | move
Synaccess Networks | US | keep | move
Telstra | AU | keep | move
TWIN DEVELOPMENT | BE | keep | move
"""
# ---------------------------------------------------------------------------------------------


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def marked_toks(name):
    """(token, glued) pairs. Dotted single letters are joined ("s.p.a." -> spa, "D.E.M." -> dem),
    so are runs of spaced single letters ("R L Drake" -> rl drake); letters joined by "&" ("A&B")
    are glued and never taken for a legal form."""
    s = fold(name).lower().replace("a/s", " as ").replace("s/a", " sa ")
    s = re.sub(r"\b([a-z])\s*&\s*([a-z])\b", lambda m: " \x01" + m.group(1) + m.group(2) + " ", s)
    s = s.replace("&", " and ")
    s = re.sub(r"\b[a-z](?:\.[a-z])+\b\.?", lambda m: " " + m.group(0).replace(".", "") + " ", s)
    out = []
    for t in re.findall(r"\x01?[a-z0-9]+", s):
        if len(t) == 1 and t.isalpha() and out and out[-1][1] == "run":
            out[-1] = (out[-1][0] + t, "run")
        elif len(t) == 1 and t.isalpha():
            out.append((t, "run"))
        else:
            out.append((t.lstrip("\x01"), t.startswith("\x01")))
    return [(t, g is True) for t, g in out]


def toks(name):
    return [t for t, _ in marked_toks(name)]


def fullnorm(name):
    return " ".join(toks(name))


def core(name):
    mt = marked_toks(name)
    s = " " + " ".join(t if not g else "\x01" + t for t, g in mt) + " "
    for seq in LEGAL_SEQ:
        s = s.replace(" " + seq + " ", " ")
    out = [w.lstrip("\x01") for w in s.split() if w.startswith("\x01") or w not in LEGAL]
    return " ".join(out) or fullnorm(name)


def squash(s):
    return re.sub(r"[^a-z0-9]", "", fold(s).lower())


def parse_listing(path, registry):
    """Records of one IEEE .txt listing: (registry, assignment, name, street, city, region, postal, cc)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().replace("\r", "").split("\n")
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if "(base 16)" not in line:
            i += 1
            continue
        assign, name = (x.strip() for x in line.split("(base 16)", 1))
        body, j = [], i + 1
        while j < len(lines) and lines[j].strip():
            body.append(lines[j].strip())
            j += 1
        i = j
        # Complete records only: street line, "city  region  postal" line, country line.
        if len(body) != 3 or not re.fullmatch(r"[A-Z]{2}", body[2]):
            continue
        cc = COUNTRY_FIX.get(body[2], body[2])
        if name.lower() in ("private", ""):
            continue
        raw = lines[j - 2].strip()
        parts = [p.strip() for p in raw.split("  ")]
        if len(parts) >= 3:
            city, region, postal = parts[0], parts[1], " ".join(p for p in parts[2:] if p)
        elif len(parts) == 2:
            city, region, postal = parts[0], "", parts[1]
            if not re.search(r"\d", postal):
                region, postal = postal, ""
        else:
            city, region, postal = parts[0], "", ""
        assign = assign.split("-")[0]
        out.append((registry, assign, name, body[0], city, region, postal, cc))
    return out


ADDRESS_WORDS = set("""no nr floor fl building bldg bld block blk room rm unit suite ste road rd street
st avenue ave district dist park industrial zone area town city village lane ln section sec tower
center centre plaza science technology tech high new hi way drive dr""".split())


def street_key(s):
    """Street line without its formatting: the numbers and the street words, sorted
    ("15/F,NO3003,Baoyang Road" and "15/F,No.3003,Baoyang Road" give one key)."""
    low = fold(s).lower()
    nums = sorted(set(re.findall(r"\d+", low)))
    words = sorted({w for w in re.findall(r"[a-z]+", low) if len(w) >= 3 and w not in ADDRESS_WORDS})
    if not nums or not words:
        return ""
    return " ".join(nums) + " | " + " ".join(words)


def lev_le2(a, b):
    if abs(len(a) - len(b)) > 2:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= 2


def write_csv(path, cols, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


class Data:
    def __init__(self, src):
        self.recs = parse_listing(os.path.join(src, "oui.txt"), "MA-L")
        for fn, reg in FILES:
            self.recs += parse_listing(os.path.join(src, fn), reg)
        self.clusters = collections.defaultdict(list)
        for r in self.recs:
            self.clusters[(core(r[2]), r[7])].append(r)
        self.keys = sorted(self.clusters)
        self.idx = {k: i for i, k in enumerate(self.keys)}
        self.L = {k for k, v in self.clusters.items() if any(r[0] == "MA-L" for r in v)}
        self.U = {k for k, v in self.clusters.items() if any(r[0] != "MA-L" for r in v)}
        df = collections.Counter()
        for c in {k[0] for k in self.keys}:
            df.update(set(c.split()))
        self.df = df
        # The cluster's most frequent normalised name (ties: the first in listing order).
        self.rep = [collections.Counter(fullnorm(r[2]) for r in self.clusters[k]).most_common(1)[0][0]
                    for k in self.keys]

    def dist(self, c):
        return {w for w in c.split() if self.df[w] <= DF_MAX and w not in GENERIC and len(w) >= 2}

    def candidates(self):
        """Candidate cluster pairs (i, j), i < j, at least one side an upload cluster -> methods."""
        keys, pairs = self.keys, collections.defaultdict(set)
        uidx = np.array([i for i, k in enumerate(keys) if k in self.U])
        # 1. character 3-gram TF-IDF cosine >= 0.5 on the normalised name
        vocab, rows, cols, vals = {}, [], [], []
        for i, n in enumerate(self.rep):
            s = " " + n + " "
            for g, v in sorted(collections.Counter(s[j:j + 3] for j in range(len(s) - 2)).items()):
                rows.append(i)
                cols.append(vocab.setdefault(g, len(vocab)))
                vals.append(v)
        X = sp.csr_matrix((vals, (rows, cols)), shape=(len(keys), len(vocab)), dtype=np.float64)
        dfv = np.bincount(X.indices, minlength=len(vocab))
        X = X.multiply(np.log((1 + len(keys)) / (1 + dfv)) + 1).tocsr()
        norms = np.sqrt(np.asarray(X.multiply(X).sum(1)).ravel())
        norms[norms == 0] = 1
        X = (sp.diags(1 / norms) @ X).tocsr()
        XT = X.T.tocsc()
        self.cos = {}
        for s in range(0, len(uidx), 1000):
            blk = uidx[s:s + 1000]
            S = (X[blk] @ XT).tocoo()
            for a, b, v in zip(blk[S.row], S.col, S.data):
                if a != b and v >= 0.5:
                    p = (min(a, b), max(a, b))
                    pairs[p].add("gram")
                    self.cos[p] = round(float(v), 3)
        # 2. token overlap on distinctive words
        D = [self.dist(k[0]) for k in keys]
        tpost = collections.defaultdict(list)
        for i, d in enumerate(D):
            for w in d:
                tpost[w].append(i)
        for i in uidx:
            for w in D[i]:
                for j in tpost[w]:
                    if j != i:
                        inter = len(D[i] & D[j])
                        if inter / len(D[i] | D[j]) >= 0.5 or inter == min(len(D[i]), len(D[j])):
                            pairs[(min(i, j), max(i, j))].add("tok")
        # 3. equal normalised name (any country); 4. same street line in the same country
        fpost, spost = collections.defaultdict(set), collections.defaultdict(set)
        for i, k in enumerate(keys):
            for r in self.clusters[k]:
                fpost[fullnorm(r[2])].add(i)
                fpost["core:" + k[0]].add(i)
                st = street_key(r[3])
                if st:
                    spost[(st, r[7])].add(i)
        for m, tag in ((fpost, "exact"), (spost, "street")):
            for v in m.values():
                v = sorted(v)
                if len(v) > 60:   # a registry-wide placeholder, not a name or an address
                    continue
                for a in v:
                    for b in v:
                        if a < b and (keys[a] in self.U or keys[b] in self.U):
                            pairs[(a, b)].add(tag)
        return pairs

    def streets(self, k):
        return {street_key(r[3]) for r in self.clusters[k]} - {""}

    def legal_forms(self, k):
        return {tuple(w for w in toks(r[2]) if w in LEGAL) for r in self.clusters[k]}

    def shape(self, a, b):
        """The rule that decides a candidate pair of clusters (see the module docstring)."""
        ka, kb = self.keys[a], self.keys[b]
        if ka[1] != kb[1]:
            if ka[0] != kb[0]:
                return "diff_country"
            fa, fb = self.legal_forms(ka), self.legal_forms(kb)
            if () in fa or () in fb or fa & fb:
                return "ambiguous_country"      # "Foo Inc." US / "Foo Inc." TW, or no legal form
            return "diff_country_family"        # "Foo Inc." US / "Foo GmbH" DE
        A, B = self.dist(ka[0]), self.dist(kb[0])
        near = bool(A & B) or ka[0].replace(" ", "") == kb[0].replace(" ", "") or any(
            len(x) >= 4 and len(y) >= 4 and (lev_le2(x, y) or x.startswith(y) or y.startswith(x))
            for x in A for y in B)
        street = bool(self.streets(ka) & self.streets(kb))
        # A name made only of common words, contained in the other name ("Intelligent Devices" /
        # "Intelligent Devices Inc (IDI)"), has no distinctive word to compare: read it too.
        ta, tb = set(ka[0].split()), set(kb[0].split())
        generic_subset = (not A or not B) and (ta <= tb or tb <= ta)
        if near or street or generic_subset:
            return "review"
        return "diff_name"


def parse_hand():
    out = {}
    for line in HAND_DECISIONS.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        x, y, cc, label, reason = (f.strip() for f in line.split(" | "))
        assert label in ("same", "different", "ambiguous"), line
        kx, ky = (core(x), cc), (core(y), cc)
        if kx == ky:      # both names fall in one cluster: the cluster rule already joins them
            continue
        key = frozenset((kx, ky))
        assert key not in out or out[key][0] == label, f"conflicting hand decisions: {line}"
        out[key] = (label, reason, x, y)
    return out


def parse_intra():
    out = {}
    for line in INTRA_DECISIONS.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, cc, label, reason = (f.strip() for f in line.split(" | "))
        assert label in ("keep", "leave-out"), line
        out[(core(name), cc)] = (label, reason, name)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", default="/usr/share/ieee-data")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "quality", "eval", "ieee-dev"))
    ap.add_argument("--review-list", help="write the pairs that need a hand decision here and stop")
    args = ap.parse_args()
    d = Data(args.src)
    keys, clusters, L, U = d.keys, d.clusters, d.L, d.U
    pairs = d.candidates()
    shapes = {p: d.shape(*p) for p in sorted(pairs)}

    # Seeded samples ranked by a hash of a cluster's first assignment, so that a cluster's fate does
    # not depend on how many other clusters there are. Snapshot: MA-L organisation clusters.
    def rank(seed, k, registries):
        first = min(f"{r[0]}:{r[1]}" for r in clusters[k] if r[0] in registries)
        return hashlib.sha256(f"{seed}:{first}".encode()).hexdigest()

    S = set(sorted(L, key=lambda k: rank(SEED, k, {"MA-L"}))[:SNAPSHOT_SIZE])
    present_side = lambda k: k in S or k in U   # noqa: E731

    # Per upload cluster: pairs needing a hand decision, and ambiguous pairs, against anything
    # that can be present (a snapshot deal or another upload cluster).
    review = collections.defaultdict(set)
    ambiguous = set()
    for (a, b), shp in shapes.items():
        ka, kb = keys[a], keys[b]
        for x, y in ((ka, kb), (kb, ka)):
            if x in U and present_side(y):
                if shp == "review":
                    review[x].add(y)
                elif shp == "ambiguous_country":
                    ambiguous.add(x)
    ucl = sorted(k for k in U if k not in ambiguous)
    pool_reviewed = [k for k in ucl if 1 <= len(review[k]) <= 2 and (k in S or any(y in S for y in review[k]))]
    upl = set(UPLOADERS)
    reviewed = set(sorted(pool_reviewed, key=lambda k: rank(REVIEW_SEED, k, upl))[:REVIEWED_UPLOAD_CLUSTERS])
    review_pairs = sorted({tuple(sorted((x, y))) for x in reviewed for y in review[x]
                           if y in S or y in reviewed})
    hand = parse_hand()
    intra = parse_intra()
    missing = [p for p in review_pairs if frozenset(p) not in hand]

    # Clusters without a borderline pair against anything present: their candidate pairs are all
    # decided by rule. Those already in the snapshot are duplicates of a deal by the cluster rule.
    no_review = [k for k in ucl if not review[k] and k not in reviewed]
    exact_in_s = [k for k in no_review if k in S]
    others = sorted((k for k in no_review if k not in S), key=lambda k: rank(SEED + 2, k, upl))

    # Ambiguous hand decisions leave the upload clusters involved out.
    for fs, (label, *_r) in hand.items():
        if label == "ambiguous":
            for k in fs:
                if k in U:
                    reviewed.discard(k)

    def take(k):
        seen, rs = set(), []
        for r in sorted((r for r in clusters[k] if r[0] != "MA-L"), key=lambda r: (r[0], r[1])):
            sig = (r[2], r[3], r[4], r[6])
            if sig not in seen:
                seen.add(sig)
                rs.append(r)
        if len(rs) > MAX_ROWS_PER_CLUSTER:
            crng = random.Random(f"{SEED}:{rs[0][0]}:{rs[0][1]}")
            rs = sorted(crng.sample(rs, MAX_ROWS_PER_CLUSTER), key=lambda r: (r[0], r[1]))
        return rs

    def deal_record(k):
        rs = [r for r in clusters[k] if r[0] == "MA-L"]
        cnt = collections.Counter((r[2], r[3], r[4], r[6]) for r in rs)
        return min(rs, key=lambda r: (-cnt[(r[2], r[3], r[4], r[6])], r[1]))

    def city_key(c):
        return squash(c)[:5]

    def split_risk(k):
        """Records of one cluster that the cluster rule calls one organisation although they are in
        different cities AND carry different legal forms (or one none): read by hand (INTRA)."""
        rs = take(k) + ([deal_record(k)] if k in S else [])
        for i, r1 in enumerate(rs):
            for r2 in rs[i + 1:]:
                lf1 = tuple(w for w in toks(r1[2]) if w in LEGAL)
                lf2 = tuple(w for w in toks(r2[2]) if w in LEGAL)
                if city_key(r1[4]) != city_key(r2[4]) and lf1 != lf2:
                    return True
        return False

    def select(margin):
        chosen = [k for k in sorted(reviewed) + exact_in_s if intra.get(k, ("keep",))[0] == "keep"]
        recs, n_others = [], 0
        for k in chosen:
            recs += [(k, r) for r in take(k)]
        for k in others:
            if len(recs) >= TARGET_ROWS + margin:
                break
            if intra.get(k, ("keep",))[0] != "keep":
                continue
            recs += [(k, r) for r in take(k)]
            n_others += 1
        return recs, n_others

    wide, _n = select(400)
    intra_missing = sorted({k for k, _ in wide if k not in intra and split_risk(k)})
    if args.review_list:
        with open(args.review_list, "w", encoding="utf-8") as f:
            for x, y in missing:
                for k in (x, y):
                    rs = clusters[k]
                    names = " / ".join(sorted({r[2] for r in rs})[:3])
                    addrs = " / ".join(sorted({f"{r[3]}, {r[4]}" for r in rs})[:2])
                    f.write(f"{'S' if k in S else 'U'} {k[1]} {names} @ {addrs}\n")
                f.write("\n")
            f.write("==== INTRA\n")
        with open(args.review_list + ".tsv", "w", encoding="utf-8") as f:
            rep_name = lambda k: collections.Counter(r[2] for r in clusters[k]).most_common(1)[0][0]  # noqa: E731
            for x, y in missing:
                if x not in reviewed:
                    x, y = y, x
                f.write(f"{rep_name(x)} | {rep_name(y)} | {x[1]}\n")
            for k in intra_missing:
                f.write(f"INTRA {rep_name(k)} | {k[1]}\n")
        with open(args.review_list, "a", encoding="utf-8") as f:
            for k in intra_missing:
                rs = take(k) + ([deal_record(k)] if k in S else [])
                f.write(f"{k[1]} | " + " || ".join(f"{r[0]} {r[2]} @ {r[3]}, {r[4]}" for r in rs) + "\n")
        print(f"{len(missing)} pairs and {len(intra_missing)} clusters written to {args.review_list}")
        return
    assert not missing, f"{len(missing)} borderline pairs have no hand decision, first {missing[0]}"
    upload_recs, n_new_clusters = select(0)
    unread = [k for k, _ in upload_recs if k not in intra and split_risk(k)]
    assert not unread, f"{len(unread)} clusters need an INTRA decision, first {unread[0]}"
    in_upload = {k for k, _ in upload_recs}
    rng = random.Random(SEED + 2)

    # Entities: union of clusters judged the same (the cluster rule + hand "same").
    parent = {}

    def find(k):
        parent.setdefault(k, k)
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for fs, (label, *_r) in hand.items():
        if label == "same":
            a, b = sorted(fs)
            if (a in S or a in in_upload) and (b in S or b in in_upload):
                parent[find(b)] = find(a)

    # Snapshot deals: one per cluster in S; if hand decisions join two snapshot clusters, only the
    # first (by key) keeps a deal, so that every duplicate has one right deal.
    deal_cluster = {}
    for k in sorted(S):
        e = find(k)
        if e not in deal_cluster:
            deal_cluster[e] = k
    snapshot, deal_of = [], {}
    srng = random.Random(SEED + 3)
    for k in sorted(S):
        if deal_cluster[find(k)] != k:
            continue
        best = deal_record(k)
        deal_id = f"OUI-{best[1]}"
        deal_of[find(k)] = (deal_id, best)
        snapshot.append({"deal_id": deal_id, "account_name": best[2], "account_domain": "",
                         "address": best[3], "city": best[4], "postal_code": best[6],
                         "country": best[7], "phone": "", "owner_type": "partner",
                         "owner_id": srng.choice(INCUMBENTS), "status": "open",
                         "created_on": "2026-11-04", "expires_on": "2028-12-31",
                         "deal_value": str(srng.randint(5, 499) * 1000),
                         "last_activity_on": "2026-11-04"})
    snapshot.sort(key=lambda r: r["deal_id"])

    # Hard negatives: upload clusters with a candidate pair, decided different (by rule or by
    # hand), against a snapshot deal or another upload cluster of the set.
    present = {k for k in S if deal_cluster[find(k)] == k} | in_upload
    hard = collections.Counter()
    hard_kind = {}
    for (a, b), shp in shapes.items():
        ka, kb = keys[a], keys[b]
        if ka not in present or kb not in present or find(ka) == find(kb):
            continue
        if shp == "review":
            label = hand.get(frozenset((ka, kb)), ("different",))[0]
            if label != "different":
                continue
            why = "hand"
        elif shp in ("diff_country", "diff_country_family", "diff_name"):
            why = shp
        else:
            continue
        for x in (ka, kb):
            if x in in_upload:
                hard_kind.setdefault(x, set()).add(why)
                hard[why] += 1

    # Uploads: rows in a seeded order, one partner file per registry.
    rng.shuffle(upload_recs)
    files = {p: [] for p in sorted(UPLOADERS.values())}
    truth_rows = {p: [] for p in files}
    close0 = date(2027, 1, 4)
    for i, (k, r) in enumerate(upload_recs, start=1):
        p = UPLOADERS[r[0]]
        files[p].append({"partner_id": p, "partner_reference": f"REF-{i:05d}", "account_name": r[2],
                         "account_domain": "", "contact_name": "", "contact_email": "",
                         "address": r[3], "city": r[4], "postal_code": r[6], "country": r[7],
                         "phone": "", "deal_value": str(rng.randint(5, 95) * 1000), "currency": "USD",
                         "expected_close_date": (close0 + timedelta(days=rng.randint(0, 360))).isoformat(),
                         "product": rng.choice(PRODUCTS)})
        truth_rows[p].append((k, r))
    truth, seen_entity = [], set()
    counts = collections.Counter()
    for p in sorted(files):          # score.py orders the batch by (file name, row number)
        for n, (k, r) in enumerate(truth_rows[p], start=1):
            e = find(k)
            noise = f"{r[0].lower()}:{r[1]}"
            if e in deal_of:
                deal_id, best = deal_of[e]
                kind = "same_name" if squash(best[2]) == squash(r[2]) else "name_variant"
                t = {"expected_match": deal_id, "expected_decision": "declined",
                     "expected_reason": "duplicate_existing_deal", "kind": kind, "entity": deal_id,
                     "noise": f"{noise}~ma-l:{best[1]}"}
            elif e in seen_entity:
                kind = "in_batch"
                t = {"expected_match": "", "expected_decision": "declined",
                     "expected_reason": "duplicate_in_batch", "kind": kind,
                     "entity": f"ORG-{e[1]}-{squash(e[0])[:40]}", "noise": noise}
            else:
                kind = "hard_negative" if k in hard_kind else "new"
                t = {"expected_match": "", "expected_decision": "approved", "expected_reason": "",
                     "kind": kind, "entity": f"ORG-{e[1]}-{squash(e[0])[:40]}", "noise": noise}
            seen_entity.add(e)
            counts[kind] += 1
            t.update({"upload_file": f"{p.lower()}.csv", "row_number": str(n)})
            truth.append(t)
    # Entity ids must name one entity each (a collision would make two organisations one).
    ids = {}
    for p in sorted(files):
        for k, _r in truth_rows[p]:
            e = find(k)
            eid = deal_of[e][0] if e in deal_of else f"ORG-{e[1]}-{squash(e[0])[:40]}"
            assert ids.setdefault(eid, e) == e, f"entity id {eid} names two entities"

    os.makedirs(os.path.join(args.out, "uploads"), exist_ok=True)
    write_csv(os.path.join(args.out, "snapshot.csv"), SNAPSHOT_COLS, snapshot)
    for p in sorted(files):
        write_csv(os.path.join(args.out, "uploads", f"{p.lower()}.csv"), UPLOAD_COLS, files[p])
    write_csv(os.path.join(args.out, "truth.csv"), TRUTH_COLS, truth)
    partners = [{"partner_id": p, "name": f"Partner {p}", "tier": "gold", "territories": "",
                 "email": f"{p.lower()}@partners.example", "max_active": "10000000"} for p in sorted(files)]
    partners += [{"partner_id": p, "name": f"Incumbent {p}", "tier": "silver", "territories": "",
                  "email": f"{p.lower()}@partners.example", "max_active": "10000000"} for p in INCUMBENTS]
    write_csv(os.path.join(args.out, "partners.csv"), ["partner_id", "name", "tier", "territories",
                                                       "email", "max_active"], partners)

    # Statistics for README.md.
    hand_count = collections.Counter(hand[frozenset(p)][:2] for p in review_pairs)
    fam = set()
    for (a, b), shp in shapes.items():
        ka, kb = keys[a], keys[b]
        if shp == "diff_country_family" and ka in present and kb in present:
            fam.add(ka[0])
    print(f"records={len(d.recs)} clusters={len(keys)} MA-L clusters={len(L)} upload clusters={len(U)}")
    print(f"snapshot deals={len(snapshot)} upload rows={len(upload_recs)} "
          + " ".join(f"{p.lower()}.csv={len(files[p])}" for p in sorted(files)))
    print("kinds " + " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    print(f"upload clusters: reviewed={len(reviewed)} exact_in_snapshot={len(exact_in_s)} "
          f"others={n_new_clusters} ambiguous_left_out={len(ambiguous)} (of pool {len(ucl)})")
    print(f"borderline pairs read={len(review_pairs)} " + " ".join(f"{a}/{b}={c}" for (a, b), c in sorted(hand_count.items())))
    print("hard-negative evidence (pair ends) " + " ".join(f"{k}={v}" for k, v in sorted(hard.items())))
    print(f"brand families across countries present (same name, different legal form and country): {len(fam)}")
    print("countries in uploads " + str(len({r[7] for _, r in upload_recs})))


if __name__ == "__main__":
    main()
