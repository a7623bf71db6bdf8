import re, glob, datetime as dt
IT_WD = {'lun':0,'mar':1,'mer':2,'gio':3,'ven':4,'sab':5,'dom':6}
IT_M = {'gen':1,'feb':2,'mar':3,'apr':4,'mag':5,'giu':6,'lug':7,'ago':8,'set':9,'ott':10,'nov':11,'dic':12}
IT_WDF = {'lunedì':0,'martedì':1,'mercoledì':2,'giovedì':3,'venerdì':4,'sabato':5,'domenica':6}
IT_MF = {m:i+1 for i,m in enumerate(['gennaio','febbraio','marzo','aprile','maggio','giugno','luglio','agosto','settembre','ottobre','novembre','dicembre'])}
EN_WD = {'Mon':0,'Tue':1,'Wed':2,'Thu':3,'Fri':4,'Sat':5,'Sun':6}
EN_M = {m:i+1 for i,m in enumerate(['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'])}
EN_WDF = {d:i for i,d in enumerate(['Monday','Tuesday','Wednesday','Thursday','Friday','Saturday','Sunday'])}
EN_MF = {m:i+1 for i,m in enumerate(['January','February','March','April','May','June','July','August','September','October','November','December'])}
DE_WDF = {d:i for i,d in enumerate(['Montag','Dienstag','Mittwoch','Donnerstag','Freitag','Samstag','Sonntag'])}
DE_MF = {m:i+1 for i,m in enumerate(['Januar','Februar','März','April','Mai','Juni','Juli','August','September','Oktober','November','Dezember'])}
FR_WD = {'lun.':0,'mar.':1,'mer.':2,'jeu.':3,'ven.':4,'sam.':5,'dim.':6}
FR_M = {'janv.':1,'févr.':2,'mars':3,'avr.':4,'mai':5,'juin':6,'juil.':7,'août':8,'sept.':9,'oct.':10,'nov.':11,'déc.':12}
FR_WDF = {d:i for i,d in enumerate(['lundi','mardi','mercredi','jeudi','vendredi','samedi','dimanche'])}
FR_MF = {m:i+1 for i,m in enumerate(['janvier','février','mars','avril','mai','juin','juillet','août','septembre','octobre','novembre','décembre'])}
PT_WD = {'seg.':0,'ter.':1,'qua.':2,'qui.':3,'sex.':4,'sáb.':5,'dom.':6}
PT_M = {m:i+1 for i,m in enumerate(['jan.','fev.','mar.','abr.','mai.','jun.','jul.','ago.','set.','out.','nov.','dez.'])}
PT_WDF = {d:i for i,d in enumerate(['segunda-feira','terça-feira','quarta-feira','quinta-feira','sexta-feira','sábado','domingo'])}
PT_MF = {m:i+1 for i,m in enumerate(['janeiro','fevereiro','março','abril','maio','junho','julho','agosto','setembro','outubro','novembro','dezembro'])}
pats = [
 (r"Il giorno (\w{3}) (\d+) (\w{3}) (\d{4})", IT_WD, IT_M, (1,2,3,4)),
 (r"(?:Inviato|Data): (\w+ì|sabato|domenica) (\d+) (\w+) (\d{4})", IT_WDF, IT_MF, (1,2,3,4)),
 (r"On (\w{3}), (\w{3}) (\d+), (\d{4})", EN_WD, EN_M, (1,3,2,4)),
 (r"Sent: (\w+day), (\w+) (\d+), (\d{4})", EN_WDF, EN_MF, (1,3,2,4)),
 (r"(?:Gesendet|Gesendet:) ?:? ?(\w+tag|Mittwoch), (\d+)\. (\w+) (\d{4})", DE_WDF, DE_MF, (1,2,3,4)),
 (r"Le (\w{3}\.) (\d+) (\S+) (\d{4})", FR_WD, FR_M, (1,2,3,4)),
 (r"Envoy\w+ ?: (\w+di) (\d+) (\w+) (\d{4})", FR_WDF, FR_MF, (1,2,3,4)),
 (r"Em (\S+), (\d+) de (\S+) de (\d{4})", PT_WD, PT_M, (1,2,3,4)),
 (r"Enviada em: (\S+), (\d+) de (\w+) de (\d{4})", PT_WDF, PT_MF, (1,2,3,4)),
]
n=0
for f in sorted(glob.glob('src/*.txt')):
    cur=None
    for line in open(f, encoding='utf-8'):
        if line.startswith('%%%% '): cur=line.split()[1]
        for p, wdm, mm, (gw,gd,gm,gy) in pats:
            for m in re.finditer(p, line):
                try:
                    wd = wdm[m.group(gw)]; d = dt.date(int(m.group(gy)), mm[m.group(gm)], int(m.group(gd)))
                except KeyError as e:
                    print(cur, 'unparsed', m.group(0), e); continue
                n+=1
                if d.weekday()!=wd: print(cur, 'WRONG', m.group(0), d.strftime('%a'))
print('checked', n)
