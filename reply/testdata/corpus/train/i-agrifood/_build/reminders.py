# Reminder texts sent by the four businesses (what clients quote under their answers).
# Keys: <business>.<stage>.<lang>. Fields: name, inv, idate, amt, due (+ cod, mod for b4).

R = {}

# ---------------------------------------------------------------- B1 dairy cooperative
R["b1.1.it"] = """Gentile {name},

con la presente Le ricordiamo che risulta ancora aperta la seguente partita:

   Fattura n. {inv} del {idate} - importo EUR {amt} - scadenza {due}

Se ha già provveduto al pagamento, non tenga conto di questo avviso e ci scusi per il disturbo.
Coordinate per il bonifico: IBAN IT60 X054 2811 1010 0000 0123 456
(indicare sempre nella causale il numero della fattura).

Cordiali saluti
Ufficio Amministrazione
Latteria Sociale San Rocco soc. coop. agricola
Via dei Casari 4 - 36020 San Rocco di Valbrenta (VI)
Tel. 0424 558120 - P.IVA 02981740240

--
Messaggio generato automaticamente dal gestionale, si prega di non rispondere.
Per informazioni: amministrazione@latteriasanrocco.it"""

R["b1.2.it"] = """Gentile {name},

nonostante il nostro precedente promemoria, la fattura n. {inv} del {idate} di EUR {amt}, scaduta il {due}, non risulta ancora saldata.
La preghiamo di provvedere al più presto con bonifico su IBAN IT60 X054 2811 1010 0000 0123 456, oppure di comunicarci la data prevista di pagamento.
In caso di mancata ricezione della fattura o di eventuali contestazioni, La invitiamo a contattare il nostro ufficio amministrativo (tel. 0424 558120).

Distinti saluti
Ufficio Amministrazione - Latteria Sociale San Rocco

--
Messaggio generato automaticamente, si prega di non rispondere."""

R["b1.3.it"] = """Spett.le {name},

dalle nostre registrazioni la fattura n. {inv} del {idate} (EUR {amt}, scadenza {due}) risulta tuttora insoluta.
Vi invitiamo a regolarizzare la posizione entro 10 giorni dal ricevimento della presente. In mancanza, saremo costretti a sospendere le consegne e ad addebitare gli interessi di mora ai sensi del D.Lgs. 231/2002.

Se il pagamento è già stato effettuato, Vi preghiamo di inviarci copia della contabile.

Ufficio Amministrazione
Latteria Sociale San Rocco soc. coop. agricola"""

R["b1.4.it"] = """Spett.le {name},

facciamo seguito ai nostri precedenti solleciti, rimasti senza riscontro.
L'importo di EUR {amt} relativo alla fattura n. {inv} del {idate}, scaduta il {due}, dovrà pervenirci entro e non oltre 8 giorni dalla data della presente.
Trascorso tale termine, senza ulteriore avviso, la pratica sarà trasmessa al nostro legale per il recupero del credito, con aggravio di spese a Vostro carico.

IBAN IT60 X054 2811 1010 0000 0123 456
Per eventuali contestazioni: amministrazione@latteriasanrocco.it

Latteria Sociale San Rocco soc. coop. agricola
Ufficio Amministrazione"""

# ---------------------------------------------------------------- B2 olive-oil mill + fruit & veg
R["b2.1.it"] = """Buongiorno {name},

Le scriviamo dalla Masseria Lamacupa per ricordarLe che la fattura n. {inv} del {idate}, di € {amt}, è scaduta il {due}.

Può effettuare il bonifico su:
Masseria Lamacupa di Lorusso V. & C. s.s. agricola
IBAN IT07 A084 6941 5600 0000 0041 872

Se nel frattempo ha già pagato, ignori pure questo messaggio.
Grazie e buona giornata,

Amministrazione - Masseria Lamacupa
Frantoio oleario · Ortofrutta
C.da Lamacupa snc - 70043 Monopoli (BA)

Questa email è stata inviata automaticamente dal nostro sistema di gestione pagamenti."""

R["b2.2.it"] = """Gentile {name},

non abbiamo ancora ricevuto il pagamento della fattura n. {inv} del {idate} (€ {amt}), scaduta il {due}.
Le saremmo grati se potesse saldarla nei prossimi giorni o, se c'è qualche problema, farcelo sapere rispondendo a questa email.

IBAN IT07 A084 6941 5600 0000 0041 872

Cordiali saluti
Amministrazione - Masseria Lamacupa"""

R["b2.3.it"] = """Gentile {name},

la fattura n. {inv} del {idate}, di € {amt}, risulta insoluta dal {due}, nonostante due precedenti promemoria.
La invitiamo a provvedere al saldo entro 7 giorni. Decorso tale termine ci vedremo costretti a sospendere le forniture in corso.
In caso di contestazioni sulla merce, La preghiamo di scriverci indicando il numero del DDT.

Amministrazione - Masseria Lamacupa
Tel. 080 930 4417"""

R["b2.4.it"] = """Gentile {name},

nonostante i ripetuti solleciti, la fattura n. {inv} del {idate} (€ {amt}, scaduta il {due}) non risulta pagata.
Questo è l'ultimo avviso: in assenza di pagamento entro 5 giorni lavorativi affideremo il recupero del credito al nostro studio legale, senza ulteriore comunicazione.

Amministrazione - Masseria Lamacupa
Masseria Lamacupa di Lorusso V. & C. s.s. agricola - P.IVA 01562730729"""

R["b2.1.en"] = """Dear {name},

This is a friendly reminder from Masseria Lamacupa that invoice no. {inv} dated {idate} for EUR {amt} fell due on {due}.

Bank details:
Beneficiary: Masseria Lamacupa di Lorusso V. & C. s.s. agricola
IBAN: IT07 A084 6941 5600 0000 0041 872 - BIC: ICRAITRRXXX

If payment has already been made, please disregard this message.
Kind regards,

Accounts - Masseria Lamacupa
Extra virgin olive oil · Fresh produce - Monopoli, Italy

This e-mail was sent automatically by our payment management system."""

R["b2.2.en"] = """Dear {name},

We have not yet received payment of invoice no. {inv} dated {idate} (EUR {amt}), which was due on {due}.
We would be grateful if you could settle it in the next few days or, if there is a problem, let us know by replying to this e-mail.

IBAN: IT07 A084 6941 5600 0000 0041 872 - BIC: ICRAITRRXXX

Best regards,
Accounts - Masseria Lamacupa"""

R["b2.3.en"] = """Dear {name},

Invoice no. {inv} dated {idate} for EUR {amt} has been overdue since {due}, despite two previous reminders.
Please arrange payment within 7 days. After that date we will have to put further deliveries on hold.
Should you have any complaint about the goods, please write to us quoting the delivery note number.

Accounts - Masseria Lamacupa"""

R["b2.4.en"] = """Dear {name},

Despite our repeated reminders, invoice no. {inv} dated {idate} (EUR {amt}, due {due}) remains unpaid.
This is our final notice: unless payment reaches us within 5 working days, the debt will be referred to our lawyers for collection without further notice.

Accounts - Masseria Lamacupa
Masseria Lamacupa di Lorusso V. & C. s.s. agricola - VAT IT01562730729"""

# ---------------------------------------------------------------- B3 winery
R["b3.1.it"] = """Gentile {name},

Le ricordiamo gentilmente il seguente documento in scadenza:

Documento: fattura {inv}
Data: {idate}
Scadenza: {due}
Importo: EUR {amt}

Coordinate bancarie: IBAN IT47 E030 6970 2911 0000 0006 483 - BIC BCITITMM
Qualora il pagamento fosse già stato disposto, La preghiamo di considerare nulla la presente.

Con i migliori saluti,
Tenuta Poggio alle Ginestre - Amministrazione
Loc. Le Ginestre 12 - 57028 Suvereto (LI)

Messaggio generato automaticamente: si prega di non rispondere a questo indirizzo.
Per qualsiasi richiesta: amministrazione@poggioalleginestre.it"""

R["b3.2.it"] = """Gentile {name},

la fattura {inv} del {idate}, di EUR {amt}, scaduta il {due}, risulta ancora aperta nei nostri registri.
Le chiediamo cortesemente di provvedere al pagamento o di indicarci una data prevista.

IBAN IT47 E030 6970 2911 0000 0006 483

Cordiali saluti,
Tenuta Poggio alle Ginestre - Amministrazione"""

R["b3.3.it"] = """Gentile {name},

nonostante i nostri precedenti promemoria, la fattura {inv} del {idate} (EUR {amt}, scadenza {due}) non risulta ancora saldata.
Le chiediamo di regolarizzare entro 10 giorni. In mancanza, saremo costretti a bloccare le prossime spedizioni e le allocazioni della nuova annata.
Per eventuali contestazioni La preghiamo di contattare il nostro ufficio commerciale.

Tenuta Poggio alle Ginestre - Amministrazione"""

R["b3.4.it"] = """Gentile {name},

ultimo avviso relativo alla fattura {inv} del {idate} (EUR {amt}, scaduta il {due}).
In assenza di pagamento entro 7 giorni dalla presente, la posizione sarà affidata al nostro legale per il recupero coattivo del credito, con addebito di interessi e spese.

Tenuta Poggio alle Ginestre Società Agricola s.r.l. - P.IVA 01318400494"""

R["b3.1.en"] = """Dear {name},

May we kindly remind you of the following open item:

Document: invoice {inv}
Date: {idate}
Due date: {due}
Amount: EUR {amt}

Bank details: IBAN IT47 E030 6970 2911 0000 0006 483 - BIC BCITITMM
If payment has already been arranged, please ignore this message.

With best regards,
Tenuta Poggio alle Ginestre - Accounts Department
Loc. Le Ginestre 12 - 57028 Suvereto (LI) - Italy

This is an automatically generated message. Please do not reply to this address.
For any enquiry: amministrazione@poggioalleginestre.it"""

R["b3.2.en"] = """Dear {name},

Our records show that invoice {inv} of {idate} for EUR {amt}, due on {due}, is still outstanding.
We would appreciate your payment or an indication of when we may expect it.

IBAN IT47 E030 6970 2911 0000 0006 483 - BIC BCITITMM

Kind regards,
Tenuta Poggio alle Ginestre - Accounts Department"""

R["b3.3.en"] = """Dear {name},

Despite our previous reminders, invoice {inv} of {idate} (EUR {amt}, due {due}) has not been paid.
Please settle it within 10 days. Otherwise we shall be obliged to hold further shipments and your allocation of the new vintage.
In case of dispute, please contact our export office.

Tenuta Poggio alle Ginestre - Accounts Department"""

R["b3.4.en"] = """Dear {name},

FINAL NOTICE - invoice {inv} of {idate} (EUR {amt}, due {due}).
Unless payment is received within 7 days of this notice, the matter will be handed to our legal counsel for collection, with interest and costs charged to you.

Tenuta Poggio alle Ginestre Società Agricola s.r.l. - VAT IT01318400494"""

R["b3.1.de"] = """Sehr geehrte Damen und Herren,

wir erlauben uns, Sie an folgenden offenen Posten zu erinnern:

Beleg: Rechnung {inv}
Datum: {idate}
Fällig am: {due}
Betrag: EUR {amt}

Bankverbindung: IBAN IT47 E030 6970 2911 0000 0006 483 - BIC BCITITMM
Sollten Sie die Zahlung bereits veranlasst haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.

Mit freundlichen Grüßen
Tenuta Poggio alle Ginestre - Buchhaltung

Diese Nachricht wurde automatisch erstellt. Bitte antworten Sie nicht auf diese Adresse.
Bei Fragen: amministrazione@poggioalleginestre.it"""

R["b3.2.de"] = """Sehr geehrte Damen und Herren,

laut unseren Unterlagen ist die Rechnung {inv} vom {idate} über EUR {amt}, fällig am {due}, noch offen.
Wir bitten um Ausgleich oder um Mitteilung eines Zahlungstermins.

IBAN IT47 E030 6970 2911 0000 0006 483 - BIC BCITITMM

Mit freundlichen Grüßen
Tenuta Poggio alle Ginestre - Buchhaltung"""

R["b3.3.de"] = """Sehr geehrte Damen und Herren,

trotz unserer bisherigen Erinnerungen ist die Rechnung {inv} vom {idate} (EUR {amt}, fällig am {due}) weiterhin unbezahlt.
Bitte begleichen Sie den Betrag innerhalb von 10 Tagen. Andernfalls müssen wir weitere Lieferungen sowie Ihre Zuteilung des neuen Jahrgangs zurückhalten.
Bei Unstimmigkeiten wenden Sie sich bitte an unser Exportbüro.

Tenuta Poggio alle Ginestre - Buchhaltung"""

R["b3.4.de"] = """Sehr geehrte Damen und Herren,

LETZTE MAHNUNG - Rechnung {inv} vom {idate} (EUR {amt}, fällig am {due}).
Geht die Zahlung nicht innerhalb von 7 Tagen ein, übergeben wir die Forderung ohne weitere Ankündigung unserem Rechtsanwalt; Zinsen und Kosten gehen zu Ihren Lasten.

Tenuta Poggio alle Ginestre Società Agricola s.r.l. - USt-IdNr. IT01318400494"""

R["b3.1.fr"] = """Madame, Monsieur,

Nous nous permettons de vous rappeler l'échéance suivante :

Document : facture {inv}
Date : {idate}
Échéance : {due}
Montant : EUR {amt}

Coordonnées bancaires : IBAN IT47 E030 6970 2911 0000 0006 483 - BIC BCITITMM
Si le règlement a déjà été effectué, merci de ne pas tenir compte de ce message.

Avec nos meilleures salutations,
Tenuta Poggio alle Ginestre - Service comptabilité

Message généré automatiquement, merci de ne pas répondre à cette adresse.
Pour toute question : amministrazione@poggioalleginestre.it"""

R["b3.2.fr"] = """Madame, Monsieur,

Sauf erreur de notre part, la facture {inv} du {idate} d'un montant de EUR {amt}, échue le {due}, reste impayée.
Nous vous remercions de bien vouloir procéder à son règlement ou de nous indiquer une date de paiement.

IBAN IT47 E030 6970 2911 0000 0006 483 - BIC BCITITMM

Cordialement,
Tenuta Poggio alle Ginestre - Service comptabilité"""

R["b3.3.fr"] = """Madame, Monsieur,

Malgré nos précédents rappels, la facture {inv} du {idate} (EUR {amt}, échéance {due}) n'a toujours pas été réglée.
Nous vous prions de régulariser sous 10 jours. À défaut, nous serons contraints de suspendre les prochaines expéditions ainsi que votre allocation du nouveau millésime.
En cas de litige, merci de contacter notre service export.

Tenuta Poggio alle Ginestre - Service comptabilité"""

R["b3.4.fr"] = """Madame, Monsieur,

DERNIER RAPPEL avant procédure - facture {inv} du {idate} (EUR {amt}, échue le {due}).
Faute de règlement sous 7 jours, le dossier sera transmis à notre avocat pour recouvrement, intérêts et frais à votre charge.

Tenuta Poggio alle Ginestre Società Agricola s.r.l. - TVA IT01318400494"""

# ---------------------------------------------------------------- B4 feed/seed supplier + contractor
R["b4.1.it"] = """Spett.le {name}
cod. cliente {cod}

Vi segnaliamo che alla data odierna risultano scadute le seguenti partite:

Documento        Data        Scadenza    Mod. pag.      Importo
FT {inv}    {idate}  {due}  {mod}  EUR {amt}

Qualora abbiate già provveduto, vogliate considerare nulla la presente.
Per i pagamenti: IBAN IT67 C050 3411 4500 0000 0019 527

AgriPadana Servizi s.r.l.
Mangimi - Sementi - Concimi - Lavorazioni conto terzi
Via Postumia 112 - 26041 Casalmaggiore (CR) - tel. 0375 201774

*** Messaggio generato automaticamente - NON RISPONDERE a questo indirizzo ***"""

R["b4.2.it"] = """Spett.le {name}
cod. cliente {cod}

2° SOLLECITO

La fattura FT {inv} del {idate} ({mod}, scadenza {due}) di EUR {amt} risulta ancora INSOLUTA.
In caso di ricevuta bancaria tornata insoluta Vi verranno addebitate le spese bancarie (EUR 7,50).
Vi preghiamo di provvedere con bonifico su IBAN IT67 C050 3411 4500 0000 0019 527.

AgriPadana Servizi s.r.l. - Ufficio Crediti

*** Messaggio generato automaticamente - NON RISPONDERE a questo indirizzo ***"""

R["b4.3.it"] = """Spett.le {name}
cod. cliente {cod}

SOLLECITO FORMALE DI PAGAMENTO

Nonostante i precedenti avvisi, la FT {inv} del {idate} di EUR {amt} (scad. {due}) non è stata pagata.
Vi invitiamo a saldare entro 10 giorni. In mancanza, saremo costretti a sospendere forniture e lavorazioni in campo fino a completa regolarizzazione.
Eventuali contestazioni devono essere comunicate per iscritto all'Ufficio Crediti.

AgriPadana Servizi s.r.l. - Ufficio Crediti"""

R["b4.4.it"] = """Spett.le {name}
cod. cliente {cod}

ULTIMO AVVISO PRIMA DELL'AZIONE LEGALE

La FT {inv} del {idate} di EUR {amt}, scaduta il {due}, risulta ancora insoluta.
Vi diffidiamo a pagare entro 7 giorni dal ricevimento della presente. Trascorso inutilmente tale termine, la pratica sarà affidata al legale per il recupero del credito, con addebito di interessi di mora e spese.

AgriPadana Servizi s.r.l. - P.IVA 01892650191
Via Postumia 112 - 26041 Casalmaggiore (CR)
PEC agripadanaservizi@legalmail.it"""

SUBJ = {
 "b1.1.it": "Promemoria scadenza fattura n. {inv}",
 "b1.2.it": "Secondo sollecito - fattura n. {inv}",
 "b1.3.it": "Sollecito di pagamento - fattura n. {inv}",
 "b1.4.it": "ULTIMO AVVISO prima dell'azione legale - fattura n. {inv}",
 "b2.1.it": "Promemoria pagamento fattura n. {inv}",
 "b2.2.it": "Secondo promemoria - fattura n. {inv}",
 "b2.3.it": "Sollecito - fattura n. {inv} insoluta",
 "b2.4.it": "Ultimo avviso - fattura n. {inv}",
 "b2.1.en": "Payment reminder - invoice no. {inv}",
 "b2.2.en": "Second reminder - invoice no. {inv}",
 "b2.3.en": "Overdue notice - invoice no. {inv}",
 "b2.4.en": "Final notice before legal action - invoice no. {inv}",
 "b3.1.it": "Tenuta Poggio alle Ginestre - promemoria fattura {inv}",
 "b3.2.it": "Tenuta Poggio alle Ginestre - fattura {inv} scaduta",
 "b3.3.it": "Tenuta Poggio alle Ginestre - sollecito fattura {inv}",
 "b3.4.it": "Tenuta Poggio alle Ginestre - ultimo avviso fattura {inv}",
 "b3.1.en": "Tenuta Poggio alle Ginestre - reminder invoice {inv}",
 "b3.2.en": "Tenuta Poggio alle Ginestre - invoice {inv} overdue",
 "b3.3.en": "Tenuta Poggio alle Ginestre - second reminder invoice {inv}",
 "b3.4.en": "Tenuta Poggio alle Ginestre - FINAL NOTICE invoice {inv}",
 "b3.1.de": "Tenuta Poggio alle Ginestre - Zahlungserinnerung Rechnung {inv}",
 "b3.2.de": "Tenuta Poggio alle Ginestre - Rechnung {inv} überfällig",
 "b3.3.de": "Tenuta Poggio alle Ginestre - 2. Mahnung Rechnung {inv}",
 "b3.4.de": "Tenuta Poggio alle Ginestre - LETZTE MAHNUNG Rechnung {inv}",
 "b3.1.fr": "Tenuta Poggio alle Ginestre - rappel facture {inv}",
 "b3.2.fr": "Tenuta Poggio alle Ginestre - facture {inv} échue",
 "b3.3.fr": "Tenuta Poggio alle Ginestre - deuxième rappel facture {inv}",
 "b3.4.fr": "Tenuta Poggio alle Ginestre - DERNIER RAPPEL facture {inv}",
 "b4.1.it": "Avviso partite scadute - cod. cliente {cod}",
 "b4.2.it": "2° SOLLECITO partite scadute - cod. cliente {cod}",
 "b4.3.it": "SOLLECITO FORMALE - cod. cliente {cod}",
 "b4.4.it": "ULTIMO AVVISO - cod. cliente {cod}",
}

BOT = {
 "b1": "solleciti@latteriasanrocco.it",
 "b2": "pagamenti@masserialamacupa.it",
 "b3": "incassi@poggioalleginestre.it",
 "b4": "scadenze@agripadanaservizi.it",
}
